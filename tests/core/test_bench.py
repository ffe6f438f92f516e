"""Comparisons against the real engine: the starter model and a copy of it, each alone in memory."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from desktop.core.bench import BenchProgress, BenchResult, BenchRun, run_bench
from desktop.core.bench_store import BenchStore
from desktop.core.ollama import OllamaClient, Timeouts

pytestmark = pytest.mark.engine
T = TypeVar("T")
MODEL = "smollm2:135m"
COPY = "bench-copy:135m"
SHORT = {"num_predict": 12, "seed": 1, "temperature": 0.0}
PROMPT = "Which city is the capital of France?"
METRICS = ("load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_count", "eval_duration")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An engine of this module's own, so the copied model never shows up in other tests' lists."""
    from tests.support.engine import start_engine

    engine = start_engine(tmp_path_factory.mktemp("bench-engine"))
    try:
        run(engine.url, lambda c: c.copy(MODEL, COPY))
        yield engine.url
    finally:
        engine.stop()


def run(url: str, body: Callable[[OllamaClient], Awaitable[T]]) -> T:
    async def main() -> T:
        async with OllamaClient(url, timeouts=Timeouts(first_token=120, idle=30)) as client:
            return await body(client)

    return asyncio.run(main())


def test_two_models_one_after_the_other(bench_engine: str) -> None:
    seen: list[BenchProgress] = []

    async def body(client: OllamaClient) -> tuple[BenchResult, list[str]]:
        await client.load(MODEL)  # something loaded beforehand must be unloaded first

        def progress(p: BenchProgress) -> None:
            seen.append(p)

        result = await run_bench(client, [MODEL, COPY], [PROMPT], runs=2, options=SHORT, on_progress=progress)
        return result, [m.name for m in await client.ps()]

    result, loaded_after = run(bench_engine, body)
    assert loaded_after == []  # each model is unloaded after its runs
    assert [r.model for r in result.runs] == [MODEL, MODEL, COPY, COPY]
    for r in result.runs:
        assert r.ok, r.error
        assert 0 < r.eval_count <= SHORT["num_predict"]
        assert r.eval_duration > 0 and r.prompt_eval_count > 0 and r.prompt_eval_duration > 0
        assert r.tokens_per_second == pytest.approx(r.eval_count / (r.eval_duration / 1e9))
        assert 0 < r.first_token_seconds < r.total_duration / 1e9 + 1
        assert r.size > 0  # from /api/ps while it was loaded
        assert r.weights > 50_000_000  # the file size from /api/tags: what calibration divides by
        assert r.answer
    # The first run of each model loads it (the other was unloaded); the second finds it loaded.
    first, second = result.runs[0], result.runs[1]
    assert first.load_duration > second.load_duration
    assert result.runs[2].load_duration > result.runs[3].load_duration
    # Same weights, temperature 0, same seed: the same answer.
    assert result.runs[0].answer == result.runs[2].answer
    assert [p.step for p in seen if p.finished is not None] == [1, 2, 3, 4]
    summary = result.summary(MODEL)
    speeds = sorted(r.tokens_per_second for r in result.runs_of(MODEL))
    assert summary.runs == 2 and summary.failed == 0
    assert summary.figures["tokens_per_second"].low == speeds[0]
    assert summary.figures["tokens_per_second"].high == speeds[1]


def test_unknown_model_is_recorded_and_the_rest_goes_on(bench_engine: str) -> None:
    async def body(client: OllamaClient) -> BenchResult:
        return await run_bench(client, ["no-such-model:1b", MODEL], [PROMPT], options=SHORT)

    result = run(bench_engine, body)
    missing, present = result.runs
    assert not missing.ok and "no-such-model" in missing.error
    assert present.ok and present.eval_count > 0
    assert result.summary("no-such-model:1b").failed == 1


def test_command_line_json_progress_and_saved(bench_engine: str, tmp_path: Path) -> None:
    env = dict(os.environ, OLLAMA_DESK_HOME=str(tmp_path / "home"))
    cmd = [sys.executable, "-m", "desktop", "bench", MODEL, COPY, "--runs", "2", "--num-predict", "8"]
    cmd += ["--prompt", PROMPT, "--json", "--host", bench_engine]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=240)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [r["model"] for r in data["runs"]] == [MODEL, MODEL, COPY, COPY]
    for r in data["runs"]:
        for key in (
            "load_duration",
            "prompt_eval_count",
            "prompt_eval_duration",
            "eval_count",
            "eval_duration",
        ):
            assert isinstance(r[key], int)
        assert 0 < r["eval_count"] <= 8
        assert r["tokens_per_second"] == pytest.approx(r["eval_count"] / r["eval_duration"] * 1e9, rel=1e-3)
    assert {s["model"] for s in data["summary"]} == {MODEL, COPY}
    assert set(data["summary"][0]["tokens_per_second"]) == {"min", "median", "max"}
    assert f"[4/4] {COPY}: run 2 of 2:" in done.stderr  # one progress line per run when piped
    saved = BenchStore(tmp_path / "home" / "bench").list()
    assert len(saved) == 1 and len(saved[0].runs) == 4

    table = subprocess.run(
        [*cmd[:-3], "--host", bench_engine, "--runs", "1", "--no-save"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=240,
    )
    assert table.returncode == 0, table.stderr
    header, row1, row2 = table.stdout.splitlines()[:3]
    assert header.split()[:2] == ["MODEL", "RUNS"]
    assert row1.startswith(MODEL) and row2.startswith(COPY)
    listed = subprocess.run(
        [sys.executable, "-m", "desktop", "bench", "--list"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert saved[0].id in listed.stdout and "tokens/s" in listed.stdout


def test_store_round_trip_and_damaged_files(tmp_path: Path) -> None:
    store = BenchStore(tmp_path)
    result = BenchResult(models=[MODEL], prompts=[PROMPT], options=dict(SHORT))
    result.runs.append(BenchRun(MODEL, PROMPT, 1, eval_count=10, eval_duration=500_000_000, answer="Paris"))
    store.save(result)
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "types.json").write_text(
        json.dumps({"models": [1, MODEL], "runs": [{"model": MODEL, "eval_count": "x", "run": True}, 3]}),
        encoding="utf-8",
    )
    listed = store.list()
    assert {r.id for r in listed} == {result.id, "types"}
    again = store.load(result.id)
    assert again is not None and again.runs[0].tokens_per_second == pytest.approx(20.0)
    damaged = store.load("types")
    assert damaged is not None and damaged.models == [MODEL] and damaged.runs[0].eval_count == 0
    assert store.load("../etc/passwd") is None
    assert store.delete(result.id) and store.load(result.id) is None
