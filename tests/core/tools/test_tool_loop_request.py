"""A conversation's `think` and `format` reach the server when tools are on, as they do
without tools: ChatService hands them to the tool loop, which sends them in every round.
Checked on the request bodies the loopback fault server recorded."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from desktop.core.chat import ChatService
from desktop.core.messages import Role
from desktop.core.ollama import OllamaClient, Timeouts
from desktop.core.store import Store
from desktop.core.tools import ToolLoop
from desktop.core.tools.builtins import calculator_tool
from tests.support.fault_server import FaultServer

AT = "2025-10-26T17:15:24.097767Z"
MODEL = "qwen3:latest"
SCHEMA = {"type": "object", "properties": {"answer": {"type": "integer"}}, "required": ["answer"]}


def line(content: str = "", calls: list[dict[str, Any]] | None = None, done: bool = False) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = calls
    out: dict[str, Any] = {"model": MODEL, "created_at": AT, "message": message, "done": done}
    if done:
        out |= {"done_reason": "stop", "eval_count": 5, "eval_duration": 100_000_000}
    return out


def reply_with_tools(url: str, tmp_path: Path, options: dict[str, Any]) -> tuple[Store, int]:
    store = Store(tmp_path / "s.db")
    conversation = store.create_conversation("maths", model=MODEL, options=options)
    store.add_message(conversation.id, Role.USER, "What is 23*19?")

    async def main() -> None:
        async with OllamaClient(url, timeouts=Timeouts(first_token=10, idle=10)) as client:
            service = ChatService(client, store, tools=lambda conv: ToolLoop(client, [calculator_tool()]))
            outcome = await service.reply(conversation.id, on_delta=lambda d: None)
            assert outcome.status == "complete", outcome.error

    asyncio.run(main())
    return store, conversation.id


def test_think_and_format_go_with_every_native_round(fault_server: FaultServer, tmp_path: Path) -> None:
    calc = {"function": {"index": 0, "name": "calculator", "arguments": {"expression": "23*19"}}}
    fault_server.route("POST", "/api/chat", once=True, lines=[line(calls=[calc]), line(done=True)])
    fault_server.route("POST", "/api/chat", once=True, lines=[line('{"answer": 437}'), line(done=True)])
    options = {"think": True, "format": SCHEMA, "temperature": 0, "seed": 7}
    store, conversation_id = reply_with_tools(fault_server.url, tmp_path, options)

    bodies = [request.json() for request in fault_server.requests]
    assert len(bodies) == 2
    for body in bodies:
        assert body["think"] is True
        assert body["format"] == SCHEMA
        assert body["options"] == {"temperature": 0, "seed": 7}  # think/format are not model options
        assert [tool["function"]["name"] for tool in body["tools"]] == ["calculator"]
    assert bodies[1]["messages"][-1] == {"role": "tool", "content": "437", "tool_name": "calculator"}
    reply = store.messages(conversation_id)[-1]
    assert json.loads(reply.content) == {"answer": 437}
    assert [p.kind for p in reply.parts] == ["tool_call", "tool_result"]


def test_a_conversation_without_them_sends_neither(fault_server: FaultServer, tmp_path: Path) -> None:
    fault_server.route("POST", "/api/chat", once=True, lines=[line("Hello."), line(done=True)])
    reply_with_tools(fault_server.url, tmp_path, {"temperature": 0})
    body = fault_server.requests[0].json()
    assert "think" not in body and "format" not in body and "tools" in body


def test_the_prompted_protocol_keeps_think_and_its_own_format(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    fault_server.route(
        "POST",
        "/api/chat",
        once=True,
        status=400,
        body={"error": "registry.ollama.ai/library/gemma:2b does not support tools"},
    )
    fault_server.route(
        "POST", "/api/chat", once=True, lines=[line('{"answer": "It is 437."}'), line(done=True)]
    )
    reply_with_tools(fault_server.url, tmp_path, {"think": "low", "format": "json"})

    refused, prompted = (request.json() for request in fault_server.requests)
    assert refused["think"] == "low" and refused["format"] == "json" and "tools" in refused
    assert prompted["think"] == "low"
    # The protocol's schema is the format there (it names the tools the model may call).
    assert prompted["format"]["anyOf"][0]["properties"]["tool"] == {"const": "calculator"}
    assert "tools" not in prompted
