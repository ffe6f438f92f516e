"""What every route needs: the store, the loaded models, and Ollama's request conventions."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from desktop.engine.capabilities import PROJECTOR_MEDIA, capabilities
from desktop.engine.gguf import GGUFError, GGUFFile
from desktop.engine.options import DEFAULT_KEEP_ALIVE, RequestError, parse_keep_alive, read_request_json
from desktop.engine.registry import ModelEntry, Registry
from desktop.engine.responses import error_response
from desktop.engine.runner import ModelSlot, Runner
from desktop.engine.security import InvalidDigest, InvalidName, ModelName, parse_name


class Engine:
    """Everything a request handler needs: the store, the loaded models, pull locks."""

    def __init__(self, models_dir: Path, *, runner: Runner | None = None) -> None:
        self.registry = Registry(models_dir)
        self.runner = runner or Runner()
        self.pull_locks: dict[str, asyncio.Lock] = {}

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
        base = [str(c) for c in caps] if isinstance(caps, list) else ["completion"]
        try:
            template = self.meta(entry).chat_template
        except (RequestError, OSError):
            template = ""  # a missing file is reported where it is used, not in a listing
        return capabilities(base, template, projector=entry.layer(PROJECTOR_MEDIA) is not None)

    def slot_for(self, entry: ModelEntry) -> ModelSlot:
        path = self.registry.model_path(entry)
        if path is None:
            raise RequestError(
                f"the model file of {entry.name.display} is missing; pull or create it again", 500
            )
        layer = entry.layer(PROJECTOR_MEDIA)
        projector = self.registry.layer_path(layer) if layer is not None else None
        return self.runner.slot(
            entry.name.display, entry.digest, path, self.details(entry), str(projector or "")
        )


async def read_body(request: Request) -> dict[str, Any]:
    # Size cap, strict JSON (no NaN), bounded nesting: every failure a JSON 400 (options.py).
    return await read_request_json(request)


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
