"""The engine's HTTP API: Ollama's routes, shapes, status codes and error bodies.

The routes live by family (routes_models, routes_inference, routes_blobs); every one of
them sits behind the DNS-rebinding guard (guard.GuardMiddleware).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp

from desktop.engine import routes_blobs, routes_inference, routes_models, routes_openai
from desktop.engine.guard import ENGINE_HEADER, PID_HEADER, GuardMiddleware
from desktop.engine.routes_models import OLLAMA_COMPAT_VERSION
from desktop.engine.service import Engine
from desktop.engine.transfer import create_chunks, pull_chunks

__all__ = [
    "ENGINE_HEADER",
    "OLLAMA_COMPAT_VERSION",
    "PID_HEADER",
    "Engine",
    "GuardMiddleware",
    "build_app",
    "create_chunks",
    "pull_chunks",
]


async def not_found(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException) and exc.status_code == 405:
        return PlainTextResponse("405 method not allowed", status_code=405)
    return PlainTextResponse("404 page not found", status_code=404)


def build_app(engine: Engine, *, allow_remote: bool = False) -> ASGIApp:
    routes = [
        *routes_models.routes(engine),
        *routes_inference.routes(engine),
        *routes_blobs.routes(engine),
        *routes_openai.routes(engine),
    ]
    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})
    return GuardMiddleware(app, check_host=not allow_remote)
