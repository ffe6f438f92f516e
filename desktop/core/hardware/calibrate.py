"""This machine's speed, learnt from measured answers instead of guessed.

speed.py predicts seconds per token as a fixed cost plus weights / bandwidth. Every measured run
(desktop.core.bench: the decoding tokens/s of a model whose file size is known) is one point of
that line. What the points can support is fitted, per device:

- one model size (or sizes too close together to tell a slope): one number, this machine's
  efficiency against the estimate, which scales both the fixed cost and the bandwidth (a busy
  or slow machine is slower at both);
- two or more sizes at least SPREAD apart: the line itself (fixed cost and bandwidth, least
  squares on relative error), kept only when it is physical (both positive) and fits the points
  better than the scaled estimate.

Reading a prompt is compute-bound: prompt tokens/s times the parameter count is roughly constant
on one machine, so the median of that product over the measured models predicts any other
model's prompt speed. Runs on a busy machine measure less than an idle one: the figures are what
this machine gave, when it was measured. Only runs wholly on the CPU (size_vram 0) or wholly on
the GPU are used, each for its own device.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from desktop.core.bench import BenchResult, BenchRun
from desktop.core.hardware.budget import Budget
from desktop.core.hardware.speed import GPU_TOKEN_OVERHEAD_SECONDS, cpu_bandwidth, cpu_token_seconds

# Outside this range a fit says more about a broken measurement than about the machine.
MIN_BANDWIDTH = 0.3e9
MAX_BANDWIDTH = 4000e9
# The largest measured model must be this many times the smallest for a slope to mean anything.
SPREAD = 1.8
# A GPU's bandwidth when the caller gives no estimate for it (only the scaled fit needs one).
FALLBACK_GPU_BANDWIDTH = 300e9


@dataclass(frozen=True)
class Measured:
    """A model's measured speeds: the medians of its runs in its latest comparison."""

    model: str
    tokens_per_second: float
    weights: int
    on_gpu: bool
    when: str  # ISO time of that comparison
    runs: int
    prompt_tokens_per_second: float = 0.0
    params: int = 0

    @property
    def day(self) -> str:
        """The day, as the hardware page says it: "1 December"."""
        return day_of(self.when)


def day_of(when: str) -> str:
    try:
        moment = datetime.fromisoformat(when)
    except ValueError:
        return when[:10]
    return f"{moment.day} {moment:%B}"


@dataclass(frozen=True)
class DeviceFit:
    """seconds per token = fixed + weights / bandwidth, as fitted on one device's points."""

    bandwidth: float = 0.0  # bytes/s; 0: nothing measured on that device
    fixed: float = 0.0  # seconds per token
    points: int = 0
    method: str = ""  # "line" | "scaled"
    efficiency: float = 0.0  # measured speed over the estimate's, at the measured sizes

    def seconds(self, weights: int) -> float:
        return self.fixed + weights / self.bandwidth if self.bandwidth > 0 else 0.0


@dataclass(frozen=True)
class Calibration:
    cpu: DeviceFit = DeviceFit()
    gpu: DeviceFit = DeviceFit()
    measured: tuple[Measured, ...] = ()
    prompt_rate: float = 0.0  # prompt tokens/s x parameters, on the CPU (0: not measured)

    @property
    def cpu_bandwidth(self) -> float:
        return self.cpu.bandwidth

    @property
    def gpu_bandwidth(self) -> float:
        return self.gpu.bandwidth

    @property
    def cpu_points(self) -> int:
        return self.cpu.points

    @property
    def gpu_points(self) -> int:
        return self.gpu.points

    @property
    def empty(self) -> bool:
        return not (self.cpu_points or self.gpu_points)

    @property
    def latest_day(self) -> str:
        """The day of the newest measurement ('' when none)."""
        newest = max((m.when for m in self.measured), default="")
        return day_of(newest) if newest else ""

    def measured_for(self, model: str) -> Measured | None:
        wanted = model.removesuffix(":latest")
        return next((m for m in self.measured if m.model.removesuffix(":latest") == wanted), None)

    def prompt_speed(self, params: int) -> float:
        """Predicted prompt tokens/s for a model of `params` parameters on the CPU (0: not known)."""
        return self.prompt_rate / params if self.prompt_rate > 0 and params > 0 else 0.0

    def apply(self, machine_budget: Budget) -> Budget:
        """The budget with the measured line in place of the estimated one."""
        changed = machine_budget
        if self.cpu_points:
            changed = replace(changed, cpu_bandwidth=self.cpu.bandwidth, cpu_fixed=self.cpu.fixed)
        if self.gpu_points and machine_budget.gpu_bandwidth > 0:
            changed = replace(changed, gpu_bandwidth=self.gpu.bandwidth, gpu_fixed=self.gpu.fixed)
        return changed


def cold_runs(runs: list[BenchRun]) -> list[BenchRun]:
    """The runs whose prompt speed is reading speed: a prompt's first run (later ones find it in
    the KV cache: the engine counts every token but times only the few it evaluated), after the
    model's very first run where there are others (that one also pages the weights in from disk)."""
    cold = [r for r in runs if r.run == 1]
    return cold[1:] if len(cold) > 1 else cold


