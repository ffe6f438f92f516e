"""AMD GPUs on Linux: amdgpu's sysfs memory files (no ROCm needed), rocm-smi as a fallback.

Below 1 GiB of VRAM a Radeon is an APU's carve-out: Ollama does not offload to it and the
model lives in system RAM, so it is reported as integrated.
"""

from __future__ import annotations

import json

from desktop.core.hardware.context import ProbeContext
from desktop.core.hardware.linux import drm_cards
from desktop.core.hardware.machine import GIB, Gpu

AMD_VENDOR = 0x1002
IGPU_LIMIT = 1 * GIB  # Ollama's IGPUMemLimit


def probe(ctx: ProbeContext, notes: list[str]) -> list[Gpu]:
    gpus: list[Gpu] = []
    smi_names = _rocm_names(ctx) if _needs_names(ctx) else {}
    driver = (ctx.read("/sys/module/amdgpu/version") or "").strip() or "amdgpu"
    for index, (card, device) in enumerate(drm_cards(ctx, AMD_VENDOR)):
        total = ctx.read_int(f"{device}/mem_info_vram_total")
        used = ctx.read_int(f"{device}/mem_info_vram_used")
        if total is None:
            continue
        name = (ctx.read(f"{device}/product_name") or "").strip() or smi_names.get(card, "")
        if not name:
            device_id = ctx.read_int(f"{device}/device")
            name = f"AMD Radeon GPU (0x{device_id:04x})" if device_id is not None else "AMD Radeon GPU"
        integrated = total < IGPU_LIMIT
        gpus.append(
            Gpu(
                name=name,
                vendor="amd",
                backend="rocm",
                vram_total=total,
                vram_free=max(0, total - used) if used is not None else None,
                driver=driver,
                integrated=integrated,
                source="sysfs",
                index=index,
                shared_total=ctx.read_int(f"{device}/mem_info_gtt_total") or 0,
            )
        )
    if not gpus:
        gpus = _rocm_smi(ctx)
    if any(g.integrated for g in gpus):
        notes.append(
            "The AMD graphics is built into the processor and shares system memory; "
            "Ollama runs models on the CPU there."
        )
    return gpus


def _needs_names(ctx: ProbeContext) -> bool:
    return any(
        not (ctx.read(f"{device}/product_name") or "").strip() for _card, device in drm_cards(ctx, AMD_VENDOR)
    )


def _json(ctx: ProbeContext, *args: str) -> dict[str, object]:
    out = ctx.command("rocm-smi", *args, "--json")
    if not out:
        return {}
    try:
        data = json.loads(out)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _rocm_names(ctx: ProbeContext) -> dict[str, str]:
    names: dict[str, str] = {}
    for card, info in _json(ctx, "--showproductname").items():
        if isinstance(info, dict):
            name = str(info.get("Card Series") or info.get("Card series") or info.get("Card model") or "")
            if name:
                names[card] = name
    return names


def _rocm_smi(ctx: ProbeContext) -> list[Gpu]:
    """For when sysfs has no memory files (old kernels, some containers)."""
    names = _rocm_names(ctx)
    gpus: list[Gpu] = []
    for index, (card, info) in enumerate(sorted(_json(ctx, "--showmeminfo", "vram").items())):
        if not isinstance(info, dict):
            continue
        try:
            total = int(str(info.get("VRAM Total Memory (B)", "")))
        except ValueError:
            continue
        try:
            free: int | None = total - int(str(info.get("VRAM Total Used Memory (B)", "")))
        except ValueError:
            free = None
        gpus.append(
            Gpu(
                name=names.get(card, "AMD Radeon GPU"),
                vendor="amd",
                backend="rocm",
                vram_total=total,
                vram_free=free,
                driver="rocm",
                integrated=total < IGPU_LIMIT,
                source="rocm-smi",
                index=index,
            )
        )
    return gpus
