"""The `/v1` SSE reader under hostile servers: drip, stall, cut, `error` events, missing
[DONE]; chunking independence and hypothesis fuzzing (only domain errors, never a hang)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.backends import KeyRejected, OpenAIBackend
from desktop.core.backends.sse import SSEDecoder, SSEEvent
from desktop.core.ollama.base import Timeouts
from desktop.core.ollama.errors import OllamaError, ServerError, StreamInterrupted, StreamStalled
from desktop.core.ollama.types import ChatChunk, ChatMessage
from tests.support.fault_server import FaultServer
from tests.support.sse_server import DONE_EVENT, SSE, chunk, delta, event, finish, reply, usage

FAST = Timeouts(connect=2.0, request=3.0, first_token=2.0, idle=1.0)
PATH = "/v1/chat/completions"
HI = [ChatMessage("user", "hi")]


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    fault = FaultServer()
    try:
        yield fault
    finally:
        fault.close()


def collect(server: FaultServer, **kwargs: Any) -> tuple[list[ChatChunk], OllamaError | None]:
    async def main() -> tuple[list[ChatChunk], OllamaError | None]:
        got: list[ChatChunk] = []
        async with OpenAIBackend(server.url, api_key="k", timeouts=FAST) as backend:
            try:
                async for item in backend.chat("m", HI, **kwargs):
                    got.append(item)
            except OllamaError as err:
                return got, err
        return got, None

    return asyncio.run(main())


def text(chunks: list[ChatChunk]) -> str:
    return "".join(c.content for c in chunks)


def serve(server: FaultServer, lines: list[bytes], **kwargs: Any) -> None:
    server.route("POST", PATH, lines=lines, raw=True, content_type=SSE, **kwargs)


def test_a_whole_stream_gives_text_metrics_and_the_key(server: FaultServer) -> None:
    serve(server, reply("Hel", "lo ", "你好"))
    chunks, error = collect(server, options={"temperature": 0, "num_predict": 8, "seed": 3})
    assert error is None
    assert text(chunks) == "Hello 你好"
    final = chunks[-1]
    assert final.done and final.done_reason == "stop"
    assert (
        final.metrics is not None and final.metrics.eval_count == 3 and final.metrics.prompt_eval_count == 5
    )
    sent = server.requests[-1]
    assert sent.headers["authorization"] == "Bearer k"
    body = sent.json()
    assert (
        body["stream"] is True and body["max_tokens"] == 8 and body["temperature"] == 0 and body["seed"] == 3
    )
    assert body["stream_options"] == {"include_usage": True}


def test_drip_counts_as_silence(server: FaultServer) -> None:
    serve(server, reply("a" * 40), drip=0.05)
    start = time.monotonic()
    chunks, error = collect(server)
    assert isinstance(error, StreamStalled)
    assert "did not start answering" in str(error)
    assert time.monotonic() - start < FAST.first_token + 2


def test_stall_mid_reply_keeps_the_text(server: FaultServer) -> None:
    serve(server, reply("one ", "two ", "three"), stall_after=2)
    start = time.monotonic()
    chunks, error = collect(server)
    assert isinstance(error, StreamStalled) and "stopped sending" in str(error)
    assert text(chunks) == "one two "
    assert time.monotonic() - start < FAST.idle + 3


def test_cut_mid_event_is_interrupted(server: FaultServer) -> None:
    lines = reply("first ", "second")
    serve(server, lines, cut_after=len(lines[0]) + 10)
    chunks, error = collect(server)
    assert isinstance(error, StreamInterrupted)
    assert text(chunks) == "first "


def test_error_event_mid_stream(server: FaultServer) -> None:
    serve(
        server,
        [
            delta("partial "),
            event({"error": {"message": "out of memory", "type": "server_error"}}, name="error"),
        ],
    )
    chunks, error = collect(server)
    assert isinstance(error, ServerError) and "out of memory" in str(error)
    assert text(chunks) == "partial "


def test_error_object_without_event_name(server: FaultServer) -> None:
    serve(server, [delta("x"), event({"error": "context length exceeded"})])
    _, error = collect(server)
    assert isinstance(error, ServerError) and "context length exceeded" in str(error)


def test_done_missing_after_finish_is_a_whole_answer(server: FaultServer) -> None:
    serve(server, [delta("ok"), finish("stop"), usage(2, 1)])
    chunks, error = collect(server)
    assert error is None and text(chunks) == "ok" and chunks[-1].done


def test_done_missing_and_connection_kept_open_after_finish(server: FaultServer) -> None:
    lines = [delta("ok"), finish("length"), usage(2, 1), b": keep-alive\n\n"]
    serve(server, lines, stall_after=len(lines))
    start = time.monotonic()
    chunks, error = collect(server)
    assert error is None and chunks[-1].done_reason == "length"
    assert time.monotonic() - start < FAST.idle + 2


def test_done_missing_without_finish_is_interrupted(server: FaultServer) -> None:
    serve(server, [delta("half an ans")])
    chunks, error = collect(server)
    assert isinstance(error, StreamInterrupted) and "before it was complete" in str(error)
    assert text(chunks) == "half an ans"


def test_comments_alone_never_count_as_progress(server: FaultServer) -> None:
    serve(server, [b": ping\n\n"] * 40, delay=0.2)
    _, error = collect(server)
    assert isinstance(error, StreamStalled)


def test_wrong_key_is_key_rejected(server: FaultServer) -> None:
    server.route("POST", PATH, status=401, body={"error": {"message": "Invalid API Key", "code": 401}})
    _, error = collect(server)
    assert isinstance(error, KeyRejected)
    assert "rejected the API key" in str(error) and "Invalid API Key" in str(error)


def test_reasoning_content_is_thinking_and_tool_calls_are_assembled(server: FaultServer) -> None:
    call_start = {
        "tool_calls": [
            {
                "index": 0,
                "id": "call_9",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"ci'},
            }
        ]
    }
    call_rest = {"tool_calls": [{"index": 0, "function": {"arguments": 'ty": "Paris"}'}}]}
    serve(
        server,
        [
            delta(reasoning="Let me "),
            delta(reasoning="check."),
            event(chunk(call_start)),
            event(chunk(call_rest)),
            finish("tool_calls"),
            DONE_EVENT,
        ],
    )
    chunks, error = collect(server, tools=[{"type": "function", "function": {"name": "get_weather"}}])
    assert error is None
    assert "".join(c.thinking for c in chunks) == "Let me check." and text(chunks) == ""
    final = chunks[-1]
    assert final.done and final.done_reason == "stop"
    assert [(c.name, c.arguments, c.id) for c in final.tool_calls] == [
        ("get_weather", {"city": "Paris"}, "call_9")
    ]
    assert server.requests[-1].json()["tools"][0]["function"]["name"] == "get_weather"


def test_json_format_and_think_off_are_sent_as_v1_fields(server: FaultServer) -> None:
    serve(server, reply("{}"))
    collect(server, format="json", think=False)
    body = server.requests[-1].json()
    assert body["response_format"] == {"type": "json_object"}
    assert body["reasoning_effort"] == "none"
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    collect(server, format=schema)
    assert server.requests[-1].json()["response_format"]["json_schema"]["schema"] == schema


def _events(decoder: SSEDecoder, pieces: list[bytes]) -> list[SSEEvent]:
    out: list[SSEEvent] = []
    for piece in pieces:
        out.extend(decoder.feed(piece))
    out.extend(decoder.finish())
    return out


STREAM = b"".join(reply("\u4f60\u597d", "caf\u00e9 ", "\U0001f600")) + event("x\ny", name="note")


@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=30), st.booleans())
def test_events_do_not_depend_on_how_the_bytes_were_cut(cuts: list[int], crlf: bool) -> None:
    data = STREAM.replace(b"\n", b"\r\n") if crlf else STREAM
    points = sorted({min(c, len(data)) for c in cuts})
    pieces = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    assert _events(SSEDecoder(), pieces) == _events(SSEDecoder(), [data])
    assert _events(SSEDecoder(), [data])[-1] == SSEEvent("note", "x\ny")


HOSTILE = [
    "Infinity",
    "NaN",
    "1e400",
    "-1",
    '"abc"',
    "true",
    "null",
    "[]",
    "{}",
    "[" * 200 + "]" * 200,
    '{"a": ' * 100 + "1" + "}" * 100,
    '"\u4f60"',
]
FIELDS = ["content", "reasoning_content", "tool_calls", "role"]


def _hostile_event(draw: Any) -> bytes:
    kind = draw(st.sampled_from(["delta", "usage", "choices", "raw", "error", "comment"]))
    value = draw(st.sampled_from(HOSTILE))
    if kind == "delta":
        return f'data: {{"choices":[{{"delta":{{"{draw(st.sampled_from(FIELDS))}":{value}}}}}]}}\n\n'.encode()
    if kind == "usage":
        counts = f'{{"completion_tokens":{value},"prompt_tokens":{value}}}'
        return f'data: {{"choices":[],"usage":{counts}}}\n\n'.encode()
    if kind == "choices":
        return f'data: {{"choices":{value},"timings":{{"predicted_ms":{value}}}}}\n\n'.encode()
    if kind == "error":
        return f"event: error\ndata: {value}\n\n".encode()
    if kind == "comment":
        return b": " + value.encode() + b"\n\n"
    return draw(st.binary(max_size=40)) + b"\n\n"


@st.composite
def hostile_streams(draw: Any) -> list[bytes]:
    events = [_hostile_event(draw) for _ in range(draw(st.integers(min_value=0, max_value=6)))]
    tail = draw(st.sampled_from([[DONE_EVENT], [finish()], [], [b'data: {"cho']]))
    return [delta("ok"), *events, *tail]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(hostile_streams())
def test_hostile_streams_give_domain_errors_only_and_never_hang(
    server: FaultServer, lines: list[bytes]
) -> None:
    serve(server, lines)
    start = time.monotonic()
    chunks, error = collect(server)
    assert time.monotonic() - start < FAST.first_token + FAST.idle + 3
    if error is None:
        final = chunks[-1]
        assert final.done and final.metrics is not None
        assert all(0 <= v <= 2**63 - 1 for v in json.loads(json.dumps(final.metrics.__dict__)).values())
    assert all(isinstance(c.content, str) and isinstance(c.thinking, str) for c in chunks)
