"""Predicted decoding speed against measured, on this machine, for two real models: the starter
(SmolLM2-135M Q4_1) and its Q8_0 requantization made by the engine's /api/create quantize.

    python benchmarks/predicted_vs_measured.py [--runs 3] [--tokens 64]

Three predictions per model: from the core count (speed.py's estimate, what the hardware page
said before it measured anything), calibrated on both models (what it says after a comparison),
and calibrated on the other model only (leave-one-out: does a measurement of one model predict
another?). Measured: the median of `runs` warm runs (desktop.core.bench, each model alone).
The machine is shared: the load average is printed with the figures.

Rounds alternate the models (each alone, the order swapped each round) so both meet the same
drifting load; the first prompt of each model's round warms it up (its prompt speed would measure
the page-in after the load), the second's prompt speed is the one predicted (leave-one-out: the
other model's prompt tokens/s x parameters).

1 December 2026, this 2-core machine shared by several engineers, 4 rounds of 48 tokens:
- load 7-10: measured 5.5 tokens/s (Q4_1, 98 MB; runs 3.5-6.8) and 3.2 (Q8_0, 145 MB; 1.6-13.2);
  the core-count estimate said 41.8 and 35.5 (+662%, +1022%: it assumes an idle machine); the
  calibration on both (scaled: 11% of the estimate, 1.26 GB/s + 131 ms/token) 4.8 and 4.1 (-13%,
  +28%); each from the other model only 3.7 and 4.7 (-32%, +47%); prompt speed 14.0 and 14.0
  tokens/s, each predicted from the other 0% off (the same 135M parameters).
- load 8-12 (after the prompt-speed fix): measured 2.4 (1.2-8.0) and 3.8 (1.5-5.9); estimate
  +1648%, +832%; calibrated on both (scaled, 9%) +57%, -16%; leave-one-out +87%, -47%; prompt
  47.3 and 29.3 tokens/s, leave-one-out -38%, +61%.
The 30% goal is met by the calibration on both models in the first run only: one model's own runs
spread 3-7x on this machine (the larger Q8_0 measured faster than Q4_1 in both runs), more than any
prediction from size can follow; the fits that need two points far apart ("line") are not reached
with two 135M models 1.5x apart, so both runs used the scaled estimate.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from desktop.core.bench import BenchResult, BenchRun, run_bench  # noqa: E402
from desktop.core.hardware.budget import budget  # noqa: E402
from desktop.core.hardware.calibrate import calibrate  # noqa: E402
from desktop.core.hardware.probe import probe  # noqa: E402
from desktop.core.hardware.speed import cpu_token_seconds, tokens_per_second  # noqa: E402
from desktop.core.ollama import OllamaClient, Timeouts  # noqa: E402
from tests.support.engine import start_engine  # noqa: E402

MODELS = ["smollm2:135m", "smollm2-q8:135m"]
PROMPT = "Write a short story about a lighthouse keeper."
WARM_UP = "Describe a quiet harbour town at dawn."


async def measure(url: str, runs: int, tokens: int) -> BenchResult:
    """`runs` rounds, each model alone in turn, the order swapped every round: on a shared machine
    the load drifts, and alternating gives both models the same share of it."""
    async with OllamaClient(url, timeouts=Timeouts(first_token=300, idle=120)) as client:
        async for _line in client.create(MODELS[1], from_=MODELS[0], quantize="q8_0"):
            pass
        options = {"temperature": 0, "seed": 7, "num_predict": tokens}
        kept: list[BenchRun] = []
        result: BenchResult | None = None
        for round_ in range(runs):
            order = MODELS if round_ % 2 == 0 else MODELS[::-1]
            # Two prompts per model: the first also pages the weights in after the load, the second's
            # prompt speed is reading speed; both decode, which the load (load_duration) does not slow.
            result = await run_bench(client, order, [WARM_UP, PROMPT], runs=1, options=options)
            # The warm-up's prompt figures would measure the page-in: only its decoding is kept.
            kept += [r if r.prompt == PROMPT else replace(r, prompt_eval_duration=0) for r in result.runs]
    assert result is not None
    result.models, result.runs = list(MODELS), kept
    return result


def _predict(weights: int, cores: int, bandwidth: float, fixed: float = 0.0) -> float:
    return tokens_per_second(weights, gpu_share=0, gpu_bw=0, cpu_bw=bandwidth, cores=cores, cpu_fixed=fixed)


def _pct(value: float, measured: float) -> str:
    return f"{100 * (value / measured - 1):+.0f}%" if measured > 0 and value > 0 else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=4, help="rounds (each model once per round)")
    parser.add_argument("--tokens", type=int, default=64)
    args = parser.parse_args()
    b = budget(probe())
    load_before = os.getloadavg()
    engine = start_engine(Path(tempfile.mkdtemp(prefix="predicted-")))
    try:
        result = asyncio.run(measure(engine.url, args.runs, args.tokens))
    finally:
        engine.stop()
    load_after = os.getloadavg()
    both = calibrate([result], b.cores, b)
    print(
        f"{b.cores} cores; estimate {b.cpu_bandwidth / 1e9:.1f} GB/s + "
        f"{cpu_token_seconds(b.cores) * 1000:.0f} ms/token; calibrated on both ({both.cpu.method}) "
        f"{both.cpu_bandwidth / 1e9:.2f} GB/s + "
        f"{both.cpu.fixed * 1000:.1f} ms/token, {both.cpu.efficiency * 100:.0f}% of the estimate"
    )
    before, after = (f"{a[0]:.2f} {a[1]:.2f}" for a in (load_before, load_after))
    print(f"load average (1, 5 min) before {before}, after {after}")
    print(
        f"{'model':18} {'MB':>5} {'measured':>9} {'min-max':>12} {'estimate':>9} {'calib.':>7} {'other':>7}"
        f"   {'prompt':>7} {'other':>7}"
    )
    for model in MODELS:
        s = result.summary(model).figures["tokens_per_second"]
        m = both.measured_for(model)
        assert m is not None, f"{model} has no successful run"
        other = BenchResult(
            models=[x for x in MODELS if x != model],
            prompts=[PROMPT],
            options={},
            runs=[r for r in result.runs if r.model != model],
        )
        loo = calibrate([other], b.cores, b)
        est = _predict(m.weights, b.cores, b.cpu_bandwidth)
        cal = _predict(m.weights, b.cores, both.cpu_bandwidth, both.cpu.fixed)
        left = _predict(m.weights, b.cores, loo.cpu_bandwidth, loo.cpu.fixed)
        prompt, prompt_left = m.prompt_tokens_per_second, loo.prompt_speed(m.params)
        print(
            f"{model:18} {m.weights / 1e6:5.0f} {s.median:9.1f} {s.low:5.1f}-{s.high:<6.1f} "
            f"{est:9.1f} {cal:7.1f} {left:7.1f}   {prompt:7.1f} {prompt_left:7.1f}"
        )
        for name, value, measured in (
            ("estimate", est, s.median),
            ("calibrated", cal, s.median),
            ("leave-one-out", left, s.median),
            ("prompt, leave-one-out", prompt_left, prompt),
        ):
            print(f"    {name}: {_pct(value, measured)} of measured")


if __name__ == "__main__":
    main()
