"""How fast a model would answer here: decoding reads every weight once per token, so
tokens/s is roughly the memory bandwidth the model's device sustains over the model's bytes,
plus a fixed per-token cost (sampling, thread hand-offs) that dominates for tiny models.

The bandwidths are estimates from what the probe knows (cores, VRAM size, Apple's RAM size),
not measurements. The CPU constants were set against the starter model on this 2-core machine
(SmolLM2-135M Q4_1, 98 MB: predicted 41.8 tokens/s; the chat showed 42.2 tokens/s when the
machine was idle); benchmarks/predicted_speed.py measures it again (a busy machine measures
far less: other processes take the cores).
"""

from __future__ import annotations

import math

# A chat reply slower than this is a wait rather than a read (about 6 words a second).
USABLE_TOKENS_PER_SECOND = 8.0

# llmfit's measured share of the peak bandwidth that llama.cpp's decoding reaches.
EFFICIENCY = 0.55
# Dual-channel desktop RAM; one core streams roughly a quarter of it.
CPU_PEAK_BANDWIDTH = 40e9
CPU_BANDWIDTH_PER_CORE = 10e9
# Per token, split over the cores that share the work.
CPU_TOKEN_OVERHEAD_CORE_SECONDS = 0.03
GPU_TOKEN_OVERHEAD_SECONDS = 0.003
# Discrete GPUs: bandwidth grows with the memory fitted (RTX 4060 8 GB 272 GB/s, RX 6700 XT
# 12 GB 384 GB/s, RTX 3090 24 GB 936 GB/s, A100 80 GB 2 TB/s).
GPU_BANDWIDTH_PER_GIB = 25e9
GPU_MIN_BANDWIDTH = 250e9
GPU_MAX_BANDWIDTH = 3000e9
# Apple Silicon: M1 8 GB 68 GB/s, M3 Pro 36 GB 150 GB/s, M2 Max 64 GB 400 GB/s, Ultra 800 GB/s.
APPLE_BANDWIDTH_PER_GIB = 6e9
APPLE_MIN_BANDWIDTH = 68e9
APPLE_MAX_BANDWIDTH = 800e9

_GIB = 1024**3


def effective_cores(cores: int, cpu_limit: float | None = None) -> int:
    """Physical cores llama.cpp can use, after a container's CPU quota."""
    usable = cores if cores > 0 else 4
    if cpu_limit:
        usable = min(usable, max(1, math.ceil(cpu_limit)))
    return usable


def cpu_bandwidth(cores: int) -> float:
    """Bytes/s the CPU's decoding actually streams (peak x efficiency)."""
    return min(CPU_PEAK_BANDWIDTH, max(1, cores) * CPU_BANDWIDTH_PER_CORE) * EFFICIENCY


def gpu_bandwidth(vram_total: int, *, unified: bool = False, ram_total: int = 0) -> float:
    """Bytes/s a GPU's decoding streams; 0 when there is no GPU."""
    if unified:
        peak = min(APPLE_MAX_BANDWIDTH, max(APPLE_MIN_BANDWIDTH, ram_total / _GIB * APPLE_BANDWIDTH_PER_GIB))
        return peak * EFFICIENCY
    if vram_total <= 0:
        return 0.0
    peak = min(GPU_MAX_BANDWIDTH, max(GPU_MIN_BANDWIDTH, vram_total / _GIB * GPU_BANDWIDTH_PER_GIB))
    return peak * EFFICIENCY


def cpu_token_seconds(cores: int) -> float:
    """The estimated fixed cost of one token on the CPU, before anything was measured."""
    return CPU_TOKEN_OVERHEAD_CORE_SECONDS / max(1, cores)


def tokens_per_second(
    weights: int,
    *,
    gpu_share: float,
    gpu_bw: float,
    cpu_bw: float,
    cores: int,
    cpu_fixed: float = 0.0,
    gpu_fixed: float = 0.0,
) -> float:
    """Decoding speed for `weights` bytes, `gpu_share` of them on the GPU, the rest on the CPU.

    `cpu_fixed` / `gpu_fixed`: the per-token fixed cost calibrate.py measured (0: the estimate)."""
    share = min(1.0, max(0.0, gpu_share)) if gpu_bw > 0 else 0.0
    seconds = 0.0
    if share > 0:
        seconds += weights * share / gpu_bw + (gpu_fixed or GPU_TOKEN_OVERHEAD_SECONDS)
    if share < 1:
        seconds += weights * (1 - share) / max(1.0, cpu_bw)
        seconds += cpu_fixed or cpu_token_seconds(cores)
    return 1.0 / seconds if seconds > 0 else 0.0


def shown_speed(tps: float) -> float:
    """The figure a label shows (one decimal below 10, whole above): verdicts compare this one, so
    a label never says "slow: about 8 tokens/s" next to an 8 tokens/s threshold."""
    return round(tps, 1) if tps < 10 else float(round(tps))


def format_speed(tps: float) -> str:
    value = shown_speed(tps)
    return f"{value:.1f}".removesuffix(".0") if value < 10 else f"{value:.0f}"
