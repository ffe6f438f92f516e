"""Intel GPUs on Linux: discrete Arc cards report local memory in sysfs; the rest are iGPUs."""

from __future__ import annotations

from desktop.core.hardware.context import ProbeContext
from desktop.core.hardware.linux import drm_cards
from desktop.core.hardware.machine import Gpu

INTEL_VENDOR = 0x8086

# A few discrete cards by PCI device id; the rest get a generic name with the id.
_NAMES = {
    0x56A0: "Intel Arc A770",
    0x56A1: "Intel Arc A750",
    0x56A5: "Intel Arc A380",
    0x56A6: "Intel Arc A310",
    0xE20B: "Intel Arc B580",
    0xE20C: "Intel Arc B570",
}


def probe(ctx: ProbeContext, notes: list[str]) -> list[Gpu]:
    gpus: list[Gpu] = []
    for index, (card, device) in enumerate(drm_cards(ctx, INTEL_VENDOR)):
        device_id = ctx.read_int(f"{device}/device")
        vram = _local_memory(ctx, card, device)
        name = _NAMES.get(device_id or -1) or (
            f"Intel GPU (0x{device_id:04x})" if device_id is not None else "Intel GPU"
        )
        gpus.append(
            Gpu(
                name=name,
                vendor="intel",
                backend="vulkan",
                vram_total=vram,
                vram_free=None,
                driver=_driver(ctx, device),
                integrated=vram == 0,
                source="sysfs",
                index=index,
            )
        )
    return gpus


def _local_memory(ctx: ProbeContext, card: str, device: str) -> int:
    # i915 exposes lmem_total_bytes on the card; xe exposes per-tile sizes on the device.
    lmem = ctx.read_int(f"/sys/class/drm/{card}/lmem_total_bytes")
    if lmem:
        return lmem
    total = 0
    folder = ctx.path(device)
    if folder.is_dir():
        for tile in sorted(folder.glob("tile*")):
            total += ctx.read_int(tile / "physical_vram_size_bytes") or 0
    return total


def _driver(ctx: ProbeContext, device: str) -> str:
    link = ctx.path(f"{device}/driver")
    try:
        return link.resolve().name if link.exists() else ""
    except OSError:
        return ""
