"""The engine's model store, in Ollama's layout so the folder is familiar:

    <models>/manifests/<host>/<namespace>/<model>/<tag>   JSON manifest (Docker v2 shape)
    <models>/blobs/sha256-<hex>                           content-addressed layers

Every path is built from a validated ModelName or digest and checked to stay inside the
models folder. A model layer may also point at a GGUF outside the store by reference
(the starter model shipped by a Python package: 98 MB not copied). References live in
`<models>/references.json`, digest -> path, written only by `add_reference` (the engine's
own starter code), never inside a manifest: manifests are normalised to a closed shape
(manifest.py) on every read and write, so no key from a registry or request names a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.engine.gguf import GGUFFile, human_parameters
from desktop.engine.manifest import (
    CONFIG_MEDIA,
    LICENSE_MEDIA,
    MANIFEST_MEDIA,
    MODEL_MEDIA,
    PARAMS_MEDIA,
    SYSTEM_MEDIA,
    TEMPLATE_MEDIA,
    ManifestError,
    normalize,
)
from desktop.engine.options import RequestError, parse_body
from desktop.engine.security import InvalidName, ModelName, parse_digest, parse_name

__all__ = [
    "CONFIG_MEDIA",
    "LICENSE_MEDIA",
    "MANIFEST_MEDIA",
    "MODEL_MEDIA",
    "PARAMS_MEDIA",
    "SYSTEM_MEDIA",
    "TEMPLATE_MEDIA",
    "ModelEntry",
    "Registry",
    "RegistryError",
    "config_for",
    "local_timestamp",
    "sha256_file",
]
REFERENCES_FILE = "references.json"
EMBEDDING_ARCHS = {"bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "t5encoder"}


class RegistryError(Exception):
    """A store operation failed; the message is meant for the API's error body."""


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def local_timestamp(epoch: float) -> str:
    """Ollama's modified_at: local time with offset and sub-second digits."""
    return datetime.fromtimestamp(epoch).astimezone().isoformat()


@dataclass(frozen=True)
class ModelEntry:
    name: ModelName
    manifest: dict[str, Any]
    digest: str  # sha256 hex of the manifest file
    modified: float

    @property
    def layers(self) -> list[dict[str, Any]]:
        layers = self.manifest.get("layers")
        return layers if isinstance(layers, list) else []

    def layer(self, media_type: str) -> dict[str, Any] | None:
        for layer in self.layers:
            if isinstance(layer, dict) and layer.get("mediaType") == media_type:
                return layer
        return None

    @property
    def size(self) -> int:
        total = 0
        config = self.manifest.get("config")
        if isinstance(config, dict):
            total += int(config.get("size", 0))
        return total + sum(int(layer.get("size", 0)) for layer in self.layers if isinstance(layer, dict))


