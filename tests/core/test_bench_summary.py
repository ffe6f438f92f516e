"""A comparison's summary, from saved runs (no server): the spread of each figure, and the prompt's
speed from its first run only (later runs find the prompt cached)."""

from __future__ import annotations

import pytest

from desktop.core.bench import BenchResult, BenchRun


def _run(n: int, tps: float, prompt_tps: float) -> BenchRun:
    return BenchRun(
        "m",
        "p",
        n,
        eval_count=20,
        eval_duration=int(20 / tps * 1e9),
        prompt_eval_count=40,
        prompt_eval_duration=int(40 / prompt_tps * 1e9),
        answer="x",
    )


def test_spread_and_the_prompt_from_first_runs() -> None:
    result = BenchResult(
        models=["m"], prompts=["p"], options={}, runs=[_run(1, 10, 80), _run(2, 12, 900), _run(3, 11, 950)]
    )
    figures = result.summary("m").figures
    speed = figures["tokens_per_second"]
    assert (speed.low, speed.median, speed.high) == pytest.approx((10, 11, 12), rel=1e-6)
    prompt = figures["prompt_tokens_per_second"]
    assert (prompt.low, prompt.high) == pytest.approx((80, 80), rel=1e-6)
    data = result.to_dict()["summary"][0]
    assert data["prompt_tokens_per_second"]["median"] == pytest.approx(80, rel=1e-3)
    assert data["runs"] == 3
