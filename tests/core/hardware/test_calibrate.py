"""Calibration from measured runs: the bandwidth that produced the speeds is found again, and the
report's predictions follow it."""

from __future__ import annotations

import pytest

from desktop.core.bench import BenchResult, BenchRun
from desktop.core.catalog import load_catalog
from desktop.core.hardware.calibrate import calibrate, latest_measurements
from desktop.core.hardware.machine import GIB, Cpu, Machine, Memory
from desktop.core.hardware.report import build_report, format_text
from desktop.core.hardware.speed import tokens_per_second

MB = 1_000_000
MACHINE = Machine(
    memory=Memory(total=24 * GIB, available=20 * GIB, host_total=24 * GIB),
    cpu=Cpu(model="test CPU", cores=2, threads=2),
    os="Linux",
)


def _run(model: str, weights: int, tps: float, *, vram: int = 0, size: int = 0, n: int = 1) -> BenchRun:
    tokens = 32
    return BenchRun(
        model,
        "p",
        n,
        eval_count=tokens,
        eval_duration=int(tokens / tps * 1e9),
        weights=weights,
        size=size or weights + 50 * MB,
        size_vram=vram,
        answer="x",
    )


def _result(runs: list[BenchRun], when: str = "2026-12-01T09:00:00+00:00") -> BenchResult:
    models = list(dict.fromkeys(r.model for r in runs))
    return BenchResult(models=models, prompts=["p"], options={}, created_at=when, runs=runs)


@pytest.mark.parametrize(
    ("bandwidth", "cores", "weights"),
    [
        (5e9, 2, [98 * MB, 145 * MB]),  # this machine's two real models
        (20e9, 8, [2 * GIB, 4 * GIB, 8 * GIB]),
        (3e9, 4, [400 * MB]),
    ],
)
def test_the_fit_recovers_the_bandwidth_that_made_the_speeds(
    bandwidth: float, cores: int, weights: list[int]
) -> None:
    runs = [
        _run(f"m{i}", w, tokens_per_second(w, gpu_share=0, gpu_bw=0, cpu_bw=bandwidth, cores=cores))
        for i, w in enumerate(weights)
    ]
    cal = calibrate([_result(runs)], cores)
    assert cal.cpu_bandwidth == pytest.approx(bandwidth, rel=0.01)
    assert cal.cpu_points == len(weights) and cal.gpu_points == 0


def test_latest_comparison_counts_and_mixed_or_unknown_runs_do_not() -> None:
    old = _result([_run("a", 100 * MB, 10.0)], when="2026-11-30T09:00:00+00:00")
    new = _result([_run("a", 100 * MB, 20.0), _run("a", 100 * MB, 30.0, n=2)])
    partial = _result([_run("b", 100 * MB, 50.0, vram=60 * MB, size=150 * MB)])
    unknown = _result([_run("c", 0, 50.0)])
    measured = {m.model: m for m in latest_measurements([old, new, partial, unknown])}
    assert set(measured) == {"a"}
    assert measured["a"].tokens_per_second == pytest.approx(25.0) and measured["a"].runs == 2
    assert measured["a"].day == "1 December"
    assert calibrate([unknown], 2).empty


def test_report_predicts_from_the_measured_bandwidth_and_says_so() -> None:
    catalog = load_catalog()
    guessed = build_report(MACHINE, catalog, num_ctx=4096)
    # A machine measured four times faster than the core count suggests.
    fast_bw = guessed.budget.cpu_bandwidth * 4
    tps = tokens_per_second(98 * MB, gpu_share=0, gpu_bw=0, cpu_bw=fast_bw, cores=2)
    cal = calibrate([_result([_run("smollm2:135m", 98 * MB, tps)])], 2)
    learnt = build_report(MACHINE, catalog, num_ctx=4096, calibration=cal)
    assert learnt.budget.cpu_bandwidth == pytest.approx(fast_bw, rel=0.01)
    before = {row.tier.label: row.verdict.tokens_per_second for row in guessed.tier.rows}
    after = {row.tier.label: row.verdict.tokens_per_second for row in learnt.tier.rows}
    assert after["7B"] > before["7B"] * 2
    text = format_text(learnt)
    assert "measured memory bandwidth" in text and "smollm2:135m" in text and "on 1 December" in text
    assert learnt.to_dict()["measured"]["models"][0]["model"] == "smollm2:135m"
    assert guessed.to_dict()["measured"] is None
