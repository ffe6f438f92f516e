"""The DNS-rebinding guard: refuses foreign Host (when bound to loopback) and Origin headers."""

from __future__ import annotations

import os

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop import __version__
from desktop.engine.security import request_allowed

ENGINE_HEADER = "x-ollama-desk-engine"
PID_HEADER = "x-ollama-desk-pid"


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
