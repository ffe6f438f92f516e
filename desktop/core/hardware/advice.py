"""The seed's hardware advice judged for this machine.

Minimum (7B models): 4 cores, 8 GB of RAM, 10 GB of free disk.
Recommended (13B models): 8 cores, 32 GB of RAM, a GPU such as an RTX 3060 (12 GB) or an
Apple M1 Pro, 50 GB free on an SSD.
Each part gets "recommended" (meets the recommendation), "minimum" (meets the minimum only),
"below" (under the minimum) or "unknown" (could not be read).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from desktop.core.disk import free_bytes
from desktop.core.hardware.budget import Budget
from desktop.core.hardware.machine import GIB, Machine
from desktop.core.hardware.recommend import SOLD_SIZE_TOLERANCE

MIN_CORES, RECOMMENDED_CORES = 4, 8
MIN_RAM, RECOMMENDED_RAM = 8 * GIB, 32 * GIB
MIN_DISK, RECOMMENDED_DISK = 10 * 1000**3, 50 * 1000**3  # disks are sold in decimal units
RECOMMENDED_VRAM = 12 * GIB  # an RTX 3060
RECOMMENDED_APPLE_RAM = 16 * GIB  # the smallest M1 Pro


@dataclass(frozen=True)
class DiskInfo:
    path: Path
    free: int | None  # bytes; None when unreadable
    ssd: bool | None  # None when the kind of drive is not known (only Linux says)


@dataclass(frozen=True)
class Requirement:
    part: str  # "cores" | "memory" | "gpu" | "disk"
    have: float  # cores, bytes of RAM, bytes of VRAM (Apple: RAM), bytes free
    verdict: str  # "recommended" | "minimum" | "below" | "unknown"

    def to_dict(self) -> dict[str, object]:
        return {"part": self.part, "have": self.have, "verdict": self.verdict}


def _level(have: float, minimum: float, recommended: float) -> str:
    if have >= recommended:
        return "recommended"
    return "minimum" if have >= minimum else "below"


def rotational(path: Path, sys_root: Path = Path("/sys")) -> bool | None:
    """Linux: whether the drive holding `path` spins (from /sys/dev/block/MAJ:MIN)."""
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            return None
        probe = probe.parent
    try:
        dev = os.stat(probe).st_dev
        block = (sys_root / "dev" / "block" / f"{os.major(dev)}:{os.minor(dev)}").resolve()
    except (OSError, ValueError):
        return None
    for folder in (block, block.parent):  # a partition's queue is its disk's
        try:
            return (folder / "queue" / "rotational").read_text().strip() == "1"
        except OSError:
            continue
    return None


def disk_info(path: Path) -> DiskInfo:
    spins = rotational(path)
    return DiskInfo(path=path, free=free_bytes(path), ssd=None if spins is None else not spins)


def judge_requirements(
    machine: Machine, machine_budget: Budget, disk: DiskInfo | None
) -> tuple[Requirement, ...]:
    cores = machine.cpu.cores
    parts = [
        Requirement("cores", cores, _level(cores, MIN_CORES, RECOMMENDED_CORES) if cores else "unknown"),
        Requirement(
            "memory",
            machine.memory.total,
            _level(machine.memory.total / SOLD_SIZE_TOLERANCE, MIN_RAM, RECOMMENDED_RAM),
        ),
    ]
    b = machine_budget
    if b.unified:
        good = b.ram_total >= RECOMMENDED_APPLE_RAM * SOLD_SIZE_TOLERANCE
        parts.append(Requirement("gpu", b.ram_total, "recommended" if good else "minimum"))
    else:
        # The minimum needs no GPU: models then run on the CPU.
        vram = b.gpu_total if b.has_gpu else 0
        good = vram >= RECOMMENDED_VRAM * SOLD_SIZE_TOLERANCE
        parts.append(Requirement("gpu", vram, "recommended" if good else "minimum"))
    if disk is None or disk.free is None:
        parts.append(Requirement("disk", 0, "unknown"))
    else:
        level = _level(disk.free, MIN_DISK, RECOMMENDED_DISK)
        if level == "recommended" and disk.ssd is False:
            level = "minimum"  # the recommendation asks for an SSD: a spinning disk loads slowly
        parts.append(Requirement("disk", disk.free, level))
    return tuple(parts)
