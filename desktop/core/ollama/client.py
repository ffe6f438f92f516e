"""The one client of the Ollama REST API: typed results, domain errors, explicit timeouts.

One long-lived httpx.AsyncClient per OllamaClient (connection reuse matters for a chat
UI that polls /api/ps). Every request has a finite budget; streams additionally have a
per-line watchdog (see stream.py) and close their HTTP response when the consumer stops
iterating, is cancelled, or the stream fails, so the server stops generating at once.

To close a stream deterministically, iterate it inside ``contextlib.aclosing(...)``;
a stream merely dropped after ``break`` is closed by the event loop a moment later.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
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
from desktop.core.ollama.stream import DeadlineExpired, run_until, watched_lines
from desktop.core.ollama.types import (
    ChatChunk,
    ChatMessage,
    Metrics,
    ModelDetails,
    ModelInfo,
    PullProgress,
    RunningModel,
    ShowInfo,
)

__all__ = ["OllamaClient", "Timeouts", "default_host", "parse_host"]

T = TypeVar("T")

_BLOB_CHUNK = 1 << 20
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


class OllamaClient:
    """Async client of one Ollama(-compatible) server. Create once; ``await aclose()`` at the end."""

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

    async def __aenter__(self) -> OllamaClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ plain requests

    async def version(self) -> str:
        obj = await self._json("GET", "/api/version")
        return str(obj.get("version", ""))

    async def is_alive(self) -> bool:
        """True if an Ollama(-compatible) server answers /api/version. Never raises."""
        try:
            await self._json("GET", "/api/version", budget=min(self.timeouts.request, 5.0))
        except Exception:
            return False
        return True

    async def tags(self) -> list[ModelInfo]:
        obj = await self._json("GET", "/api/tags")
        return [_model_info(m) for m in _list_of_dicts(obj.get("models"))]

    async def show(self, model: str) -> ShowInfo:
        obj = await self._json("POST", "/api/show", json={"model": model})
        license_ = obj.get("license") or ""
        if isinstance(license_, list):
            license_ = "\n".join(str(part) for part in license_)
        model_info = obj.get("model_info")
        return ShowInfo(
            modelfile=str(obj.get("modelfile") or ""),
            parameters=str(obj.get("parameters") or ""),
            template=str(obj.get("template") or ""),
            system=str(obj.get("system") or ""),
            license=str(license_),
            details=ModelDetails.from_wire(_dict_or_none(obj.get("details"))),
            model_info=dict(model_info) if isinstance(model_info, dict) else {},
            capabilities=tuple(str(c) for c in obj.get("capabilities") or ()),
            modified_at=str(obj.get("modified_at") or ""),
        )

    async def ps(self) -> list[RunningModel]:
        obj = await self._json("GET", "/api/ps")
        return [_running_model(m) for m in _list_of_dicts(obj.get("models"))]

    async def embed(self, model: str, inputs: str | Sequence[str]) -> list[list[float]]:
        payload = {"model": model, "input": inputs if isinstance(inputs, str) else list(inputs)}
        # The embedding model may have to load first: that is the first-token budget.
        obj = await self._json("POST", "/api/embed", json=payload, budget=self.timeouts.first_token)
        vectors = obj.get("embeddings")
        if not isinstance(vectors, list):
            raise ServerError("The model server's embedding reply had no embeddings.")
        return [[float(x) for x in vector] for vector in vectors]

    async def delete(self, model: str) -> None:
        await self._request("DELETE", "/api/delete", json={"model": model})

    async def copy(self, source: str, destination: str) -> None:
        await self._request("POST", "/api/copy", json={"source": source, "destination": destination})

    async def load(self, model: str, keep_alive: str | float | None = None) -> None:
        """Load ``model`` into memory now (generate with no prompt), so the first reply is quick."""
        payload: dict[str, Any] = {"model": model, "stream": False}
        if keep_alive is not None:
            payload["keep_alive"] = keep_alive
        await self._request("POST", "/api/generate", json=payload, budget=self.timeouts.first_token)

    async def unload(self, model: str) -> None:
        """Free the model's memory now: generate with an empty prompt and keep_alive 0."""
        payload = {"model": model, "prompt": "", "keep_alive": 0, "stream": False}
        await self._request("POST", "/api/generate", json=payload)

    async def push_blob(self, path: Path) -> str:
        """Upload a file to the server's blob store (for create); returns ``sha256:<hex>``."""
        try:
            hexdigest = await asyncio.to_thread(_sha256_file, path)
            size = path.stat().st_size
        except OSError as err:
            raise OllamaError(f"Cannot read {path}: {err.strerror or err}.") from err
        digest = f"sha256:{hexdigest}"
        url = f"/api/blobs/{digest}"
        head = await self._request("HEAD", url, accept={404})
        if head.status_code == 200:
            return digest
        # Uploads of multi-gigabyte GGUF files: per-operation timeouts, no total budget.
        timeout = httpx.Timeout(
            connect=self.timeouts.connect,
            read=self.timeouts.first_token,
            write=self.timeouts.request,
            pool=self.timeouts.connect,
        )
        try:
            response = await self._http.post(
                url,
                content=_file_chunks(path),
                headers={"Content-Length": str(size), "Content-Type": "application/octet-stream"},
                timeout=timeout,
            )
        except httpx.HTTPError as err:
            raise self._transport_error(err) from err
        if response.status_code >= 400:
            raise self._status_error(response.status_code, response.content, url)
        return digest

    # ------------------------------------------------------------------ streams

    async def chat(
        self,
        model: str,
        messages: Sequence[ChatMessage],
        *,
        options: Mapping[str, Any] | None = None,
        keep_alive: str | float | None = None,
        format: str | dict[str, Any] | None = None,
        think: bool | str | None = None,
    ) -> AsyncGenerator[ChatChunk, None]:
        payload: dict[str, Any] = {
            "model": model,
            "messages": [m.to_wire() for m in messages],
            "stream": True,
        }
        _put_optional(payload, options=options, keep_alive=keep_alive, format=format, think=think)
        async with contextlib.aclosing(self._stream("/api/chat", payload, _chat_chunk)) as chunks:
            async for chunk in chunks:
                yield chunk

    async def generate(
        self,
        model: str,
        prompt: str,
        *,
        system: str | None = None,
        options: Mapping[str, Any] | None = None,
        keep_alive: str | float | None = None,
        format: str | dict[str, Any] | None = None,
        think: bool | str | None = None,
    ) -> AsyncGenerator[ChatChunk, None]:
        payload: dict[str, Any] = {"model": model, "prompt": prompt, "stream": True}
        if system is not None:
            payload["system"] = system
        _put_optional(payload, options=options, keep_alive=keep_alive, format=format, think=think)
        async with contextlib.aclosing(self._stream("/api/generate", payload, _generate_chunk)) as chunks:
            async for chunk in chunks:
                yield chunk

    async def pull(self, model: str, *, insecure: bool = False) -> AsyncGenerator[PullProgress, None]:
        payload = {"model": model, "insecure": insecure, "stream": True}
        stream = self._stream("/api/pull", payload, _progress, idle=self._long_idle)
        async with contextlib.aclosing(stream) as items:
            async for item in items:
                yield item

    async def create(
        self,
        model: str,
        *,
        from_: str | None = None,
        files: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> AsyncGenerator[PullProgress, None]:
        payload: dict[str, Any] = {"model": model, "stream": True, **extra}
        if from_ is not None:
            payload["from"] = from_
        if files is not None:
            payload["files"] = dict(files)
        stream = self._stream("/api/create", payload, _progress, idle=self._long_idle)
        async with contextlib.aclosing(stream) as items:
            async for item in items:
                yield item

    # ------------------------------------------------------------------ machinery

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
        timeout = httpx.Timeout(
            connect=self.timeouts.connect, read=budget, write=budget, pool=self.timeouts.connect
        )
        loop = asyncio.get_running_loop()
        try:
            response = await run_until(
                self._http.request(method, path, json=json, timeout=timeout), loop.time() + budget
            )
        except DeadlineExpired:
            raise ServerUnavailable(
                f"The model server at {self.base_url} did not answer within {budget:g} s."
            ) from None
        except httpx.HTTPError as err:
            raise self._transport_error(err) from err
        if response.status_code >= 400 and response.status_code not in accept:
            raise self._status_error(response.status_code, response.content, path)
        return response

    async def _json(
        self, method: str, path: str, *, json: Any = None, budget: float | None = None
    ) -> dict[str, Any]:
        response = await self._request(method, path, json=json, budget=budget)
        try:
            obj = response.json()
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
        try:
            response = await run_until(
                self._http.send(request, stream=True), first_deadline, discard=_close_response
            )
        except DeadlineExpired:
            raise StreamStalled(
                f"The model server did not start answering within {t.first_token:g} s; "
                f"the model may still be loading, or the server is stuck."
            ) from None
        except httpx.HTTPError as err:
            raise self._transport_error(err) from err
        try:
            if response.status_code >= 400:
                try:
                    body = await run_until(response.aread(), loop.time() + t.request)
                except (DeadlineExpired, httpx.HTTPError):
                    body = b""
                raise self._status_error(response.status_code, body, path)
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
        if isinstance(err, (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol)):
            return ServerUnavailable(f"Cannot reach the model server at {self.base_url}; is Ollama running?")
        if isinstance(err, httpx.TimeoutException):
            return ServerUnavailable(f"The model server at {self.base_url} did not answer in time.")
        if isinstance(err, httpx.TransportError):
            return ServerUnavailable(
                f"The model server at {self.base_url} closed the connection without answering."
            )
        return ServerError(
            f"The model server at {self.base_url} sent a reply that could not be read ({err})."
        )

    def _status_error(self, status: int, body: bytes, path: str) -> OllamaError:
        text = body.decode("utf-8", errors="replace").strip()
        message: str | None = None
        try:
            obj = json.loads(text) if text else None
        except ValueError:
            obj = None
        if isinstance(obj, dict) and obj.get("error"):
            message = str(obj["error"])
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
            try:
                reason = HTTPStatus(status).phrase
            except ValueError:
                reason = "error"
            detail = f": {text[:200]}" if text and "<" not in text[:1] else "."
            message = f"The model server answered HTTP {status} ({reason}){detail}"
        return ServerError(message, status=status)


# ---------------------------------------------------------------------- wire -> types


def _put_optional(
    payload: dict[str, Any],
    *,
    options: Mapping[str, Any] | None,
    keep_alive: str | float | None,
    format: str | dict[str, Any] | None,
    think: bool | str | None,
) -> None:
    if options:
        payload["options"] = dict(options)
    if keep_alive is not None:
        payload["keep_alive"] = keep_alive
    if format is not None:
        payload["format"] = format
    if think is not None:
        payload["think"] = think


def _dict_or_none(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _list_of_dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _int(value: Any) -> int:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def _model_info(obj: dict[str, Any]) -> ModelInfo:
    return ModelInfo(
        name=str(obj.get("name") or obj.get("model") or ""),
        size=_int(obj.get("size")),
        digest=str(obj.get("digest") or ""),
        modified_at=str(obj.get("modified_at") or ""),
        details=ModelDetails.from_wire(_dict_or_none(obj.get("details"))),
        capabilities=tuple(str(c) for c in obj.get("capabilities") or ()),
    )


def _running_model(obj: dict[str, Any]) -> RunningModel:
    return RunningModel(
        name=str(obj.get("name") or obj.get("model") or ""),
        size=_int(obj.get("size")),
        size_vram=_int(obj.get("size_vram")),
        digest=str(obj.get("digest") or ""),
        expires_at=str(obj.get("expires_at") or ""),
        context_length=_int(obj.get("context_length")),
        details=ModelDetails.from_wire(_dict_or_none(obj.get("details"))),
    )


def _final_metrics(obj: dict[str, Any]) -> Metrics | None:
    return Metrics.from_wire(obj) if obj.get("done") else None


def _chat_chunk(obj: dict[str, Any]) -> ChatChunk:
    message = _dict_or_none(obj.get("message")) or {}
    return ChatChunk(
        content=str(message.get("content") or ""),
        thinking=str(message.get("thinking") or ""),
        done=bool(obj.get("done")),
        done_reason=str(obj.get("done_reason") or ""),
        metrics=_final_metrics(obj),
        model=str(obj.get("model") or ""),
    )


def _generate_chunk(obj: dict[str, Any]) -> ChatChunk:
    return ChatChunk(
        content=str(obj.get("response") or ""),
        thinking=str(obj.get("thinking") or ""),
        done=bool(obj.get("done")),
        done_reason=str(obj.get("done_reason") or ""),
        metrics=_final_metrics(obj),
        model=str(obj.get("model") or ""),
    )


def _progress(obj: dict[str, Any]) -> PullProgress:
    return PullProgress(
        status=str(obj.get("status") or ""),
        digest=str(obj.get("digest") or ""),
        total=_int(obj.get("total")),
        completed=_int(obj.get("completed")),
    )


async def _close_response(response: httpx.Response) -> None:
    await response.aclose()


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_BLOB_CHUNK):
            digest.update(block)
    return digest.hexdigest()


async def _file_chunks(path: Path) -> AsyncGenerator[bytes, None]:
    # Read in a worker thread: a slow disk must not stall the event loop (and the UI).
    with path.open("rb") as f:
        while block := await asyncio.to_thread(f.read, _BLOB_CHUNK):
            yield block
