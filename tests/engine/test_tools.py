"""Tools on the real engine with the starter model (no tool syntax in its template: the
prompt-and-grammar form), over HTTP and through the official `ollama` client."""

from __future__ import annotations

import json
import re

import httpx
import ollama
import pytest

pytestmark = pytest.mark.engine
MODEL = "smollm2:135m"
FAST = {"num_predict": 40, "seed": 42, "temperature": 0}
CALCULATOR = {
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
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather of a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"enum": ["celsius", "fahrenheit"]}},
            "required": ["city"],
        },
    },
}
TOOLS = [CALCULATOR, WEATHER]
QUESTION = "Use the calculator: what is 23*19?"


def chat(url: str, messages: list[dict], **extra: object) -> dict:
    body = {"model": MODEL, "messages": messages, "tools": TOOLS, "stream": False, "options": FAST, **extra}
    response = httpx.post(url + "/api/chat", json=body, timeout=120)
    assert response.status_code == 200, response.text
    return response.json()


def test_show_reports_tools(engine_url: str) -> None:
    shown = httpx.post(engine_url + "/api/show", json={"model": MODEL}).json()
    assert shown["capabilities"] == ["completion", "tools"]
    tags = httpx.get(engine_url + "/api/tags").json()["models"]
    assert next(m for m in tags if m["name"] == MODEL)["capabilities"] == ["completion", "tools"]


def test_a_calculator_question_gets_a_valid_call(engine_url: str) -> None:
    reply = chat(engine_url, [{"role": "user", "content": QUESTION}])
    message = reply["message"]
    assert message["content"] == "" and reply["done"] is True
    [call] = message["tool_calls"]
    assert re.fullmatch(r"call_[a-z0-9]{8}", call["id"])
    assert call["function"]["name"] == "calculator" and call["function"]["index"] == 0
    arguments = call["function"]["arguments"]
    assert set(arguments) == {"expression"} and isinstance(arguments["expression"], str)
    assert "23" in arguments["expression"]


def test_a_greeting_with_the_same_tools_gets_text(engine_url: str) -> None:
    reply = chat(engine_url, [{"role": "user", "content": "Hello!"}])
    assert "tool_calls" not in reply["message"]
    content = reply["message"]["content"]
    assert content and not content.startswith(("Answer:", "{"))


def test_the_call_streams_whole_in_one_chunk(engine_url: str) -> None:
    body = {
        "model": MODEL,
        "messages": [{"role": "user", "content": QUESTION}],
        "tools": TOOLS,
        "options": FAST,
    }
    with httpx.stream("POST", engine_url + "/api/chat", json=body, timeout=120) as response:
        chunks = [json.loads(line) for line in response.iter_lines() if line]
    with_calls = [c for c in chunks if c["message"].get("tool_calls")]
    assert len(with_calls) == 1 and with_calls[0]["done"] is False
    assert with_calls[0]["message"]["tool_calls"][0]["function"]["name"] == "calculator"
    assert all("tool_calls" not in c["message"] for c in chunks if c is not with_calls[0])
    assert chunks[-1]["done"] is True and chunks[-1]["message"] == {"role": "assistant", "content": ""}


def test_a_tool_result_is_answered(engine_url: str) -> None:
    first = chat(engine_url, [{"role": "user", "content": QUESTION}])
    call = first["message"]["tool_calls"][0]
    history = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": "", "tool_calls": [call]},
        {"role": "tool", "tool_name": "calculator", "content": "437"},
    ]
    reply = chat(engine_url, history)
    assert reply["done"] is True
    assert reply["message"]["content"] or reply["message"].get("tool_calls")
    # Without tools the same history is still a valid chat (tool turns shown as text).
    plain = httpx.post(
        engine_url + "/api/chat",
        json={"model": MODEL, "messages": history, "stream": False, "options": FAST},
        timeout=120,
    ).json()
    assert plain["message"]["content"]


def test_bad_tools_are_400s(engine_url: str) -> None:
    for tools in ("calculator", [{"function": {}}], [{"function": {"name": "x", "parameters": 5}}]):
        body = {"model": MODEL, "messages": [{"role": "user", "content": "x"}], "tools": tools}
        response = httpx.post(engine_url + "/api/chat", json=body, timeout=30)
        assert response.status_code == 400 and "error" in response.json()


def test_official_client_with_tools(engine_url: str) -> None:
    with ollama.Client(host=engine_url) as client:
        reply = client.chat(
            MODEL, messages=[{"role": "user", "content": QUESTION}], tools=TOOLS, options=FAST
        )
        assert reply.message.tool_calls is not None
        [call] = reply.message.tool_calls
        assert call.function.name == "calculator" and "expression" in call.function.arguments
        streamed = list(
            client.chat(
                MODEL,
                messages=[{"role": "user", "content": "Hello!"}],
                tools=TOOLS,
                options=FAST,
                stream=True,
            )
        )
        assert not any(p.message.tool_calls for p in streamed)
        assert "".join(p.message.content or "" for p in streamed)


def test_hostile_tool_schemas_never_break_the_turn(engine_url: str) -> None:
    # Quotes and newlines in names, broken patterns, unknown types, dangling $refs: the
    # grammar is built from them, and the turn still ends with a well-formed reply.
    odd = [
        {
            "name": 'x"\n:',
            "parameters": {"type": "object", "properties": {'a"b': {"type": "string", "pattern": "(((("}}},
        },
        {"name": "y", "parameters": {"type": "nonsense"}},
        {"name": "z", "parameters": {"type": "object", "properties": {"a": {"$ref": "#/nowhere"}}}},
    ]
    body = {
        "model": MODEL,
        "messages": [{"role": "user", "content": "Use a tool"}],
        "tools": [{"type": "function", "function": f} for f in odd],
        "stream": False,
        "options": {"num_predict": 8, "temperature": 0, "seed": 1},
    }
    response = httpx.post(engine_url + "/api/chat", json=body, timeout=120)
    assert response.status_code in (200, 400), response.text
    reply = response.json()
    if response.status_code == 200:
        assert reply["done"] is True
        for call in reply["message"].get("tool_calls", []):
            assert call["function"]["name"] in ('x"\n:', "y", "z")
    else:
        assert reply["error"]
    assert httpx.get(engine_url + "/api/version").status_code == 200
