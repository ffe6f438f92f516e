"""Streams against a misbehaving real HTTP server: cuts, stalls, drips, error lines, cancel."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from desktop.core.ollama import (
    ChatChunk,
    ChatMessage,
    ModelNotFound,
    OllamaClient,
    ServerError,
    ServerUnavailable,
    StreamInterrupted,
    StreamStalled,
    Timeouts,
    UnsupportedEndpoint,
)
from tests.support.fault_server import FaultServer

T = TypeVar("T")

FAST = Timeouts(connect=1.0, request=2.0, first_token=1.0, idle=0.4)
USER = [ChatMessage("user", "Say hello")]


def chat_line(text: str, *, done: bool = False, **extra: Any) -> dict[str, Any]:
    line: dict[str, Any] = {
        "model": "m:latest",
        "created_at": "2025-10-26T17:15:24.097767Z",
        "message": {"role": "assistant", "content": text},
        "done": done,
    }
    line.update(extra)
    return line


FINAL = chat_line(
    "",
    done=True,
    done_reason="stop",
    total_duration=5_000_000_000,
    load_duration=1_000_000,
    prompt_eval_count=12,
    prompt_eval_duration=100_000_000,
    eval_count=20,
    eval_duration=2_000_000_000,
)
HELLO = [chat_line("你好"), chat_line("，"), chat_line("world 🦙"), FINAL]


def run(server: FaultServer, body: Callable[[OllamaClient], Awaitable[T]], timeouts: Timeouts = FAST) -> T:
    async def main() -> T:
        async with OllamaClient(server.url, timeouts=timeouts) as client:
            return await body(client)

    return asyncio.run(main())


async def collect(client: OllamaClient, got: list[ChatChunk] | None = None) -> list[ChatChunk]:
    out = [] if got is None else got
    async with contextlib.aclosing(client.chat("m", USER)) as stream:
        async for chunk in stream:
            out.append(chunk)
    return out


def text_of(chunks: list[ChatChunk]) -> str:
    return "".join(c.content for c in chunks)


async def server_saw_close(server: FaultServer, index: int) -> bool:
    """Whether the server saw request ``index``'s connection closed (waits up to 2 s)."""
    return await asyncio.to_thread(server.requests[index].client_closed.wait, 2)


def closes_itself(
    server: FaultServer, body: Callable[[OllamaClient], Awaitable[T]]
) -> Callable[[OllamaClient], Awaitable[T]]:
    """``body``, plus a check, made before the client closes its pool, that the failed
    stream hung up its connection by itself."""

    async def wrapped(client: OllamaClient) -> T:
        try:
            return await body(client)
        finally:
            assert await server_saw_close(server, len(server.requests) - 1)

    return wrapped


def test_chat_happy_path_and_request_shape(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=HELLO, delay=0.005)

    async def body(client: OllamaClient) -> list[ChatChunk]:
        out = []
        stream = client.chat(
            "m",
            [ChatMessage("system", "Be brief."), *USER],
            options={"temperature": 0.2, "stop": ["\n\n"]},
            keep_alive="10m",
            think=False,
            format="json",
        )
        async with contextlib.aclosing(stream):
            async for chunk in stream:
                out.append(chunk)
        return out

    chunks = run(fault_server, body)
    assert text_of(chunks) == "你好，world 🦙"
    assert [c.done for c in chunks] == [False, False, False, True]
    final = chunks[-1]
    assert final.done_reason == "stop" and final.model == "m:latest"
    assert final.metrics is not None and final.metrics.eval_count == 20
    assert final.metrics.tokens_per_second == pytest.approx(10.0)
    assert chunks[0].metrics is None
    sent = fault_server.requests[0].json()
    assert sent == {
        "model": "m",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello"}],
        "stream": True,
        "options": {"temperature": 0.2, "stop": ["\n\n"]},
        "keep_alive": "10m",
        "format": "json",
        "think": False,
    }


def test_thinking_chunks(fault_server: FaultServer) -> None:
    lines = [
        {"model": "m", "message": {"role": "assistant", "content": "", "thinking": "Hmm, "}, "done": False},
        {"model": "m", "message": {"role": "assistant", "content": "", "thinking": "greet."}, "done": False},
        chat_line("Hi"),
        FINAL,
    ]
    fault_server.route("POST", "/api/chat", lines=lines)
    chunks = run(fault_server, collect)
    assert "".join(c.thinking for c in chunks) == "Hmm, greet."
    assert text_of(chunks) == "Hi"


