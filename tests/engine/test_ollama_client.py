"""The official `ollama` Python client, used unchanged against the embedded engine."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import ollama
import pytest

from tests.engine.test_pull import variant
from tests.support.engine import EngineProcess, start_engine
from tests.support.hf_server import HFServer

pytestmark = pytest.mark.engine
MODEL = "smollm2:135m"
FAST = {"num_predict": 6, "seed": 11, "temperature": 0}


@pytest.fixture
def client(engine_url: str) -> Iterator[ollama.Client]:
    # Closed here: its pooled keep-alive socket would otherwise be reported by a later test.
    with ollama.Client(host=engine_url) as client:
        yield client


def test_list_and_show(client: ollama.Client) -> None:
    listed = client.list()
    model = next(m for m in listed.models if m.model == MODEL)
    assert model.size and model.size > 90_000_000
    assert model.details is not None and model.details.quantization_level == "Q4_1"
    assert model.modified_at is not None
    shown = client.show(MODEL)
    assert shown.modelinfo is not None and shown.modelinfo["llama.context_length"] == 8192
    assert shown.details is not None and shown.details.family == "llama"
    assert shown.capabilities == ["completion", "tools"]


def test_chat_stream_and_not(client: ollama.Client) -> None:
    messages = [{"role": "user", "content": "Say hello"}]
    # The first run evaluates the prompt in one batch, later ones reuse the cached prefix, and
    # llama.cpp's numerics differ slightly between the two; compare runs in the same state.
    client.chat(MODEL, messages=messages, options=FAST)
    reply = client.chat(MODEL, messages=messages, options=FAST)
    assert reply.done and reply.message.role == "assistant" and reply.message.content
    assert reply.eval_count and reply.eval_count <= 6
    parts = list(client.chat(MODEL, messages=messages, options=FAST, stream=True))
    assert parts[-1].done and parts[-1].done_reason in ("stop", "length")
    assert "".join(p.message.content or "" for p in parts) == reply.message.content


def test_generate_embed_and_ps(client: ollama.Client) -> None:
    client.generate(MODEL, "Why is the sky blue?", options=FAST)
    generated = client.generate(MODEL, "Why is the sky blue?", options=FAST)
    assert generated.done and generated.response and generated.context
    streamed = list(client.generate(MODEL, "Why is the sky blue?", options=FAST, stream=True))
    assert "".join(p.response for p in streamed) == generated.response
    embedded = client.embed(MODEL, ["one", "two"])
    assert len(embedded.embeddings) == 2
    assert math.isclose(math.sqrt(sum(x * x for x in embedded.embeddings[0])), 1.0, rel_tol=1e-4)
    running = client.ps()
    entry = next(m for m in running.models if m.model == MODEL)
    assert entry.size and entry.size_vram == 0 and entry.expires_at is not None
    assert entry.context_length == 4096


def test_missing_model_raises_response_error(client: ollama.Client) -> None:
    with pytest.raises(ollama.ResponseError) as info:
        client.chat("no-such-model", messages=[{"role": "user", "content": "hi"}])
    assert info.value.status_code == 404
    assert info.value.error == "model 'no-such-model' not found"
    with pytest.raises(ollama.ResponseError) as info:
        client.show("no-such-model")
    assert info.value.status_code == 404
    with pytest.raises(ollama.ResponseError) as info:
        client.delete("no-such-model")
    assert info.value.status_code == 404


@pytest.fixture(scope="module")
def pull_setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HFServer, EngineProcess, Path]]:
    server = HFServer()
    engine = start_engine(tmp_path_factory.mktemp("client-pull"), extra_env={"HF_ENDPOINT": server.url})
    try:
        yield server, engine, tmp_path_factory.mktemp("client-files")
    finally:
        engine.stop()
        server.close()


def test_pull_progress_and_delete(pull_setup: tuple[HFServer, EngineProcess, Path]) -> None:
    server, engine, files = pull_setup
    hosted = server.add_file("someone/Smol-GGUF", "Smol-Q4_1.gguf", variant(files, b"client"))
    with ollama.Client(host=engine.url) as client:
        progress = list(client.pull("hf.co/someone/Smol-GGUF:Q4_1", stream=True))
        assert progress[0].status == "pulling manifest"
        assert progress[-1].status == "success"
        layer = [p for p in progress if p.digest == f"sha256:{hosted.sha256}"]
        assert layer[-1].total == hosted.size and layer[-1].completed == hosted.size
        assert "hf.co/someone/Smol-GGUF:Q4_1" in [m.model for m in client.list().models]
        assert client.pull("hf.co/someone/Smol-GGUF:Q4_1").status == "success"
        assert client.delete("hf.co/someone/Smol-GGUF:Q4_1").status == "success"
        assert "hf.co/someone/Smol-GGUF:Q4_1" not in [m.model for m in client.list().models]
        with pytest.raises(ollama.ResponseError) as info:
            list(client.pull("hf.co/someone/absent:Q4_1", stream=True))
        assert info.value.error == "pull model manifest: file does not exist"
