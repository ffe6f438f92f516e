"""Everything a probe touches from the outside, injectable so that tests can fake a machine.

root: prefix for /proc and /sys; run: a command runner (nvidia-smi, rocm-smi, sysctl) that
never raises; env: the environment (CUDA_VISIBLE_DEVICES, OLLAMA_GPU_OVERHEAD, ...).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from desktop.core.hardware.machine import Battery

Runner = Callable[[Sequence[str], float], "str | None"]
T = TypeVar("T")


def run_command(args: Sequence[str], timeout: float) -> str | None:
    """stdout of a successful command; None when it is missing, fails or runs past `timeout`."""
    exe = shutil.which(args[0])
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, *args[1:]],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout


def psutil_memory() -> tuple[int, int]:
    import psutil

    vm = psutil.virtual_memory()
    return int(vm.total), int(vm.available)


def psutil_battery() -> Battery | None:
    import psutil

    sensors = getattr(psutil, "sensors_battery", None)
    if sensors is None:
        return None
    info = sensors()
    if info is None:
        return None
    secs = info.secsleft
    seconds = int(secs) if isinstance(secs, (int, float)) and secs >= 0 else None
    return Battery(percent=float(info.percent), plugged=info.power_plugged, seconds_left=seconds)


def psutil_cpu_counts() -> tuple[int, int]:
    import psutil

    logical = psutil.cpu_count(logical=True) or os.cpu_count() or 0
    physical = psutil.cpu_count(logical=False) or logical
    return int(physical), int(logical)


@dataclass(frozen=True)
class ProbeContext:
    root: Path = Path("/")
    run: Runner = run_command
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    system: str = field(default_factory=platform.system)
    arch: str = field(default_factory=platform.machine)
    timeout: float = 5.0  # per command and per native-library call
    use_nvml: bool = True  # NVML via ctypes; tests turn it off to use the fake nvidia-smi
    use_metal: bool = True  # Metal's working-set budget via ctypes (macOS only)
    nvml_paths: tuple[str, ...] = ()  # where to look for NVML first (tests load a stand-in library)
    memory: Callable[[], tuple[int, int]] = psutil_memory  # (total, available) where /proc is absent
    battery: Callable[[], Battery | None] = psutil_battery
    cpu_counts: Callable[[], tuple[int, int]] = psutil_cpu_counts
    # Windows: display adapters from the registry as dicts of value name -> value.
    registry_adapters: Callable[[], list[dict[str, object]]] | None = None

    def path(self, absolute: str) -> Path:
        return self.root / absolute.lstrip("/")

    def read(self, absolute: str | Path) -> str | None:
        path = absolute if isinstance(absolute, Path) else self.path(absolute)
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except (OSError, ValueError):
            return None

    def read_int(self, absolute: str | Path) -> int | None:
        text = self.read(absolute)
        if text is None:
            return None
        text = text.strip()
        try:
            return int(text, 16) if text.lower().startswith("0x") else int(text)
        except ValueError:
            return None

    def command(self, *args: str) -> str | None:
        try:
            return self.run(args, self.timeout)
        except Exception:  # an injected runner must not crash the probe either
            return None


class ProbeTimeout(Exception):
    pass


def call_with_timeout(fn: Callable[[], T], timeout: float) -> T:
    """Run a native call (NVML, Metal) in a daemon thread so a hung driver cannot hang us."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="hardware-probe", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise ProbeTimeout(f"no answer within {timeout:g} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