def test_generate_stream(fault_server: FaultServer) -> None:
    lines = [
        {"model": "m", "response": "Once", "done": False},
        {"model": "m", "response": " upon", "done": False},
        {
            "model": "m",
            "response": "",
            "done": True,
            "done_reason": "length",
            "context": [1, 2],
            "eval_count": 2,
        },
    ]
    fault_server.route("POST", "/api/generate", lines=lines)

    async def body(client: OllamaClient) -> list[ChatChunk]:
        return [c async for c in client.generate("m", "Tell a story", system="You are terse.")]

    chunks = run(fault_server, body)
    assert text_of(chunks) == "Once upon"
    assert chunks[-1].done_reason == "length"
    sent = fault_server.requests[0].json()
    assert sent == {"model": "m", "prompt": "Tell a story", "stream": True, "system": "You are terse."}


def test_connection_cut_mid_stream_keeps_what_arrived(fault_server: FaultServer) -> None:
    first = json.dumps(HELLO[0], ensure_ascii=False).encode() + b"\n"
    fault_server.route("POST", "/api/chat", lines=HELLO, cut_after=len(first) + 7, delay=0.01)
    got: list[ChatChunk] = []
    with pytest.raises(StreamInterrupted) as caught:
        run(fault_server, lambda client: collect(client, got))
    assert type(caught.value) is StreamInterrupted  # a cut, not a stall
    assert "lost in the middle of the reply" in str(caught.value)
    assert text_of(got) == "你好"


def test_cut_right_after_headers(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=HELLO, cut_after=0)
    with pytest.raises(StreamInterrupted):
        run(fault_server, collect)


def test_all_lines_then_cut_without_done(fault_server: FaultServer) -> None:
    payload_len = sum(len(json.dumps(line, ensure_ascii=False).encode()) + 1 for line in HELLO[:3])
    fault_server.route("POST", "/api/chat", lines=HELLO[:3], cut_after=payload_len)
    got: list[ChatChunk] = []
    with pytest.raises(StreamInterrupted):
        run(fault_server, lambda client: collect(client, got))
    assert text_of(got) == "你好，world 🦙"


def test_stall_before_first_token(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=HELLO, stall_after=0)
    started = time.monotonic()
    with pytest.raises(StreamStalled, match="did not start answering within 1 s"):
        run(fault_server, closes_itself(fault_server, collect))
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 4.0  # the first-token budget, not the idle one (0.4 s)


def test_no_headers_at_all_is_a_stall_within_the_first_token_budget(fault_server: FaultServer) -> None:
    # Ollama sends no status line while the model loads.
    fault_server.route("POST", "/api/chat", lines=HELLO, header_delay=float("inf"))
    started = time.monotonic()
    with pytest.raises(StreamStalled, match="did not start answering"):
        run(fault_server, closes_itself(fault_server, collect))
    assert 0.9 <= time.monotonic() - started < 4.0


def test_slow_model_load_within_the_first_token_budget_is_fine(fault_server: FaultServer) -> None:
    # Headers late, first token later still, both beyond `idle` but within `first_token`.
    fault_server.route("POST", "/api/chat", lines=HELLO, header_delay=0.5)
    assert text_of(run(fault_server, collect)) == "你好，world 🦙"


def test_stall_after_some_tokens(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=HELLO, stall_after=2)
    got: list[ChatChunk] = []
    started = time.monotonic()
    with pytest.raises(StreamStalled, match="middle of the reply"):
        run(fault_server, closes_itself(fault_server, lambda client: collect(client, got)))
    elapsed = time.monotonic() - started
    assert 0.35 <= elapsed < 3.0  # tripped by the idle budget (0.4 s): see the message
    assert text_of(got) == "你好，"


def test_drip_one_byte_at_a_time_gives_identical_text(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=HELLO, drip=0.0005)
    chunks = run(fault_server, collect, Timeouts(connect=1, request=2, first_token=5, idle=5))
    assert text_of(chunks) == "你好，world 🦙"
    assert chunks[-1].done


def test_drip_that_completes_lines_within_idle_is_fine(fault_server: FaultServer) -> None:
    lines: list[dict[str, Any]] = [
        {"response": "ab", "done": False},
        {"response": "cd", "done": False},
        {"done": True},
    ]
    # ~30 bytes per line at 10 ms a byte: 0.3 s per line, inside a 0.6 s idle budget.
    fault_server.route("POST", "/api/generate", lines=lines, drip=0.01)

    async def body(client: OllamaClient) -> str:
        return "".join([c.content async for c in client.generate("m", "x")])

    assert run(fault_server, body, Timeouts(connect=1, request=2, first_token=1, idle=0.6)) == "abcd"


