"""Calibration from measured runs: the bandwidth that produced the speeds is found again, and the
report's predictions follow it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.core.bench import BenchResult, BenchRun
from desktop.core.catalog import load_catalog
from desktop.core.hardware.calibrate import calibrate, latest_measurements
from desktop.core.hardware.machine import GIB, Cpu, Machine, Memory
from desktop.core.hardware.report import build_report, format_text
from desktop.core.hardware.speed import cpu_bandwidth, cpu_token_seconds, tokens_per_second

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
    ("bandwidth", "fixed", "cores", "weights"),
    [
        (20e9, 0.004, 8, [2 * GIB, 4 * GIB, 8 * GIB]),  # sizes far apart: the line itself
        (3e9, 0.05, 4, [100 * MB, 400 * MB]),
        (900e9, 0.002, 8, [1 * GIB, 5 * GIB]),
    ],
)
def test_sizes_far_apart_recover_the_line_that_made_the_speeds(
    bandwidth: float, fixed: float, cores: int, weights: list[int]
) -> None:
    runs = [_run(f"m{i}", w, 1 / (fixed + w / bandwidth)) for i, w in enumerate(weights)]
    cal = calibrate([_result(runs)], cores)
    assert cal.cpu.method == "line"
    assert cal.cpu_bandwidth == pytest.approx(bandwidth, rel=0.01)
    assert cal.cpu.fixed == pytest.approx(fixed, rel=0.01)
    assert cal.cpu_points == len(weights) and cal.gpu_points == 0


@pytest.mark.parametrize(
    ("tps", "cores", "weights"),
    [
        ([4.5, 2.3], 2, [98 * MB, 145 * MB]),  # this machine's two real models, measured when busy
        ([30.0], 2, [98 * MB]),
        ([12.0, 7.0], 8, [4 * GIB, 5 * GIB]),  # too close together for a slope
        ([40.0, 5.0], 4, [100 * MB, 200 * MB]),  # a slope with a negative fixed cost: not physical
    ],
)
def test_otherwise_one_efficiency_scales_the_estimate(
    tps: list[float], cores: int, weights: list[int]
) -> None:
    cal = calibrate(
        [_result([_run(f"m{i}", w, t) for i, (w, t) in enumerate(zip(weights, tps, strict=True))])], cores
    )
    assert cal.cpu.method == "scaled"
    estimate = [
        tokens_per_second(w, gpu_share=0, gpu_bw=0, cpu_bw=cpu_bandwidth(cores), cores=cores) for w in weights
    ]
    # One factor k on seconds per token: both the bandwidth and the fixed cost.
    k = estimate[0] / tokens_per_second(
        weights[0], gpu_share=0, gpu_bw=0, cpu_bw=cal.cpu_bandwidth, cores=cores, cpu_fixed=cal.cpu.fixed
    )
    assert cal.cpu_bandwidth == pytest.approx(cpu_bandwidth(cores) / k, rel=1e-6)
    assert cal.cpu.fixed == pytest.approx(cpu_token_seconds(cores) * k, rel=1e-6)
    assert cal.cpu.efficiency == pytest.approx(1 / k)
    if len(weights) == 1:  # one point: matched exactly
        predicted = tokens_per_second(
            weights[0], gpu_share=0, gpu_bw=0, cpu_bw=cal.cpu_bandwidth, cores=cores, cpu_fixed=cal.cpu.fixed
        )
        assert predicted == pytest.approx(tps[0], rel=1e-6)


def test_prompt_rate_is_compute_per_parameter() -> None:
    def with_prompt(run: BenchRun, params: int, prompt_tps: float) -> BenchRun:
        return replace(
            run, params=params, prompt_eval_count=40, prompt_eval_duration=int(40 / prompt_tps * 1e9)
        )

    runs = [
        with_prompt(_run("small", 100 * MB, 30.0), 135_000_000, 200.0),
        with_prompt(_run("large", 300 * MB, 12.0), 405_000_000, 70.0),
        # A second run finds the prompt cached: every token counted, only a few timed.
        with_prompt(_run("small", 100 * MB, 30.0, n=2), 135_000_000, 5000.0),
    ]
    cal = calibrate([_result(runs)], 2)
    assert cal.measured_for("small") is not None
    assert cal.measured_for("small").prompt_tokens_per_second == pytest.approx(200.0, rel=1e-3)
    rate = cal.prompt_rate
    assert rate == pytest.approx((200.0 * 135e6 + 70.0 * 405e6) / 2, rel=1e-3)  # the median of two
    assert cal.prompt_speed(1_000_000_000) == pytest.approx(rate / 1e9)
    assert cal.prompt_speed(0) == 0.0


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
    guessed_tps = tokens_per_second(
        98 * MB, gpu_share=0, gpu_bw=0, cpu_bw=guessed.budget.cpu_bandwidth, cores=2
    )
    tps = guessed_tps * 4
    cal = calibrate([_result([_run("smollm2:135m", 98 * MB, tps)])], 2)
    learnt = build_report(MACHINE, catalog, num_ctx=4096, calibration=cal)
    assert learnt.budget.cpu_bandwidth == pytest.approx(guessed.budget.cpu_bandwidth * 4, rel=0.01)
    assert learnt.budget.cpu_fixed == pytest.approx(cpu_token_seconds(2) / 4, rel=0.01)
    before = {row.tier.label: row.verdict.tokens_per_second for row in guessed.tier.rows}
    after = {row.tier.label: row.verdict.tokens_per_second for row in learnt.tier.rows}
    assert after["7B"] > before["7B"] * 2
    text = format_text(learnt)
    assert "measured memory bandwidth" in text and "smollm2:135m" in text and "on 1 December" in text
    assert learnt.to_dict()["measured"]["models"][0]["model"] == "smollm2:135m"
    assert guessed.to_dict()["measured"] is None


def test_a_measured_catalog_tag_is_judged_by_its_measured_speed() -> None:
    catalog = load_catalog()
    guessed = build_report(MACHINE, catalog, num_ctx=4096)
    chat = guessed.suggestion("chat_en")
    assert chat is not None and chat.tag == "gemma3:1b"  # llama3.2:3b is predicted too slow here
    three_b = catalog.tag("llama3.2:3b")
    assert three_b is not None
    runs = [_run("gemma3:1b", 815 * MB, 30.0), _run("llama3.2:3b", three_b.size, 9.0)]
    learnt = build_report(MACHINE, catalog, num_ctx=4096, calibration=calibrate([_result(runs)], 2))
    again = learnt.suggestion("chat_en")
    # Measured at 9 tokens/s, above a chat's 8: the larger tag is the pick, at its measured speed.
    assert again is not None and again.tag == "llama3.2:3b"
    assert again.verdict.tokens_per_second == pytest.approx(9.0)
    assert learnt.tier.rows[0].verdict.tokens_per_second == pytest.approx(9.0)  # the 3B row's example
    assert learnt.to_dict()["measured"]["cpu_fit"] in ("line", "scaled")


def test_the_first_run_after_a_load_does_not_set_the_prompt_speed() -> None:
    def prompted(prompt: str, prompt_tps: float) -> BenchRun:
        run = replace(_run("m", 100 * MB, 30.0), prompt=prompt, params=135_000_000)
        return replace(run, prompt_eval_count=40, prompt_eval_duration=int(40 / prompt_tps * 1e9))

    # Two prompts, one run each: the first also paged the weights in (slow), the second read at speed.
    result = _result([prompted("a", 7.0), prompted("b", 38.0)])
    result.prompts = ["a", "b"]
    measured = calibrate([result], 2).measured_for("m")
    assert measured is not None and measured.prompt_tokens_per_second == pytest.approx(38.0, rel=1e-3)
    assert result.summary("m").figures["prompt_tokens_per_second"].median == pytest.approx(38.0, rel=1e-3)
