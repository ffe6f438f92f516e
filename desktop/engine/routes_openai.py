"""OpenAI-compatible routes: /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/models.

Like Ollama's middleware, each request is rewritten into the native body and handed to the
native handler in the same process (so models, options, tools, thinking and limits behave
exactly as on /api/*), and the native chunks are rewritten into OpenAI objects: one JSON
object, or server-sent events ending in `data: [DONE]`. Errors use OpenAI's error shape.
The DNS-rebinding guard wraps these routes like every other (app.build_app).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from desktop.engine import openai_shapes as shapes
from desktop.engine import routes_inference, routes_models
from desktop.engine.assist import merge_chat, merge_generate
from desktop.engine.options import RequestError, read_request_json
from desktop.engine.responses import StreamResponse, dumps, json_response
from desktop.engine.security import InvalidName
from desktop.engine.service import Engine

Handler = Callable[[Request], Awaitable[Response]]
SSE_TYPE = "text/event-stream"


def error(message: str, status: int) -> Response:
    return json_response(shapes.error_body(message, status), status)


def _inner(request: Request, body: dict[str, Any]) -> Request:
    """The native request: same connection (its disconnect still reaches the handler)."""
    data = json.dumps(body).encode()
    sent = False

    async def receive() -> Any:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": data, "more_body": False}
        return await request.receive()

    headers = [(k, v) for k, v in request.scope["headers"] if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(data)).encode()))
    return Request({**request.scope, "headers": headers}, receive)


async def native_chunks(
    handler: Handler, request: Request, body: dict[str, Any]
) -> AsyncIterator[dict[str, Any]]:
    """The native handler's chunks; an error before the first one is raised as RequestError."""
    response = await handler(_inner(request, body))
    if isinstance(response, StreamResponse):
        # Closing the native chunks ends the generation and frees the slot (runner.lease).
        async with contextlib.aclosing(response.chunks) as chunks:  # type: ignore[type-var]
            async for chunk in chunks:
                if "error" in chunk:
                    raise RequestError(str(chunk["error"]), 500)
                yield chunk
        return
    data = json.loads(bytes(response.body)) if response.body else {}
    if response.status_code != 200:
        raise RequestError(str(data.get("error", "")), response.status_code)
    yield data


