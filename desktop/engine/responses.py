"""Responses with Ollama's framing: compact JSON, NDJSON streams, and the error rules.

`StreamResponse` pulls the first item of a chunk generator before sending any header: an
error there becomes a real HTTP status with a JSON body; an error after the stream started
becomes one more `{"error"}` line. It also watches for the client going away and closes
the generator at once (which is what stops a generation within one token).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timezone
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from desktop.engine.options import RequestError

JSON_TYPE = "application/json; charset=utf-8"
NDJSON_TYPE = "application/x-ndjson"


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def now_utc() -> str:
    """created_at: RFC 3339 UTC with sub-second digits and Z."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def json_response(obj: Any, status: int = 200) -> Response:
    return Response(dumps(obj), status_code=status, media_type=JSON_TYPE)


def error_response(message: str, status: int) -> Response:
    return json_response({"error": message}, status)


def status_of(exc: BaseException) -> tuple[int, str]:
    if isinstance(exc, RequestError):
        return exc.status, exc.message
    return 500, str(exc) or type(exc).__name__


Merger = Callable[[list[dict[str, Any]]], dict[str, Any]]


class StreamResponse(Response):
    """NDJSON when `merge` is None, else one JSON object merged from every chunk (stream:false)."""

    def __init__(self, chunks: AsyncIterator[dict[str, Any]], merge: Merger | None = None) -> None:
        super().__init__(
            content=None, status_code=200, media_type=NDJSON_TYPE if merge is None else JSON_TYPE
        )
        self.chunks = chunks
        self.merge = merge

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def watch() -> None:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return

        watcher = asyncio.ensure_future(watch())
        worker = asyncio.ensure_future(self._run(send))
        try:
            await asyncio.wait({watcher, worker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (worker, watcher):
                if not task.done():
                    task.cancel()
            for task in (worker, watcher):
                with contextlib.suppress(asyncio.CancelledError, OSError):
                    await task
            with contextlib.suppress(Exception):
                await self.chunks.aclose()  # type: ignore[attr-defined]
        if worker.done() and not worker.cancelled() and worker.exception() is not None:
            raise worker.exception()  # type: ignore[misc]

    async def _start(self, send: Send, status: int, content_type: str) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", content_type.encode())],
            }
        )

    async def _run(self, send: Send) -> None:
        if self.merge is not None:
            await self._run_single(send, self.merge)
            return
        started = False
        try:
            async for chunk in self.chunks:
                if not started:
                    await self._start(send, 200, NDJSON_TYPE)
                    started = True
                await send({"type": "http.response.body", "body": dumps(chunk) + b"\n", "more_body": True})
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - becomes the error body or error line
            status, message = status_of(exc)
            if not started:
                await self._start(send, status, JSON_TYPE)
                await send({"type": "http.response.body", "body": dumps({"error": message})})
                return
            await send(
                {"type": "http.response.body", "body": dumps({"error": message}) + b"\n", "more_body": True}
            )
        if not started:
            await self._start(send, 200, NDJSON_TYPE)
        await send({"type": "http.response.body", "body": b""})

    async def _run_single(self, send: Send, merge: Merger) -> None:
        collected: list[dict[str, Any]] = []
        try:
            async for chunk in self.chunks:
                collected.append(chunk)
            body, status = merge(collected), 200
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001
            code, message = status_of(exc)
            body, status = {"error": message}, code
        await self._start(send, status, JSON_TYPE)
        await send({"type": "http.response.body", "body": dumps(body)})
