"""Apple Silicon: unified memory from sysctl, and the Metal working-set budget.

The budget is MTLDevice.recommendedMaxWorkingSetSize, which Ollama and ggml-metal use as the
GPU's memory. It is read through the Objective-C runtime with ctypes (no PyObjC); without it,
a user override in iogpu.wired_limit_mb wins, else the commonly observed rule: about 2/3 of
RAM up to 36 GB, 3/4 above.
"""

from __future__ import annotations

import ctypes
import ctypes.util

from desktop.core.hardware.context import ProbeContext, call_with_timeout
from desktop.core.hardware.machine import GIB, MIB, Cpu, Gpu


def sysctl(ctx: ProbeContext, name: str) -> str | None:
    out = ctx.command("sysctl", "-n", name)
    return out.strip() if out and out.strip() else None


def sysctl_int(ctx: ProbeContext, name: str) -> int | None:
    value = sysctl(ctx, name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def is_apple_silicon(ctx: ProbeContext) -> bool:
    # hw.optional.arm64 is 1 even when Python itself runs under Rosetta.
    return sysctl_int(ctx, "hw.optional.arm64") == 1 or ctx.arch == "arm64"


def memory_total(ctx: ProbeContext) -> int | None:
    return sysctl_int(ctx, "hw.memsize")


def cpu(ctx: ProbeContext) -> Cpu:
    performance = sysctl_int(ctx, "hw.perflevel0.physicalcpu")
    efficiency = sysctl_int(ctx, "hw.perflevel1.physicalcpu") or 0
    physical = sysctl_int(ctx, "hw.physicalcpu")
    logical = sysctl_int(ctx, "hw.logicalcpu")
    cores = (performance + efficiency) if performance else (physical or 0)
    return Cpu(
        model=sysctl(ctx, "machdep.cpu.brand_string") or "",
        cores=cores,
        threads=logical or cores,
        arch="arm64" if is_apple_silicon(ctx) else ctx.arch,
    )


def fallback_working_set(total: int) -> int:
    """The rule of thumb for macOS's default GPU wired limit."""
    return total * 2 // 3 if total <= 36 * GIB else total * 3 // 4


def _metal_working_set() -> int | None:
    objc_path = ctypes.util.find_library("objc")
    if not objc_path:
        return None
    objc = ctypes.CDLL(objc_path)
    # CoreGraphics first: MTLCreateSystemDefaultDevice returns nil in plain CLI processes otherwise.
    ctypes.CDLL("/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics")
    metal = ctypes.CDLL("/System/Library/Frameworks/Metal.framework/Metal")
    metal.MTLCreateSystemDefaultDevice.restype = ctypes.c_void_p
    device = metal.MTLCreateSystemDefaultDevice()
    if not device:
        return None
    objc.sel_registerName.restype = ctypes.c_void_p
    objc.sel_registerName.argtypes = [ctypes.c_char_p]
    selector = objc.sel_registerName(b"recommendedMaxWorkingSetSize")
    send = objc.objc_msgSend
    send.restype = ctypes.c_uint64
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    value = int(send(device, selector))
    return value or None


def probe_gpu(ctx: ProbeContext, total_ram: int, notes: list[str]) -> list[Gpu]:
    if not is_apple_silicon(ctx):
        return []  # Intel Macs: Ollama runs on the CPU
    name = sysctl(ctx, "machdep.cpu.brand_string") or "Apple Silicon"
    budget: int | None = None
    source = "metal"
    if ctx.use_metal:
        try:
            budget = call_with_timeout(_metal_working_set, ctx.timeout)
        except Exception as exc:
            notes.append(f"Metal's memory budget could not be read ({exc}); estimated from RAM.")
    if not budget:
        wired = sysctl_int(ctx, "iogpu.wired_limit_mb")
        if wired:
            budget, source = wired * MIB, "sysctl"
        else:
            budget, source = fallback_working_set(total_ram), "estimate"
    return [
        Gpu(
            name=f"{name} GPU",
            vendor="apple",
            backend="metal",
            vram_total=budget,
            vram_free=budget,
            driver="Metal",
            integrated=True,
            source=source,
        )
    ]
