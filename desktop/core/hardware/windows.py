"""Windows: display adapters from the registry (the driver's 64-bit qwMemorySize).

WMI's AdapterRAM is a 32-bit field that reads about 4 GB for every larger card, so it is
never used. CPU name from the registry too; RAM comes from psutil (GlobalMemoryStatusEx).
"""

from __future__ import annotations

import struct
from typing import Any

from desktop.core.hardware.machine import MIB, Gpu

CLASS_KEY = r"SYSTEM\CurrentControlSet\Control\Class\{4d36e968-e325-11ce-bfc1-08002be10318}"
CPU_KEY = r"HARDWARE\DESCRIPTION\System\CentralProcessor\0"


def read_registry_adapters() -> list[dict[str, object]]:
    import winreg  # type: ignore[import-not-found,unused-ignore]

    adapters: list[dict[str, object]] = []
    reg: Any = winreg
    with reg.OpenKey(reg.HKEY_LOCAL_MACHINE, CLASS_KEY) as root:
        index = 0
        while True:
            try:
                sub = reg.EnumKey(root, index)
            except OSError:
                break
            index += 1
            if not sub.isdigit():
                continue  # "Properties" and friends
            try:
                with reg.OpenKey(root, sub) as key:
                    values: dict[str, object] = {}
                    for name in (
                        "DriverDesc",
                        "ProviderName",
                        "DriverVersion",
                        "HardwareInformation.qwMemorySize",
                        "HardwareInformation.MemorySize",
                        "MatchingDeviceId",
                    ):
                        try:
                            values[name] = reg.QueryValueEx(key, name)[0]
                        except OSError:
                            pass
                    adapters.append(values)
            except OSError:
                continue
    return adapters


def read_cpu_name() -> str:
    try:
        import winreg  # type: ignore[import-not-found,unused-ignore]

        reg: Any = winreg
        with reg.OpenKey(reg.HKEY_LOCAL_MACHINE, CPU_KEY) as key:
            return str(reg.QueryValueEx(key, "ProcessorNameString")[0]).strip()
    except (ImportError, OSError):
        return ""


def _memory_size(values: dict[str, object]) -> int:
    qw = values.get("HardwareInformation.qwMemorySize")
    if isinstance(qw, int) and qw > 0:
        return qw
    if isinstance(qw, bytes) and len(qw) >= 8:
        return int(struct.unpack("<Q", qw[:8])[0])
    legacy = values.get("HardwareInformation.MemorySize")
    if isinstance(legacy, bytes) and len(legacy) >= 4:
        legacy = int(struct.unpack("<I", legacy[:4])[0])
    if isinstance(legacy, int):
        return legacy + (1 << 32) if legacy < 0 else legacy
    return 0


def _vendor(values: dict[str, object]) -> str:
    text = " ".join(str(values.get(k, "")) for k in ("ProviderName", "DriverDesc", "MatchingDeviceId"))
    low = text.lower()
    if "nvidia" in low or "ven_10de" in low:
        return "nvidia"
    if "amd" in low or "advanced micro devices" in low or "radeon" in low or "ven_1002" in low:
        return "amd"
    if "intel" in low or "ven_8086" in low:
        return "intel"
    return "other"


def adapters_to_gpus(adapters: list[dict[str, object]]) -> list[Gpu]:
    gpus: list[Gpu] = []
    for values in adapters:
        size = _memory_size(values)
        if size < 64 * MIB:
            continue  # Basic Display Adapter, remote display drivers
        vendor = _vendor(values)
        name = str(values.get("DriverDesc") or "Display adapter")
        low = name.lower()
        integrated = (vendor == "intel" and "arc" not in low) or (
            vendor == "amd" and low.strip().endswith("radeon(tm) graphics")
        )
        backend = {"nvidia": "cuda", "amd": "rocm", "intel": "vulkan"}.get(vendor, "vulkan")
        gpus.append(
            Gpu(
                name=name,
                vendor=vendor,
                backend=backend,
                vram_total=size,
                vram_free=None,
                driver=str(values.get("DriverVersion") or ""),
                integrated=integrated,
                source="registry",
                index=len(gpus),
            )
        )
    return gpus
