"""A real reasoning-style stream through the real engine: the starter model under a chat
template that opens `<think>` (tests/engine/test_thinking.py's forge), answered through the
chat service, the thinking stored apart from the answer; think off; an image to a model
without vision is the engine's 400, kept as a plain error."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.chat import ChatService
from desktop.core.messages import ImagePart, Role, Status, ThinkingPart
from desktop.core.ollama.client import OllamaClient
from desktop.core.store import Store
from desktop.engine.starter import starter_gguf
from tests.engine.test_thinking import THINKING_TEMPLATE, create
from tests.support.gguf_forge import STRING, forge

pytestmark = pytest.mark.engine
FAST = {"num_predict": 24, "seed": 7, "temperature": 0}


@pytest.fixture(scope="module")
def thinker(engine_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    source = starter_gguf()
    assert source is not None
    path = forge(
        source,
        tmp_path_factory.mktemp("thinker") / "thinker.gguf",
        changes={"tokenizer.chat_template": (STRING, THINKING_TEMPLATE)},
    )
    create(engine_url, "deskthinker:1", path)
    return "deskthinker:1"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "engine-thinking.sqlite3")
    yield s
    s.close()


async def _reply(url: str, store: Store, conversation_id: int) -> tuple[object, str, str]:
    answer: list[str] = []
    thought: list[str] = []
    async with OllamaClient(url) as client:
        outcome = await ChatService(client, store).reply(
            conversation_id, on_delta=answer.append, on_thinking=thought.append
        )
    return outcome, "".join(answer), "".join(thought)


def test_engine_thinking_stream_is_stored_apart(engine_url: str, thinker: str, store: Store) -> None:
    conv = store.create_conversation("t", model=thinker, options={**FAST, "think": "high"})
    store.add_message(conv.id, Role.USER, "Which city is the capital of France?")
    outcome, answer, thought = asyncio.run(_reply(engine_url, store, conv.id))
    assert outcome.status == Status.COMPLETE
    assert thought.strip(), "the engine sent no thinking"
    reply = store.messages(conv.id)[-1]
    assert reply.parts and isinstance(reply.parts[0], ThinkingPart)
    assert reply.parts[0].text == thought
    assert reply.content == answer
    assert "<think>" not in reply.content and "</think>" not in reply.content
    assert reply.metrics["thinking_seconds"] >= 0


def test_engine_think_off_gives_no_thinking(engine_url: str, thinker: str, store: Store) -> None:
    conv = store.create_conversation("t", model=thinker, options={**FAST, "think": False})
    store.add_message(conv.id, Role.USER, "Which city is the capital of France?")
    outcome, answer, thought = asyncio.run(_reply(engine_url, store, conv.id))
    assert outcome.status == Status.COMPLETE
    assert thought == "" and answer.strip()
    assert store.messages(conv.id)[-1].parts == ()


def test_engine_image_without_vision_is_a_plain_error(engine_url: str, store: Store) -> None:
    conv = store.create_conversation("t", model="smollm2:135m", options=FAST)
    png = b"\x89PNG\r\n\x1a\n0000"
    store.add_message(conv.id, Role.USER, "What is this?", parts=[ImagePart("image/png", png, "x.png")])
    outcome, answer, _ = asyncio.run(_reply(engine_url, store, conv.id))
    assert outcome.status == Status.ERROR and answer == ""
    assert "does not support vision" in store.messages(conv.id)[-1].error


def test_engine_schema_reply_follows_the_schema(engine_url: str, store: Store) -> None:
    from desktop.core.structured import check

    schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    conv = store.create_conversation(
        "t", model="smollm2:135m", options={**FAST, "num_predict": 48, "format": schema}
    )
    store.add_message(conv.id, Role.USER, "Which city is the capital of France? Answer in JSON.")
    outcome, answer, _ = asyncio.run(_reply(engine_url, store, conv.id))
    assert outcome.status == Status.COMPLETE
    assert check(answer, schema).valid, answer
    assert store.messages(conv.id)[-1].metrics["format_schema"] == schema
