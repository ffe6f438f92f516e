"""The hostile-GGUF set against the real engine: header fields llama.cpp asserts on and
chat templates that never end. Each request fails with a plain error, the engine process
never dies, and /api/version answers within 5 s during and after each (the benchmark
benchmarks/hostile_inputs.py measures the same on a quiet machine, where the goal is 1 s)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.engine.starter import starter_gguf
from tests.support.engine import EngineProcess, start_engine
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
