"""NDJSON streams: an incremental line decoder and an asyncio idle watchdog.

Ollama streams one JSON object per line. Bytes arrive in arbitrary pieces (a chunk can
end inside a line, or inside a multi-byte UTF-8 character), so lines are split on the
newline byte before any decoding: 0x0A never occurs inside a UTF-8 sequence, which makes
the result independent of how the bytes were cut.

The watchdog exists because a socket read timeout measures silence between bytes, not
progress: a server dripping one byte every half second never trips it, yet never
finishes a line either. Here the budget is per *line*.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, TypeVar

from desktop.core.ollama.errors import ServerError, StreamInterrupted, StreamStalled

T = TypeVar("T")


class DeadlineExpired(Exception):
    """Raised by run_until when the deadline passes before the awaitable completes."""


MAX_DEPTH = 64  # Ollama's lines nest three levels; a tool call's arguments a few more


def _depth_ok(value: Any) -> bool:
    # Iterative: a value nested deeper than the stack must not crash whoever walks it.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if level > MAX_DEPTH:
            return False
        stack.extend((child, level + 1) for child in children)
    return True


def load_json(text: str | bytes) -> Any:
    """json.loads for server bytes: ValueError for anything unreadable, including nesting
    deeper than MAX_DEPTH (json raises RecursionError on 100k `[`; str() of a value a few
    thousand levels deep does too, far from here)."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if not _depth_ok(value):
        raise ValueError("nested too deeply")
    return value


def parse_line(line: bytes) -> dict[str, Any] | None:
    """One NDJSON line -> its object; None for a blank line.

    Raises ServerError for an ``{"error": ...}`` line (Ollama reports failures inside a
    200 stream that way) and for a line that is not a JSON object.
    """
    text = line.decode("utf-8", errors="replace").strip()
    if not text:
        return None
    try:
        obj = load_json(text)
    except ValueError:
        raise ServerError(f"The model server sent a line that could not be read: {_clip(text)}") from None
    if not isinstance(obj, dict):
        raise ServerError(f"The model server sent an unexpected line: {_clip(text)}")
    error = obj.get("error")
    if error:
        raise ServerError(_clip(str(error), 2000))
    return obj


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


class NDJSONDecoder:
    """Feed it bytes as they come; it hands back every complete, non-blank line's object."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> Iterator[dict[str, Any]]:
        """The objects of the lines ``data`` completes, parsed one by one as you iterate,
        so the lines before an error line are still delivered before ServerError."""
        self._buffer += data
        end = self._buffer.rfind(b"\n")
        if end < 0:
            return iter(())
        complete = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        return self._parse_all(complete.split(b"\n"))

    @staticmethod
    def _parse_all(lines: list[bytes]) -> Iterator[dict[str, Any]]:
        for line in lines:
            obj = parse_line(line)
            if obj is not None:
                yield obj

    def finish(self) -> list[dict[str, Any]]:
        """At the end of the stream: a last line without its newline still counts, but
        half a line means the stream was cut short (StreamInterrupted)."""
        rest = bytes(self._buffer)
        self._buffer.clear()
        text = rest.decode("utf-8", errors="replace").strip()
        if not text:
            return []
        try:
            load_json(text)
        except ValueError:
            raise StreamInterrupted("The model server's reply ended in the middle of a line.") from None
        obj = parse_line(rest)
        return [] if obj is None else [obj]

    @property
    def pending(self) -> int:
        """Bytes of an unfinished line."""
        return len(self._buffer)


async def run_until(
    awaitable: Awaitable[T],
    deadline: float,
    *,
    discard: Callable[[T], Awaitable[None]] | None = None,
) -> T:
    """Await with an absolute deadline (loop time); raise DeadlineExpired when it passes.

    Unlike asyncio.wait_for on Python 3.11, a result that arrives while the caller is
    being cancelled or timed out is handed to ``discard`` (e.g. a response to close)
    instead of being lost.
    """
    loop = asyncio.get_running_loop()
    task: asyncio.Future[T] = asyncio.ensure_future(awaitable)
    try:
        done, _ = await asyncio.wait({task}, timeout=max(0.0, deadline - loop.time()))
    except BaseException:
        await _cancel_and_discard(task, discard)
        raise
    if not done:
        await _cancel_and_discard(task, discard)
        raise DeadlineExpired
    return task.result()


async def _cancel_and_discard(
    task: asyncio.Future[T], discard: Callable[[T], Awaitable[None]] | None
) -> None:
    task.cancel()
    await asyncio.wait({task})
    if task.cancelled() or task.exception() is not None:
        return
    if discard is not None:
        await discard(task.result())


async def next_chunk(chunks: AsyncIterator[bytes]) -> bytes | None:
    """The next chunk of a byte stream; None at its end."""
    try:
        return await chunks.__anext__()
    except StopAsyncIteration:
        return None


def stalled(*, started: bool, first_budget: float, idle: float, unit: str) -> StreamStalled:
    """The error for a missed deadline of a watched stream (NDJSON lines, SSE events):
    before the first ``unit`` the model may still be loading; after it the reply stopped."""
    if started:
        return StreamStalled(
            f"The model server stopped sending in the middle of the reply "
            f"(no complete {unit} for {idle:g} s)."
        )
    return StreamStalled(
        f"The model server did not start answering within {first_budget:g} s; "
        f"the model may still be loading, or the server is stuck."
    )


async def close_chunks(chunks: AsyncIterator[bytes]) -> None:
    """Close a byte stream that can be closed (an async generator, a response reader)."""
    aclose = getattr(chunks, "aclose", None)
    if aclose is not None:
        await aclose()


async def watched_lines(
    chunks: AsyncIterator[bytes],
    *,
    first_deadline: float,
    first_budget: float,
    idle: float,
) -> AsyncGenerator[dict[str, Any], None]:
    """Objects of an NDJSON byte stream, with a deadline for every line.

    The first line must be complete by ``first_deadline`` (loop time; a model load can
    take minutes), each later line within ``idle`` seconds of the previous one. Blank
    lines are skipped and do not count as progress. Raises StreamStalled on a missed
    deadline, ServerError on an error line; errors of ``chunks`` pass through.

    A line with ``"done": true`` is the last: the stream ends right after it, whether or
    not the server closes the connection (one that kept it open made a finished answer
    fail a minute later as stalled).
    """
    loop = asyncio.get_running_loop()
    decoder = NDJSONDecoder()
    deadline = first_deadline
    started = False
    try:
        while True:
            try:
                chunk = await run_until(next_chunk(chunks), deadline)
            except DeadlineExpired:
                raise stalled(started=started, first_budget=first_budget, idle=idle, unit="line") from None
            if chunk is None:
                break
            for obj in decoder.feed(chunk):
                started = True
                yield obj
                if obj.get("done") is True:
                    return
                deadline = loop.time() + idle
        for obj in decoder.finish():
            yield obj
            if obj.get("done") is True:
                return
    finally:
        await close_chunks(chunks)
