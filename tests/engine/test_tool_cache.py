"""A tool turn must not change the next plain answer (the prompt cache after a tool grammar).

Measured on the starter model: once a prompt-and-grammar tool request had run, a greedy chat
that reused that slot's cache answered "Which city is the capital of France?" with "Le Grand
Chateau..." instead of "The capital of France is Paris." until the model was reloaded (it
failed four later tests in whole-suite runs only).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.engine

MODEL = "smollm2:135m"
QUESTION = "Which city is the capital of France?"
CALCULATOR = {
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


def chat(url: str, content: str, num_predict: int = 10, **extra: Any) -> dict[str, Any]:
    body = {
        "model": MODEL,
        "messages": [{"role": "user", "content": content}],
        "options": {"temperature": 0, "seed": 1, "num_predict": num_predict},
        "stream": False,
        **extra,
    }
    response = httpx.post(url + "/api/chat", json=body, timeout=300)
    assert response.status_code == 200, response.text
    message: dict[str, Any] = response.json()["message"]
    return message


def test_a_plain_answer_after_a_tool_turn_is_the_fresh_one(engine_url: str) -> None:
    httpx.post(engine_url + "/api/generate", json={"model": MODEL, "keep_alive": 0}, timeout=60)
    fresh = chat(engine_url, QUESTION)["content"]
    assert "Paris" in fresh
    httpx.post(engine_url + "/api/generate", json={"model": MODEL, "keep_alive": 0}, timeout=60)
    call = chat(engine_url, "Use the calculator: what is 23*19?", num_predict=64, tools=[CALCULATOR])
    assert call.get("tool_calls"), call  # the grammar form ran
    after = [chat(engine_url, QUESTION)["content"] for _ in range(2)]
    assert after == [fresh, fresh]
