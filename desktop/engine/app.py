"""The engine's HTTP API: Ollama's routes, shapes, status codes and error bodies."""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import os
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop import __version__
from desktop.engine import hf, ollama_registry, prompt
from desktop.engine.gguf import GGUFError, GGUFFile, read_gguf
from desktop.engine.options import (
    DEFAULT_KEEP_ALIVE,
    Options,
    RequestError,
    parse_format,
    parse_keep_alive,
    parse_options,
)
from desktop.engine.registry import (
    LICENSE_MEDIA,
    MODEL_MEDIA,
    PARAMS_MEDIA,
    SYSTEM_MEDIA,
    TEMPLATE_MEDIA,
    ModelEntry,
    Registry,
    RegistryError,
    config_for,
    local_timestamp,
)
from desktop.engine.responses import (
    StreamResponse,
    error_response,
    json_response,
    now_utc,
)
from desktop.engine.runner import GenStats, ModelSlot, Runner, stream_generation
from desktop.engine.security import (
    InvalidDigest,
    InvalidName,
    ModelName,
    parse_digest,
    parse_name,
    request_allowed,
)
from desktop.engine.starter import note_deleted

OLLAMA_COMPAT_VERSION = "0.13.0"
ENGINE_HEADER = "x-ollama-desk-engine"
PID_HEADER = "x-ollama-desk-pid"
FOREVER = datetime(2318, 1, 1).astimezone()


class Engine:
    """Everything a request handler needs: the store, the loaded models, pull locks."""

    def __init__(self, models_dir: Path, *, runner: Runner | None = None) -> None:
        self.registry = Registry(models_dir)
        self.runner = runner or Runner()
        self.pull_locks: dict[str, asyncio.Lock] = {}

    # --- helpers -----------------------------------------------------------------------------

    def lookup(self, raw: Any) -> tuple[ModelName, ModelEntry | None]:
        name = parse_name(raw)
        return name, self.registry.get(name)

    def meta(self, entry: ModelEntry) -> GGUFFile:
        path = self.registry.model_path(entry)
        if path is None:
            raise RequestError(
                f"the model file of {entry.name.display} is missing; pull or create it again", 500
            )
        try:
            return self.runner.metadata(path)
        except GGUFError as exc:
            raise RequestError(f"unable to load model: {exc}", 500) from exc

    def details(self, entry: ModelEntry) -> dict[str, Any]:
        config = self.registry.config(entry)
        family = str(config.get("model_family", ""))
        families = config.get("model_families")
        details: dict[str, Any] = {
            "parent_model": "",
            "format": str(config.get("model_format", "gguf")),
            "family": family,
            "families": families if isinstance(families, list) else ([family] if family else None),
            "parameter_size": str(config.get("model_type", "")),
            "quantization_level": str(config.get("file_type", "")),
        }
        for key in ("context_length", "embedding_length"):
            if isinstance(config.get(key), int) and config[key] > 0:
                details[key] = config[key]
        return details

    def capabilities(self, entry: ModelEntry) -> list[str]:
        config = self.registry.config(entry)
        caps = config.get("capabilities")
        return [str(c) for c in caps] if isinstance(caps, list) else ["completion"]

    def slot_for(self, entry: ModelEntry) -> ModelSlot:
        path = self.registry.model_path(entry)
        if path is None:
            raise RequestError(
                f"the model file of {entry.name.display} is missing; pull or create it again", 500
            )
        return self.runner.slot(entry.name.display, entry.digest, path, self.details(entry))


# --- request parsing -----------------------------------------------------------------------------


async def read_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        raise RequestError("missing request body")
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise RequestError(f"invalid character in request body: {exc}") from exc
    if not isinstance(value, dict):
        raise RequestError("json: cannot unmarshal request body into an object")
    return value


Handler = Callable[[Request], Awaitable[Response]]


def api(handler: Handler) -> Handler:
    """Turn RequestError/InvalidName raised before a response into Ollama error bodies."""

    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except RequestError as exc:
            return error_response(exc.message, exc.status)
        except InvalidName:
            return error_response("invalid model name", 400)
        except InvalidDigest:
            return error_response("invalid digest format", 400)

    wrapped.__name__ = handler.__name__
    return wrapped


