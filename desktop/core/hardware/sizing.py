"""How much memory a model needs, how much this machine offers, and where the model would run.

need = weights (the real file size, else parameters x bits per weight)
     + KV cache (2 x layers x KV heads x head size x num_ctx x 2 bytes, f16 as Ollama defaults)
     + compute graph (Ollama's llama formula: 4 x batch x num_ctx x (1 + heads), at least 256 MiB)
     + the backend's minimum (457 MiB CUDA/ROCm, 512 MiB Metal) when it runs on a GPU.
Sources and checks: /work/shared/reference/hardware-sizing.md (sections 1, 3 and 6).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

from desktop.core.hardware.machine import GIB, MIB, Gpu, Machine, gb

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

CUDA_MINIMUM = 457 * MIB
METAL_MINIMUM = 512 * MIB
DEFAULT_CONTEXT = 4096  # Ollama's default num_ctx below 24 GiB of VRAM
BATTERY_CONTEXT = 2048
BATCH = 512
MIN_GPU = 1 * GIB  # less than this free on a GPU is not worth offloading to
# Decoding is memory-bound: a CPU reads weights roughly this many times slower than a GPU.
GPU_CPU_SPEED_RATIO = 8.0
CPU_BANDWIDTH = 40e9  # bytes/s a desktop's dual-channel RAM sustains, roughly


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


# -- the machine's side ---------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """Memory this machine offers a model, after what the system and the runtime keep."""

    gpu: int  # on the GPU set Ollama would use (0: none usable)
    gpu_total: int  # that set's total VRAM (for "what this machine can run")
    gpu_names: tuple[str, ...]
    backend: str  # "cuda" | "rocm" | "metal" | "vulkan" | "" (CPU only)
    unified: bool  # Apple Silicon: the GPU budget is carved out of RAM
    ram: int  # system RAM a model may take
    ram_total: int

    @property
    def has_gpu(self) -> bool:
        return self.gpu >= MIN_GPU


def ollama_default_context(machine_budget: Budget) -> int:
    """Ollama's own default num_ctx (v0.15.5+): 4K below 24 GiB of VRAM, 32K below 48 GiB, else 256K."""
    vram = machine_budget.gpu_total if machine_budget.has_gpu else 0
    if vram >= 47 * GIB:
        return 262144
    if vram >= 23 * GIB:
        return 32768
    return DEFAULT_CONTEXT


def usable_ram(total: int) -> int:
    """RAM left for a model once the OS and apps have theirs (15%, at least 4 GB, at most 32 GB)."""
    reserve = min(max(0.15 * total, min(4 * GIB, total / 2)), 32 * GIB)
    return max(0, int(total - reserve))


def _gpu_overhead(env: Mapping[str, str]) -> int:
    try:
        return max(0, int(env.get("OLLAMA_GPU_OVERHEAD", "0") or 0))
    except ValueError:
        return 0


def budget(machine: Machine, env: Mapping[str, str] | None = None) -> Budget:
    """Pick the GPU set Ollama would load onto: GPUs are pooled only within one backend."""
    env = env or {}
    ram = usable_ram(machine.memory.total)
    per_gpu_overhead = _gpu_overhead(env)
    apple = [g for g in machine.gpus if g.backend == "metal"]
    if apple:
        gpu = apple[0]
        return Budget(
            gpu=max(0, min(gpu.usable_free, ram) - per_gpu_overhead),
            gpu_total=gpu.vram_total,
            gpu_names=(gpu.name,),
            backend="metal",
            unified=True,
            ram=ram,
            ram_total=machine.memory.total,
        )
    groups: dict[str, list[Gpu]] = {}
    for gpu in machine.gpus:
        if gpu.integrated or gpu.vram_total <= 0:
            continue
        if gpu.usable_free - per_gpu_overhead < MIN_GPU:
            continue
        groups.setdefault(gpu.backend, []).append(gpu)
    best: tuple[int, str, list[Gpu]] | None = None
    for backend, gpus in groups.items():
        # Each extra device keeps its own runtime minimum; the estimate counts one.
        pooled = sum(g.usable_free - per_gpu_overhead for g in gpus) - CUDA_MINIMUM * (len(gpus) - 1)
        if best is None or pooled > best[0]:
            best = (pooled, backend, gpus)
    if best is None:
        return Budget(0, 0, (), "", False, ram, machine.memory.total)
    pooled, backend, gpus = best
    return Budget(
        gpu=max(0, pooled),
        gpu_total=sum(g.vram_total for g in gpus),
        gpu_names=tuple(g.name for g in gpus),
        backend=backend,
        unified=False,
        ram=ram,
        ram_total=machine.memory.total,
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
    tokens_per_second: float  # rough, only for CPU runs (0 otherwise)
    unified: bool
    summary: str  # one plain English sentence; the UI builds its own translated one

    def to_dict(self) -> dict[str, object]:
        return {
            "verdict": self.kind.value,
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


def judge(spec: ModelSpec, machine_budget: Budget, num_ctx: int = DEFAULT_CONTEXT) -> Verdict:
    """Where `spec` would run on this budget, with the numbers and one plain sentence."""
    b = machine_budget
    gpu_est = estimate(spec, num_ctx, backend=b.backend or "cuda")
    cpu_est = estimate(spec, num_ctx, backend="cpu")
    name = spec.name
    if b.has_gpu and gpu_est.total <= b.gpu:
        where = "your Mac lets the GPU use" if b.unified else "your GPU has"
        summary = (
            f"{name} needs about {gb(gpu_est.total)}; {where} {gb(b.gpu)} free, so it runs fully on the GPU."
        )
        return Verdict(Fit.GPU, name, gpu_est.total, gpu_est, b.gpu, b.ram, 1.0, 1.0, 0.0, b.unified, summary)
    if b.has_gpu and not b.unified and gpu_est.total <= b.gpu + b.ram:
        # Layers that do not fit stay on the CPU; the graph and runtime stay on the GPU.
        room = max(0, b.gpu - gpu_est.graph - gpu_est.overhead)
        share = min(1.0, room / max(1, gpu_est.weights + gpu_est.kv_cache))
        slowdown = share + (1 - share) * GPU_CPU_SPEED_RATIO
        summary = (
            f"{name} needs about {gb(gpu_est.total)}; your GPU has {gb(b.gpu)} free, so part of it "
            f"would run on the CPU, about {_times(slowdown)} slower."
        )
        return Verdict(
            Fit.PARTIAL, name, gpu_est.total, gpu_est, b.gpu, b.ram, share, slowdown, 0.0, False, summary
        )
    if cpu_est.on_cpu <= b.ram:
        tps = CPU_BANDWIDTH * 0.55 / max(1, cpu_est.weights)
        rate = f"roughly {tps:.0f} tokens a second" if tps >= 1 else "less than a token a second"
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
            GPU_CPU_SPEED_RATIO,
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
