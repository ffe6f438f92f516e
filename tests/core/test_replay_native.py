"""Ollama's own tool_calls and thinking streams (shapes as the real server sends them,
reference ollama-api.md §4.2) replayed through the app's client over real HTTP, and the same
fields from the embedded engine, so the app, Ollama and the engine agree on every field."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest

from desktop.core.ollama import ChatChunk, ChatMessage, OllamaClient, Timeouts
from desktop.core.ollama.types import ToolCall
from tests.support.fault_server import FaultServer

T = TypeVar("T")
AT = "2025-10-26T17:15:24.097767Z"
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather of a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
FINAL = {
    "model": "qwen3:latest",
    "created_at": AT,
    "message": {"role": "assistant", "content": ""},
    "done": True,
    "done_reason": "stop",
    "total_duration": 912_000_000,
    "load_duration": 41_000_000,
    "prompt_eval_count": 181,
    "prompt_eval_duration": 90_000_000,
    "eval_count": 47,
    "eval_duration": 700_000_000,
}


def line(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "model": "qwen3:latest",
        "created_at": AT,
        "message": {"role": "assistant", **message},
        "done": False,
    }


# Thinking first (content ""), then two calls in two chunks (never split), then the final chunk.
NATIVE_TOOL_STREAM = [
    line({"content": "", "thinking": "The user wants the weather"}),
    line({"content": "", "thinking": " in Paris and Rome."}),
    line(
        {
            "content": "",
            "tool_calls": [
                {
                    "id": "call_k3j9x2ab",
                    "function": {"index": 0, "name": "get_weather", "arguments": {"city": "Paris"}},
                }
            ],
        }
    ),
    line(
        {
            "content": "",
            "tool_calls": [
                {
                    "id": "call_p0q1r2s3",
                    "function": {"index": 1, "name": "get_weather", "arguments": {"city": "Rome"}},
                }
            ],
        }
    ),
    FINAL,
]
NATIVE_ANSWER_STREAM = [
    line({"content": "", "thinking": "Paris is 18 degrees."}),
    line({"content": "It is 18 °C"}),
    line({"content": " in Paris."}),
    FINAL,
]


def run(url: str, body: Callable[[OllamaClient], Awaitable[T]]) -> T:
    async def main() -> T:
        async with OllamaClient(url, timeouts=Timeouts(first_token=120, idle=60)) as client:
            return await body(client)

    return asyncio.run(main())


def chat(messages: list[ChatMessage], **kwargs: Any) -> Callable[[OllamaClient], Awaitable[list[ChatChunk]]]:
    async def body(client: OllamaClient) -> list[ChatChunk]:
        return [chunk async for chunk in client.chat(kwargs.pop("model", "qwen3"), messages, **kwargs)]

    return body


def test_native_tool_call_stream_replayed(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=NATIVE_TOOL_STREAM)
    question = [ChatMessage("user", "Weather in Paris and Rome?")]
    chunks = run(fault_server.url, chat(question, tools=[WEATHER], think=True))
    assert "".join(c.thinking for c in chunks) == "The user wants the weather in Paris and Rome."
    calls = [call for c in chunks for call in c.tool_calls]
    assert calls == [
        ToolCall(name="get_weather", arguments={"city": "Paris"}, id="call_k3j9x2ab", index=0),
        ToolCall(name="get_weather", arguments={"city": "Rome"}, id="call_p0q1r2s3", index=1),
    ]
    assert "".join(c.content for c in chunks) == ""
    final = chunks[-1]
    assert final.done and final.done_reason == "stop" and final.metrics is not None
    assert final.metrics.eval_count == 47 and final.metrics.prompt_eval_count == 181
    sent = fault_server.requests[-1].json()
    assert sent["tools"] == [WEATHER] and sent["think"] is True and sent["stream"] is True


def test_the_tool_results_go_back_in_ollamas_shape(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=NATIVE_ANSWER_STREAM)
    call = ToolCall(name="get_weather", arguments={"city": "Paris"}, id="call_k3j9x2ab", index=0)
    history = [
        ChatMessage("user", "Weather in Paris?"),
        ChatMessage("assistant", "", tool_calls=(call,)),
        ChatMessage("tool", "18 °C, sunny", tool_name="get_weather"),
    ]
    chunks = run(fault_server.url, chat(history, tools=[WEATHER]))
    assert "".join(c.content for c in chunks) == "It is 18 °C in Paris."
    assert "".join(c.thinking for c in chunks) == "Paris is 18 degrees."
    sent = fault_server.requests[-1].json()["messages"]
    assert sent[1] == {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {
                "id": "call_k3j9x2ab",
                "function": {"index": 0, "name": "get_weather", "arguments": {"city": "Paris"}},
            }
        ],
    }
    assert sent[2] == {"role": "tool", "content": "18 °C, sunny", "tool_name": "get_weather"}


def test_hostile_tool_calls_are_dropped_or_emptied(fault_server: FaultServer) -> None:
    odd = [
        line({"content": "", "tool_calls": [{"function": {"name": "", "arguments": {}}}]}),
        line({"content": "", "tool_calls": "not a list"}),
        line(
            {
                "content": "",
                "tool_calls": [{"function": {"name": "f", "arguments": '{"a": 1}', "index": True}}],
            }
        ),
        line({"content": "", "tool_calls": [5, {"function": None}]}),
        FINAL,
    ]
    fault_server.route("POST", "/api/chat", lines=odd)
    chunks = run(fault_server.url, chat([ChatMessage("user", "x")]))
    calls = [call for c in chunks for call in c.tool_calls]
    assert calls == [ToolCall(name="f", arguments={}, id="", index=0)]


def _shape(value: Any) -> Any:
    """Keys and JSON types, recursively (values differ between Ollama and the engine)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


@pytest.mark.engine
def test_the_engine_sends_the_same_tool_call_fields(engine_url: str) -> None:
    calculator = {
        "type": "function",
        "function": {
            "name": "calculator",
            "description": "Evaluate an arithmetic expression",
            "parameters": {
                "type": "object",
                "properties": {"expression": {"type": "string", "description": "the expression, e.g. 2+2"}},
                "required": ["expression"],
            },
        },
    }
    question = "Use the calculator: what is 23*19?"
    options = {"num_predict": 40, "seed": 42, "temperature": 0}
    body = {
        "model": "smollm2:135m",
        "messages": [{"role": "user", "content": question}],
        "tools": [calculator],
        "options": options,
    }
    with httpx.stream("POST", engine_url + "/api/chat", json=body, timeout=120) as response:
        raw = [json.loads(text) for text in response.iter_lines() if text]
    [engine_call] = [c for c in raw if c["message"].get("tool_calls")]
    recorded = NATIVE_TOOL_STREAM[2]
    # Same fields and types as Ollama's chunk (arguments compared as "an object").
    engine_call["message"]["tool_calls"][0]["function"]["arguments"] = {}
    recorded = json.loads(json.dumps(recorded))
    recorded["message"]["tool_calls"][0]["function"]["arguments"] = {}
    assert _shape(engine_call) == _shape(recorded)
    assert _shape(raw[-1])["message"] == _shape(FINAL)["message"]
    assert set(FINAL) <= set(raw[-1]) | {"load_duration"}  # load_duration is omitted when 0
    # And the app's client reads the engine's call like Ollama's.
    chunks = run(
        engine_url,
        chat([ChatMessage("user", question)], model="smollm2:135m", tools=[calculator], options=options),
    )
    [call] = [call for c in chunks for call in c.tool_calls]
    assert call.name == "calculator" and call.id.startswith("call_") and call.index == 0
    assert "23" in call.arguments["expression"]
