"""The tool loop end to end with the real engine and the starter model (SmolLM2-135M,
whose template has no tool syntax, so the engine's grammar form makes the call): the
calculator question gives a valid call, the tool runs, the final answer streams; a
greeting runs no tool; the same through ChatService with the call and result stored."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import pytest

from desktop.core.chat import ChatService
from desktop.core.messages import Role, ToolCallPart, ToolResultPart
from desktop.core.ollama import ChatMessage, OllamaClient, Timeouts
from desktop.core.store import Store
from desktop.core.tools import ToolLoop
from desktop.core.tools.builtins import calculator_tool, time_tool
from desktop.core.tools.choices import ToolChoice
from desktop.core.tools.service import ToolsService

pytestmark = pytest.mark.engine
MODEL = "smollm2:135m"
FAST = {"num_predict": 48, "seed": 42, "temperature": 0}
QUESTION = "Use the calculator: what is 23*19?"


def test_a_calculator_question_runs_the_calculator_and_the_answer_streams(engine_url: str) -> None:
    async def main() -> tuple[list[Any], ToolLoop]:
        async with OllamaClient(engine_url, timeouts=Timeouts(first_token=120, idle=60)) as client:
            loop = ToolLoop(client, [calculator_tool(), time_tool()])  # the default round limit
            chunks = [c async for c in loop.stream(MODEL, [ChatMessage("user", QUESTION)], FAST)]
        return chunks, loop

    chunks, loop = asyncio.run(main())
    call, result = loop.parts[0], loop.parts[1]
    assert isinstance(call, ToolCallPart) and call.name == "calculator"
    assert isinstance(call.arguments.get("expression"), str)
    assert isinstance(result, ToolResultPart) and result.name == "calculator"
    assert result.content == "437" and not result.is_error, (call, result)
    assert chunks[-1].done and chunks[-1].metrics is not None
    assert "".join(c.content for c in chunks).strip()  # the final answer streamed text


def test_a_greeting_with_tools_on_runs_no_tool(engine_url: str) -> None:
    async def main() -> tuple[str, ToolLoop]:
        async with OllamaClient(engine_url, timeouts=Timeouts(first_token=120, idle=60)) as client:
            loop = ToolLoop(client, [calculator_tool(), time_tool()])
            text = "".join(
                [c.content async for c in loop.stream(MODEL, [ChatMessage("user", "Hello!")], FAST)]
            )
        return text, loop

    text, loop = asyncio.run(main())
    assert loop.parts == [] and text.strip()


def test_a_chat_with_tools_on_stores_the_call_and_result(engine_url: str, tmp_path: Any) -> None:
    store = Store(tmp_path / "s.db")
    conversation = store.create_conversation("maths", model=MODEL)
    store.update_conversation(conversation.id, options=FAST)
    store.add_message(conversation.id, Role.USER, QUESTION)

    async def main() -> str:
        async with OllamaClient(engine_url, timeouts=Timeouts(first_token=120, idle=60)) as client:
            tools = ToolsService(store, lambda conv: client)
            tools.set_choice(conversation.id, ToolChoice(on=True, enabled=frozenset({"calculator"})))
            service = ChatService(client, store, tools=tools.loop_for)
            seen: list[str] = []
            outcome = await service.reply(conversation.id, on_delta=seen.append)
            assert outcome.status == "complete"
            return "".join(seen)

    streamed = asyncio.run(main())
    reply = store.messages(conversation.id)[-1]
    assert reply.content == streamed and streamed.strip()
    kinds = [p.kind for p in reply.parts]
    assert kinds[:2] == ["tool_call", "tool_result"]
    assert reply.parts[1].content == "437"  # type: ignore[union-attr]


def test_ask_with_an_unknown_tool_is_a_plain_error(engine_url: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "ask",
            "--tools",
            "shell",
            "--host",
            engine_url,
            "--model",
            MODEL,
            "hi",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip().startswith("Unknown tool 'shell'")


def test_the_prompted_protocol_with_format_works_on_the_real_model(engine_url: str) -> None:
    # What a server without tool support gets: tools in the system prompt, the reply held to
    # {"tool", "arguments"} | {"answer"} by a `format` schema (the engine's JSON-schema grammar).
    async def main() -> tuple[str, ToolLoop]:
        async with OllamaClient(engine_url, timeouts=Timeouts(first_token=120, idle=60)) as client:
            # The default round limit: after the result it may call again or answer.
            loop = ToolLoop(client, [calculator_tool()], native=False)
            chunks = [c async for c in loop.stream(MODEL, [ChatMessage("user", QUESTION)], FAST)]
        return "".join(c.content for c in chunks), loop

    text, loop = asyncio.run(main())
    assert len(loop.parts) >= 2, text
    call, result = loop.parts[0], loop.parts[1]
    assert isinstance(call, ToolCallPart) and call.name == "calculator"
    assert isinstance(result, ToolResultPart) and result.content == "437", (call, result)
    assert text.strip() and not text.lstrip().startswith("{"), text  # an answer, not one more call


class RecordingClient(OllamaClient):
    """The real client, remembering the messages of every request (what the engine was sent)."""

    sent: list[list[ChatMessage]]

    def chat(self, model: str, messages: Any, **kwargs: Any) -> Any:
        self.sent.append(list(messages))
        return super().chat(model, messages, **kwargs)


def test_a_follow_up_turn_sends_the_earlier_call_and_result(engine_url: str, tmp_path: Any) -> None:
    store = Store(tmp_path / "s.db")
    conversation = store.create_conversation("maths", model=MODEL)
    store.update_conversation(conversation.id, options=FAST)
    store.add_message(conversation.id, Role.USER, QUESTION)

    async def main() -> tuple[list[ChatMessage], list[str]]:
        async with RecordingClient(engine_url, timeouts=Timeouts(first_token=300, idle=120)) as client:
            client.sent = []
            tools = ToolsService(store, lambda conv: client)
            tools.set_choice(conversation.id, ToolChoice(on=True, enabled=frozenset({"calculator"})))
            service = ChatService(client, store, tools=tools.loop_for)
            answers = []
            starts = []
            for prompt in (None, "What number did the calculator give? Answer: the number."):
                if prompt:
                    store.add_message(conversation.id, Role.USER, prompt)
                starts.append(len(client.sent))
                seen: list[str] = []
                outcome = await service.reply(conversation.id, on_delta=seen.append)
                assert outcome.status == "complete", outcome.error
                answers.append("".join(seen))
            return client.sent[starts[1]], answers  # the follow-up's first request

    follow_up, answers = asyncio.run(main())
    first_reply = store.messages(conversation.id)[1]
    assert [p.kind for p in first_reply.parts][:2] == ["tool_call", "tool_result"]
    roles = [m.role for m in follow_up]
    assert roles == ["user", "assistant", "tool", "assistant", "user"], roles
    assert follow_up[1].tool_calls[0].name == "calculator" and follow_up[2].content == "437"
    assert follow_up[3].content == first_reply.content
    assert all(answer.strip() for answer in answers)
    assert "437" in answers[1]  # measured: "The calculator returned: 437"
