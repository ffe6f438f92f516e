"""Pulling models (Ollama's registry, Hugging Face) and creating them (GGUF files, blobs, bases)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from desktop.engine import hf, ollama_registry
from desktop.engine.create_input import source_of
from desktop.engine.gguf import GGUFError, GGUFFile, read_gguf
from desktop.engine.options import RequestError, parse_options
from desktop.engine.quantize_route import quantize_chunks
from desktop.engine.registry import (
    LICENSE_MEDIA,
    MODEL_MEDIA,
    PARAMS_MEDIA,
    SYSTEM_MEDIA,
    TEMPLATE_MEDIA,
    ModelEntry,
    config_for,
)
from desktop.engine.security import ModelName, parse_digest
from desktop.engine.service import Engine
from desktop.engine.vision import PROJECTOR_MEDIA, model_and_projector


def _short(digest: str) -> str:
    return digest.split(":", 1)[-1][:12]


async def _fetch_blob(
    engine: Engine, http: Any, digest: str, size: int, url: str
) -> AsyncIterator[dict[str, Any]]:
    """One layer: a single line when it is already here, else progress lines while it downloads."""
    registry = engine.registry
    blob = registry.blob_path(digest)
    status = f"pulling {_short(digest)}"
    lock = engine.pull_locks.setdefault(digest, asyncio.Lock())
    async with lock:
        if blob.is_file() and (not size or blob.stat().st_size == size):
            yield {"status": status, "digest": digest, "total": size, "completed": size}
            return
        partial = registry.partial_path(digest)
        async for done in hf.download(http, url, size, digest.split(":", 1)[1], partial):
            line: dict[str, Any] = {"status": status, "digest": digest}
            if size:
                line["total"] = size
            if done:
                line["completed"] = done
            yield line
        partial.replace(blob)


async def _checked_gguf(path: Path) -> GGUFFile:
    try:
        return await asyncio.to_thread(read_gguf, path)
    except GGUFError as exc:
        path.unlink(missing_ok=True)
        raise hf.PullError(f"the downloaded file is not a usable model: {exc}") from exc


async def pull_chunks(
    engine: Engine, name: ModelName, insecure: bool = False
) -> AsyncIterator[dict[str, Any]]:
    registry = engine.registry
    yield {"status": "pulling manifest"}
    async with hf.client(huggingface=name.is_huggingface) as http:
        if name.is_huggingface:
            item = await hf.resolve(http, name.namespace, name.model, name.tag)
            async for line in _fetch_blob(engine, http, item.digest, item.size, hf.file_url(item)):
                yield line
            meta = await _checked_gguf(registry.blob_path(item.digest))
            extra: list[dict[str, Any]] = []
            if item.projector is not None:
                mmproj = item.projector
                async for line in _fetch_blob(engine, http, mmproj.digest, mmproj.size, hf.file_url(mmproj)):
                    yield line
                extra.append({"mediaType": PROJECTOR_MEDIA, "digest": mmproj.digest, "size": mmproj.size})
            manifest = registry.build_manifest(
                {"digest": item.digest, "size": item.size}, config_for(meta), extra
            )
            config = manifest["config"]
            yield {
                "status": f"pulling {_short(config['digest'])}",
                "digest": config["digest"],
                "total": config["size"],
                "completed": config["size"],
            }
        else:
            manifest = await ollama_registry.fetch_manifest(http, name, insecure)
            for layer in ollama_registry.layers(manifest):
                url = ollama_registry.blob_url(name, layer["digest"], insecure)
                async for line in _fetch_blob(engine, http, layer["digest"], int(layer["size"]), url):
                    yield line
                if layer.get("mediaType") == MODEL_MEDIA:
                    await _checked_gguf(registry.blob_path(layer["digest"]))
    yield {"status": "verifying sha256 digest"}
    yield {"status": "writing manifest"}
    await asyncio.to_thread(registry.write_manifest, name, manifest)
    yield {"status": "success"}


async def create_chunks(
    engine: Engine, name: ModelName, body: dict[str, Any], *, allow_local_path: bool = False
) -> AsyncIterator[dict[str, Any]]:
    registry = engine.registry
    source = body.get("from")
    files = body.get("files")
    model_layer: dict[str, Any] | None = None
    extra: list[dict[str, Any]] = []
    base: ModelEntry | None = None
    if files:
        # A second GGUF that is a vision projector (mmproj) becomes the projector layer.
        digest, projector = model_and_projector(files, registry.blob_path)
        blob = registry.blob_path(digest)
        if not blob.is_file():
            raise RequestError(f"blob {digest} not found; upload it to /api/blobs first", 400)
        model_layer = {"digest": f"sha256:{parse_digest(digest)}", "size": blob.stat().st_size}
        model_file = blob
        if projector is not None:
            extra.append(projector)
    elif source:
        candidate = source_of(source, allow_local_path=allow_local_path)
        if isinstance(candidate, Path):
            if not candidate.is_file():
                raise RequestError(f"the file {source} does not exist or is not readable")
            yield {"status": "parsing GGUF"}
            try:
                await asyncio.to_thread(read_gguf, candidate)
            except GGUFError as exc:
                raise RequestError(str(exc)) from exc
            model_layer = await asyncio.to_thread(registry.import_file, candidate)
            model_file = registry.blob_path(model_layer["digest"])
        else:
            base = registry.get(candidate)
            if base is None:
                raise RequestError(f"model '{source}' not found", 404)
            found = registry.model_path(base)
            layer = base.layer("application/vnd.ollama.image.model")
            if found is None or layer is None:
                raise RequestError(f"the model file of {source} is missing", 500)
            model_layer = {k: v for k, v in layer.items() if k != "mediaType"}
            model_file = found
            extra = [
                dict(layer)
                for layer in base.layers
                if layer.get("mediaType") != "application/vnd.ollama.image.model"
            ]
    else:
        raise RequestError("neither 'from' or 'files' was specified")
    if body.get("quantize") is not None:
        made: list[dict[str, Any]] = []
        async for line in quantize_chunks(registry, model_file, body["quantize"], made):
            yield line
        model_layer, model_file = made[0], registry.blob_path(made[0]["digest"])
    yield {"status": "parsing GGUF"}
    try:
        meta = await asyncio.to_thread(read_gguf, model_file)
    except GGUFError as exc:
        raise RequestError(str(exc)) from exc
    yield {"status": f"using existing layer {model_layer['digest']}"}
    overrides: list[tuple[str, Any]] = [
        (TEMPLATE_MEDIA, body.get("template")),
        (SYSTEM_MEDIA, body.get("system")),
        (
            LICENSE_MEDIA,
            "\n".join(body["license"]) if isinstance(body.get("license"), list) else body.get("license"),
        ),
    ]
    params = body.get("parameters")
    if params is not None:
        if not isinstance(params, dict):
            raise RequestError("parameters must be an object")
        parse_options(params)
        merged = {}
        if base is not None:
            merged = registry.params(base)
        merged.update(params)
        overrides.append((PARAMS_MEDIA, json.dumps(merged)))
    for media, value in overrides:
        if value is None:
            continue
        if not isinstance(value, str):
            raise RequestError(f"{media.rsplit('.', 1)[-1]} must be a string")
        extra = [layer for layer in extra if layer.get("mediaType") != media]
        layer = {"mediaType": media, **registry.write_blob(value.encode("utf-8"))}
        yield {"status": f"creating new layer {layer['digest']}"}
        extra.append(layer)
    manifest = registry.build_manifest(model_layer, config_for(meta), extra)
    yield {"status": "writing manifest"}
    await asyncio.to_thread(registry.write_manifest, name, manifest)
    yield {"status": "success"}
