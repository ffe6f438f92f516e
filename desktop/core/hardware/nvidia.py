"""NVIDIA GPUs: NVML through ctypes (no vendor Python package), else `nvidia-smi` CSV.

NVML is what nvidia-smi itself reads; it answers in microseconds and gives free VRAM
exactly. Every native call runs under a timeout, because a wedged driver can block.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop.core.hardware.context import ProbeContext, call_with_timeout
from desktop.core.hardware.machine import MIB, Gpu

SMI_QUERY = "index,name,uuid,memory.total,memory.used,memory.free,driver_version"


class _NvmlMemory(ctypes.Structure):
    _fields_ = [("total", ctypes.c_ulonglong), ("free", ctypes.c_ulonglong), ("used", ctypes.c_ulonglong)]


def _nvml_candidates(env: dict[str, str] | None = None) -> list[str]:
    if sys.platform == "win32":
        environ = env or dict(os.environ)
        windir = environ.get("WINDIR", r"C:\Windows")
        program_files = environ.get("ProgramFiles", r"C:\Program Files")
        return [
            str(Path(windir) / "System32" / "nvml.dll"),
            str(Path(program_files) / "NVIDIA Corporation" / "NVSMI" / "nvml.dll"),
        ]
    return ["libnvidia-ml.so.1", "libnvidia-ml.so"]


def _load_nvml(extra: Sequence[str] = ()) -> ctypes.CDLL | None:
    for name in (*extra, *_nvml_candidates()):
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def _nvml_gpus(paths: Sequence[str] = ()) -> list[Gpu]:
    lib = _load_nvml(paths)
    if lib is None:
        return []
    if lib.nvmlInit_v2() != 0:
        return []
    try:
        buf = ctypes.create_string_buffer(96)
        driver = ""
        if lib.nvmlSystemGetDriverVersion(buf, ctypes.c_uint(80)) == 0:
            driver = buf.value.decode(errors="replace")
        count = ctypes.c_uint(0)
        if lib.nvmlDeviceGetCount_v2(ctypes.byref(count)) != 0:
            return []
        gpus: list[Gpu] = []
        for index in range(count.value):
            handle = ctypes.c_void_p()
            if lib.nvmlDeviceGetHandleByIndex_v2(ctypes.c_uint(index), ctypes.byref(handle)) != 0:
                continue
            name = ctypes.create_string_buffer(96)
            if lib.nvmlDeviceGetName(handle, name, ctypes.c_uint(96)) != 0:
                name.value = b"NVIDIA GPU"
            mem = _NvmlMemory()
            if lib.nvmlDeviceGetMemoryInfo(handle, ctypes.byref(mem)) != 0:
                continue  # unified-memory parts (GB10) have no VRAM figures
            gpus.append(
                Gpu(
                    name=name.value.decode(errors="replace"),
                    vendor="nvidia",
                    backend="cuda",
                    vram_total=int(mem.total),
                    vram_free=int(mem.free),
                    driver=driver,
                    source="nvml",
                    index=index,
                )
            )
        return gpus
    finally:
        lib.nvmlShutdown()


def parse_smi(text: str) -> list[Gpu]:
    """`nvidia-smi --query-gpu=<SMI_QUERY> --format=csv,noheader,nounits` -> GPUs (MiB figures)."""
    gpus: list[Gpu] = []
    for line in text.splitlines():
        fields = [f.strip() for f in line.split(",")]
        if len(fields) < 7:
            continue
        index, name, _uuid, total, _used, free, driver = fields[:7]
        try:
            total_b = int(float(total)) * MIB
        except ValueError:
            continue  # "[N/A]": unified memory, nothing to budget separately
        try:
            free_b: int | None = int(float(free)) * MIB
        except ValueError:
            free_b = None
        gpus.append(
            Gpu(
                name=name,
                vendor="nvidia",
                backend="cuda",
                vram_total=total_b,
                vram_free=free_b,
                driver=driver,
                source="nvidia-smi",
                index=int(index) if index.isdigit() else len(gpus),
            )
        )
    return gpus


def _visible(gpus: Sequence[Gpu], ctx: ProbeContext) -> list[Gpu]:
    """CUDA_VISIBLE_DEVICES hides GPUs from Ollama too; honour plain index lists."""
    value = ctx.env.get("CUDA_VISIBLE_DEVICES")
    if value is None or not value.strip():
        return list(gpus)
    wanted = [v.strip() for v in value.split(",")]
    if not all(v.lstrip("-").isdigit() for v in wanted):
        return list(gpus)  # UUIDs: we do not map them, keep everything
    keep = {int(v) for v in wanted if int(v) >= 0}
    return [g for g in gpus if g.index in keep]


def probe(ctx: ProbeContext, notes: list[str]) -> list[Gpu]:
    gpus: list[Gpu] = []
    if ctx.use_nvml:
        try:
            gpus = call_with_timeout(lambda: _nvml_gpus(ctx.nvml_paths), ctx.timeout)
        except Exception as exc:
            notes.append(f"NVML could not be read ({exc}); trying nvidia-smi.")
    if not gpus:
        out = ctx.command("nvidia-smi", f"--query-gpu={SMI_QUERY}", "--format=csv,noheader,nounits")
        if out:
            gpus = parse_smi(out)
    if not gpus:
        gpus = _proc_driver_names(ctx, notes)
    return _visible(gpus, ctx)


def _proc_driver_names(ctx: ProbeContext, notes: list[str]) -> list[Gpu]:
    """The kernel driver is loaded but neither NVML nor nvidia-smi answered: name only."""
    folder = ctx.path("/proc/driver/nvidia/gpus")
    if not folder.is_dir():
        return []
    gpus = []
    for index, entry in enumerate(sorted(folder.iterdir())):
        text = ctx.read(entry / "information") or ""
        name = next(
            (ln.split(":", 1)[1].strip() for ln in text.splitlines() if ln.startswith("Model:")), "NVIDIA GPU"
        )
        gpus.append(Gpu(name=name, vendor="nvidia", backend="cuda", vram_total=0, source="proc", index=index))
    if gpus:
        notes.append("An NVIDIA GPU is present but its memory could not be read (is nvidia-smi installed?).")
    return gpus
