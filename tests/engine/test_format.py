"""`format` through the grammar on the real engine: schemas with enums, patterns and arrays
in generate and chat (streamed and not), bad schemas as 400s, and format beside tools."""

from __future__ import annotations

import json
import re

import httpx
import pytest

pytestmark = pytest.mark.engine
MODEL = "smollm2:135m"
FAST = {"num_predict": 48, "seed": 3, "temperature": 0}
PET = {
    "type": "object",
    "properties": {
        "kind": {"enum": ["dog", "cat", "bird"]},
        "name": {"type": "string", "pattern": "^[A-Z][a-z]{1,8}$"},
        "age": {"type": "integer", "minimum": 0, "maximum": 30},
        "toys": {"type": "array", "items": {"type": "string", "maxLength": 12}, "maxItems": 2},
    },
    "required": ["kind", "name", "age", "toys"],
}


def check_pet(text: str) -> None:
    pet = json.loads(text)
    assert set(pet) == {"kind", "name", "age", "toys"}
    assert pet["kind"] in ("dog", "cat", "bird")
    assert re.fullmatch(r"[A-Z][a-z]{1,8}", pet["name"])
    assert isinstance(pet["age"], int) and 0 <= pet["age"] <= 30
    assert isinstance(pet["toys"], list) and len(pet["toys"]) <= 2


def test_generate_schema_streamed_joins_to_valid_json(engine_url: str) -> None:
    body = {"model": MODEL, "prompt": "Describe a pet as JSON.", "format": PET, "options": FAST}
    with httpx.stream("POST", engine_url + "/api/generate", json=body, timeout=120) as response:
        chunks = [json.loads(line) for line in response.iter_lines() if line]
    assert chunks[-1]["done"] is True and chunks[-1]["done_reason"] == "stop"
    check_pet("".join(c["response"] for c in chunks))


def test_chat_schema_and_json(engine_url: str) -> None:
    messages = [{"role": "user", "content": "Tell me about a pet."}]
    body = {"model": MODEL, "messages": messages, "format": PET, "stream": False, "options": FAST}
    reply = httpx.post(engine_url + "/api/chat", json=body, timeout=120).json()
    check_pet(reply["message"]["content"])
    body["format"] = "json"
    reply = httpx.post(engine_url + "/api/chat", json=body, timeout=120).json()
    assert reply["message"]["content"].startswith("{")
    if reply["done_reason"] == "stop":
        assert isinstance(json.loads(reply["message"]["content"]), dict)


def test_bad_formats_are_400s(engine_url: str) -> None:
    for fmt in ("yaml", 5, ["json"]):
        body = {"model": MODEL, "prompt": "x", "format": fmt}
        response = httpx.post(engine_url + "/api/generate", json=body, timeout=60)
        assert response.status_code == 400
        assert response.json()["error"].startswith("invalid format")


def test_format_with_tools_answers_in_the_schema_or_calls(engine_url: str) -> None:
    tools = [
        {
            "type": "function",
            "function": {
                "name": "calculator",
                "description": "Evaluate an arithmetic expression",
                "parameters": {
                    "type": "object",
                    "properties": {"expression": {"type": "string"}},
                    "required": ["expression"],
                },
            },
        }
    ]
    messages = [{"role": "user", "content": "Tell me about a pet."}]
    body = {
        "model": MODEL,
        "messages": messages,
        "tools": tools,
        "format": PET,
        "stream": False,
        "options": FAST,
    }
    reply = httpx.post(engine_url + "/api/chat", json=body, timeout=120).json()
    if reply["message"].get("tool_calls"):
        assert reply["message"]["tool_calls"][0]["function"]["name"] == "calculator"
    else:
        check_pet(reply["message"]["content"])
