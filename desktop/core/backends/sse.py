"""Server-sent events (the `/v1` streams of vLLM, TGI, llama-server, LM Studio) with the
same watchdog as the NDJSON reader (desktop.core.ollama.stream).

Lines are split on the newline byte before decoding (0x0A never occurs inside a UTF-8
sequence), and a trailing CR is dropped, so the events do not depend on how the bytes
were cut. An event is complete at its blank line; the watchdog budget is per *event*: a
server that drips bytes or sends only `: ping` comments makes no progress.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from desktop.core.ollama.errors import ServerError, StreamInterrupted
from desktop.core.ollama.stream import (
    DeadlineExpired,
    close_chunks,
    load_json,
    next_chunk,
    run_until,
    stalled,
)

MAX_EVENT_BYTES = 16 * 1024 * 1024  # one delta is a few hundred bytes; a 16 MiB event is hostile
DONE = "[DONE]"


@dataclass(frozen=True)
class SSEEvent:
    event: str  # "" = the default "message"
    data: str


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


class SSEDecoder:
    """Feed it bytes as they come; it hands back every complete event."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._event = ""
        self._data: list[str] = []
        self._size = 0

    def feed(self, data: bytes) -> Iterator[SSEEvent]:
        self._buffer += data
        end = self._buffer.rfind(b"\n")
        if end < 0:
            self._check_size(len(self._buffer))
            return iter(())
        complete = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        return self._lines(complete.split(b"\n"))

    def _check_size(self, extra: int) -> None:
        if self._size + extra > MAX_EVENT_BYTES:
            raise ServerError("The model server sent an event larger than 16 MiB; the reply was stopped.")

    def _lines(self, lines: list[bytes]) -> Iterator[SSEEvent]:
        for raw in lines:
            event = self._line(raw[:-1] if raw.endswith(b"\r") else raw)
            if event is not None:
                yield event

    def _line(self, raw: bytes) -> SSEEvent | None:
        if not raw:
            if not self._data and not self._event:
                return None
            event = SSEEvent(self._event, "\n".join(self._data))
            self._event, self._data, self._size = "", [], 0
            return event
        self._check_size(len(raw))
        self._size += len(raw)
        text = raw.decode("utf-8", errors="replace")
        if text.startswith(":"):
            return None  # a comment (keep-alive): not progress
        name, _, value = text.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        return None  # id, retry and unknown fields do not matter here

    def finish(self) -> list[SSEEvent]:
        """At the end of the stream: a last event without its blank line still counts when its
        data is whole JSON (or [DONE]); half an event means the stream was cut short."""
        rest = bytes(self._buffer)
        self._buffer.clear()
        if rest:
            self._line(rest[:-1] if rest.endswith(b"\r") else rest)
        if not self._data and not self._event:
            return []
        event = SSEEvent(self._event, "\n".join(self._data))
        self._event, self._data, self._size = "", [], 0
        if event.data.strip() != DONE:
            try:
                load_json(event.data)
            except ValueError:
                raise StreamInterrupted("The model server's reply ended in the middle of an event.") from None
        return [event]


def error_text(value: Any) -> str:
    """The message of an OpenAI-style error: {"error": {"message": ...}} or {"error": "..."}."""
    if isinstance(value, dict):
        inner = value.get("error", value)
        if isinstance(inner, dict):
            message = inner.get("message") or inner.get("detail") or inner.get("type")
            return _clip(str(message), 2000) if message else _clip(str(inner), 2000)
        if inner:
            return _clip(str(inner), 2000)
    return _clip(str(value), 2000)


def parse_event(event: SSEEvent) -> dict[str, Any] | None:
    """An event's JSON object; None for [DONE]. ServerError for an error event, an error
    object, or data that is not a JSON object."""
    data = event.data.strip()
    if data == DONE:
        return None
    try:
        obj = load_json(data) if data else {}
    except ValueError:
        if event.event == "error":
            raise ServerError(_clip(data, 2000) or "The model server reported an error.") from None
        raise ServerError(f"The model server sent an event that could not be read: {_clip(data)}") from None
    if event.event == "error" or (isinstance(obj, dict) and obj.get("error")):
        raise ServerError(error_text(obj) or "The model server reported an error.")
    if not isinstance(obj, dict):
        raise ServerError(f"The model server sent an unexpected event: {_clip(data)}")
    return obj




async def watched_events(
    chunks: AsyncIterator[bytes],
    *,
    first_deadline: float,
    first_budget: float,
    idle: float,
    finished: Callable[[], bool] = lambda: False,
) -> AsyncGenerator[dict[str, Any], None]:
    """The JSON objects of an SSE byte stream, with a deadline for every event.

    The first event must be complete by ``first_deadline`` (loop time), each later one
    within ``idle`` seconds of the previous one. ``data: [DONE]`` ends the stream. A
    stream that ends (or falls silent) without [DONE] is StreamInterrupted (StreamStalled)
    unless ``finished()`` says the consumer already has the whole answer (a finish_reason
    arrived): some servers never send [DONE], or keep the connection open after it.
    """
    loop = asyncio.get_running_loop()
    decoder = SSEDecoder()
    deadline = first_deadline
    started = False
    try:
        while True:
            try:
                chunk = await run_until(next_chunk(chunks), deadline)
            except DeadlineExpired:
                if finished():
                    return
                raise stalled(started=started, first_budget=first_budget, idle=idle, unit="event") from None
            if chunk is None:
                break
            for event in decoder.feed(chunk):
                obj = parse_event(event)
                if obj is None:
                    return
                started = True
                yield obj
                deadline = loop.time() + (min(idle, 5.0) if finished() else idle)
        for event in decoder.finish():
            obj = parse_event(event)
            if obj is None:
                return
            yield obj
        if not finished():
            raise StreamInterrupted("The model server's reply ended before it was complete.")
    finally:
        await close_chunks(chunks)
