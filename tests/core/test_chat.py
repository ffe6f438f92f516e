"""The chat service against a real loopback server that streams, cuts, stalls and fails."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.chat import ChatService, build_history
from desktop.core.ollama.client import OllamaClient, Timeouts
from desktop.core.ollama.errors import ModelNotFound, OllamaError
from desktop.core.store import Store
from tests.support.fault_server import FaultServer

MODEL = "smollm2:135m"


def piece(text: str) -> dict[str, Any]:
    return {
        "model": MODEL,
        "created_at": "2026-11-22T22:00:00Z",
        "message": {"role": "assistant", "content": text},
        "done": False,
    }


FINAL: dict[str, Any] = {
    "model": MODEL,
    "created_at": "2026-11-22T22:00:01Z",
    "message": {"role": "assistant", "content": ""},
    "done": True,
    "done_reason": "stop",
    "total_duration": 2_000_000_000,
    "load_duration": 500_000_000,
    "prompt_eval_count": 11,
    "prompt_eval_duration": 100_000_000,
    "eval_count": 20,
    "eval_duration": 1_000_000_000,
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "chat.sqlite3"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    s = Store(db)
    yield s
    s.close()


def _line_bytes(line: dict[str, Any]) -> int:
    return len(json.dumps(line, ensure_ascii=False).encode("utf-8")) + 1


async def _reply(
    server: FaultServer,
    store: Store,
    conversation_id: int,
    *,
    save_interval: float = 1.0,
    timeouts: Timeouts | None = None,
    continue_message_id: int | None = None,
) -> tuple[Any, list[str]]:
    client = OllamaClient(server.url, timeouts=timeouts or Timeouts(first_token=10, idle=10))
    deltas: list[str] = []
    try:
        service = ChatService(client, store, save_interval=save_interval)
        outcome = await service.reply(
            conversation_id, on_delta=deltas.append, continue_message_id=continue_message_id
        )
    finally:
        await client.aclose()
    return outcome, deltas


def test_a_streamed_reply_is_persisted_with_metrics_and_options(
    fault_server: FaultServer, store: Store
) -> None:
    conv = store.create_conversation(
        "t", MODEL, "Be brief.", {"temperature": 0.3, "num_ctx": 4096, "seed": 7}
    )
    store.add_message(conv.id, "user", "Hi")
    fault_server.route("POST", "/api/chat", lines=[piece("Hel"), piece("lo, "), piece("世界"), FINAL])

    outcome, deltas = asyncio.run(_reply(fault_server, store, conv.id))

    assert deltas == ["Hel", "lo, ", "世界"]
    assert (outcome.status, outcome.text, outcome.error) == ("complete", "Hello, 世界", None)
    assert outcome.metrics is not None and outcome.metrics.eval_count == 20
    saved = store.messages(conv.id)[-1]
    assert saved.id == outcome.message_id
    assert (saved.role, saved.content, saved.status, saved.model, saved.error) == (
        "assistant",
        "Hello, 世界",
        "complete",
        MODEL,
        "",
    )
    assert saved.metrics["tokens_per_second"] == 20.0
    assert saved.metrics["eval_count"] == 20 and saved.metrics["load_duration"] == 500_000_000
    assert saved.metrics["load_seconds"] == 0.5 and saved.metrics["done_reason"] == "stop"
    sent = fault_server.requests[-1].json()
    assert sent["model"] == MODEL
    assert sent["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    assert sent["options"] == {"temperature": 0.3, "num_ctx": 4096, "seed": 7}


def test_history_leaves_out_failed_and_empty_replies(fault_server: FaultServer, store: Store) -> None:
    conv = store.create_conversation("t", MODEL)
    store.add_message(conv.id, "user", "q1")
    failed = store.add_message(conv.id, "assistant", "", status="error")
    store.update_message(failed.id, error="model not found")
    store.add_message(conv.id, "assistant", "   ", status="complete")
    store.add_message(conv.id, "user", "q2")
    store.add_message(conv.id, "assistant", "partial answer", status="interrupted")
    store.add_message(conv.id, "user", "q3")
    store.add_message(conv.id, "user", "")
    fault_server.route("POST", "/api/chat", lines=[piece("ok"), FINAL])

    asyncio.run(_reply(fault_server, store, conv.id))

    sent = fault_server.requests[-1].json()
    assert sent["messages"] == [
        {"role": "user", "content": "q1"},
        {"role": "user", "content": "q2"},
        {"role": "assistant", "content": "partial answer"},
        {"role": "user", "content": "q3"},
    ]
    assert "options" not in sent or not sent["options"]  # no options set: none sent
    # The history sent is what build_history says, and a no-system conversation sends none.
    assert [m.content for m in build_history(store.conversation(conv.id), store.messages(conv.id)[:-1])] == [
        "q1",
        "q2",
        "partial answer",
        "q3",
    ]


def test_a_cut_mid_stream_keeps_the_partial_text_as_interrupted(
    fault_server: FaultServer, store: Store
) -> None:
    conv = store.create_conversation("t", MODEL)
    store.add_message(conv.id, "user", "Tell me a story")
    lines = [piece("Once "), piece("upon "), piece("a time"), piece(" there"), FINAL]
    cut = _line_bytes(lines[0]) + _line_bytes(lines[1]) + 7
    fault_server.route("POST", "/api/chat", lines=lines, cut_after=cut)

    outcome, deltas = asyncio.run(_reply(fault_server, store, conv.id))

    assert outcome.status == "interrupted" and isinstance(outcome.error, OllamaError)
    assert outcome.text == "Once upon " == "".join(deltas)
    saved = store.message(outcome.message_id)
    assert (saved.content, saved.status) == ("Once upon ", "interrupted")
    assert saved.error == str(outcome.error) and saved.error


def test_a_stalled_stream_is_interrupted_with_its_text(fault_server: FaultServer, store: Store) -> None:
    conv = store.create_conversation("t", MODEL)
    store.add_message(conv.id, "user", "hi")
    fault_server.route("POST", "/api/chat", lines=[piece("a"), piece("b"), piece("c"), FINAL], stall_after=2)

    outcome, _ = asyncio.run(_reply(fault_server, store, conv.id, timeouts=Timeouts(first_token=5, idle=0.5)))

    assert outcome.status == "interrupted" and outcome.text == "ab"
    assert store.message(outcome.message_id).status == "interrupted"


def test_an_error_before_any_text_is_an_error_reply_left_out_of_the_next_history(
    fault_server: FaultServer, store: Store
) -> None:
    conv = store.create_conversation("t", "missing:1b")
    store.add_message(conv.id, "user", "hi")
    fault_server.route("POST", "/api/chat", status=404, body={"error": "model 'missing:1b' not found"})

    outcome, deltas = asyncio.run(_reply(fault_server, store, conv.id))

    assert deltas == [] and outcome.status == "error" and isinstance(outcome.error, ModelNotFound)
    saved = store.message(outcome.message_id)
    assert (saved.content, saved.status) == ("", "error") and saved.error
    fault_server.route("POST", "/api/chat", lines=[piece("hello"), FINAL])
    store.update_conversation(conv.id, model=MODEL)
    store.add_message(conv.id, "user", "again")
    asyncio.run(_reply(fault_server, store, conv.id))
    assert fault_server.requests[-1].json()["messages"] == [
        {"role": "user", "content": "hi"},
        {"role": "user", "content": "again"},
    ]


def test_cancelling_saves_the_text_as_stopped_and_hangs_up(fault_server: FaultServer, store: Store) -> None:
    conv = store.create_conversation("t", MODEL)
    store.add_message(conv.id, "user", "count")
    fault_server.route("POST", "/api/chat", lines=[piece(f"{i} ") for i in range(100)] + [FINAL], delay=0.05)

    async def scenario() -> list[str]:
        client = OllamaClient(fault_server.url, timeouts=Timeouts(first_token=10, idle=10))
        deltas: list[str] = []
        enough = asyncio.Event()

        def on_delta(text: str) -> None:
            deltas.append(text)
            if len(deltas) >= 3:
                enough.set()

        service = ChatService(client, store, save_interval=60)
        task = asyncio.create_task(service.reply(conv.id, on_delta=on_delta))
        await asyncio.wait_for(enough.wait(), 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await client.aclose()
        return deltas

    deltas = asyncio.run(scenario())
    saved = store.messages(conv.id)[-1]
    assert (saved.role, saved.status, saved.error) == ("assistant", "stopped", "")
    assert saved.content == "".join(deltas) and len(deltas) < 100
    assert fault_server.requests[-1].client_closed.wait(5), "the client kept the stream open after a stop"


def test_the_text_is_saved_while_it_streams(fault_server: FaultServer, store: Store, db: Path) -> None:
    conv = store.create_conversation("t", MODEL)
    store.add_message(conv.id, "user", "slowly")
    pieces = [f"word{i} " for i in range(12)]
    fault_server.route("POST", "/api/chat", lines=[piece(p) for p in pieces] + [FINAL], delay=0.15)
    interval = 0.2

    async def scenario() -> tuple[list[tuple[float, int]], list[tuple[float, str, str]]]:
        client = OllamaClient(fault_server.url, timeouts=Timeouts(first_token=10, idle=10))
        loop = asyncio.get_running_loop()
        arrived: list[tuple[float, int]] = []  # (time, characters received so far)
        seen: list[tuple[float, str, str]] = []  # (time, status, content) read by another connection
        received = 0

        def on_delta(text: str) -> None:
            nonlocal received
            received += len(text)
            arrived.append((loop.time(), received))

        service = ChatService(client, store, save_interval=interval)
        task = asyncio.create_task(service.reply(conv.id, on_delta=on_delta))
        with Store(db) as reader:
            while not task.done():
                last = reader.messages(conv.id)[-1]
                if last.role == "assistant":
                    seen.append((loop.time(), last.status, last.content))
                await asyncio.sleep(0.05)
        await task
        await client.aclose()
        return arrived, seen

    arrived, seen = asyncio.run(scenario())
    final = "".join(pieces)
    assert store.messages(conv.id)[-1].content == final
    partial = [
        content for _, status, content in seen if status == "streaming" and 0 < len(content) < len(final)
    ]
    assert len(set(partial)) >= 3, seen  # the other connection watched the reply grow
    # Nothing that arrived more than one interval (plus scheduling slack) before a read was unsaved.
    for when, status, content in seen:
        owed = max((n for t, n in arrived if t <= when - interval - 0.1), default=0)
        assert len(content) >= owed, (when, status, content, owed)


def test_continue_appends_to_an_interrupted_reply(fault_server: FaultServer, store: Store) -> None:
    conv = store.create_conversation("t", MODEL, "Tell stories.")
    store.add_message(conv.id, "user", "Tell a story")
    partial = store.add_message(conv.id, "assistant", "Once upon a", status="interrupted", model=MODEL)
    store.update_message(partial.id, error="The connection was cut.")
    fault_server.route("POST", "/api/chat", lines=[piece(" time"), piece(" there was a cat."), FINAL])

    outcome, deltas = asyncio.run(_reply(fault_server, store, conv.id, continue_message_id=partial.id))

    assert deltas == [" time", " there was a cat."]
    assert outcome.message_id == partial.id and outcome.status == "complete"
    assert outcome.text == "Once upon a time there was a cat."
    messages = store.messages(conv.id)
    assert len(messages) == 2
    assert (messages[1].content, messages[1].status, messages[1].error) == (outcome.text, "complete", "")
    assert fault_server.requests[-1].json()["messages"] == [
        {"role": "system", "content": "Tell stories."},
        {"role": "user", "content": "Tell a story"},
        {"role": "assistant", "content": "Once upon a"},
    ]


def test_continue_and_reply_refuse_what_cannot_be_answered(fault_server: FaultServer, store: Store) -> None:
    conv = store.create_conversation("t", MODEL)
    old = store.add_message(conv.id, "assistant", "old", status="stopped")
    question = store.add_message(conv.id, "user", "question")
    no_model = store.create_conversation("t")
    store.add_message(no_model.id, "user", "hi")
    for conversation_id, continue_id in ((conv.id, old.id), (conv.id, question.id), (no_model.id, None)):
        with pytest.raises(ValueError):
            asyncio.run(_reply(fault_server, store, conversation_id, continue_message_id=continue_id))
    assert fault_server.requests == []
    assert [m.id for m in store.messages(conv.id)] == [old.id, question.id]


def test_a_stream_that_ends_without_done_is_interrupted(fault_server: FaultServer, store: Store) -> None:
    conv = store.create_conversation("t", MODEL)
    store.add_message(conv.id, "user", "hi")
    fault_server.route("POST", "/api/chat", lines=[piece("only "), piece("this")])

    outcome, _ = asyncio.run(_reply(fault_server, store, conv.id))

    assert (outcome.status, outcome.text) == ("interrupted", "only this")
    assert store.message(outcome.message_id).status == "interrupted"


def test_a_failing_callback_still_leaves_the_text_saved(fault_server: FaultServer, store: Store) -> None:
    conv = store.create_conversation("t", MODEL)
    store.add_message(conv.id, "user", "hi")
    fault_server.route("POST", "/api/chat", lines=[piece("a"), piece("b"), FINAL])

    async def scenario() -> None:
        client = OllamaClient(fault_server.url)

        def on_delta(text: str) -> None:
            if text == "b":
                raise RuntimeError("widget gone")

        try:
            await ChatService(client, store).reply(conv.id, on_delta=on_delta)
        finally:
            await client.aclose()

    with pytest.raises(RuntimeError, match="widget gone"):
        asyncio.run(scenario())
    saved = store.messages(conv.id)[-1]
    assert (saved.content, saved.status) == ("ab", "interrupted") and "widget gone" in saved.error


def test_text_that_arrives_before_a_silence_is_saved_during_the_silence(
    fault_server: FaultServer, store: Store, db: Path
) -> None:
    conv = store.create_conversation("t", MODEL)
    store.add_message(conv.id, "user", "hi")
    # One piece, then nothing: only the save timer can write it before the stall ends.
    fault_server.route(
        "POST", "/api/chat", lines=[piece("first words"), piece("never"), FINAL], stall_after=1
    )

    async def scenario() -> tuple[Any, list[tuple[str, str]]]:
        client = OllamaClient(fault_server.url, timeouts=Timeouts(first_token=10, idle=1.5))
        service = ChatService(client, store, save_interval=0.3)
        task = asyncio.create_task(service.reply(conv.id, on_delta=lambda _: None))
        seen: list[tuple[str, str]] = []
        with Store(db) as reader:
            while not task.done():
                last = reader.messages(conv.id)[-1]
                seen.append((last.status, last.content))
                await asyncio.sleep(0.05)
        outcome = await task
        await client.aclose()
        return outcome, seen

    outcome, seen = asyncio.run(scenario())
    assert ("streaming", "first words") in seen
    assert (outcome.status, outcome.text) == ("interrupted", "first words")


@pytest.mark.engine
def test_a_real_model_reply_is_persisted_and_continue_appends_to_it(engine_url: str, store: Store) -> None:
    """End to end with the embedded engine and the SmolLM2 starter model.

    Whether the model extends the partial text (rather than starting over) is the
    server's chat template's business; here: the continuation lands in the same message.
    """
    conv = store.create_conversation(
        "real", MODEL, "Answer briefly.", {"temperature": 0, "seed": 1, "num_predict": 8}
    )
    store.add_message(conv.id, "user", "Name three colours.")

    async def scenario() -> tuple[Any, Any]:
        client = OllamaClient(engine_url, timeouts=Timeouts(first_token=120, idle=60))
        try:
            service = ChatService(client, store, save_interval=0.2)
            first = await service.reply(conv.id, on_delta=lambda _: None)
            more = await service.reply(conv.id, on_delta=lambda _: None, continue_message_id=first.message_id)
        finally:
            await client.aclose()
        return first, more

    first, more = asyncio.run(scenario())
    assert first.status == "complete" and first.text.strip(), first
    assert first.metrics is not None and 0 < first.metrics.eval_count <= 8
    assert more.status == "complete" and more.message_id == first.message_id
    assert more.text.startswith(first.text) and len(more.text) >= len(first.text)
    saved = store.message(first.message_id)
    assert (saved.content, saved.status) == (more.text, "complete")
    assert saved.metrics["eval_count"] > 0 and saved.metrics["tokens_per_second"] > 0


def test_deleting_the_conversation_mid_reply_stops_it_quietly(
    fault_server: FaultServer, store: Store, db: Path
) -> None:
    conv = store.create_conversation("t", MODEL)
    store.add_message(conv.id, "user", "long answer please")
    fault_server.route("POST", "/api/chat", lines=[piece(f"{i} ") for i in range(100)] + [FINAL], delay=0.05)

    async def scenario() -> Any:
        client = OllamaClient(fault_server.url, timeouts=Timeouts(first_token=10, idle=10))
        deltas: list[str] = []
        service = ChatService(client, store, save_interval=0.05)
        task = asyncio.create_task(service.reply(conv.id, on_delta=deltas.append))
        while len(deltas) < 3:
            await asyncio.sleep(0.02)
        with Store(db) as other:  # the UI deleting it, say
            other.delete_conversation(conv.id)
        outcome = await asyncio.wait_for(task, 10)
        await client.aclose()
        return outcome

    outcome = asyncio.run(scenario())
    assert outcome.status == "stopped" and outcome.error is None
    assert store.conversations() == []
    assert fault_server.requests[-1].client_closed.wait(5), "the server kept generating for a deleted chat"
