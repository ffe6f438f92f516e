"""The NDJSON reader: same objects however the bytes are cut; error lines; blank lines; watchdog."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.ollama.errors import ServerError, StreamInterrupted, StreamStalled
from desktop.core.ollama.stream import NDJSONDecoder, parse_line, run_until, watched_lines

# Multi-byte UTF-8 on purpose: 2-byte (é), 3-byte (中文, €), 4-byte (emoji) characters.
LINES: list[dict[str, Any]] = [
    {"model": "m", "message": {"role": "assistant", "content": "你好"}, "done": False},
    {"model": "m", "message": {"role": "assistant", "content": "，世界 é € 🦙\u2028"}, "done": False},
    {"model": "m", "message": {"role": "assistant", "content": 'quote " and \\n newline'}, "done": False},
    {"model": "m", "message": {"role": "assistant", "content": ""}, "done": True, "eval_count": 3},
]
PAYLOAD = b"".join(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n" for line in LINES)


def decode_all(pieces: list[bytes]) -> list[dict[str, Any]]:
    decoder = NDJSONDecoder()
    out: list[dict[str, Any]] = []
    for piece in pieces:
        out.extend(decoder.feed(piece))
    out.extend(decoder.finish())
    return out


def split_at(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c for c in cuts if 0 < c < len(data)})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


def test_every_single_cut_point_gives_the_same_objects() -> None:
    # Exhaustive over one cut (covers every position inside every multi-byte character).
    for cut in range(len(PAYLOAD) + 1):
        assert decode_all([PAYLOAD[:cut], PAYLOAD[cut:]]) == LINES


def test_one_byte_at_a_time() -> None:
    assert decode_all([PAYLOAD[i : i + 1] for i in range(len(PAYLOAD))]) == LINES


def test_random_splits_seeded() -> None:
    rng = random.Random(1234)
    for _ in range(300):
        cuts = [rng.randrange(len(PAYLOAD)) for _ in range(rng.randrange(1, 40))]
        assert decode_all(split_at(PAYLOAD, cuts)) == LINES


@settings(max_examples=150, deadline=None)
@given(
    objects=st.lists(
        st.dictionaries(
            st.text(max_size=5), st.text(max_size=20) | st.integers() | st.booleans(), max_size=4
        ),
        max_size=6,
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=30),
    ensure_ascii=st.booleans(),
    blank_lines=st.booleans(),
    crlf=st.booleans(),
)
def test_any_chunking_of_any_stream(
    objects: list[dict[str, Any]], cuts: list[int], ensure_ascii: bool, blank_lines: bool, crlf: bool
) -> None:
    end = b"\r\n" if crlf else b"\n"
    data = b""
    for obj in objects:
        obj.pop("error", None)  # an error line ends a stream; tested on its own
        data += json.dumps(obj, ensure_ascii=ensure_ascii).encode("utf-8") + end
        if blank_lines:
            data += b"\n  \n"
    expected = [obj for obj in objects]
    assert decode_all(split_at(data, cuts)) == expected


def test_blank_lines_yield_nothing() -> None:
    decoder = NDJSONDecoder()
    assert list(decoder.feed(b"\n\n   \n\r\n")) == []
    assert decoder.finish() == []
    assert parse_line(b"  \r") is None


def test_last_line_without_newline_counts_at_the_end() -> None:
    decoder = NDJSONDecoder()
    assert list(decoder.feed(b'{"a": 1}\n{"b": 2}')) == [{"a": 1}]
    assert decoder.pending == 8
    assert decoder.finish() == [{"b": 2}]


def test_error_line_raises_server_error_after_the_lines_before_it() -> None:
    decoder = NDJSONDecoder()
    got: list[dict[str, Any]] = []
    with pytest.raises(ServerError) as caught:
        for obj in decoder.feed(
            b'{"response": "par"}\n{"error": "an error was encountered while running the model"}\n'
        ):
            got.append(obj)
    assert got == [{"response": "par"}]
    assert str(caught.value) == "an error was encountered while running the model"
    assert caught.value.status is None


@pytest.mark.parametrize("line", [b"not json", b"[1, 2]", b'"text"', b'{"a": '])
def test_garbage_line_is_a_server_error(line: bytes) -> None:
    with pytest.raises(ServerError, match="could not be read|unexpected line"):
        parse_line(line)


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    assert parse_line(b'{"a": "x\xff"}') == {"a": "x\ufffd"}


# ---------------------------------------------------------------- watchdog (no network)


async def timed(script: list[tuple[float, bytes]]) -> AsyncIterator[bytes]:
    for pause, data in script:
        await asyncio.sleep(pause)
        yield data


async def collect(script: list[tuple[float, bytes]], *, first: float, idle: float) -> list[dict[str, Any]]:
    loop = asyncio.get_running_loop()
    out: list[dict[str, Any]] = []
    async for obj in watched_lines(
        timed(script), first_deadline=loop.time() + first, first_budget=first, idle=idle
    ):
        out.append(obj)
    return out


def test_watchdog_lets_a_steady_stream_through() -> None:
    script = [(0.01, b'{"a": 1}\n'), (0.01, b'{"a"'), (0.01, b": 2}\n")]
    assert asyncio.run(collect(script, first=1, idle=0.5)) == [{"a": 1}, {"a": 2}]


def test_watchdog_first_token_budget() -> None:
    script = [(0.4, b'{"a": 1}\n')]
    with pytest.raises(StreamStalled, match="did not start answering within 0.2 s"):
        asyncio.run(collect(script, first=0.2, idle=5))
    # The same delay is fine under a longer first-token budget even with a short idle budget.
    assert asyncio.run(collect(script, first=1, idle=0.1)) == [{"a": 1}]


def test_watchdog_trips_on_a_line_that_drips_forever() -> None:
    # Bytes keep coming every 0.05 s, far inside any read timeout, but no line completes.
    script = [(0.0, b'{"a": 1}\n')] + [(0.05, b" ") for _ in range(40)]
    with pytest.raises(StreamStalled, match="no complete line for 0.3 s"):
        asyncio.run(collect(script, first=1, idle=0.3))


def test_blank_lines_are_not_progress() -> None:
    script = [(0.0, b'{"a": 1}\n')] + [(0.05, b"\n") for _ in range(40)]
    with pytest.raises(StreamStalled):
        asyncio.run(collect(script, first=1, idle=0.3))


def test_consumer_time_does_not_count_against_the_server() -> None:
    async def main() -> list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        out = []
        source = timed([(0, b'{"a": 1}\n{"a": 2}\n'), (0.01, b'{"a": 3}\n')])
        async for obj in watched_lines(source, first_deadline=loop.time() + 1, first_budget=1, idle=0.1):
            out.append(obj)
            await asyncio.sleep(0.2)  # a slow consumer (e.g. a UI render)
        return out

    assert asyncio.run(main()) == [{"a": 1}, {"a": 2}, {"a": 3}]


def test_run_until_discards_a_late_result() -> None:
    discarded: list[str] = []

    async def slow() -> str:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            return "resource"  # finished anyway (like a response that arrived as we gave up)
        return "never"

    async def discard(value: str) -> None:
        discarded.append(value)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        with pytest.raises(Exception) as caught:
            await run_until(slow(), loop.time() + 0.05, discard=discard)
        assert type(caught.value).__name__ == "DeadlineExpired"

    asyncio.run(main())
    assert discarded == ["resource"]


def test_half_a_line_at_the_end_is_an_interruption() -> None:
    decoder = NDJSONDecoder()
    assert list(decoder.feed(b'{"a": 1}\n{"b": ')) == [{"a": 1}]
    with pytest.raises(StreamInterrupted, match="middle of a line"):
        decoder.finish()
