"""Thinking, images, attachments and format through the chat service, against replayed
Ollama streams on a real loopback server (tests/support/fault_server.py)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.attachments import TextAttachment, attachments
from desktop.core.chat import ChatService, build_history
from desktop.core.export import conversation_markdown, export_data
from desktop.core.messages import ImagePart, Role, Status, ThinkingPart
from desktop.core.ollama.client import OllamaClient, Timeouts
from desktop.core.store import Store
from desktop.core.thinking import ThinkSplitter, split_text
from tests.support.fault_server import FaultServer

MODEL = "qwen3:0.6b"


def piece(content: str = "", thinking: str = "") -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if thinking:
        message["thinking"] = thinking
    return {"model": MODEL, "created_at": "2026-12-01T09:00:00Z", "message": message, "done": False}


FINAL: dict[str, Any] = {
    "model": MODEL,
    "created_at": "2026-12-01T09:00:01Z",
    "message": {"role": "assistant", "content": ""},
    "done": True,
    "done_reason": "stop",
    "eval_count": 9,
    "eval_duration": 1_000_000_000,
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "thinking.sqlite3")
    yield s
    s.close()


async def _reply(server: FaultServer, store: Store, conversation_id: int) -> tuple[Any, list[str], list[str]]:
    client = OllamaClient(server.url, timeouts=Timeouts(first_token=10, idle=10))
    answer: list[str] = []
    thought: list[str] = []
    try:
        service = ChatService(client, store, save_interval=0.05)
        outcome = await service.reply(conversation_id, on_delta=answer.append, on_thinking=thought.append)
    finally:
        await client.aclose()
    return outcome, answer, thought


def test_thinking_field_is_stored_apart_searchable_exported_and_never_sent_back(
    fault_server: FaultServer, store: Store
) -> None:
    lines = [
        piece(thinking="The user wants "),
        piece(thinking="a greeting."),
        piece("Hello"),
        piece(" there!"),
        FINAL,
    ]
    fault_server.route("POST", "/api/chat", lines=lines, delay=0.02)
    conv = store.create_conversation("t", model=MODEL, options={"think": True, "temperature": 0.2})
    store.add_message(conv.id, Role.USER, "Say hello")

    outcome, answer, thought = asyncio.run(_reply(fault_server, store, conv.id))

    assert outcome.status == Status.COMPLETE
    assert "".join(answer) == "Hello there!"
    assert "".join(thought) == "The user wants a greeting."
    reply = store.messages(conv.id)[-1]
    assert reply.content == "Hello there!"
    assert reply.parts == (ThinkingPart("The user wants a greeting."),)
    assert reply.metrics["thinking_seconds"] >= 0
    sent = fault_server.requests[0].json()
    # think and format are request fields, not model options.
    assert sent["think"] is True
    assert sent["options"] == {"temperature": 0.2}
    assert "format" not in sent
    hits = store.search("greeting")
    assert [h.message_id for h in hits] == [reply.id]
    assert "The user wants a greeting." in conversation_markdown(
        store.conversation(conv.id), store.messages(conv.id)
    )
    assert "The user wants a greeting." in str(export_data(store))
    # The next turn sends the answer only.
    history = build_history(store.conversation(conv.id), store.messages(conv.id))
    assert history[-1].content == "Hello there!"
    assert "greeting" not in str(history[-1].to_wire())


def test_think_tags_inside_content_are_split_the_same_way(fault_server: FaultServer, store: Store) -> None:
    lines = [
        piece("<th"),
        piece("ink>\nPondering"),
        piece(" deeply</thi"),
        piece("nk>\n\nThe answer"),
        piece(" is 4."),
        FINAL,
    ]
    fault_server.route("POST", "/api/chat", lines=lines)
    conv = store.create_conversation("t", model=MODEL, options={"think": "high", "format": "json"})
    store.add_message(conv.id, Role.USER, "2+2?")

    outcome, answer, thought = asyncio.run(_reply(fault_server, store, conv.id))

    assert "".join(answer) == "The answer is 4."
    assert "".join(thought) == "Pondering deeply"
    reply = store.messages(conv.id)[-1]
    assert reply.content == "The answer is 4."
    assert reply.parts == (ThinkingPart("Pondering deeply"),)
    sent = fault_server.requests[0].json()
    assert sent["think"] == "high" and sent["format"] == "json"
    assert "options" not in sent


def test_think_off_is_sent_as_false(fault_server: FaultServer, store: Store) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("Hi."), FINAL])
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    conv = store.create_conversation("t", model=MODEL, options={"think": False, "format": schema})
    store.add_message(conv.id, Role.USER, "hi")
    asyncio.run(_reply(fault_server, store, conv.id))
    sent = fault_server.requests[0].json()
    assert sent["think"] is False
    assert sent["format"] == schema
    assert store.messages(conv.id)[-1].parts == ()


def test_image_message_payload_is_plain_base64(fault_server: FaultServer, store: Store) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("A red square."), FINAL])
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    conv = store.create_conversation("t", model="llava:7b")
    store.add_message(conv.id, Role.USER, "What is this?", parts=[ImagePart("image/png", png, "red.png")])
    asyncio.run(_reply(fault_server, store, conv.id))
    sent = fault_server.requests[0].json()
    assert sent["messages"] == [
        {"role": "user", "content": "What is this?", "images": [base64.b64encode(png).decode("ascii")]}
    ]
    assert not sent["messages"][0]["images"][0].startswith("data:")
    # Kept with the message and in the export.
    stored = store.messages(conv.id)[0]
    assert stored.parts == (ImagePart("image/png", png, "red.png"),)


def test_attached_file_goes_in_as_context_before_the_text(fault_server: FaultServer, store: Store) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("It prints 3."), FINAL])
    attached = TextAttachment('sum "x".py', "print(1 + 2)\n")
    conv = store.create_conversation("t", model=MODEL)
    store.add_message(conv.id, Role.USER, "What does it print?", parts=[attached.part()])
    asyncio.run(_reply(fault_server, store, conv.id))
    content = fault_server.requests[0].json()["messages"][0]["content"]
    assert content == '<file name="sum &quot;x&quot;.py">\nprint(1 + 2)\n\n</file>\n\nWhat does it print?'
    assert attachments(store.messages(conv.id)[0]) == [attached]
    assert store.search("print")


def test_splitter_keeps_quoted_tags_after_the_answer_started() -> None:
    assert (
        split_text("Use <think> tags like <think>this</think>.").answer
        == "Use <think> tags like <think>this</think>."
    )
    assert split_text("  <think>a</think>b").thinking == "a"
    assert split_text("<think>unfinished").thinking == "unfinished"
    assert split_text("<thi").answer == "<thi"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab <>/thinkx\n", max_size=40), st.lists(st.integers(1, 6), max_size=30))
def test_splitter_gives_the_same_split_for_any_chunking(body: str, cuts: list[int]) -> None:
    text = f"<think>{body}</think>answer {body}"
    whole = split_text(text)
    splitter = ThinkSplitter()
    answer = thinking = ""
    position = 0
    for size in cuts:
        out = splitter.feed(text[position : position + size])
        answer, thinking = answer + out.answer, thinking + out.thinking
        position += size
    out = splitter.feed(text[position:])
    rest = splitter.finish()
    assert (answer + out.answer + rest.answer, thinking + out.thinking + rest.thinking) == (
        whole.answer,
        whole.thinking,
    )
    assert "</think>" not in whole.thinking
