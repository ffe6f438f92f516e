"""/v1 on the real engine, used by the official `openai` Python client unchanged: chat
(streamed and not), tools, response_format, completions, embeddings, models; plus the
OpenAI error shape, images on a model without a projector, and the Host/Origin guard."""

from __future__ import annotations

import base64
import json
import math
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from tests.support.engine import start_engine

pytestmark = pytest.mark.engine
MODEL = "smollm2:135m"
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


@pytest.fixture
def client(engine_url: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=engine_url + "/v1", api_key="ollama", max_retries=0) as client:
        yield client


def test_chat_not_streamed(client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Say hello"}], max_tokens=8, temperature=0, seed=1
    )
    assert reply.object == "chat.completion" and reply.model == MODEL
    choice = reply.choices[0]
    assert choice.message.role == "assistant" and choice.message.content
    assert choice.finish_reason in ("stop", "length")
    assert reply.usage is not None and 0 < reply.usage.completion_tokens <= 8
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens


def test_chat_streamed_with_usage(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Say hello"}],
        max_tokens=8,
        temperature=0,
        seed=1,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["length"] or finishes == ["stop"]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens <= 8
    assert all(c.object == "chat.completion.chunk" for c in chunks)


def test_chat_tools(client: openai.OpenAI) -> None:
    question = [{"role": "user", "content": "Use the calculator: what is 23*19?"}]
    reply = client.chat.completions.create(
        model=MODEL, messages=question, tools=[CALCULATOR], max_tokens=40, temperature=0, seed=42
    )
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls"
    [call] = choice.message.tool_calls or []
    assert call.type == "function" and call.function.name == "calculator"
    assert "23" in json.loads(call.function.arguments)["expression"]
    follow = client.chat.completions.create(
        model=MODEL,
        messages=[
            *question,
            {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
            {"role": "tool", "tool_call_id": call.id, "content": "437"},
        ],
        tools=[CALCULATOR],
        max_tokens=24,
        temperature=0,
        seed=42,
    )
    assert follow.choices[0].message.content or follow.choices[0].message.tool_calls
    stream = client.chat.completions.create(
        model=MODEL, messages=question, tools=[CALCULATOR], max_tokens=40, temperature=0, seed=42, stream=True
    )
    deltas = [c.choices[0].delta for c in stream if c.choices]
    calls = [t for d in deltas for t in (d.tool_calls or [])]
    assert len(calls) == 1 and calls[0].index == 0 and calls[0].function is not None
    assert calls[0].function.name == "calculator"


def test_response_format_schema_and_json_object(client: openai.OpenAI) -> None:
    schema = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
    reply = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Is water wet?"}],
        response_format={"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}},
        max_tokens=30,
        temperature=0,
    )
    assert isinstance(json.loads(reply.choices[0].message.content or "")["ok"], bool)
    reply = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Describe a dog."}],
        response_format={"type": "json_object"},
        max_tokens=30,
        temperature=0,
    )
    assert (reply.choices[0].message.content or "").startswith("{")


def test_completions(client: openai.OpenAI) -> None:
    reply = client.completions.create(model=MODEL, prompt="The sky is", max_tokens=6, temperature=0)
    assert reply.object == "text_completion" and reply.choices[0].text
    parts = list(
        client.completions.create(model=MODEL, prompt="The sky is", max_tokens=6, temperature=0, stream=True)
    )
    assert "".join(p.choices[0].text for p in parts if p.choices)


def test_embeddings_float_and_base64(client: openai.OpenAI, engine_url: str) -> None:
    result = client.embeddings.create(model=MODEL, input=["hello", "world"])
    assert [d.index for d in result.data] == [0, 1] and len(result.data[0].embedding) == 576
    assert math.isclose(math.sqrt(sum(x * x for x in result.data[0].embedding)), 1.0, rel_tol=1e-4)
    assert result.usage.prompt_tokens > 0
    raw = httpx.post(
        engine_url + "/v1/embeddings", json={"model": MODEL, "input": "hello", "encoding_format": "base64"}
    ).json()
    packed = base64.b64decode(raw["data"][0]["embedding"])
    floats = struct.unpack(f"<{len(packed) // 4}f", packed)
    assert len(floats) == 576 and math.isclose(floats[0], result.data[0].embedding[0], rel_tol=1e-3)


def test_models(client: openai.OpenAI) -> None:
    listed = [m for m in client.models.list()]
    model = next(m for m in listed if m.id == MODEL)
    assert model.object == "model" and model.owned_by == "library" and model.created > 0
    assert client.models.retrieve(MODEL).id == MODEL


def test_errors_have_openai_shape(client: openai.OpenAI, engine_url: str) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        client.chat.completions.create(model="nothing", messages=[{"role": "user", "content": "x"}])
    assert missing.value.status_code == 404
    empty = httpx.post(engine_url + "/v1/chat/completions", json={"model": MODEL, "messages": []})
    assert empty.status_code == 400
    assert empty.json() == {
        "error": {
            "message": "[] is too short - 'messages'",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
    }
    gone = httpx.get(engine_url + "/v1/models/nothing")
    assert gone.status_code == 404 and gone.json()["error"]["type"] == "not_found_error"


def test_images_on_a_model_without_a_projector_are_refused(client: openai.OpenAI) -> None:
    pixel = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()
    content = [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{pixel}"}},
    ]
    with pytest.raises(openai.BadRequestError) as refused:
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": content}])
    assert "does not support vision" in str(refused.value)


def test_foreign_host_and_origin_are_refused(engine_url: str) -> None:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "x"}]}
    url = engine_url + "/v1/chat/completions"
    assert httpx.post(url, json=body, headers={"Host": "evil.example"}).status_code == 403
    assert httpx.post(url, json=body, headers={"Origin": "https://evil.example"}).status_code == 403
    assert httpx.get(engine_url + "/v1/models", headers={"Origin": "https://evil.example"}).status_code == 403


def test_a_leaving_stream_client_frees_the_only_slot(tmp_path: Path) -> None:
    # One slot, no queue: a /v1 stream whose client goes away must end its generation at
    # once, or the next request could not be served.
    engine = start_engine(tmp_path / "home", extra_env={"OLLAMA_NUM_PARALLEL": "1", "OLLAMA_MAX_QUEUE": "1"})
    try:
        url = engine.url + "/v1/chat/completions"
        body = {
            "model": MODEL,
            "messages": [{"role": "user", "content": "Tell a very long story about the sea."}],
            "max_tokens": 4000,
            "stream": True,
        }
        for _ in range(2):
            with httpx.stream("POST", url, json=body, timeout=120) as response:
                frames = response.iter_lines()
                assert next(frames).startswith("data: {")
            started = time.perf_counter()
            quick = {"model": MODEL, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2}
            reply = httpx.post(url, json=quick, timeout=60)
            assert reply.status_code == 200, reply.text
            assert time.perf_counter() - started < 30
    finally:
        engine.stop()