class Registry:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.blobs = self.root / "blobs"
        self.manifests = self.root / "manifests"
        self.blobs.mkdir(parents=True, exist_ok=True)
        self.manifests.mkdir(parents=True, exist_ok=True)

    # --- paths ---------------------------------------------------------------------------

    def _inside(self, path: Path) -> Path:
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            raise RegistryError("invalid path")
        return path

    def blob_path(self, digest: str) -> Path:
        """The blob file of a digest; the digest is validated first (raises InvalidDigest)."""
        return self._inside(self.blobs / f"sha256-{parse_digest(digest)}")

    def partial_path(self, digest: str) -> Path:
        return self._inside(self.blobs / f"sha256-{parse_digest(digest)}-partial")

    def _manifest_path_exact(self, name: ModelName) -> Path:
        return self._inside(self.manifests.joinpath(name.host, name.namespace, name.model, name.tag))

    def manifest_path(self, name: ModelName) -> Path | None:
        """The manifest of an installed model, matched case-insensitively like Ollama."""
        exact = self._manifest_path_exact(name)
        if exact.is_file():
            return exact
        current = self.manifests
        for part in (name.host, name.namespace, name.model, name.tag):
            if not current.is_dir():
                return None
            match = next((child for child in current.iterdir() if child.name.lower() == part.lower()), None)
            if match is None:
                return None
            current = match
        return self._inside(current) if current.is_file() else None

    # --- reading ---------------------------------------------------------------------------

    def get(self, name: ModelName) -> ModelEntry | None:
        path = self.manifest_path(name)
        if path is None:
            return None
        return self._load(path)

    def _load(self, path: Path) -> ModelEntry | None:
        try:
            raw = path.read_bytes()
            manifest = json.loads(raw)
            stat = path.stat()
        except (OSError, ValueError, RecursionError):
            return None
        try:
            manifest = normalize(manifest)
        except ManifestError:
            return None
        rel = path.relative_to(self.manifests).parts
        if len(rel) != 4:
            return None
        try:
            name = parse_name(f"{rel[0]}/{rel[1]}/{rel[2]}:{rel[3]}")
        except InvalidName:
            return None
        return ModelEntry(
            name=name, manifest=manifest, digest=hashlib.sha256(raw).hexdigest(), modified=stat.st_mtime
        )

    def entries(self) -> list[ModelEntry]:
        entries: list[ModelEntry] = []
        for path in self._manifest_files():
            entry = self._load(path)
            if entry is not None:
                entries.append(entry)
        entries.sort(key=lambda e: e.modified, reverse=True)
        return entries

    def _manifest_files(self) -> Iterator[Path]:
        for host in _dirs(self.manifests):
            for namespace in _dirs(host):
                for model in _dirs(namespace):
                    for tag in model.iterdir():
                        if tag.is_file() and not tag.name.startswith("."):
                            yield tag

    def layer_path(self, layer: dict[str, Any]) -> Path | None:
        """Where a layer's bytes are: the blob, else a by-reference file of the right size."""
        digest = layer.get("digest")
        if not isinstance(digest, str):
            return None
        blob = self.blob_path(digest)
        if blob.is_file():
            return blob
        reference = self._references().get(f"sha256:{parse_digest(digest)}")
        if reference is not None:
            path = Path(reference)
            size = layer.get("size")
            if path.is_absolute() and path.is_file() and path.stat().st_size == size:
                return path
        return None

    def _references(self) -> dict[str, str]:
        try:
            value = json.loads((self.root / REFERENCES_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(value, dict):
            return {}
        return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}

    def add_reference(self, digest: str, path: Path) -> None:
        """Let a layer's bytes stay at `path` (an absolute file the engine itself chose)."""
        if not path.is_absolute():
            raise RegistryError("a reference must be an absolute path")
        references = self._references()
        references[f"sha256:{parse_digest(digest)}"] = str(path)
        _atomic_write(self.root / REFERENCES_FILE, json.dumps(references, indent=1).encode())

    def model_path(self, entry: ModelEntry) -> Path | None:
        layer = entry.layer(MODEL_MEDIA)
        return self.layer_path(layer) if layer else None

    def read_text_layer(self, entry: ModelEntry, media_type: str) -> str | None:
        layer = entry.layer(media_type)
        if layer is None:
            return None
        path = self.layer_path(layer)
        if path is None:
            return None
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def params(self, entry: ModelEntry) -> dict[str, Any]:
        text = self.read_text_layer(entry, PARAMS_MEDIA)
        if not text:
            return {}
        return _json_object(text.encode("utf-8"))

    def config(self, entry: ModelEntry) -> dict[str, Any]:
        config = entry.manifest.get("config")
        if not isinstance(config, dict):
            return {}
        path = self.layer_path(config)
        if path is None:
            return {}
        try:
            return _json_object(path.read_bytes())
        except OSError:
            return {}

    # --- writing ---------------------------------------------------------------------------

    def write_blob(self, data: bytes) -> dict[str, Any]:
        """Store bytes as a blob; returns a layer descriptor without mediaType."""
        hexdigest = hashlib.sha256(data).hexdigest()
        path = self.blob_path(f"sha256:{hexdigest}")
        if not path.is_file():
            _atomic_write(path, data)
        return {"digest": f"sha256:{hexdigest}", "size": len(data)}

    def import_file(self, source: Path) -> dict[str, Any]:
        """Copy a file into the store (hashing first); returns the layer descriptor."""
        hexdigest = sha256_file(source)
        path = self.blob_path(f"sha256:{hexdigest}")
        if not path.is_file():
            fd, tmp = tempfile.mkstemp(dir=self.blobs, prefix=".import-")
            os.close(fd)
            try:
                shutil.copyfile(source, tmp)
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        return {"digest": f"sha256:{hexdigest}", "size": path.stat().st_size}

    def write_manifest(self, name: ModelName, manifest: dict[str, Any]) -> ModelEntry:
        existing = self.manifest_path(name)
        path = existing if existing is not None else self._manifest_path_exact(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._inside(path.parent)
        try:
            clean = normalize(manifest)
        except ManifestError as exc:
            raise RegistryError(str(exc)) from exc
        _atomic_write(path, json.dumps(clean, indent=None, separators=(",", ":")).encode())
        entry = self._load(path)
        if entry is None:
            raise RegistryError("the manifest could not be written")
        return entry

    def build_manifest(
        self, model_layer: dict[str, Any], config: dict[str, Any], extra_layers: list[dict[str, Any]]
    ) -> dict[str, Any]:
        config_layer = self.write_blob(json.dumps(config, separators=(",", ":")).encode())
        return {
            "schemaVersion": 2,
            "mediaType": MANIFEST_MEDIA,
            "config": {"mediaType": CONFIG_MEDIA, **config_layer},
            "layers": [{"mediaType": MODEL_MEDIA, **model_layer}, *extra_layers],
        }

    def copy(self, source: ModelName, destination: ModelName) -> None:
        path = self.manifest_path(source)
        if path is None:
            raise RegistryError("not found")
        target = self.manifest_path(destination) or self._manifest_path_exact(destination)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._inside(target.parent)
        _atomic_write(target, path.read_bytes())

    def delete(self, name: ModelName) -> bool:
        path = self.manifest_path(name)
        if path is None:
            return False
        path.unlink()
        parent = path.parent
        while parent != self.manifests and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
        self.prune_blobs()
        return True

    def prune_blobs(self) -> None:
        """Remove blobs no manifest references (partial downloads are kept for resume)."""
        used: set[str] = set()
        for entry in self.entries():
            config = entry.manifest.get("config")
            for layer in [config, *entry.layers]:
                if isinstance(layer, dict) and isinstance(layer.get("digest"), str):
                    used.add(str(layer["digest"]).replace(":", "-"))
        for blob in self.blobs.iterdir():
            if blob.name.startswith("sha256-") and len(blob.name) == 71 and blob.name not in used:
                blob.unlink(missing_ok=True)


def _json_object(raw: bytes) -> dict[str, Any]:
    """A params or config layer (registry bytes): strict JSON, bounded nesting, else {}."""
    try:
        return parse_body(raw)
    except RequestError:
        return {}


def _dirs(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for child in path.iterdir():
            if child.is_dir() and not child.name.startswith("."):
                yield child


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def config_for(meta: GGUFFile) -> dict[str, Any]:
    """The config blob of a manifest, from GGUF metadata."""
    arch = meta.architecture
    caps = ["embedding"] if arch in EMBEDDING_ARCHS else ["completion"]
    return {
        "model_format": "gguf",
        "model_family": arch,
        "model_families": [arch],
        "model_type": human_parameters(meta.parameter_count),
        "file_type": meta.file_type,
        "context_length": meta.context_length,
        "embedding_length": meta.embedding_length,
        "capabilities": caps,
        "architecture": "amd64",
        "os": "linux",
    }
