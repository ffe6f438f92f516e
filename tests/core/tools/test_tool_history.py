"""Earlier turns' tool calls and results go back with the next turn's history, over real HTTP
(the loopback fault server records each request body): Ollama's shape (assistant `tool_calls`,
then `role: tool` with `tool_name`) and the OpenAI one (`tool_calls` with ids, `role: tool` with
the matching `tool_call_id`), rebuilt from the stored parts; thinking is never sent back."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from desktop.core.backends import OpenAIBackend
from desktop.core.chat import ChatService
from desktop.core.chat_history import build_history, continued_history
from desktop.core.messages import Role, Status, ThinkingPart, ToolCallPart, ToolResultPart
from desktop.core.ollama import OllamaClient, Timeouts
from desktop.core.store import Store
from desktop.core.tools.choices import ToolChoice
from desktop.core.tools.service import ToolsService
from tests.core.tools.test_tool_loop import call, line
from tests.support.fault_server import FaultServer
from tests.support.sse_server import DONE_EVENT, SSE, chunk, event, finish, reply

FAST = Timeouts(connect=2.0, request=5.0, first_token=5.0, idle=5.0)
QUESTION = "What is 6*7?"
FOLLOW_UP = "And twice that?"
SECRET_THOUGHT = "I should use the calculator for this."


def two_turns(store: Store, make_client: Any) -> int:
    """A tool turn, then a plain follow-up, through ChatService with the calculator on."""
    conversation = store.create_conversation("maths", model="qwen3")
    store.add_message(conversation.id, Role.USER, QUESTION)

    async def main() -> None:
        async with make_client() as client:
            await turns(client)

    async def turns(client: Any) -> None:
        tools = ToolsService(store, lambda _conversation: client)
        tools.set_choice(conversation.id, ToolChoice(on=True, enabled=frozenset({"calculator"})))
        service = ChatService(client, store, save_interval=0.05, tools=tools.loop_for)
        first = await service.reply(conversation.id, on_delta=lambda _t: None)
        assert first.status == Status.COMPLETE, first.error
        store.add_message(conversation.id, Role.USER, FOLLOW_UP)
        second = await service.reply(conversation.id, on_delta=lambda _t: None)
        assert second.status == Status.COMPLETE, second.error

    asyncio.run(main())
    return conversation.id


def test_ollama_gets_the_earlier_tool_call_and_result(fault_server: FaultServer, tmp_path: Path) -> None:
    thought = line()
    thought["message"]["thinking"] = SECRET_THOUGHT
    fault_server.route(
        "POST",
        "/api/chat",
        once=True,
        lines=[
            thought,
            line(calls=[call("calculator", {"expression": "6*7"}, 0, "call_ab12cd34")]),
            line(done=True),
        ],
    )
    fault_server.route("POST", "/api/chat", once=True, lines=[line("It is 42."), line(done=True)])
    fault_server.route("POST", "/api/chat", once=True, lines=[line("84."), line(done=True)])
    with Store(tmp_path / "desk.sqlite3") as store:
        conversation_id = two_turns(store, lambda: OllamaClient(fault_server.url, timeouts=FAST))
        stored = store.messages(conversation_id)[1]
        assert any(isinstance(p, ThinkingPart) for p in stored.parts)  # kept, shown, never sent

    chats = [r for r in fault_server.requests if r.route_path == "/api/chat"]
    assert len(chats) == 3
    third = chats[2].json()
    assert third["messages"] == [
        {"role": "user", "content": QUESTION},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "id": "call_ab12cd34",
                    "function": {"index": 0, "name": "calculator", "arguments": {"expression": "6*7"}},
                }
            ],
        },
        {"role": "tool", "content": "42", "tool_name": "calculator"},
        {"role": "assistant", "content": "It is 42."},
        {"role": "user", "content": FOLLOW_UP},
    ]
    assert "tools" in third  # the follow-up may call again
    assert SECRET_THOUGHT not in chats[1].body.decode() + chats[2].body.decode()


def sse_call(call_id: str, name: str, arguments: dict[str, Any]) -> bytes:
    wire = {
        "index": 0,
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments)},
    }
    return event(chunk({"tool_calls": [wire]}))


def test_an_openai_server_gets_tool_calls_with_ids_and_tool_call_ids(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    path = "/v1/chat/completions"
    thinking = event(chunk({"reasoning_content": SECRET_THOUGHT}))
    first = [
        thinking,
        sse_call("call_9", "calculator", {"expression": "6*7"}),
        finish("tool_calls"),
        DONE_EVENT,
    ]
    fault_server.route("POST", path, once=True, raw=True, content_type=SSE, lines=first)
    fault_server.route("POST", path, once=True, raw=True, content_type=SSE, lines=reply("It is 42."))
    fault_server.route("POST", path, once=True, raw=True, content_type=SSE, lines=reply("84."))
    with Store(tmp_path / "desk.sqlite3") as store:
        two_turns(store, lambda: OpenAIBackend(fault_server.url, timeouts=FAST))

    chats = [r for r in fault_server.requests if r.route_path == path]
    assert len(chats) == 3
    messages = chats[2].json()["messages"]
    assert messages[0] == {"role": "user", "content": QUESTION}
    assert messages[1]["role"] == "assistant" and not messages[1]["content"]
    assert messages[1]["tool_calls"] == [
        {
            "id": "call_9",
            "type": "function",
            "function": {"name": "calculator", "arguments": '{"expression": "6*7"}'},
        }
    ]
    assert messages[2]["role"] == "tool" and messages[2]["tool_call_id"] == "call_9"
    assert messages[2]["content"] == "42"
    assert messages[3:] == [
        {"role": "assistant", "content": "It is 42."},
        {"role": "user", "content": FOLLOW_UP},
    ]
    assert SECRET_THOUGHT not in chats[1].body.decode() + chats[2].body.decode()


def test_rounds_unanswered_calls_and_repeated_ids(tmp_path: Path) -> None:
    # Two rounds in one reply (the second with two calls), then a reply stopped while its tool ran,
    # whose ids repeat the first reply's (the loop numbers recovered calls afresh per reply).
    with Store(tmp_path / "desk.sqlite3") as store:
        conversation = store.create_conversation("t", model="m", system="Be brief.")
        store.add_message(conversation.id, Role.USER, "q1")
        first = store.add_message(conversation.id, Role.ASSISTANT, "Done.")
        store.set_parts(
            first.id,
            [
                ThinkingPart("hidden"),
                ToolCallPart("call_1", "calculator", {"expression": "1+1"}),
                ToolResultPart("call_1", "calculator", "2"),
                ToolCallPart("call_2", "current_time", {}),
                ToolCallPart("call_3", "calculator", {"expression": "2*3"}),
                ToolResultPart("call_3", "calculator", "6"),
                ToolResultPart("call_2", "current_time", "noon", is_error=True),
            ],
        )
        store.add_message(conversation.id, Role.USER, "q2")
        second = store.add_message(conversation.id, Role.ASSISTANT, "", status=Status.STOPPED)
        store.set_parts(
            second.id,
            [
                ToolCallPart("call_1", "calculator", {"expression": "3+3"}),
                ToolResultPart("call_1", "calculator", "6"),
                ToolCallPart("call_2", "calculator", {"expression": "9**9"}),  # stopped: no result
            ],
        )
        store.add_message(conversation.id, Role.USER, "q3")
        history = build_history(store.conversation(conversation.id), store.messages(conversation.id))

    shape = [(m.role, m.content, [(c.id, c.name) for c in m.tool_calls], m.tool_name) for m in history]
    assert shape == [
        ("system", "Be brief.", [], ""),
        ("user", "q1", [], ""),
        ("assistant", "", [("call_1", "calculator")], ""),
        ("tool", "2", [], "calculator"),
        ("assistant", "", [("call_2", "current_time"), ("call_3", "calculator")], ""),
        ("tool", "noon", [], "current_time"),  # in the calls' order, as the wire pairs them
        ("tool", "6", [], "calculator"),
        ("assistant", "Done.", [], ""),
        ("user", "q2", [], ""),
        ("assistant", "", [("call_1_2", "calculator")], ""),
        ("tool", "6", [], "calculator"),
        ("user", "q3", [], ""),
    ]
    assert all(not m.thinking and "hidden" not in m.content for m in history)


def test_continuing_a_cut_reply_sends_its_tool_round_then_its_partial_text(tmp_path: Path) -> None:
    with Store(tmp_path / "desk.sqlite3") as store:
        conversation = store.create_conversation("t", model="m")
        store.add_message(conversation.id, Role.USER, "q")
        cut = store.add_message(conversation.id, Role.ASSISTANT, "It is", status=Status.INTERRUPTED)
        store.set_parts(
            cut.id,
            [
                ToolCallPart("call_1", "calculator", {"expression": "6*7"}),
                ToolResultPart("call_1", "calculator", "42"),
            ],
        )
        messages = store.messages(conversation.id)
        history = continued_history(store.conversation(conversation.id), messages[:-1], messages[-1])
    assert [(m.role, m.content, m.tool_name) for m in history] == [
        ("user", "q", ""),
        ("assistant", "", ""),
        ("tool", "42", "calculator"),
        ("assistant", "It is", ""),  # last and unterminated: the model extends it
    ]
    assert history[1].tool_calls[0].id == "call_1"
