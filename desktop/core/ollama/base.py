"""The machinery under every Ollama API call: one httpx client, budgets, errors.

One long-lived httpx.AsyncClient per OllamaClient (connection reuse matters for a chat
UI that polls /api/ps). Every request has a finite budget; streams additionally have a
per-line watchdog (see stream.py) and close their HTTP response when the consumer stops
iterating, is cancelled, or the stream fails, so the server stops generating at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import httpx

from desktop.core.ollama.errors import (
    ModelNotFound,
    OllamaError,
    ServerError,
    ServerUnavailable,
    StreamInterrupted,
    StreamStalled,
    UnsupportedEndpoint,
)
from desktop.core.ollama.host import default_host, is_loopback, parse_host
from desktop.core.ollama.replies import (
    error_body,
    open_stream,
    send_whole,
    status_message,
    transport_error,
)
from desktop.core.ollama.stream import load_json, watched_lines

T = TypeVar("T")

_USER_AGENT = "ollama-desk/0.1"


@dataclass(frozen=True)
class Timeouts:
    """Budgets in seconds. None of them is ever infinite."""

    connect: float = 5.0  # TCP connect
    request: float = 30.0  # whole non-streaming request (tags, show, ps, delete, ...)
    first_token: float = 300.0  # stream: budget until the first line (a model load can be slow)
    idle: float = 60.0  # stream: longest silence between two lines once started
    # pulls/creates: max(idle, first_token) between lines (see _long_idle).


class _ByteSource:
    """The body of a streaming response, with httpx's errors turned into domain errors."""

    def __init__(self, response: httpx.Response) -> None:
        self._chunks = cast(AsyncGenerator[bytes, None], response.aiter_bytes())

    def __aiter__(self) -> _ByteSource:
        return self

    async def __anext__(self) -> bytes:
        try:
            chunk: bytes = await self._chunks.__anext__()
        except httpx.TimeoutException as err:
            raise StreamStalled("The model server stopped sending in the middle of the reply.") from err
        except httpx.TransportError as err:
            raise StreamInterrupted(
                "The connection to the model server was lost in the middle of the reply."
            ) from err
        except httpx.HTTPError as err:
            raise ServerError(f"The model server sent a reply that could not be read ({err}).") from err
        return chunk

    async def aclose(self) -> None:
        await self._chunks.aclose()


class ClientBase:
    """The connection and the request/stream machinery the API families share."""

    def __init__(
        self,
        host: str | None = None,
        *,
        timeouts: Timeouts | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url: str = default_host() if host is None else parse_host(host)
        self.timeouts = timeouts or Timeouts()
        t = self.timeouts
        self._plain_timeout = httpx.Timeout(
            connect=t.connect, read=t.request, write=t.request, pool=t.connect
        )
        # A backstop only: the watchdog in stream.py fires first.
        self._stream_timeout = httpx.Timeout(
            connect=t.connect, read=2 * max(t.first_token, t.idle), write=t.request, pool=t.connect
        )
        # An address httpx cannot use is reported by every request, never by the
        # constructor: the app builds its client at start-up from a saved setting.
        self._bad_address: str | None = None
        headers = {"User-Agent": _USER_AGENT, "Accept": "application/json"}
        try:
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=self._plain_timeout,
                transport=transport,
                headers=headers,
                # A proxy from the environment must never see local traffic (privacy).
                trust_env=not is_loopback(self.base_url),
            )
        except (httpx.InvalidURL, ValueError) as err:
            self._bad_address = f"The model server address {self.base_url} is not valid ({err})."
            self._http = httpx.AsyncClient(timeout=self._plain_timeout, transport=transport, trust_env=False)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        budget: float | None = None,
        accept: set[int] | frozenset[int] = frozenset(),
    ) -> httpx.Response:
        """A whole request within ``budget`` seconds (default: timeouts.request)."""
        self._check_address()
        budget = self.timeouts.request if budget is None else budget
        response = await send_whole(
            self._http,
            method,
            path,
            json=json,
            connect=self.timeouts.connect,
            budget=budget,
            base_url=self.base_url,
            transport=self._transport_error,
        )
        if response.status_code >= 400 and response.status_code not in accept:
            raise self._status_error(response.status_code, response.content, path)
        return response

    async def _json(
        self, method: str, path: str, *, json: Any = None, budget: float | None = None
    ) -> dict[str, Any]:
        response = await self._request(method, path, json=json, budget=budget)
        try:
            obj = load_json(response.content)  # nesting-safe (stream.load_json)
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            raise ServerError(f"The model server sent a reply to {path} that could not be read.")
        return obj

    @property
    def _long_idle(self) -> float:
        # Pulls and creates fall silent for minutes while the server hashes a finished
        # multi-gigabyte blob or converts a model; the pull tracker watches the download
        # itself. The first-token budget is the long-operation budget.
        return max(self.timeouts.idle, self.timeouts.first_token)

    async def _stream(
        self,
        path: str,
        payload: dict[str, Any],
        convert: Callable[[dict[str, Any]], T],
        *,
        idle: float | None = None,
    ) -> AsyncGenerator[T, None]:
        self._check_address()
        t = self.timeouts
        loop = asyncio.get_running_loop()
        # The first-token budget runs from the request, not from the headers: Ollama sends
        # no headers at all while it loads the model.
        first_deadline = loop.time() + t.first_token
        request = self._http.build_request("POST", path, json=payload, timeout=self._stream_timeout)
        response = await open_stream(
            self._http,
            request,
            first_deadline=first_deadline,
            first_budget=t.first_token,
            request_budget=t.request,
            transport=self._transport_error,
            status=lambda code, body: self._status_error(code, body, path),
        )
        try:
            lines = watched_lines(
                _ByteSource(response),
                first_deadline=first_deadline,
                first_budget=t.first_token,
                idle=t.idle if idle is None else idle,
            )
            async with contextlib.aclosing(lines):
                async for obj in lines:
                    yield convert(obj)
        finally:
            await response.aclose()

    def _check_address(self) -> None:
        if self._bad_address is not None:
            raise ServerUnavailable(self._bad_address)

    def _transport_error(self, err: httpx.HTTPError) -> OllamaError:
        return transport_error(err, self.base_url, running="is Ollama running?")

    def _status_error(self, status: int, body: bytes, path: str) -> OllamaError:
        text, obj = error_body(body)
        message: str | None = None
        if isinstance(obj, dict) and obj.get("error"):
            message = str(obj["error"])[:2000]
        if status == 404:
            if message is not None:
                if "not found" in message.lower():
                    return ModelNotFound(message, status=status)
                return ServerError(message, status=status)
            # gin's text/plain "404 page not found": the route itself does not exist.
            return UnsupportedEndpoint(
                f"The model server at {self.base_url} does not support {path}; "
                f"it may be an older version of Ollama.",
                status=status,
            )
        if message is None:
            message = status_message(status, text)
        return ServerError(message, status=status)

