"""How much memory a model needs, how much this machine offers, and where the model would run.

need = weights (the real file size, else parameters x bits per weight)
     + KV cache (2 x layers x KV heads x head size x num_ctx x 2 bytes, f16 as Ollama defaults)
     + compute graph (Ollama's llama formula: 4 x batch x num_ctx x (1 + heads), at least 256 MiB)
     + the backend's minimum (457 MiB CUDA/ROCm, 512 MiB Metal) when it runs on a GPU.
Sources and checks: /work/shared/reference/hardware-sizing.md (sections 1, 3 and 6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

# The machine's side moved to budget.py; these names stay importable from here.
from desktop.core.hardware.budget import CUDA_MINIMUM as CUDA_MINIMUM
from desktop.core.hardware.budget import DEFAULT_CONTEXT as DEFAULT_CONTEXT
from desktop.core.hardware.budget import METAL_MINIMUM as METAL_MINIMUM
from desktop.core.hardware.budget import MIN_GPU as MIN_GPU
from desktop.core.hardware.budget import Budget as Budget
from desktop.core.hardware.budget import budget as budget
from desktop.core.hardware.budget import ollama_default_context as ollama_default_context
from desktop.core.hardware.budget import usable_ram as usable_ram
from desktop.core.hardware.machine import MIB, gb
from desktop.core.hardware.speed import (
    USABLE_TOKENS_PER_SECOND,
    format_speed,
    shown_speed,
    tokens_per_second,
)

if TYPE_CHECKING:
    from desktop.core.ollama.types import ShowInfo

# Whole-file bits per weight of llama.cpp quantizations (Llama-3.1-8B files; quantize README).
BITS_PER_WEIGHT: dict[str, float] = {
    "Q2_K": 3.16,
    "Q3_K_S": 3.64,
    "Q3_K_M": 4.00,
    "Q3_K_L": 4.30,
    "IQ4_NL": 4.68,
    "IQ4_XS": 4.46,
    "Q4_0": 4.64,
    "Q4_1": 5.06,
    "Q4_K_S": 4.67,
    "Q4_K_M": 4.89,
    "Q5_0": 5.57,
    "Q5_1": 6.03,
    "Q5_K_S": 5.57,
    "Q5_K_M": 5.70,
    "Q6_K": 6.56,
    "Q8_0": 8.50,
    "MXFP4": 4.25,
    "F16": 16.0,
    "BF16": 16.0,
    "F32": 32.0,
}
# K-quants need rows that are a multiple of 256; llama.cpp falls back to these types otherwise,
# which is why qwen2.5:0.5b (hidden size 896) is 398 MB rather than 300 MB at "Q4_K_M".
_K_FALLBACK_BPW = {"Q2": 4.5, "Q3": 4.5, "Q4": 5.5, "Q5": 6.0, "Q6": 8.5}
# Best first; the walk stops at Q3_K_M (Q2_K loses too much quality to suggest).
QUANT_ORDER: tuple[str, ...] = ("Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M")

BATTERY_CONTEXT = 2048
BATCH = 512


class Fit(str, Enum):
    GPU = "gpu"
    PARTIAL = "partial"
    CPU = "cpu"
    TOO_LARGE = "too_large"


def normalise_quant(name: str) -> str:
    text = name.strip().upper().replace("-", "_")
    for known in BITS_PER_WEIGHT:
        if text == known.upper():
            return known
    return text


def bits_per_weight(quant: str) -> float:
    return BITS_PER_WEIGHT.get(normalise_quant(quant), 4.89)


def parse_parameter_size(text: str) -> int:
    """'7.6B', '135M', '8x7B', '70b' -> parameter count (0 if unreadable)."""
    match = re.search(r"(?:(\d+)x)?(\d+(?:\.\d+)?)\s*([kmbt])", text.strip(), re.IGNORECASE)
    if not match:
        return 0
    experts = int(match.group(1) or 1)
    scale = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}[match.group(3).lower()]
    return int(experts * float(match.group(2)) * scale)


@dataclass(frozen=True)
class ModelSpec:
    """What sizing needs to know about one model tag."""

    name: str
    params: int
    quantization: str
    file_size: int = 0  # bytes on disk / download, when known
    layers: int = 0
    heads: int = 0
    kv_heads: int = 0
    head_dim: int = 0
    embedding_length: int = 0
    vocab_size: int = 0
    context_length: int = 0  # the model's trained maximum
    projector_params: int = 0  # a vision encoder, kept at F16
    embedding_only: bool = False

    def with_quant(self, quant: str) -> ModelSpec:
        """The same model at another quantization (its file size then comes from the estimate)."""
        return replace(self, quantization=quant, file_size=0)


def spec_from_show(name: str, show: ShowInfo, file_size: int = 0) -> ModelSpec:
    """An installed model's real numbers from /api/show (model_info) and /api/tags (size)."""
    heads = show.arch_int("attention.head_count")
    embd = show.arch_int("embedding_length")
    head_dim = show.arch_int("attention.key_length") or (embd // heads if heads else 0)
    params_raw = show.model_info.get("general.parameter_count")
    params = int(params_raw) if isinstance(params_raw, (int, float)) else 0
    caps = set(show.capabilities)
    return ModelSpec(
        name=name,
        params=params or parse_parameter_size(show.details.parameter_size),
        quantization=show.details.quantization_level or "Q4_K_M",
        file_size=file_size,
        layers=show.arch_int("block_count"),
        heads=heads,
        kv_heads=show.arch_int("attention.head_count_kv") or heads,
        head_dim=head_dim,
        embedding_length=embd,
        vocab_size=show.arch_int("vocab_size"),
        context_length=show.context_length,
        embedding_only="embedding" in caps and "completion" not in caps,
    )


def estimate_weights(spec: ModelSpec) -> int:
    """parameters x bits per weight / 8, with llama.cpp's K-quant fallbacks for odd widths."""
    quant = normalise_quant(spec.quantization)
    bpw = bits_per_weight(quant)
    params = spec.params
    extra = spec.projector_params * 2  # vision encoders ship as F16
    odd_width = spec.embedding_length and spec.embedding_length % 256 != 0
    if odd_width and "_K" in quant and quant[:2] in _K_FALLBACK_BPW:
        bpw = _K_FALLBACK_BPW[quant[:2]]
        if spec.vocab_size:
            embeddings = spec.vocab_size * spec.embedding_length
            extra += int(embeddings * BITS_PER_WEIGHT["Q8_0"] / 8)
            params -= embeddings
    return int(params * bpw / 8) + extra


@dataclass(frozen=True)
class Estimate:
    weights: int
    kv_cache: int
    graph: int
    overhead: int  # the GPU backend's minimum; 0 when the estimate is for the CPU
    num_ctx: int
    weights_from_file: bool

    @property
    def total(self) -> int:
        return self.weights + self.kv_cache + self.graph + self.overhead

    @property
    def on_cpu(self) -> int:
        return self.weights + self.kv_cache + self.graph


def kv_cache_bytes(
    spec: ModelSpec, num_ctx: int, *, parallel: int = 1, bytes_per_element: float = 2.0
) -> int:
    tokens = num_ctx * max(1, parallel)
    if spec.layers and spec.kv_heads and spec.head_dim:
        return int(2 * spec.layers * spec.kv_heads * spec.head_dim * tokens * bytes_per_element)
    return int(8e-6 * spec.params * tokens)  # llm-checker's rule when the architecture is unknown


def graph_bytes(spec: ModelSpec, num_ctx: int) -> int:
    batch = min(num_ctx, BATCH)
    if spec.heads:
        return max(256 * MIB, 4 * batch * num_ctx * (1 + spec.heads))
    return int(400e6 + 0.08 * spec.params + 150e6 * num_ctx / 4096)  # whichllm's rule


def effective_context(spec: ModelSpec, num_ctx: int) -> int:
    """Ollama clamps num_ctx to what the model was trained for."""
    return min(num_ctx, spec.context_length) if spec.context_length else num_ctx


def estimate(
    spec: ModelSpec, num_ctx: int = DEFAULT_CONTEXT, *, backend: str = "cuda", parallel: int = 1
) -> Estimate:
    ctx = effective_context(spec, num_ctx)
    weights = spec.file_size or estimate_weights(spec)
    if backend == "metal":
        overhead = METAL_MINIMUM
    elif backend in ("", "cpu"):
        overhead = 0
    else:
        overhead = CUDA_MINIMUM
    return Estimate(
        weights=weights,
        kv_cache=kv_cache_bytes(spec, ctx, parallel=parallel),
        graph=graph_bytes(spec, ctx),
        overhead=overhead,
        num_ctx=ctx,
        weights_from_file=bool(spec.file_size),
    )


@dataclass(frozen=True)
class Verdict:
    kind: Fit
    name: str
    need: int  # bytes on the device it would run on (GPU figures include the runtime minimum)
    estimate: Estimate
    gpu_budget: int
    ram_budget: int
    gpu_share: float  # 0..1 of the model held by the GPU
    slowdown: float  # times slower than fully on a GPU (1.0 when it is)
    tokens_per_second: float  # estimated decoding speed where it would run (0 when it will not load)
    unified: bool
    summary: str  # one plain English sentence; the UI builds its own translated one

    @property
    def runs_well(self) -> bool:
        """It loads and answers at least as fast as a chat needs."""
        fast = shown_speed(self.tokens_per_second) >= USABLE_TOKENS_PER_SECOND
        return self.kind is not Fit.TOO_LARGE and fast

    @property
    def rating(self) -> str:
        """What a label says: "gpu" | "partial" | "cpu" (all three fast enough) | "slow" | "too_large"."""
        if self.kind is Fit.TOO_LARGE:
            return "too_large"
        if not self.runs_well:
            return "slow"
        return str(self.kind.value)

    def to_dict(self) -> dict[str, object]:
        return {
            "verdict": self.kind.value,
            "rating": self.rating,
            "tokens_per_second": round(self.tokens_per_second, 1),
            "need_bytes": self.need,
            "weights_bytes": self.estimate.weights,
            "kv_cache_bytes": self.estimate.kv_cache,
            "graph_bytes": self.estimate.graph,
            "overhead_bytes": self.estimate.overhead,
            "num_ctx": self.estimate.num_ctx,
            "gpu_budget_bytes": self.gpu_budget,
            "ram_budget_bytes": self.ram_budget,
            "gpu_share": round(self.gpu_share, 3),
            "slowdown": round(self.slowdown, 1),
            "summary": self.summary,
        }


def _times(x: float) -> str:
    return f"{x:.0f}x" if x >= 3 else f"{x:.1f}x".replace(".0x", "x")


def speed_phrase(tps: float) -> str:
    if tps < 0.1:
        return "less than a token a second"
    if shown_speed(tps) < USABLE_TOKENS_PER_SECOND:
        return f"fits, slow: about {format_speed(tps)} tokens/s"
    return f"about {format_speed(tps)} tokens/s"


def judge(spec: ModelSpec, machine_budget: Budget, num_ctx: int = DEFAULT_CONTEXT) -> Verdict:
    """Where `spec` would run on this budget, how fast, with the numbers and one plain sentence."""
    b = machine_budget
    gpu_est = estimate(spec, num_ctx, backend=b.backend or "cuda")
    cpu_est = estimate(spec, num_ctx, backend="cpu")
    name = spec.name

    def speed(share: float, weights: int) -> float:
        return tokens_per_second(
            weights,
            gpu_share=share,
            gpu_bw=b.gpu_bandwidth,
            cpu_bw=b.cpu_bandwidth,
            cores=b.cores,
            cpu_fixed=b.cpu_fixed,
            gpu_fixed=b.gpu_fixed,
        )

    if b.has_gpu and gpu_est.total <= b.gpu:
        tps = speed(1.0, gpu_est.weights)
        where = "your Mac lets the GPU use" if b.unified else "your GPU has"
        summary = (
            f"{name} needs about {gb(gpu_est.total)}; {where} {gb(b.gpu)} free, so it runs fully on the GPU "
            f"({speed_phrase(tps)})."
        )
        return Verdict(Fit.GPU, name, gpu_est.total, gpu_est, b.gpu, b.ram, 1.0, 1.0, tps, b.unified, summary)
    if b.has_gpu and not b.unified and gpu_est.total <= b.gpu + b.ram:
        # Layers that do not fit stay on the CPU; the graph and runtime stay on the GPU.
        room = max(0, b.gpu - gpu_est.graph - gpu_est.overhead)
        share = min(1.0, room / max(1, gpu_est.weights + gpu_est.kv_cache))
        tps = speed(share, gpu_est.weights)
        full = speed(1.0, gpu_est.weights)
        slowdown = full / tps if tps > 0 else 1.0
        summary = (
            f"{name} needs about {gb(gpu_est.total)}; your GPU has {gb(b.gpu)} free, so part of it "
            f"would run on the CPU, about {_times(slowdown)} slower ({speed_phrase(tps)})."
        )
        return Verdict(
            Fit.PARTIAL, name, gpu_est.total, gpu_est, b.gpu, b.ram, share, slowdown, tps, False, summary
        )
    if cpu_est.on_cpu <= b.ram:
        tps = speed(0.0, cpu_est.weights)
        full = speed(1.0, cpu_est.weights) if b.gpu_bandwidth > 0 else tps
        rate = speed_phrase(tps)
        if b.has_gpu:
            summary = (
                f"{name} needs about {gb(gpu_est.total)}, more than the {gb(b.gpu)} your GPU offers, so it "
                f"would run on the CPU from system memory ({rate})."
            )
        else:
            summary = (
                f"{name} needs about {gb(cpu_est.on_cpu)}; with no GPU to use, it runs on the CPU from the "
                f"{gb(b.ram)} of memory free for models ({rate})."
            )
        return Verdict(
            Fit.CPU,
            name,
            cpu_est.on_cpu,
            cpu_est,
            b.gpu,
            b.ram,
            0.0,
            max(1.0, full / tps) if tps > 0 else 1.0,
            tps,
            b.unified,
            summary,
        )
    room = b.ram + (b.gpu if b.has_gpu and not b.unified else 0)
    summary = (
        f"{name} needs about {gb(cpu_est.on_cpu)}, more than the {gb(room)} this computer can give a model, "
        f"so it will not load."
    )
    return Verdict(
        Fit.TOO_LARGE, name, cpu_est.on_cpu, cpu_est, b.gpu, b.ram, 0.0, 0.0, 0.0, b.unified, summary
    )
