"""/api/create over real HTTP: a local path in `from` is refused without touching the disk,
and bad digests in `files` are 400s with Ollama's wording, streamed or not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.engine.create_input import PATH_REFUSED
from tests.support.engine import EngineProcess, start_engine

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    process = start_engine(tmp_path_factory.mktemp("create-engine"))
    try:
        yield process
    finally:
        process.stop()


def test_create_refuses_paths_and_bad_digests_with_400s(engine: EngineProcess, tmp_path: Path) -> None:
    existing = tmp_path / "real.gguf"
    existing.write_bytes(b"GGUF" + b"\0" * 100)
    answers = []
    for source in (str(existing), str(tmp_path / "absent.gguf"), "/etc/passwd"):
        reply = httpx.post(engine.url + "/api/create", json={"model": "x:1", "from": source, "stream": False})
        answers.append((reply.status_code, reply.json()))
    # One answer for all: the error must not tell whether a file exists.
    assert answers == [(400, {"error": PATH_REFUSED})] * 3
    for files in ({"m.gguf": "sha256:" + "G" * 64}, {"m.gguf": "sha256:../../x"}, {"m.gguf": 7}):
        for stream in (False, True):
            reply = httpx.post(
                engine.url + "/api/create", json={"model": "x:1", "files": files, "stream": stream}
            )
            assert reply.status_code == 400 and reply.json() == {"error": "invalid digest format"}


MODEL = "smollm2:135m"
ROUTES = ["/api/chat", "/api/generate", "/api/show", "/api/pull", "/api/create", "/api/embed", "/api/copy"]


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000,
        b'{"model":' * 100_000,
        b'{"model":"smollm2:135m","options":{"temperature":NaN}}',
        b'{"model":"smollm2:135m","keep_alive":Infinity}',
        b'{"model":"smollm2:135m","options":{"num_ctx":1e400}}',
    ],
)
def test_hostile_bodies_get_json_400s(engine: EngineProcess, path: str, raw: bytes) -> None:
    reply = httpx.post(
        engine.url + path, content=raw, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert reply.status_code == 400, reply.text[:200]
    assert reply.headers["content-type"].startswith("application/json")
    assert isinstance(reply.json()["error"], str)


def _generate(url: str, **extra: object) -> httpx.Response:
    body = {"model": MODEL, "prompt": "Hi", "stream": False, "options": {"num_predict": 2, "seed": 1}}
    options = extra.pop("options", None)
    if isinstance(options, dict):
        body["options"] = {**body["options"], **options}  # type: ignore[dict-item]
    return httpx.post(url + "/api/generate", json={**body, **extra}, timeout=120)


@pytest.mark.parametrize("keep_alive", [1e308, 10**30, -1e308, "2562047h", 0.5])
def test_extreme_keep_alive_never_breaks_ps(engine: EngineProcess, keep_alive: object) -> None:
    assert _generate(engine.url, keep_alive=keep_alive).status_code == 200
    ps = httpx.get(engine.url + "/api/ps", timeout=10)
    assert ps.status_code == 200 and all("expires_at" in m for m in ps.json()["models"])


def test_keep_alive_past_gos_range_is_refused_and_ps_stays_up(engine: EngineProcess) -> None:
    reply = _generate(engine.url, keep_alive="99999999999h")
    assert reply.status_code == 400 and reply.json() == {"error": 'time: invalid duration "99999999999h"'}
    assert httpx.get(engine.url + "/api/ps", timeout=10).status_code == 200


@pytest.mark.parametrize("threads", [1e30, 1024, 64, -5])
def test_thread_counts_that_killed_the_engine_are_clamped(engine: EngineProcess, threads: float) -> None:
    reply = _generate(engine.url, options={"num_thread": threads})
    assert reply.status_code == 200 and reply.json()["done"] is True
    assert httpx.get(engine.url + "/api/version", timeout=5).status_code == 200


def test_num_ctx_is_capped_at_the_trained_length(engine: EngineProcess) -> None:
    reply = _generate(engine.url, options={"num_ctx": 32768})
    assert reply.status_code == 200
    running = httpx.get(engine.url + "/api/ps", timeout=10).json()["models"]
    assert running and all(m["context_length"] <= 8192 for m in running)  # SmolLM2's trained 8192


def test_deep_tool_call_arguments_in_the_history_are_a_400(engine: EngineProcess) -> None:
    history = [
        {"role": "user", "content": "add"},
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [{"function": {"name": "add", "arguments": "[" * 100_000}}],
        },
        {"role": "tool", "content": "3"},
    ]
    tools = [{"type": "function", "function": {"name": "add", "parameters": {"type": "object"}}}]
    reply = httpx.post(
        engine.url + "/api/chat",
        json={"model": MODEL, "messages": history, "tools": tools, "stream": False},
        timeout=60,
    )
    assert reply.status_code == 400 and "arguments" in reply.json()["error"]
