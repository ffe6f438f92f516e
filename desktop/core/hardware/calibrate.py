"""The machine's effective memory bandwidth, learnt from measured answers instead of guessed.

speed.py predicts seconds per token as weights / bandwidth + a fixed per-token cost. Every
measured run (desktop.core.bench: decoding tokens/s of a model whose file size is known) gives
one point of that line; the bandwidth that fits them best (least squares through the origin,
after taking the fixed cost out) replaces the estimate from the core count. Runs on a busy
machine measure less than an idle one: the figure is what this machine gave, when it was measured.
Only runs wholly on the CPU (size_vram 0) or wholly on the GPU are used, each for its own device.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from desktop.core.bench import BenchResult
from desktop.core.hardware.budget import Budget
from desktop.core.hardware.speed import CPU_TOKEN_OVERHEAD_CORE_SECONDS, GPU_TOKEN_OVERHEAD_SECONDS

# Outside this range a fit says more about a broken measurement than about the machine.
MIN_BANDWIDTH = 0.3e9
MAX_BANDWIDTH = 4000e9


@dataclass(frozen=True)
class Measured:
    """A model's measured decoding speed: the median of its runs in its latest comparison."""

    model: str
    tokens_per_second: float
    weights: int
    on_gpu: bool
    when: str  # ISO time of that comparison
    runs: int

    @property
    def day(self) -> str:
        """"1 December", as the hardware page says it."""
        try:
            moment = datetime.fromisoformat(self.when)
        except ValueError:
            return self.when[:10]
        return f"{moment.day} {moment:%B}"


@dataclass(frozen=True)
class Calibration:
    cpu_bandwidth: float = 0.0  # bytes/s; 0 when no CPU run was measured
    gpu_bandwidth: float = 0.0
    cpu_points: int = 0
    gpu_points: int = 0
    measured: tuple[Measured, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.cpu_points or self.gpu_points)

    def measured_for(self, model: str) -> Measured | None:
        wanted = model.removesuffix(":latest")
        return next((m for m in self.measured if m.model.removesuffix(":latest") == wanted), None)

    def apply(self, machine_budget: Budget) -> Budget:
        """The budget with the measured bandwidths in place of the estimated ones."""
        changed = machine_budget
        if self.cpu_points:
            changed = replace(changed, cpu_bandwidth=self.cpu_bandwidth)
        if self.gpu_points and machine_budget.gpu_bandwidth > 0:
            changed = replace(changed, gpu_bandwidth=self.gpu_bandwidth)
        return changed


def latest_measurements(results: Iterable[BenchResult]) -> list[Measured]:
    """Per model, the median decoding speed of its newest comparison that has a known file size."""
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
            found[model] = Measured(
                model=model,
                tokens_per_second=float(statistics.median(r.tokens_per_second for r in runs)),
                weights=runs[0].weights,
                on_gpu=runs[0].size_vram > 0,
                when=result.created_at,
                runs=len(runs),
            )
    return list(found.values())


def _fit(points: list[tuple[int, float]], overhead: float) -> float:
    """Bandwidth b minimising sum(seconds - overhead - weights / b)^2 over (weights, tokens/s)."""
    pairs = [(w, 1.0 / tps - overhead) for w, tps in points]
    pairs = [(w, s) for w, s in pairs if s > 0]
    if not pairs:
        return 0.0
    slope = sum(w * s for w, s in pairs) / sum(w * w for w, _ in pairs)  # seconds per byte
    if slope <= 0:
        return 0.0
    return min(MAX_BANDWIDTH, max(MIN_BANDWIDTH, 1.0 / slope))


def calibrate(results: Iterable[BenchResult], cores: int) -> Calibration:
    measured = latest_measurements(results)
    cpu = [(m.weights, m.tokens_per_second) for m in measured if not m.on_gpu]
    gpu = [(m.weights, m.tokens_per_second) for m in measured if m.on_gpu]
    cpu_bw = _fit(cpu, CPU_TOKEN_OVERHEAD_CORE_SECONDS / max(1, cores)) if cpu else 0.0
    gpu_bw = _fit(gpu, GPU_TOKEN_OVERHEAD_SECONDS) if gpu else 0.0
    return Calibration(
        cpu_bandwidth=cpu_bw,
        gpu_bandwidth=gpu_bw,
        cpu_points=len(cpu) if cpu_bw else 0,
        gpu_points=len(gpu) if gpu_bw else 0,
        measured=tuple(measured),
    )
