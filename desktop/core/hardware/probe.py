"""Probe this computer: RAM, CPU, battery and GPUs. No Qt; call it off the UI thread.

Each source is tried on its own and may fail without taking the others down: a missing
tool, a hung driver (every command and native call has a timeout) or an odd file leaves
a plain note in Machine.notes instead of an exception.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from desktop.core.hardware import amd, apple, intel, linux, nvidia, windows
from desktop.core.hardware.context import ProbeContext
from desktop.core.hardware.machine import Battery, Cpu, Gpu, Machine, Memory

log = logging.getLogger(__name__)
T = TypeVar("T")


def _safely(what: str, fn: Callable[[], T], default: T, notes: list[str]) -> T:
    try:
        return fn()
    except Exception as exc:  # a probe must never take the app down
        log.debug("hardware probe %s failed", what, exc_info=True)
        notes.append(f"{what} could not be read ({type(exc).__name__}: {exc}).")
        return default


def _psutil_memory(ctx: ProbeContext) -> Memory:
    total, available = ctx.memory()
    return Memory(total=total, available=available, host_total=total)


def _memory(ctx: ProbeContext) -> Memory:
    if ctx.system == "Linux":
        found = linux.memory(ctx)
        if found is not None:
            return found
    if ctx.system == "Darwin":
        total = apple.memory_total(ctx)
        if total:
            try:
                available = min(total, ctx.memory()[1])
            except Exception:
                available = total // 2
            return Memory(total=total, available=available, host_total=total)
    return _psutil_memory(ctx)


def _cpu(ctx: ProbeContext) -> Cpu:
    if ctx.system == "Linux":
        return linux.cpu(ctx)
    if ctx.system == "Darwin":
        return apple.cpu(ctx)
    physical, logical = ctx.cpu_counts()
    model = windows.read_cpu_name() if ctx.system == "Windows" else ""
    return Cpu(model=model, cores=physical, threads=logical, arch=ctx.arch)


def _gpus(ctx: ProbeContext, memory: Memory, notes: list[str]) -> list[Gpu]:
    gpus: list[Gpu] = []
    if ctx.system == "Darwin":
        return _safely("The Apple GPU", lambda: apple.probe_gpu(ctx, memory.total, notes), [], notes)
    gpus += _safely("The NVIDIA GPU", lambda: nvidia.probe(ctx, notes), [], notes)
    if ctx.system == "Linux":
        gpus += _safely("The AMD GPU", lambda: amd.probe(ctx, notes), [], notes)
        gpus += _safely("The Intel GPU", lambda: intel.probe(ctx, notes), [], notes)
    elif ctx.system == "Windows":
        reader = ctx.registry_adapters or windows.read_registry_adapters
        no_gpus: list[Gpu] = []
        found = _safely("The display adapters", lambda: windows.adapters_to_gpus(reader()), no_gpus, notes)
        have_nvidia = any(g.vendor == "nvidia" and g.vram_total for g in gpus)
        gpus += [g for g in found if not (have_nvidia and g.vendor == "nvidia")]
    return gpus


def _battery(ctx: ProbeContext, notes: list[str]) -> Battery | None:
    return _safely("The battery", ctx.battery, None, notes)


def probe(ctx: ProbeContext | None = None, *, ram: int | None = None, vram: int | None = None) -> Machine:
    """This machine, or a hypothetical one where `ram` / `vram` (bytes) are given.

    A given figure skips its detection: `vram=0` means "no GPU", `vram=8 GiB` one 8 GB card.
    """
    ctx = ctx or ProbeContext()
    notes: list[str] = []
    if ram is not None:
        memory = Memory(total=ram, available=ram, host_total=ram, limited_by="given")
    else:
        memory = _safely("The memory size", lambda: _memory(ctx), Memory(total=0, available=0), notes)
    cpu = _safely("The processor", lambda: _cpu(ctx), Cpu(arch=ctx.arch), notes)
    if vram is not None:
        gpus = (
            [
                Gpu(
                    name="a GPU",
                    vendor="other",
                    backend="cuda",
                    vram_total=vram,
                    vram_free=vram,
                    source="given",
                )
            ]
            if vram > 0
            else []
        )
    else:
        gpus = _gpus(ctx, memory, notes)
    battery = None if ram is not None or vram is not None else _battery(ctx, notes)
    return Machine(
        memory=memory,
        cpu=cpu,
        gpus=tuple(gpus),
        battery=battery,
        os=ctx.system,
        notes=tuple(dict.fromkeys(notes)),
        hypothetical=ram is not None or vram is not None,
    )
