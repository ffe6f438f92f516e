"""How both model-server clients (Ollama's NDJSON, OpenAI's SSE) open a streamed request and
turn transport and HTTP failures into plain errors: one place, so the two protocols cannot
drift apart in what a user is told when the server is down, stuck or answers an error page."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import httpx

from desktop.core.ollama.errors import OllamaError, ServerError, ServerUnavailable, StreamStalled
from desktop.core.ollama.stream import DeadlineExpired, load_json, run_until


def transport_error(err: httpx.HTTPError, base_url: str, *, running: str) -> OllamaError:
    """`running` is the question put to the user when nothing answers ("is it running?")."""
    if isinstance(err, (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol)):
        return ServerUnavailable(f"Cannot reach the model server at {base_url}; {running}")
    if isinstance(err, httpx.TimeoutException):
        return ServerUnavailable(f"The model server at {base_url} did not answer in time.")
    if isinstance(err, httpx.TransportError):
        return ServerUnavailable(
            f"The model server at {base_url} closed the connection without answering."
        )
    return ServerError(f"The model server at {base_url} sent a reply that could not be read ({err}).")


def error_body(body: bytes) -> tuple[str, Any]:
    """The reply's text and its JSON value (None when it is empty or not JSON)."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        obj = load_json(text) if text else None
    except ValueError:
        obj = None
    return text, obj


def status_message(status: int, text: str) -> str:
    """The sentence for an HTTP error that carried no error message of its own; an HTML
    error page is not shown to the user."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "error"
    detail = f": {text[:200]}" if text and not text.startswith("<") else "."
    return f"The model server answered HTTP {status} ({reason}){detail}"


async def send_whole(
    http: httpx.AsyncClient,
    method: str,
    path: str,
    *,
    json: Any,
    connect: float,
    budget: float,
    base_url: str,
    transport: Callable[[httpx.HTTPError], OllamaError],
) -> httpx.Response:
    """A whole (not streamed) request within ``budget`` seconds, whatever its status."""
    timeout = httpx.Timeout(connect=connect, read=budget, write=budget, pool=connect)
    loop = asyncio.get_running_loop()
    try:
        return await run_until(http.request(method, path, json=json, timeout=timeout), loop.time() + budget)
    except DeadlineExpired:
        raise ServerUnavailable(
            f"The model server at {base_url} did not answer within {budget:g} s."
        ) from None
    except httpx.HTTPError as err:
        raise transport(err) from err


async def open_stream(
    http: httpx.AsyncClient,
    request: httpx.Request,
    *,
    first_deadline: float,
    first_budget: float,
    request_budget: float,
    transport: Callable[[httpx.HTTPError], OllamaError],
    status: Callable[[int, bytes], OllamaError],
) -> httpx.Response:
    """Send a streamed request and return the response once its headers say success.

    The first-token deadline covers the headers too: Ollama sends none while it loads a
    model. An error reply's body is read within the request budget, then the response is
    closed; the caller closes a successful one."""
    try:
        response = await run_until(http.send(request, stream=True), first_deadline, discard=_close)
    except DeadlineExpired:
        raise StreamStalled(
            f"The model server did not start answering within {first_budget:g} s; "
            f"the model may still be loading, or the server is stuck."
        ) from None
    except httpx.HTTPError as err:
        raise transport(err) from err
    if response.status_code < 400:
        return response
    try:
        try:
            body = await run_until(response.aread(), asyncio.get_running_loop().time() + request_budget)
        except (DeadlineExpired, httpx.HTTPError):
            body = b""
        raise status(response.status_code, body)
    finally:
        await response.aclose()


async def _close(response: httpx.Response) -> None:
    await response.aclose()