def test_drip_slower_than_idle_per_line_is_a_stall_although_bytes_keep_coming(
    fault_server: FaultServer,
) -> None:
    lines: list[dict[str, Any]] = [
        {"response": "ab", "done": False},
        {"response": "cd", "done": False},
        {"done": True},
    ]
    # A byte every 20 ms never trips a socket read timeout, but each line takes ~0.6 s.
    fault_server.route("POST", "/api/generate", lines=lines, drip=0.02)
    got: list[str] = []

    async def body(client: OllamaClient) -> None:
        async for chunk in client.generate("m", "x"):
            got.append(chunk.content)

    started = time.monotonic()
    with pytest.raises(StreamStalled, match="no complete line for 0.3 s"):
        run(
            fault_server,
            closes_itself(fault_server, body),
            Timeouts(connect=1, request=2, first_token=2, idle=0.3),
        )
    assert got == ["ab"]
    assert time.monotonic() - started < 4.0


def test_error_line_mid_stream(fault_server: FaultServer) -> None:
    lines = [chat_line("Hel"), {"error": "an error was encountered while running the model"}, FINAL]
    fault_server.route("POST", "/api/chat", lines=lines)
    got: list[ChatChunk] = []
    with pytest.raises(ServerError) as caught:
        run(fault_server, lambda client: collect(client, got))
    assert str(caught.value) == "an error was encountered while running the model"
    assert text_of(got) == "Hel"


def test_500_before_stream(fault_server: FaultServer) -> None:
    fault_server.route(
        "POST", "/api/chat", status=500, body={"error": "llama runner process has terminated: exit status 2"}
    )
    with pytest.raises(ServerError) as caught:
        run(fault_server, collect)
    assert caught.value.status == 500
    assert str(caught.value) == "llama runner process has terminated: exit status 2"


