"""What the probe found, as plain frozen data (bytes everywhere), plus size parsing/formatting.

Memory is shown in binary units labelled "GB", as RAM and VRAM are sold ("16 GB" = 16 GiB);
download sizes elsewhere stay decimal, as Ollama prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True)
class Memory:
    total: int  # what this process may use: physical RAM, or the cgroup limit when lower
    available: int  # free for a model right now
    host_total: int = 0  # physical RAM even when a cgroup limits us
    limited_by: str = ""  # "" | "cgroup v2" | "cgroup v1" | "given"


@dataclass(frozen=True)
class Cpu:
    model: str = ""
    cores: int = 0  # physical cores (llama.cpp threads follow these)
    threads: int = 0
    arch: str = ""
    cpu_limit: float | None = None  # a cgroup cpu.max quota, in CPUs


@dataclass(frozen=True)
class Battery:
    percent: float
    plugged: bool | None
    seconds_left: int | None = None

    @property
    def on_battery(self) -> bool:
        return self.plugged is False


@dataclass(frozen=True)
class Gpu:
    name: str
    vendor: str  # "nvidia" | "amd" | "intel" | "apple" | "other"
    backend: str  # the Ollama backend that would use it: "cuda" | "rocm" | "metal" | "vulkan" | ""
    vram_total: int
    vram_free: int | None = None  # None: unknown (registry, sysctl)
    driver: str = ""
    integrated: bool = False  # shares system memory (APU, iGPU, Apple)
    source: str = (
        ""  # "nvml" | "nvidia-smi" | "sysfs" | "rocm-smi" | "sysctl" | "metal" | "registry" | "given"
    )
    index: int = 0
    shared_total: int = 0  # the GTT pool of an AMD APU

    @property
    def usable_free(self) -> int:
        """Free VRAM, or most of the total when the free figure is unknown."""
        if self.vram_free is not None:
            return self.vram_free
        return int(self.vram_total * 0.92)


@dataclass(frozen=True)
class Machine:
    memory: Memory
    cpu: Cpu = field(default_factory=Cpu)
    gpus: tuple[Gpu, ...] = ()
    battery: Battery | None = None
    os: str = ""  # "Linux" | "Darwin" | "Windows"
    notes: tuple[str, ...] = ()  # plain sentences: what could not be read, and why
    hypothetical: bool = False  # built from --ram/--vram, not this computer

    @property
    def on_battery(self) -> bool:
        return self.battery is not None and self.battery.on_battery


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """'32G', '32GB', '8 GiB', '512M', '0' -> bytes. Memory sizes are binary, as they are sold."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"not a size: {text!r} (try 16G or 512M)")
    number = float(match.group(1))
    unit = match.group(2).lower()
    if unit == "":
        # A bare "32" means gigabytes: nobody plans a machine in bytes.
        return int(number * GIB) if number < 4096 else int(number)
    return int(number * {"k": KIB, "m": MIB, "g": GIB, "t": 1024 * GIB}[unit])


def gb(n: float) -> str:
    """Bytes -> '9.1 GB' (binary, one decimal below 100)."""
    value = n / GIB
    if abs(value) >= 100:
        return f"{value:.0f} GB"
    if abs(value) < 1:
        return f"{n / MIB:.0f} MB"
    return f"{value:.1f} GB"


def to_dict(obj: Any) -> Any:
    """A dataclass tree -> JSON-ready dicts (properties that matter are added by the callers)."""
    from dataclasses import asdict, is_dataclass

    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    return obj
