"""The probe never crashes and never hangs: missing tools, broken files, hung drivers."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop.core.hardware import nvidia
from desktop.core.hardware.apple import fallback_working_set
from desktop.core.hardware.context import ProbeContext, ProbeTimeout, call_with_timeout, run_command
from desktop.core.hardware.machine import GIB, MIB, Battery
from desktop.core.hardware.probe import probe
from desktop.core.hardware.windows import adapters_to_gpus
from tests.core.hardware.machines import context_for, load_profile, write_root


def test_run_command_missing_tool_and_timeout() -> None:
    assert run_command(["definitely-not-a-tool-xyz"], 1.0) is None
    started = time.monotonic()
    assert run_command([sys.executable, "-c", "import time; time.sleep(10)"], 0.3) is None
    assert time.monotonic() - started < 5
    assert run_command([sys.executable, "-c", "print('hi')"], 10) == "hi\n"
    assert run_command([sys.executable, "-c", "raise SystemExit(3)"], 10) is None


def test_call_with_timeout() -> None:
    assert call_with_timeout(lambda: 42, 1.0) == 42
    with pytest.raises(ProbeTimeout):
        call_with_timeout(lambda: time.sleep(3), 0.2)
    with pytest.raises(ZeroDivisionError):
        call_with_timeout(lambda: 1 // 0, 1.0)


def test_empty_machine_does_not_crash(tmp_path: Path) -> None:
    def exploding(args: Sequence[str], timeout: float) -> str | None:
        raise RuntimeError("runner broke")

    def no_battery() -> Battery | None:
        raise OSError("no power supply class")

    ctx = ProbeContext(
        root=tmp_path,
        run=exploding,
        env={},
        system="Linux",
        memory=lambda: (4 * GIB, 2 * GIB),
        battery=no_battery,
        cpu_counts=lambda: (2, 4),
        use_nvml=False,
        use_metal=False,
    )
    machine = probe(ctx)
    assert machine.memory.total == 4 * GIB  # psutil fallback when /proc is missing
    assert machine.cpu.cores == 2 and machine.gpus == ()
    assert machine.battery is None and any("battery" in n for n in machine.notes)


def test_garbage_files_are_ignored(tmp_path: Path) -> None:
    write_root(
        tmp_path,
        {
            "/proc/meminfo": "MemTotal: lots kB\nnonsense\n",
            "/sys/class/drm/card0/device/vendor": "0x1002\n",
            "/sys/class/drm/card0/device/mem_info_vram_total": "not a number\n",
            "/sys/fs/cgroup/cgroup.controllers": "memory\n",
            "/sys/fs/cgroup/memory.max": "max\n",
        },
    )
    ctx = ProbeContext(
        root=tmp_path,
        run=lambda a, t: "garbage,,\n",
        env={},
        system="Linux",
        memory=lambda: (8 * GIB, 4 * GIB),
        battery=lambda: None,
        cpu_counts=lambda: (4, 8),
        use_nvml=False,
    )
    machine = probe(ctx)
    assert machine.memory.total == 8 * GIB and machine.memory.limited_by == ""
    assert machine.gpus == ()


def test_nvml_falls_back_to_nvidia_smi_when_absent(tmp_path: Path) -> None:
    # This machine has no libnvidia-ml; the probe must quietly use nvidia-smi.
    profile = load_profile("workstation_2x24gb")
    ctx, runner = context_for(profile, tmp_path)
    assert ctx.use_nvml
    machine = probe(ctx)
    assert [g.source for g in machine.gpus] == ["nvidia-smi", "nvidia-smi"]
    assert any(call.startswith("nvidia-smi") for call in runner.calls)


def test_cuda_visible_devices_hides_gpus(tmp_path: Path) -> None:
    profile = load_profile("workstation_2x24gb")
    profile["env"] = {"CUDA_VISIBLE_DEVICES": "1"}
    ctx, _ = context_for(profile, tmp_path)
    assert [g.index for g in probe(ctx).gpus] == [1]


def test_nvidia_smi_unified_memory_is_skipped() -> None:
    text = (
        "0, NVIDIA GB10, GPU-1, [N/A], [N/A], [N/A], 580.95\n1, RTX 4090, GPU-2, 24564, 10, 24554, 580.95\n"
    )
    gpus = nvidia.parse_smi(text)
    assert [g.name for g in gpus] == ["RTX 4090"]
    assert gpus[0].vram_free == 24554 * MIB


def test_nvidia_name_without_tools(tmp_path: Path) -> None:
    write_root(
        tmp_path,
        {
            "/proc/driver/nvidia/gpus/0000:01:00.0/information": "Model: NVIDIA GeForce GTX 1080\n",
            "/proc/meminfo": "MemTotal: 16000000 kB\nMemAvailable: 8000000 kB\n",
        },
    )
    ctx = ProbeContext(
        root=tmp_path,
        run=lambda a, t: None,
        env={},
        system="Linux",
        battery=lambda: None,
        use_nvml=False,
        cpu_counts=lambda: (4, 8),
    )
    machine = probe(ctx)
    assert [g.name for g in machine.gpus] == ["NVIDIA GeForce GTX 1080"]
    assert machine.gpus[0].vram_total == 0
    assert any("nvidia-smi" in n for n in machine.notes)


def test_apple_wired_limit_override_and_rule(tmp_path: Path) -> None:
    profile = load_profile("apple_m_64gb")
    profile["commands"]["sysctl -n iogpu.wired_limit_mb"] = "57344\n"
    ctx, _ = context_for(profile, tmp_path)
    gpu = probe(ctx).gpus[0]
    assert gpu.vram_total == 56 * GIB and gpu.source == "sysctl"
    assert fallback_working_set(16 * GIB) == 16 * GIB * 2 // 3
    assert fallback_working_set(128 * GIB) == 96 * GIB


def test_intel_mac_has_no_metal_offload(tmp_path: Path) -> None:
    profile = load_profile("apple_m_16gb")
    profile["arch"] = "x86_64"
    profile["commands"]["sysctl -n hw.optional.arm64"] = "0\n"
    profile["commands"]["sysctl -n machdep.cpu.brand_string"] = "Intel(R) Core(TM) i7-9750H"
    ctx, _ = context_for(profile, tmp_path)
    assert probe(ctx).gpus == ()


def test_windows_registry_sizes() -> None:
    gpus = adapters_to_gpus(
        [
            {
                "DriverDesc": "AMD Radeon RX 7900 XTX",
                "ProviderName": "Advanced Micro Devices, Inc.",
                "HardwareInformation.qwMemorySize": (24 * GIB).to_bytes(8, "little"),
            },
            {
                "DriverDesc": "NVIDIA GeForce GTX 1060 3GB",
                "ProviderName": "NVIDIA",
                "HardwareInformation.MemorySize": (3 * GIB) - (1 << 32),
            },  # a REG_DWORD read as negative
            {
                "DriverDesc": "AMD Radeon(TM) Graphics",
                "ProviderName": "Advanced Micro Devices, Inc.",
                "HardwareInformation.qwMemorySize": 512 * MIB,
            },
            {"DriverDesc": "Citrix Indirect Display Adapter", "HardwareInformation.qwMemorySize": MIB},
        ]
    )
    assert [(g.name, g.vram_total, g.vendor, g.integrated) for g in gpus] == [
        ("AMD Radeon RX 7900 XTX", 24 * GIB, "amd", False),
        ("NVIDIA GeForce GTX 1060 3GB", 3 * GIB, "nvidia", False),
        ("AMD Radeon(TM) Graphics", 512 * MIB, "amd", True),
    ]


def test_given_sizes_skip_detection(tmp_path: Path) -> None:
    calls: list[str] = []

    def runner(args: Sequence[str], timeout: float) -> str | None:
        calls.append(" ".join(args))
        return None

    ctx = ProbeContext(
        root=tmp_path,
        run=runner,
        env={},
        system="Linux",
        battery=lambda: None,
        use_nvml=False,
        cpu_counts=lambda: (4, 8),
    )
    machine = probe(ctx, ram=32 * GIB, vram=8 * GIB)
    assert machine.hypothetical and machine.memory.total == 32 * GIB and machine.memory.limited_by == "given"
    assert [g.vram_total for g in machine.gpus] == [8 * GIB]
    assert calls == []  # no GPU tool was asked
    assert probe(ctx, vram=0).gpus == ()


def test_real_probe_on_this_machine_is_quick() -> None:
    started = time.monotonic()
    machine = probe()
    assert time.monotonic() - started < 15
    assert machine.memory.total > 0 and machine.cpu.threads > 0
