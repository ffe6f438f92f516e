"""How much memory (and how much speed) this machine offers a model, after what the system and
the runtime keep. Sources: /work/shared/reference/hardware-sizing.md (sections 1.3, 1.4, 6.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from desktop.core.hardware.machine import GIB, MIB, Gpu, Machine
from desktop.core.hardware.speed import cpu_bandwidth, effective_cores, gpu_bandwidth

CUDA_MINIMUM = 457 * MIB
METAL_MINIMUM = 512 * MIB
DEFAULT_CONTEXT = 4096  # Ollama's default num_ctx below 24 GiB of VRAM
MIN_GPU = 1 * GIB  # less than this free on a GPU is not worth offloading to


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
    cores: int = 4  # physical cores llama.cpp may use
    cpu_bandwidth: float = 0.0  # bytes/s decoding streams from RAM (speed.cpu_bandwidth)
    gpu_bandwidth: float = 0.0  # bytes/s on the GPU set (0: none)
    # Fixed seconds per token measured here (calibrate.py); 0: speed.py's estimate.
    cpu_fixed: float = 0.0
    gpu_fixed: float = 0.0

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
    cores = effective_cores(machine.cpu.cores, machine.cpu.cpu_limit)
    cpu_bw = cpu_bandwidth(cores)
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
            cores=cores,
            cpu_bandwidth=cpu_bw,
            gpu_bandwidth=gpu_bandwidth(gpu.vram_total, unified=True, ram_total=machine.memory.total),
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
        return Budget(0, 0, (), "", False, ram, machine.memory.total, cores, cpu_bw, 0.0)
    pooled, backend, gpus = best
    return Budget(
        gpu=max(0, pooled),
        gpu_total=sum(g.vram_total for g in gpus),
        gpu_names=tuple(g.name for g in gpus),
        backend=backend,
        unified=False,
        ram=ram,
        ram_total=machine.memory.total,
        cores=cores,
        cpu_bandwidth=cpu_bw,
        # Split layers run one device after the other: the set streams at one card's speed.
        gpu_bandwidth=min(gpu_bandwidth(g.vram_total) for g in gpus),
    )
