"""Build a ProbeContext from a machine profile (tests/fixtures/hardware/*.json).

A profile is a fake root (files for /proc and /sys), fake command outputs (nvidia-smi,
rocm-smi, sysctl), psutil stand-ins, a battery, registry adapters, and what to expect.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.hardware.context import ProbeContext
from desktop.core.hardware.machine import Battery

PROFILES = Path(__file__).resolve().parents[2] / "fixtures" / "hardware"


def profile_names() -> list[str]:
    return sorted(p.stem for p in PROFILES.glob("*.json"))


def load_profile(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PROFILES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@dataclass
class FakeRunner:
    outputs: dict[str, str]
    calls: list[str] = field(default_factory=list)

    def __call__(self, args: Sequence[str], timeout: float) -> str | None:
        assert timeout > 0, "every command needs a timeout"
        line = " ".join(args)
        self.calls.append(line)
        return self.outputs.get(line)  # anything else: "tool not installed"


def write_root(root: Path, files: dict[str, str]) -> None:
    for absolute, content in files.items():
        path = root / absolute.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def context_for(profile: dict[str, Any], root: Path) -> tuple[ProbeContext, FakeRunner]:
    write_root(root, profile.get("files", {}))
    runner = FakeRunner(dict(profile.get("commands", {})))
    memory = tuple(profile.get("memory", (0, 0)))
    counts = tuple(profile.get("cpu_counts", (0, 0)))
    battery_raw = profile.get("battery")
    battery = (
        Battery(
            percent=float(battery_raw["percent"]),
            plugged=battery_raw["plugged"],
            seconds_left=battery_raw.get("seconds_left"),
        )
        if battery_raw
        else None
    )
    adapters = profile.get("registry_adapters")

    def no_psutil() -> tuple[int, int]:
        if memory == (0, 0):
            raise AssertionError("this profile reads RAM from its fake /proc, not psutil")
        return int(memory[0]), int(memory[1])

    ctx = ProbeContext(
        root=root,
        run=runner,
        env=dict(profile.get("env", {})),
        system=profile["system"],
        arch=profile.get("arch", "x86_64"),
        timeout=2.0,
        use_nvml=bool(profile.get("use_nvml", False)),
        use_metal=False,
        memory=no_psutil,
        battery=lambda: battery,
        cpu_counts=lambda: (int(counts[0]), int(counts[1])),
        registry_adapters=(lambda: [dict(a) for a in adapters]) if adapters is not None else None,
    )
    return ctx, runner