def latest_measurements(results: Iterable[BenchResult]) -> list[Measured]:
    """Per model, the median speeds of its newest comparison that has a known file size."""
    found: dict[str, Measured] = {}
    for result in sorted(results, key=lambda r: r.created_at, reverse=True):
        for model in result.models:
            if model in found:
                continue
            runs = [r for r in result.runs_of(model) if r.ok and r.tokens_per_second > 0 and r.weights > 0]
            # Partly offloaded runs mix two devices: they fit neither line.
            runs = [r for r in runs if r.size_vram == 0 or r.size_vram >= r.size * 0.98]
            if not runs:
                continue
            cold = cold_runs(runs)
            prompt = [r.prompt_tokens_per_second for r in cold if r.prompt_tokens_per_second > 0]
            found[model] = Measured(
                model=model,
                tokens_per_second=float(statistics.median(r.tokens_per_second for r in runs)),
                weights=runs[0].weights,
                on_gpu=runs[0].size_vram > 0,
                when=result.created_at,
                runs=len(runs),
                prompt_tokens_per_second=float(statistics.median(prompt)) if prompt else 0.0,
                params=runs[0].params,
            )
    return list(found.values())


def _error(points: list[tuple[int, float]], fit: DeviceFit) -> float:
    """Sum of squared relative errors of the fit's seconds per token."""
    return sum((fit.seconds(w) / s - 1) ** 2 for w, s in points)


def _scaled(points: list[tuple[int, float]], fixed: float, bandwidth: float) -> DeviceFit:
    """The estimate's line scaled by the one factor k that best matches the points (relative error):
    k = sum(e/s) / sum((e/s)^2), e the estimate's seconds, s the measured ones."""
    ratios = [(fixed + w / bandwidth) / s for w, s in points]
    k = sum(ratios) / sum(r * r for r in ratios)
    k = min(bandwidth / MIN_BANDWIDTH, max(bandwidth / MAX_BANDWIDTH, k))
    return DeviceFit(bandwidth / k, fixed * k, len(points), "scaled", 1.0 / k)


def _line(points: list[tuple[int, float]]) -> DeviceFit | None:
    """seconds = a + w / b by least squares on relative error (weights 1/s^2); None if not physical."""
    weights = [1.0 / (s * s) for _w, s in points]
    sw = sum(weights)
    mean_w = sum(q * w for q, (w, _s) in zip(weights, points, strict=True)) / sw
    mean_s = sum(q * s for q, (_w, s) in zip(weights, points, strict=True)) / sw
    var = sum(q * (w - mean_w) ** 2 for q, (w, _s) in zip(weights, points, strict=True))
    if var <= 0:
        return None
    cov = sum(q * (w - mean_w) * (s - mean_s) for q, (w, s) in zip(weights, points, strict=True))
    slope = cov / var
    fixed = mean_s - slope * mean_w
    if slope <= 0 or fixed <= 0 or not MIN_BANDWIDTH <= 1.0 / slope <= MAX_BANDWIDTH:
        return None
    return DeviceFit(1.0 / slope, fixed, len(points), "line", 0.0)


def fit_device(speeds: list[tuple[int, float]], fixed: float, bandwidth: float) -> DeviceFit:
    """The best line the (weights, tokens/s) points support, from the estimate (fixed, bandwidth)."""
    points = [(w, 1.0 / tps) for w, tps in speeds if w > 0 and tps > 0]
    if not points or bandwidth <= 0:
        return DeviceFit()
    scaled = _scaled(points, fixed, bandwidth)
    sizes = [w for w, _s in points]
    line = _line(points) if max(sizes) >= SPREAD * min(sizes) else None
    if line is not None and _error(points, line) < _error(points, scaled):
        return replace(line, efficiency=scaled.efficiency)
    return scaled


def calibrate(results: Iterable[BenchResult], cores: int, estimate: Budget | None = None) -> Calibration:
    """Fit this machine's speed to the saved comparisons. `estimate`: the probe's budget, whose
    bandwidths the scaled fit starts from (without it, the core count's CPU estimate)."""
    measured = latest_measurements(results)
    cpu_bw = estimate.cpu_bandwidth if estimate is not None else cpu_bandwidth(cores)
    gpu_bw = estimate.gpu_bandwidth if estimate is not None and estimate.gpu_bandwidth > 0 else 0.0
    cpu = [(m.weights, m.tokens_per_second) for m in measured if not m.on_gpu]
    gpu = [(m.weights, m.tokens_per_second) for m in measured if m.on_gpu]
    rates = [m.prompt_tokens_per_second * m.params for m in measured if not m.on_gpu and m.params]
    return Calibration(
        cpu=fit_device(cpu, cpu_token_seconds(cores), cpu_bw),
        gpu=fit_device(gpu, GPU_TOKEN_OVERHEAD_SECONDS, gpu_bw or FALLBACK_GPU_BANDWIDTH),
        measured=tuple(measured),
        prompt_rate=float(statistics.median(r for r in rates if r > 0)) if any(r > 0 for r in rates) else 0.0,
    )
