"""A reply through ChatService on an OpenAI-compatible server (#15): text, reasoning_content
kept as the reply's thinking, usage as the stored metrics; a cut stream keeps the text as
interrupted."""

from __future__ import annotations

import asyncio
from pathlib import Path

from desktop.core.backends import OpenAIBackend
from desktop.core.chat import ChatService
from desktop.core.messages import Role, Status, ThinkingPart
from desktop.core.ollama.base import Timeouts
from desktop.core.store import Store
from tests.support.fault_server import FaultServer
from tests.support.sse_server import DONE_EVENT, SSE, delta, finish, usage

FAST = Timeouts(connect=2.0, request=3.0, first_token=3.0, idle=1.5)


def reply(fault: FaultServer, store: Store) -> int:
    conversation = store.create_conversation("t", model="qwen3", server="abc")
    store.add_message(conversation.id, Role.USER, "hi")

    async def main() -> int:
        async with OpenAIBackend(fault.url, timeouts=FAST) as backend:
            service = ChatService(backend, store, save_interval=0.05)  # type: ignore[arg-type]
            outcome = await service.reply(conversation.id, on_delta=lambda _t: None)
            return outcome.message_id

    return asyncio.run(main())


def test_reasoning_is_thinking_and_usage_is_metrics(fault_server: FaultServer, tmp_path: Path) -> None:
    fault_server.route(
        "POST",
        "/v1/chat/completions",
        raw=True,
        content_type=SSE,
        lines=[
            delta(reasoning="The user greets. "),
            delta(reasoning="Greet back."),
            delta("Hello"),
            delta(" there!"),
            finish("stop"),
            usage(9, 3),
            DONE_EVENT,
        ],
    )
    with Store(tmp_path / "desk.sqlite3") as store:
        message = store.message(reply(fault_server, store))
        assert message.content == "Hello there!" and message.status == Status.COMPLETE
        thinking = [p for p in message.parts if isinstance(p, ThinkingPart)]
        assert thinking and "".join(p.text for p in thinking) == "The user greets. Greet back."
        assert message.metrics["eval_count"] == 3 and message.metrics["prompt_eval_count"] == 9
        assert message.metrics["tokens_per_second"] >= 0
    sent = fault_server.requests[-1].json()
    assert sent["model"] == "qwen3" and sent["messages"][-1] == {"role": "user", "content": "hi"}


def test_a_cut_stream_keeps_the_text_as_interrupted(fault_server: FaultServer, tmp_path: Path) -> None:
    lines = [delta("part one "), delta("part two"), finish("stop"), DONE_EVENT]
    fault_server.route(
        "POST",
        "/v1/chat/completions",
        raw=True,
        content_type=SSE,
        lines=lines,
        cut_after=len(lines[0]) + len(lines[1]) + 5,
    )
    with Store(tmp_path / "desk.sqlite3") as store:
        message = store.message(reply(fault_server, store))
        assert message.status == Status.INTERRUPTED and message.content == "part one part two"
        assert message.error
