"""The built-in embedding model, `all-minilm:l6-v2` (Ollama's library has the same model under
the same name, so a knowledge base indexed here keeps working against a real Ollama).

Assembled at first use, not at engine start: conversion takes a few seconds and 45 MB, and a
user who never indexes a document should not pay for it. `/api/embed` and `/api/embeddings`
ask `ensure_embedder` before answering "not found"; the GGUF then lives in the store like a
pulled model (a blob plus a manifest), so /api/tags lists it and /api/delete removes it.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
from pathlib import Path

from desktop.engine.embedder_convert import ConvertError, convert, model_zip
from desktop.engine.gguf import GGUFError, read_gguf
from desktop.engine.registry import ModelEntry, Registry, config_for, sha256_file
from desktop.engine.security import InvalidName, parse_name

EMBEDDER_NAME = "all-minilm:l6-v2"
# Names a client may use for it: Ollama's short forms of the same library model.
_ALIASES = {"all-minilm", "all-minilm:latest", "all-minilm:l6-v2", "all-minilm:22m"}
_lock = threading.Lock()


def is_embedder_name(raw: object) -> bool:
    if not isinstance(raw, str):
        return False
    try:
        display = parse_name(raw).display.lower()
    except InvalidName:
        return False
    return display in _ALIASES or raw.lower() in _ALIASES


def available() -> bool:
    return model_zip() is not None


def ensure_embedder(registry: Registry, raw: str = EMBEDDER_NAME) -> ModelEntry | None:
    """The embedder's entry under the name asked for, converting it first if needed; None
    when the model package is not installed or cannot be converted."""
    if not is_embedder_name(raw):
        return None
    name = parse_name(raw)
    with _lock:
        entry = registry.get(name)
        if entry is not None and registry.model_path(entry) is not None:
            return entry
        source = model_zip()
        if source is None:
            return None
        fd, tmp = tempfile.mkstemp(dir=registry.blobs, prefix=".embedder-", suffix=".gguf")
        os.close(fd)
        path = Path(tmp)
        try:
            convert(source, path)
            meta = read_gguf(path)
            digest = f"sha256:{sha256_file(path)}"
            blob = registry.blob_path(digest)
            os.replace(path, blob)
        except (ConvertError, GGUFError, OSError):
            return None
        finally:
            path.unlink(missing_ok=True)
        layer = {"digest": digest, "size": blob.stat().st_size}
        manifest = registry.build_manifest(layer, config_for(meta), [])
        return registry.write_manifest(name, manifest)


def embed_threads(engine_threads: int, asked: int = 0) -> int:
    """Threads for an embedding child: the request's num_thread, else half the engine's.

    Measured on this 2-core machine under load (benchmarks/indexing_speed.py): llama.cpp's
    threads meet at a barrier after every op, and a small BERT's ops are so short that with
    both cores busy elsewhere the second thread mostly waits for a core, so 2 threads ran at
    3.3 chunks/s and 1 thread at 8.3, with less than half the CPU time. Indexing runs in the
    background beside the chat, which keeps the other half.
    """
    if asked > 0:
        return asked
    return max(1, engine_threads // 2)


async def ensure_embedder_async(registry: Registry, raw: object) -> None:
    """For the embed routes: convert off the event loop, so other requests keep flowing."""
    if isinstance(raw, str) and is_embedder_name(raw):
        await asyncio.to_thread(ensure_embedder, registry, raw)
