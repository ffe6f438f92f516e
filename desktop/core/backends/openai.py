"""The OpenAI-compatible backend: `/v1` over httpx, SSE streams under the same watchdog as
Ollama's NDJSON (first-token budget from the request, idle budget per event)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import httpx

from desktop.core.backends.base import BackendKind, KeyRejected
from desktop.core.backends.openai_wire import (
    ChunkReader,
    as_dict,
    put_request_fields,
    to_model_info,
    to_wire_messages,
)
from desktop.core.backends.sse import error_text, watched_events
from desktop.core.ollama.base import Timeouts
from desktop.core.ollama.errors import (
    ModelNotFound,
    OllamaError,
    ServerError,
    ServerUnavailable,
    StreamInterrupted,
    StreamStalled,
    UnsupportedEndpoint,
)
from desktop.core.ollama.host import is_loopback
from desktop.core.ollama.replies import (
    error_body,
    open_stream,
    send_whole,
    status_message,
    transport_error,
)
from desktop.core.ollama.stream import load_json
from desktop.core.ollama.types import ChatChunk, ChatMessage, ModelInfo
from desktop.core.ollama.wire import floats

_USER_AGENT = "ollama-desk/0.1"


def openai_base_url(url: str) -> str:
    """ "host:8000", "http://host:8000" -> "http://host:8000/v1"; a URL with a path keeps it
    (gateways serve `/v1` elsewhere, e.g. `/api/v1`)."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    path = parts.path.rstrip("/")
    if not path:
        path = "/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class _Bytes:
    def __init__(self, response: httpx.Response) -> None:
        self._chunks = cast(AsyncGenerator[bytes, None], response.aiter_bytes())

    def __aiter__(self) -> _Bytes:
        return self

    async def __anext__(self) -> bytes:
        try:
            return await self._chunks.__anext__()
        except httpx.TimeoutException as err:
            raise StreamStalled("The model server stopped sending in the middle of the reply.") from err
        except httpx.TransportError as err:
            raise StreamInterrupted(
                "The connection to the model server was lost in the middle of the reply."
            ) from err
        except httpx.HTTPError as err:
            raise ServerError(f"The model server sent a reply that could not be read ({err}).") from err

    async def aclose(self) -> None:
        await self._chunks.aclose()


