"""The hostile-GGUF set against the real engine: header fields llama.cpp asserts on and
chat templates that never end. Each request fails with a plain error, the engine process
never dies, and /api/version answers within 5 s during and after each (the benchmark
benchmarks/hostile_inputs.py measures the same on a quiet machine, where the goal is 1 s)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.engine.starter import starter_gguf
from tests.support.engine import EngineProcess, start_engine
from tests.support.gguf_forge import STRING, forge
from tests.support.hostile_models import CASES, throw

pytestmark = pytest.mark.engine
MODEL = "smollm2:135m"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    process = start_engine(tmp_path_factory.mktemp("hostile-gguf"))
    try:
        yield process
    finally:
        process.stop()


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_model_fails_its_request_and_nothing_else(
    engine: EngineProcess, tmp_path: Path, case: str
) -> None:
    source = starter_gguf()
    assert source is not None
    pid = engine.process.pid
    outcome = throw(
        engine.url, source, tmp_path, case, CASES[case], alive=lambda: engine.process.poll() is None
    )
    assert outcome.engine_alive and engine.process.pid == pid
    assert outcome.status in (400, 500), outcome
    assert outcome.error and ("load" in outcome.error or "template" in outcome.error), outcome.error
    assert max(outcome.version_latencies) < 5.0, outcome.version_latencies
    assert outcome.seconds < 30.0, outcome  # a refusal, not a wait for a timeout


def test_the_engine_still_chats_after_the_set(engine: EngineProcess, tmp_path: Path) -> None:
    source = starter_gguf()
    assert source is not None
    control = throw(engine.url, source, tmp_path, "control", {}, alive=lambda: engine.process.poll() is None)
    assert control.status == 200 and control.error == ""
    reply = httpx.post(
        engine.url + "/api/chat",
        json={
            "model": MODEL,
            "messages": [{"role": "user", "content": "Hi"}],
            "stream": False,
            "options": {"num_predict": 2, "temperature": 0, "seed": 1},
        },
        timeout=120,
    )
    assert reply.status_code == 200 and reply.json()["done"] is True


# A template fast for the four-message check and explosive for a long chat: messages**5 steps.
GROWING = (
    "{% for a in messages %}{% for b in messages %}{% for c in messages %}{% for d in messages %}"
    "{% for e in messages %}{% for f in range(10) %}{% endfor %}"
    "{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
    "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}<|assistant|>"
)


@pytest.fixture(scope="module")
def strict_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    process = start_engine(
        tmp_path_factory.mktemp("template-budget"), extra_env={"OLLAMA_DESK_TEMPLATE_TIMEOUT": "3"}
    )
    try:
        yield process
    finally:
        process.stop()


def test_a_render_that_explodes_in_the_child_fails_that_request_only(
    strict_engine: EngineProcess, tmp_path: Path
) -> None:
    source = starter_gguf()
    assert source is not None
    path = forge(source, tmp_path / "growing.gguf", changes={"tokenizer.chat_template": (STRING, GROWING)})
    data = path.read_bytes()
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    url = strict_engine.url
    assert httpx.post(f"{url}/api/blobs/{digest}", content=data, timeout=120).status_code == 201
    created = httpx.post(
        url + "/api/create",
        json={"model": "growing", "files": {"m.gguf": digest}, "stream": False},
        timeout=60,
    )
    assert created.status_code == 200
    options = {"num_predict": 2, "temperature": 0, "seed": 1}
    short = [{"role": "user", "content": "Hi"}]
    first = httpx.post(
        url + "/api/chat",
        json={"model": "growing", "messages": short, "stream": False, "options": options},
        timeout=120,
    )
    assert first.status_code == 200, first.text
    latencies: list[float] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            httpx.get(url + "/api/version", timeout=30)
            latencies.append(time.perf_counter() - started)
            stop.wait(0.1)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    long_chat = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"turn {i}"} for i in range(41)]
    started = time.perf_counter()
    try:
        reply = httpx.post(
            url + "/api/chat",
            json={"model": "growing", "messages": long_chat, "stream": False, "options": options},
            timeout=120,
        )
    finally:
        elapsed = time.perf_counter() - started
        stop.set()
        poller.join(timeout=35)
    assert reply.status_code == 500 and "took longer than 3 s" in reply.json()["error"], reply.text
    assert elapsed < 15.0 and max(latencies) < 5.0
    again = httpx.post(
        url + "/api/chat",
        json={"model": "growing", "messages": short, "stream": False, "options": options},
        timeout=120,
    )
    assert again.status_code == 200, again.text  # a fresh child
    assert strict_engine.process.poll() is None