def keep_alive_of(body: dict[str, Any]) -> float:
    value = parse_keep_alive(body.get("keep_alive"))
    if value is not None:
        return value
    env = parse_keep_alive(os.environ["OLLAMA_KEEP_ALIVE"]) if os.environ.get("OLLAMA_KEEP_ALIVE") else None
    return env if env is not None else DEFAULT_KEEP_ALIVE


def wants_stream(body: dict[str, Any]) -> bool:
    return body.get("stream", True) is not False


def go_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parameters_text(params: dict[str, Any]) -> str:
    lines: list[str] = []
    for key, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            lines.append(f"{key:<30} {go_value(item)}")
    return "\n".join(lines)


def build_app(engine: Engine, *, allow_remote: bool = False) -> ASGIApp:
    registry = engine.registry
    runner = engine.runner

    async def root(request: Request) -> Response:
        return PlainTextResponse("Ollama is running")

    async def version(request: Request) -> Response:
        return json_response({"version": OLLAMA_COMPAT_VERSION})

    async def tags(request: Request) -> Response:
        entries = await asyncio.to_thread(registry.entries)
        models = []
        for entry in entries:
            models.append(
                {
                    "name": entry.name.display,
                    "model": entry.name.display,
                    "modified_at": local_timestamp(entry.modified),
                    "size": entry.size,
                    "digest": entry.digest,
                    "details": engine.details(entry),
                    "capabilities": engine.capabilities(entry),
                }
            )
        return json_response({"models": models})

    @api
    async def show(request: Request) -> Response:
        body = await read_body(request)
        raw = body.get("model") or body.get("name")
        if not raw:
            raise RequestError("model is required")
        name, entry = engine.lookup(raw)
        if entry is None:
            raise RequestError(f"model '{name.display}' not found", 404)
        verbose = body.get("verbose") is True
        path = registry.model_path(entry)
        if path is None:
            raise RequestError(f"the model file of {name.display} is missing; pull or create it again", 500)
        try:
            meta = (
                await asyncio.to_thread(read_gguf, path, keep_arrays=verbose)
                if verbose
                else engine.meta(entry)
            )
        except GGUFError as exc:
            raise RequestError(f"unable to load model: {exc}", 500) from exc
        model_info: dict[str, Any] = {}
        for key, value in meta.metadata.items():
            if key in ("general.name", "tokenizer.chat_template"):
                continue
            model_info[key] = value
        model_info["general.parameter_count"] = meta.parameter_count
        params = registry.params(entry)
        if isinstance(body.get("options"), dict):
            params.update(body["options"])
        template = registry.read_text_layer(entry, TEMPLATE_MEDIA) or meta.chat_template
        system = body.get("system") or registry.read_text_layer(entry, SYSTEM_MEDIA) or ""
        license_text = registry.read_text_layer(entry, LICENSE_MEDIA) or ""
        result: dict[str, Any] = {}
        if license_text:
            result["license"] = license_text
        result["modelfile"] = modelfile(name, path, template, system, params, license_text)
        if params:
            result["parameters"] = parameters_text(params)
        if template:
            result["template"] = template
        if system:
            result["system"] = system
        result["details"] = engine.details(entry)
        result["model_info"] = model_info
        if verbose:
            result["tensors"] = [
                {"name": t.name, "type": t.type, "shape": list(t.shape)} for t in meta.tensors
            ]
        result["capabilities"] = engine.capabilities(entry)
        result["modified_at"] = local_timestamp(entry.modified)
        return json_response(result)

    async def ps(request: Request) -> Response:
        models = []
        for slot in sorted(runner.running(), key=lambda s: s.expires_at, reverse=True):
            expires = (
                FOREVER
                if math.isinf(slot.expires_at)
                else datetime.fromtimestamp(slot.expires_at).astimezone()
            )
            details = dict(slot.details)
            details["parent_model"] = ""
            models.append(
                {
                    "name": slot.name,
                    "model": slot.name,
                    "size": slot.size,
                    "digest": slot.digest,
                    "details": details,
                    "expires_at": expires.isoformat(),
                    "size_vram": slot.size_vram,
                    "context_length": slot.num_ctx,
                }
            )
        return json_response({"models": models})

    # --- chat / generate ---------------------------------------------------------------------

    async def load_or_unload(
        slot: ModelSlot, raw_model: str, keep: float, opts: Options, extra: dict[str, Any]
    ) -> Response:
        if keep == 0:
            if slot.loaded:
                await runner.unload(slot)
            return json_response(
                {"model": raw_model, "created_at": now_utc(), **extra, "done": True, "done_reason": "unload"}
            )
        async with slot.lock:
            await runner.ensure_loaded(slot, opts)
            runner.keep(slot, keep)
        return json_response(
            {"model": raw_model, "created_at": now_utc(), **extra, "done": True, "done_reason": "load"}
        )

    def completion(
        slot: ModelSlot,
        build_prompt: Callable[[Any], str],
        opts: Options,
        fmt: str | dict[str, Any] | None,
        keep: float,
        chunk: Callable[[str], dict[str, Any]],
        final: Callable[[GenStats, int, int], dict[str, Any]],
    ) -> AsyncIterator[dict[str, Any]]:
        async def chunks() -> AsyncIterator[dict[str, Any]]:
            started = time.perf_counter()
            slot.pending += 1
            try:
                async with slot.lock:
                    load_seconds = await runner.ensure_loaded(slot, opts)
                    text = build_prompt(slot.llama)
                    async for piece in stream_generation(slot.llama, text, opts, fmt):
                        if piece.error is not None:
                            raise piece.error
                        if piece.text:
                            yield chunk(piece.text)
                        if piece.stats is not None:
                            total = int((time.perf_counter() - started) * 1e9)
                            yield final(piece.stats, total, int(load_seconds * 1e9))
            finally:
                slot.pending -= 1
                runner.keep(slot, keep)

        return chunks()

    def metrics(stats: GenStats, total: int, load: int) -> dict[str, Any]:
        figures = {
            "total_duration": total,
            "load_duration": load,
            "prompt_eval_count": stats.prompt_eval_count,
            "prompt_eval_duration": stats.prompt_eval_duration,
            "eval_count": stats.eval_count,
            "eval_duration": stats.eval_duration,
        }
        return {k: v for k, v in figures.items() if v}

    def common(body: dict[str, Any]) -> tuple[str, ModelEntry, Options, float, Any]:
        raw = body.get("model") or body.get("name") or ""
        if not isinstance(raw, str):
            raise RequestError("model must be a string")
        try:
            name, entry = engine.lookup(raw) if raw else (None, None)
        except InvalidName:
            entry = None
        if entry is None:
            raise RequestError(f"model '{raw}' not found", 404)
        think = body.get("think")
        if think not in (None, False):
            raise RequestError(f'"{raw}" does not support thinking')
        if body.get("tools"):
            raise RequestError(f'"{raw}" does not support tools')
        if body.get("images"):
            raise RequestError(f'"{raw}" does not support images')
        keep = keep_alive_of(body)
        fmt = parse_format(body.get("format"))
        opts = parse_options(registry.params(entry), body.get("options"))
        return raw, entry, opts, keep, fmt

    @api
    async def chat(request: Request) -> Response:
        body = await read_body(request)
        if not body.get("model") and not body.get("name"):
            raise RequestError("model is required")
        raw, entry, opts, keep, fmt = common(body)
        slot = engine.slot_for(entry)
        system = registry.read_text_layer(entry, SYSTEM_MEDIA) or ""
        messages = prompt.chat_messages(body.get("messages"), system)
        if not messages:
            return await load_or_unload(
                slot, raw, keep, opts, {"message": {"role": "assistant", "content": ""}}
            )
        template = engine.meta(entry).chat_template

        def chunk(text: str) -> dict[str, Any]:
            return {
                "model": raw,
                "created_at": now_utc(),
                "message": {"role": "assistant", "content": text},
                "done": False,
            }

        def final(stats: GenStats, total: int, load: int) -> dict[str, Any]:
            return {
                "model": raw,
                "created_at": now_utc(),
                "message": {"role": "assistant", "content": ""},
                "done": True,
                "done_reason": stats.done_reason,
                **metrics(stats, total, load),
            }

        chunks = completion(
            slot, lambda llama: prompt.render(llama, template, messages), opts, fmt, keep, chunk, final
        )
        if wants_stream(body):
            return StreamResponse(chunks)

        def merge(items: list[dict[str, Any]]) -> dict[str, Any]:
            result = dict(items[-1])
            result["message"] = {
                "role": "assistant",
                "content": "".join(i["message"]["content"] for i in items),
            }
            return result

        return StreamResponse(chunks, merge)

    @api
    async def generate(request: Request) -> Response:
        body = await read_body(request)
        raw, entry, opts, keep, fmt = common(body)
        slot = engine.slot_for(entry)
        text = body.get("prompt") or ""
        if not isinstance(text, str):
            raise RequestError("prompt must be a string")
        if body.get("suffix"):
            raise RequestError(f"{raw} does not support insert")
        if not text:
            return await load_or_unload(slot, raw, keep, opts, {"response": ""})
        raw_mode = body.get("raw") is True
        system = body.get("system") or registry.read_text_layer(entry, SYSTEM_MEDIA) or ""
        template = engine.meta(entry).chat_template

        def build(llama: Any) -> str:
            if raw_mode:
                return text
            messages = ([{"role": "system", "content": system}] if system else []) + [
                {"role": "user", "content": text}
            ]
            return prompt.render(llama, template, messages)

        def chunk(piece: str) -> dict[str, Any]:
            return {"model": raw, "created_at": now_utc(), "response": piece, "done": False}

        def final(stats: GenStats, total: int, load: int) -> dict[str, Any]:
            result: dict[str, Any] = {
                "model": raw,
                "created_at": now_utc(),
                "response": "",
                "done": True,
                "done_reason": stats.done_reason,
            }
            if not raw_mode:
                result["context"] = stats.context
            result.update(metrics(stats, total, load))
            return result

        chunks = completion(slot, build, opts, fmt, keep, chunk, final)
        if wants_stream(body):
            return StreamResponse(chunks)

        def merge(items: list[dict[str, Any]]) -> dict[str, Any]:
            result = dict(items[-1])
            result["response"] = "".join(i["response"] for i in items)
            return result

        return StreamResponse(chunks, merge)

    # --- embeddings --------------------------------------------------------------------------

    async def run_embed(
        entry: ModelEntry, raw: str, texts: list[str], keep: float, truncate: bool = True, num_ctx: int = 0
    ) -> tuple[Any, int, int]:
        slot = engine.slot_for(entry)
        slot.pending += 1
        try:
            async with slot.lock:
                load = await runner.ensure_embedder(slot, num_ctx)
                if not texts:
                    return [], 0, int(load * 1e9)
                if not truncate:
                    limit = int(slot.embedder.n_batch)
                    for text in texts:
                        if len(slot.embedder.tokenize(text.encode("utf-8"))) > limit:
                            raise RequestError("the input length exceeds the context length")
                vectors, count = await asyncio.to_thread(slot.embedder.embed, texts, False, True, True)
                return vectors, int(count), int(load * 1e9)
        finally:
            slot.pending -= 1
            runner.keep(slot, keep)

    def embed_entry(body: dict[str, Any]) -> tuple[str, ModelEntry]:
        raw = body.get("model") or body.get("name") or ""
        if not isinstance(raw, str) or not raw:
            raise RequestError("model is required")
        try:
            _, entry = engine.lookup(raw)
        except InvalidName:
            entry = None
        if entry is None:
            raise RequestError(f'model "{raw}" not found, try pulling it first', 404)
        return raw, entry

    @api
    async def embed(request: Request) -> Response:
        started = time.perf_counter()
        body = await read_body(request)
        raw, entry = embed_entry(body)
        value = body.get("input")
        if value is None or value == "":
            texts: list[str] = []
        elif isinstance(value, str):
            texts = [value]
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            texts = list(value)
        else:
            raise RequestError("invalid input type")
        truncate = body.get("truncate") is not False
        opts = parse_options(body.get("options"))
        vectors, count, load = await run_embed(entry, raw, texts, keep_alive_of(body), truncate, opts.num_ctx)
        dims = body.get("dimensions")
        normalised = []
        for vector in vectors:
            if isinstance(dims, int) and 0 < dims < len(vector):
                vector = vector[:dims]
            norm = math.sqrt(sum(x * x for x in vector)) or 1.0
            normalised.append([x / norm for x in vector])
        result: dict[str, Any] = {
            "model": raw,
            "embeddings": normalised,
            "total_duration": int((time.perf_counter() - started) * 1e9),
            "load_duration": load,
        }
        if count:
            result["prompt_eval_count"] = count
        return json_response(result)

    @api
    async def embeddings(request: Request) -> Response:
        body = await read_body(request)
        raw, entry = embed_entry(body)
        text = body.get("prompt") or ""
        if not isinstance(text, str):
            raise RequestError("prompt must be a string")
        opts = parse_options(body.get("options"))
        vectors, _, _ = await run_embed(
            entry, raw, [text] if text else [], keep_alive_of(body), True, opts.num_ctx
        )
        return json_response({"embedding": vectors[0] if vectors else []})

    # --- model management --------------------------------------------------------------------

    @api
    async def pull(request: Request) -> Response:
        body = await read_body(request)
        raw = body.get("model") or body.get("name") or ""
        name = parse_name(raw)
        chunks = pull_chunks(engine, name, insecure=body.get("insecure") is True)
        if wants_stream(body):
            return StreamResponse(chunks)
        return StreamResponse(chunks, lambda items: items[-1])

    @api
    async def create(request: Request) -> Response:
        body = await read_body(request)
        raw = body.get("model") or body.get("name") or ""
        name = parse_name(raw)
        chunks = create_chunks(engine, name, body)
        if wants_stream(body):
            return StreamResponse(chunks)
        return StreamResponse(chunks, lambda items: items[-1])

    @api
    async def copy(request: Request) -> Response:
        body = await read_body(request)
        source_raw, dest_raw = body.get("source") or "", body.get("destination") or ""
        try:
            source = parse_name(source_raw)
        except InvalidName:
            raise RequestError(f'source "{source_raw}" is invalid') from None
        try:
            destination = parse_name(dest_raw)
        except InvalidName:
            raise RequestError(f'destination "{dest_raw}" is invalid') from None
        try:
            await asyncio.to_thread(registry.copy, source, destination)
        except RegistryError:
            raise RequestError(f'model "{source_raw}" not found', 404) from None
        return Response(b"", status_code=200)

    @api
    async def delete(request: Request) -> Response:
        body = await read_body(request)
        raw = body.get("model") or body.get("name") or ""
        try:
            name = parse_name(raw)
        except InvalidName:
            raise RequestError(f'name "{raw}" is invalid') from None
        entry = registry.get(name)
        if entry is None:
            raise RequestError(f"model '{raw}' not found", 404)
        slot = runner.slots.get(entry.name.display.lower())
        if slot is not None and slot.loaded:
            await runner.unload(slot)
        await asyncio.to_thread(registry.delete, name)
        note_deleted(registry, entry.name.display)
        return Response(b"", status_code=200)

    async def blob(request: Request) -> Response:
        digest = request.path_params["digest"]
        try:
            path = registry.blob_path(digest)
        except InvalidDigest:
            return error_response("invalid digest format", 400)
        if request.method == "HEAD":
            return Response(b"", status_code=200 if path.is_file() else 404)
        if path.is_file():
            return Response(b"", status_code=200)
        want = parse_digest(digest)
        hasher = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(dir=registry.blobs, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                async for block in request.stream():
                    handle.write(block)
                    hasher.update(block)
            got = hasher.hexdigest()
            if got != want:
                return error_response(f'digest mismatch, expected "sha256:{want}", got "sha256:{got}"', 400)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return Response(b"", status_code=201)

    async def not_found(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException) and exc.status_code == 405:
            return PlainTextResponse("405 method not allowed", status_code=405)
        return PlainTextResponse("404 page not found", status_code=404)

    routes = [
        Route("/", root, methods=["GET", "HEAD"]),
        Route("/api/version", version, methods=["GET", "HEAD"]),
        Route("/api/tags", tags, methods=["GET", "HEAD"]),
        Route("/api/show", show, methods=["POST"]),
        Route("/api/ps", ps, methods=["GET"]),
        Route("/api/chat", chat, methods=["POST"]),
        Route("/api/generate", generate, methods=["POST"]),
        Route("/api/embed", embed, methods=["POST"]),
        Route("/api/embeddings", embeddings, methods=["POST"]),
        Route("/api/pull", pull, methods=["POST"]),
        Route("/api/create", create, methods=["POST"]),
        Route("/api/copy", copy, methods=["POST"]),
        Route("/api/delete", delete, methods=["DELETE"]),
        Route("/api/blobs/{digest}", blob, methods=["HEAD", "POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})
    return GuardMiddleware(app, check_host=not allow_remote)


def modelfile(
    name: ModelName, path: Path, template: str, system: str, params: dict[str, Any], license_text: str
) -> str:
    lines = [
        '# Modelfile generated by "ollama show"',
        "# To build a new Modelfile based on this, replace FROM with:",
        f"# FROM {name.display}",
        "",
        f"FROM {path}",
    ]
    if template:
        lines.append(f'TEMPLATE """{template}"""')
    if system:
        lines.append(f'SYSTEM """{system}"""')
    for key, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            lines.append(f"PARAMETER {key} {go_value(item)}")
    if license_text:
        lines.append(f'LICENSE """{license_text}"""')
    return "\n".join(lines) + "\n"


# --- pull and create ---------------------------------------------------------------------------


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
            manifest = registry.build_manifest(
                {"digest": item.digest, "size": item.size}, config_for(meta), []
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
    engine: Engine, name: ModelName, body: dict[str, Any]
) -> AsyncIterator[dict[str, Any]]:
    registry = engine.registry
    source = body.get("from")
    files = body.get("files")
    model_layer: dict[str, Any] | None = None
    extra: list[dict[str, Any]] = []
    base: ModelEntry | None = None
    if files:
        if not isinstance(files, dict) or not files:
            raise RequestError("files must be an object of file names and digests")
        ggufs = [(k, v) for k, v in files.items() if str(k).lower().endswith(".gguf")]
        if len(ggufs) != 1:
            raise RequestError("exactly one .gguf file is needed")
        filename, digest = ggufs[0]
        if "/" in filename or "\\" in filename or filename.startswith("."):
            raise RequestError("file path must be relative")
        if not isinstance(digest, str):
            raise RequestError("invalid digest format")
        blob = registry.blob_path(digest)
        if not blob.is_file():
            raise RequestError(f"blob {digest} not found; upload it to /api/blobs first", 400)
        model_layer = {"digest": f"sha256:{parse_digest(digest)}", "size": blob.stat().st_size}
        model_file = blob
    elif isinstance(source, str) and source:
        candidate = Path(source).expanduser()
        if candidate.is_absolute() or source.lower().endswith(".gguf"):
            if not candidate.is_absolute() or not candidate.is_file():
                raise RequestError(f"the file {source} does not exist or is not readable")
            yield {"status": "parsing GGUF"}
            try:
                await asyncio.to_thread(read_gguf, candidate)
            except GGUFError as exc:
                raise RequestError(str(exc)) from exc
            model_layer = await asyncio.to_thread(registry.import_file, candidate)
            model_file = registry.blob_path(model_layer["digest"])
        else:
            try:
                base_name = parse_name(source)
            except InvalidName:
                raise RequestError("invalid model name") from None
            base = registry.get(base_name)
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


# --- DNS-rebinding guard ---------------------------------------------------------------------------


class GuardMiddleware:
    """Refuses foreign Host (when bound to loopback) and foreign Origin headers on every route."""

    def __init__(self, app: ASGIApp, *, check_host: bool) -> None:
        self.app = app
        self.check_host = check_host
        self.pid = str(os.getpid()).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if not request_allowed(list(scope.get("headers", [])), check_host=self.check_host):
            await send({"type": "http.response.start", "status": 403, "headers": [(b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        origin = headers.get("origin")
        if scope["method"] == "OPTIONS" and origin:
            await send({"type": "http.response.start", "status": 204, "headers": self._cors(origin)})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(ENGINE_HEADER.encode(), __version__.encode()), (PID_HEADER.encode(), self.pid)]
                if origin:
                    extra += self._cors(origin)
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _cors(origin: str) -> list[tuple[bytes, bytes]]:
        return [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-allow-methods", b"GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"),
            (
                b"access-control-allow-headers",
                b"Authorization, Content-Type, User-Agent, Accept, X-Requested-With",
            ),
            (b"vary", b"Origin"),
        ]