class EventStream(Response):
    """Server-sent events from OpenAI chunk objects; the first chunk is pulled before any
    header, so an early error is a real status with OpenAI's error body."""

    def __init__(self, events: AsyncIterator[dict[str, Any] | str]) -> None:
        super().__init__(content=None, status_code=200, media_type=SSE_TYPE)
        self.events = events

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        watcher = asyncio.ensure_future(watch())
        worker = asyncio.ensure_future(self._run(send))
        try:
            await asyncio.wait({watcher, worker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (worker, watcher):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, OSError):
                    await task
            with contextlib.suppress(Exception):
                await self.events.aclose()  # type: ignore[attr-defined]

    async def _run(self, send: Send) -> None:
        started = False
        try:
            async for event in self.events:
                if not started:
                    headers = [(b"content-type", SSE_TYPE.encode()), (b"cache-control", b"no-cache")]
                    await send({"type": "http.response.start", "status": 200, "headers": headers})
                    started = True
                data = event.encode() if isinstance(event, str) else dumps(event)
                await send(
                    {"type": "http.response.body", "body": b"data: " + data + b"\n\n", "more_body": True}
                )
        except RequestError as exc:
            body = dumps(shapes.error_body(exc.message, exc.status))
            if not started:
                headers = [(b"content-type", b"application/json")]
                await send({"type": "http.response.start", "status": exc.status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            await send({"type": "http.response.body", "body": b"data: " + body + b"\n\n", "more_body": True})
        await send({"type": "http.response.body", "body": b""})


def wants_usage(body: dict[str, Any]) -> bool:
    options = body.get("stream_options")
    return isinstance(options, dict) and options.get("include_usage") is True


def routes(engine: Engine) -> list[Route]:
    native = {route.path: route.endpoint for route in routes_inference.routes(engine)}
    listing = {route.path: route.endpoint for route in routes_models.routes(engine)}
    chat_handler, generate_handler, embed_handler = (
        native["/api/chat"],
        native["/api/generate"],
        native["/api/embed"],
    )

    def openai(handler: Handler) -> Handler:
        async def wrapped(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestError as exc:
                return error(exc.message, exc.status)
            except InvalidName:
                return error("invalid model name", 400)

        return wrapped

    async def chat_stream(
        request: Request, body: dict[str, Any], model: str
    ) -> AsyncIterator[dict[str, Any] | str]:
        ident = shapes.new_id("chatcmpl")
        called = False
        stream = native_chunks(chat_handler, request, shapes.chat_request(body))
        async with contextlib.aclosing(stream) as chunks:  # type: ignore[type-var]
            async for chunk in chunks:
                head = shapes.envelope("chat.completion.chunk", ident, model)
                if not chunk.get("done"):
                    message = chunk.get("message", {})
                    called = called or bool(message.get("tool_calls"))
                    delta = shapes.chat_delta(message)
                    yield {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
                    continue
                delta = {"role": "assistant", "content": ""}
                finish = shapes.finish_reason(chunk, called)
                yield {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                if wants_usage(body):
                    yield {**head, "choices": [], "usage": shapes.usage(chunk)}
        yield "[DONE]"

    @openai
    async def chat_completions(request: Request) -> Response:
        body = await read_request_json(request)
        model = str(body.get("model") or "")
        if body.get("stream") is True:
            return EventStream(chat_stream(request, body, model))
        chunks = [c async for c in native_chunks(chat_handler, request, shapes.chat_request(body))]
        final = merge_chat(chunks)
        message = final.get("message", {})
        return json_response(
            {
                **shapes.envelope("chat.completion", shapes.new_id("chatcmpl"), model),
                "choices": [
                    {
                        "index": 0,
                        "message": shapes.chat_message(message),
                        "finish_reason": shapes.finish_reason(final, bool(message.get("tool_calls"))),
                    }
                ],
                "usage": shapes.usage(final),
            }
        )

    async def text_stream(
        request: Request, body: dict[str, Any], model: str
    ) -> AsyncIterator[dict[str, Any] | str]:
        ident = shapes.new_id("cmpl")
        stream = native_chunks(generate_handler, request, shapes.completion_request(body))
        async with contextlib.aclosing(stream) as chunks:  # type: ignore[type-var]
            async for chunk in chunks:
                head = shapes.envelope("text_completion", ident, model)
                finish = shapes.finish_reason(chunk, False) if chunk.get("done") else None
                choice = {"text": chunk.get("response", ""), "index": 0, "finish_reason": finish}
                yield {**head, "choices": [choice]}
                if finish and wants_usage(body):
                    yield {**head, "choices": [], "usage": shapes.usage(chunk)}
        yield "[DONE]"

    @openai
    async def completions(request: Request) -> Response:
        body = await read_request_json(request)
        model = str(body.get("model") or "")
        if body.get("stream") is True:
            return EventStream(text_stream(request, body, model))
        chunks = [c async for c in native_chunks(generate_handler, request, shapes.completion_request(body))]
        final = merge_generate(chunks)
        return json_response(
            {
                **shapes.envelope("text_completion", shapes.new_id("cmpl"), model),
                "choices": [
                    {
                        "text": final.get("response", ""),
                        "index": 0,
                        "finish_reason": shapes.finish_reason(final, False),
                    }
                ],
                "usage": shapes.usage(final),
            }
        )

    @openai
    async def embeddings(request: Request) -> Response:
        body = await read_request_json(request)
        model = str(body.get("model") or "")
        [native_reply] = [c async for c in native_chunks(embed_handler, request, shapes.embed_request(body))]
        return json_response(shapes.embeddings(native_reply, model, body.get("encoding_format")))

    async def model_list(request: Request) -> list[dict[str, Any]]:
        response = await listing["/api/tags"](request)
        models = json.loads(bytes(response.body)).get("models", [])
        out = []
        for item in models:
            name = str(item.get("model") or item.get("name"))
            try:
                created = int(datetime.fromisoformat(str(item.get("modified_at"))).timestamp())
            except ValueError:
                created = 0
            owner = name.split("/")[-2] if name.count("/") >= 1 else "library"
            out.append({"id": name, "object": "model", "created": created, "owned_by": owner})
        return out

    @openai
    async def list_models(request: Request) -> Response:
        return json_response({"object": "list", "data": await model_list(request)})

    @openai
    async def one_model(request: Request) -> Response:
        wanted = request.path_params["model"]
        for item in await model_list(request):
            if item["id"] == wanted or item["id"] == f"{wanted}:latest":
                return json_response(item)
        return error(f"model '{wanted}' not found", 404)

    return [
        Route("/v1/chat/completions", chat_completions, methods=["POST"]),
        Route("/v1/completions", completions, methods=["POST"]),
        Route("/v1/embeddings", embeddings, methods=["POST"]),
        Route("/v1/models", list_models, methods=["GET"]),
        Route("/v1/models/{model:path}", one_model, methods=["GET"]),
    ]