class OpenAIBackend:
    kind = BackendKind.OPENAI

    def __init__(
        self,
        url: str,
        *,
        api_key: str = "",
        headers: Mapping[str, str] | None = None,
        timeouts: Timeouts | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = openai_base_url(url)
        self.timeouts = timeouts or Timeouts()
        t = self.timeouts
        self._plain = httpx.Timeout(connect=t.connect, read=t.request, write=t.request, pool=t.connect)
        self._streaming = httpx.Timeout(
            connect=t.connect, read=2 * max(t.first_token, t.idle), write=t.request, pool=t.connect
        )
        all_headers = {"User-Agent": _USER_AGENT, "Accept": "application/json"}
        all_headers.update(headers or {})
        if api_key:
            all_headers["Authorization"] = f"Bearer {api_key}"
        self._bad_address = ""
        try:
            self._http = httpx.AsyncClient(
                base_url=self.base_url + "/",
                timeout=self._plain,
                transport=transport,
                headers=all_headers,
                trust_env=not is_loopback(self.base_url),
            )
        except (httpx.InvalidURL, ValueError) as err:
            self._bad_address = f"The model server address {self.base_url} is not valid ({err})."
            self._http = httpx.AsyncClient(timeout=self._plain, transport=transport, trust_env=False)

    @property
    def manages_models(self) -> bool:
        return False

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> OpenAIBackend:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- plain requests ---------------------------------------------------------------

    async def _json(self, method: str, path: str, *, json: Any = None, budget: float | None = None) -> Any:
        if self._bad_address:
            raise ServerUnavailable(self._bad_address)
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
        if response.status_code >= 400:
            raise self._status_error(response.status_code, response.content, path)
        try:
            return load_json(response.content)
        except ValueError:
            raise ServerError(f"The model server sent a reply to {path} that could not be read.") from None

    async def _optional_json(self, path: str) -> dict[str, Any]:
        """A server-specific extra (llama-server's /props): {} when absent or unreadable."""
        try:
            obj = await self._json("GET", path, budget=min(5.0, self.timeouts.request))
        except OllamaError:
            return {}
        return obj if isinstance(obj, dict) else {}

    async def list_models(self) -> list[ModelInfo]:
        obj = await self._json("GET", "models")
        entries = obj.get("data") if isinstance(obj, dict) else None
        if not isinstance(entries, list):
            raise ServerError(
                f"The model server at {self.base_url} sent a model list that could not be read."
            )
        props = await self._optional_json(self.base_url.rsplit("/", 1)[0] + "/props") if entries else {}
        caps = as_dict(props.get("chat_template_caps"))
        modalities = as_dict(props.get("modalities"))
        tools = caps.get("supports_tools") is True or caps.get("supports_tool_calls") is True
        vision = modalities.get("vision") is True
        out = []
        for entry in entries[:2000]:
            if isinstance(entry, dict):
                info = to_model_info(entry, tools=tools, vision=vision)
                if info is not None:
                    out.append(info)
        return out

    async def is_alive(self) -> bool:
        try:
            await self._json("GET", "models", budget=min(5.0, self.timeouts.request))
        except KeyRejected:
            return True  # it answers; the key is the problem, said elsewhere
        except (OllamaError, Exception):
            return False
        return True

    async def embed(self, model: str, inputs: str | Sequence[str]) -> list[list[float]]:
        payload = {"model": model, "input": inputs if isinstance(inputs, str) else list(inputs)}
        obj = await self._json("POST", "embeddings", json=payload, budget=self.timeouts.first_token)
        data = obj.get("data") if isinstance(obj, dict) else None
        if not isinstance(data, list):
            raise ServerError("The model server's embedding reply had no embeddings.")
        try:
            ordered = sorted(
                (item for item in data if isinstance(item, dict)),
                key=_index,
            )
            return [floats(item.get("embedding")) for item in ordered]
        except (ValueError, TypeError) as err:
            raise ServerError(f"The model server's embedding reply could not be read ({err}).") from err

    # -- streams ------------------------------------------------------------------------

    async def chat(
        self,
        model: str,
        messages: Sequence[ChatMessage],
        *,
        options: Mapping[str, Any] | None = None,
        keep_alive: str | float | None = None,  # no `/v1` equivalent: the server decides
        format: str | dict[str, Any] | None = None,
        think: bool | str | None = None,
        tools: Sequence[Mapping[str, Any]] | None = None,
    ) -> AsyncGenerator[ChatChunk, None]:
        payload: dict[str, Any] = {
            "model": model,
            "messages": to_wire_messages(messages),
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        put_request_fields(payload, options=options, format=format, think=think)
        if tools:
            payload["tools"] = [dict(tool) for tool in tools]
        reader = ChunkReader()
        async with contextlib.aclosing(
            self._events("chat/completions", payload, lambda: reader.finished)
        ) as events:
            async for obj in events:
                chunk = reader.read(obj)
                if chunk is not None:
                    yield chunk
        yield reader.final()

    async def _events(
        self, path: str, payload: dict[str, Any], finished: Any
    ) -> AsyncGenerator[dict[str, Any], None]:
        if self._bad_address:
            raise ServerUnavailable(self._bad_address)
        t = self.timeouts
        loop = asyncio.get_running_loop()
        first_deadline = loop.time() + t.first_token
        request = self._http.build_request("POST", path, json=payload, timeout=self._streaming)
        request.headers["Accept"] = "text/event-stream"
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
            events = watched_events(
                _Bytes(response),
                first_deadline=first_deadline,
                first_budget=t.first_token,
                idle=t.idle,
                finished=finished,
            )
            async with contextlib.aclosing(events):
                async for obj in events:
                    yield obj
        finally:
            await response.aclose()

    # -- errors -------------------------------------------------------------------------

    def _transport_error(self, err: httpx.HTTPError) -> OllamaError:
        return transport_error(err, self.base_url, running="is it running?")

    def _status_error(self, status: int, body: bytes, path: str) -> OllamaError:
        text, obj = error_body(body)
        detail = error_text(obj) if isinstance(obj, dict) and obj.get("error") else ""
        if status in (401, 403):
            reason = f" ({detail})" if detail else ""
            return KeyRejected(
                f"The server at {self.base_url} rejected the API key{reason}. "
                f"Check the key in Settings > Servers.",
                status=status,
            )
        if status == 404:
            if detail and "model" in detail.lower():
                return ModelNotFound(detail, status=status)
            return UnsupportedEndpoint(
                f"The model server at {self.base_url} has no /{path}; is it an OpenAI-compatible server?",
                status=status,
            )
        if detail:
            return ServerError(detail, status=status)
        return ServerError(status_message(status, text), status=status)

def _index(item: dict[str, Any]) -> int:
    value = item.get("index")
    return value if isinstance(value, int) else 0