def test_503_text_body(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", status=503, body="upstream overloaded")
    with pytest.raises(ServerError, match=r"HTTP 503 \(Service Unavailable\): upstream overloaded") as caught:
        run(fault_server, collect)
    assert caught.value.status == 503


def test_model_not_found(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", status=404, body={"error": "model 'm' not found"})
    with pytest.raises(ModelNotFound, match="model 'm' not found") as caught:
        run(fault_server, collect)
    assert caught.value.status == 404


def test_unknown_endpoint_is_unsupported(fault_server: FaultServer) -> None:
    # Nothing routed: the fault server answers gin's text/plain "404 page not found".
    with pytest.raises(UnsupportedEndpoint, match="does not support /api/chat"):
        run(fault_server, collect)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_server_down() -> None:
    port = free_port()

    async def main() -> None:
        async with OllamaClient(f"http://127.0.0.1:{port}", timeouts=FAST) as client:
            with pytest.raises(ServerUnavailable) as caught:
                await collect(client)
            assert str(caught.value) == (
                f"Cannot reach the model server at http://127.0.0.1:{port}; is Ollama running?"
            )
            with pytest.raises(ServerUnavailable):
                await client.tags()
            assert await client.is_alive() is False

    asyncio.run(main())


def test_server_hangs_up_before_answering() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]

    def hang_up() -> None:
        for _ in range(2):
            conn, _ = listener.accept()
            conn.recv(65536)
            conn.close()

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()

    async def main() -> None:
        async with OllamaClient(f"127.0.0.1:{port}", timeouts=FAST) as client:
            with pytest.raises(ServerUnavailable, match="closed the connection without answering"):
                await collect(client)
            with pytest.raises(ServerUnavailable, match="closed the connection without answering"):
                await client.version()

    try:
        asyncio.run(main())
    finally:
        thread.join(timeout=5)
        listener.close()


def test_cancelling_the_task_closes_the_connection(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=HELLO, stall_after=1)
    slow = Timeouts(connect=1, request=2, first_token=30, idle=30)

    async def main() -> float:
        async with OllamaClient(fault_server.url, timeouts=slow) as client:
            first = asyncio.Event()

            async def consume() -> None:
                async for _ in client.chat("m", USER):
                    first.set()

            task = asyncio.ensure_future(consume())
            await asyncio.wait_for(first.wait(), 5)
            cancelled_at = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # Checked while the client (and its pool) is still open: the stream itself hung up.
            assert await server_saw_close(fault_server, 0)
            return time.monotonic() - cancelled_at

    assert asyncio.run(main()) < 2.0


def test_cancel_while_waiting_for_headers_closes_the_connection(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=HELLO, header_delay=float("inf"))

    async def main() -> None:
        async with OllamaClient(fault_server.url, timeouts=Timeouts(first_token=30, idle=30)) as client:
            task = asyncio.ensure_future(collect(client))
            await asyncio.to_thread(fault_server.wait_for_requests, 1)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert await server_saw_close(fault_server, 0)

    asyncio.run(main())


def test_breaking_out_closes_the_connection(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=HELLO, stall_after=1)
    slow = Timeouts(connect=1, request=2, first_token=30, idle=30)

    async def main() -> None:
        async with OllamaClient(fault_server.url, timeouts=slow) as client:
            # Deterministic: aclosing.
            async with contextlib.aclosing(client.chat("m", USER)) as stream:
                async for _ in stream:
                    break
            assert await server_saw_close(fault_server, 0)
            # Plain break: the dropped generator is closed by the event loop right after.
            async for _ in client.chat("m", USER):
                break
            gc.collect()
            assert await server_saw_close(fault_server, 1)
            # The client is still usable afterwards.
            fault_server.route("POST", "/api/chat", lines=HELLO)
            assert text_of(await collect(client)) == "你好，world 🦙"

    asyncio.run(main())


def test_pull_progress_and_error_line(fault_server: FaultServer) -> None:
    lines: list[dict[str, Any]] = [
        {"status": "pulling manifest"},
        {"status": "pulling 8eeb52dfb3bb", "digest": "sha256:8eeb", "total": 100, "completed": 40},
        {"status": "pulling 8eeb52dfb3bb", "digest": "sha256:8eeb", "total": 100},
        {"status": "success"},
    ]
    fault_server.route("POST", "/api/pull", lines=lines)

    async def body(client: OllamaClient) -> list[Any]:
        return [p async for p in client.pull("smollm2:135m")]

    progress = run(fault_server, body)
    assert [p.status for p in progress][-1] == "success"
    assert (progress[1].digest, progress[1].total, progress[1].completed) == ("sha256:8eeb", 100, 40)
    assert progress[2].completed == 0
    assert fault_server.requests[0].json() == {"model": "smollm2:135m", "insecure": False, "stream": True}

    fault_server.route(
        "POST",
        "/api/pull",
        lines=[{"status": "pulling manifest"}, {"error": "pull model manifest: file does not exist"}],
    )
    with pytest.raises(ServerError, match="file does not exist"):
        run(fault_server, body)


def test_create_request_shape(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/create", lines=[{"status": "parsing GGUF"}, {"status": "success"}])

    async def body(client: OllamaClient) -> list[str]:
        stream = client.create("mine", files={"model.gguf": "sha256:" + "a" * 64}, system="Be kind.")
        return [p.status async for p in stream]

    assert run(fault_server, body) == ["parsing GGUF", "success"]
    assert fault_server.requests[0].json() == {
        "model": "mine",
        "stream": True,
        "system": "Be kind.",
        "files": {"model.gguf": "sha256:" + "a" * 64},
    }

    async def from_model(client: OllamaClient) -> list[str]:
        return [p.status async for p in client.create("mine2", from_="mine")]

    assert run(fault_server, from_model) == ["parsing GGUF", "success"]
    assert fault_server.requests[1].json() == {"model": "mine2", "stream": True, "from": "mine"}


def test_pulls_tolerate_a_long_verify_silence_but_not_forever(fault_server: FaultServer) -> None:
    lines: list[dict[str, Any]] = [
        {"status": "verifying sha256 digest"},
        {"status": "writing manifest"},
        {"status": "success"},
    ]
    # 0.6 s of silence per line: longer than `idle` (0.4 s), within `first_token` (1 s).
    fault_server.route("POST", "/api/pull", lines=lines, delay=0.6)

    async def body(client: OllamaClient) -> list[str]:
        return [p.status async for p in client.pull("big:70b")]

    assert run(fault_server, body) == ["verifying sha256 digest", "writing manifest", "success"]

    # A chat with the same pauses is stalled: replies get the short idle budget.
    fault_server.route("POST", "/api/chat", lines=HELLO, delay=0.6)
    with pytest.raises(StreamStalled):
        run(fault_server, collect)

    # Silence beyond the long budget still ends a pull.
    fault_server.route("POST", "/api/pull", lines=lines, stall_after=1)
    with pytest.raises(StreamStalled, match="middle of the reply"):
        run(fault_server, closes_itself(fault_server, body))


def test_stream_that_ends_cleanly_in_the_middle_of_a_line(fault_server: FaultServer) -> None:
    first = json.dumps(HELLO[0], ensure_ascii=False).encode() + b"\n"
    fault_server.route("POST", "/api/chat", lines=[first, b'{"model": "m", "mess'], raw=True)
    got: list[ChatChunk] = []
    with pytest.raises(StreamInterrupted, match="middle of a line"):
        run(fault_server, lambda client: collect(client, got))
    assert text_of(got) == "你好"
