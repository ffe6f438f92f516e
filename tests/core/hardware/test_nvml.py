"""The NVML path through ctypes, against a stand-in libnvidia-ml built here with the C compiler.

The stand-in implements the seven NVML calls the probe makes, with NVML's signatures, so the
ctypes declarations (struct layout, handle passing, buffers) are exercised for real.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from desktop.core.hardware.context import ProbeContext
from desktop.core.hardware.machine import GIB, MIB
from desktop.core.hardware.probe import probe

FAKE_NVML = r"""
#include <string.h>
#include <unistd.h>
typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
static int shutdowns = 0;
int nvmlInit_v2(void) {
#ifdef HANG
    sleep(30);
#endif
    return 0;
}
int nvmlShutdown(void) { shutdowns++; return 0; }
int fake_shutdowns(void) { return shutdowns; }
int nvmlSystemGetDriverVersion(char *buf, unsigned int len) { strncpy(buf, "550.54.14", len); return 0; }
int nvmlDeviceGetCount_v2(unsigned int *count) { *count = 2; return 0; }
int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void **handle) {
    if (index > 1) return 2;
    *handle = (void *)(unsigned long)(0x1000 + index);
    return 0;
}
int nvmlDeviceGetName(void *handle, char *buf, unsigned int len) {
    strncpy(buf, (unsigned long)handle == 0x1000 ? "NVIDIA GeForce RTX 4090" : "NVIDIA RTX A6000", len);
    return 0;
}
int nvmlDeviceGetMemoryInfo(void *handle, nvmlMemory_t *mem) {
    unsigned long long gib = 1ULL << 30;
    mem->total = (unsigned long)handle == 0x1000 ? 24 * gib : 48 * gib;
    mem->used = 700ULL << 20;
    mem->free = mem->total - mem->used;
    return 0;
}
"""


def _build(tmp_path: Path, *defines: str) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.fail("a C compiler is needed to build the NVML stand-in (cc or gcc)")
    source = tmp_path / "fake_nvml.c"
    source.write_text(FAKE_NVML)
    name = "libfake-nvml" + "".join(d.lower() for d in defines) + ".so"
    lib = tmp_path / name
    subprocess.run(
        [compiler, "-shared", "-fPIC", "-O0", *(f"-D{d}" for d in defines), "-o", str(lib), str(source)],
        check=True,
        timeout=60,
    )
    return lib


def _ctx(tmp_path: Path, lib: Path, timeout: float = 5.0) -> ProbeContext:
    (tmp_path / "proc").mkdir(exist_ok=True)
    (tmp_path / "proc" / "meminfo").write_text("MemTotal: 67108864 kB\nMemAvailable: 60000000 kB\n")
    smi = "0, From nvidia-smi, GPU-0, 8192, 100, 8092, 550.54.14\n"
    return ProbeContext(
        root=tmp_path,
        run=lambda args, t: smi if args[0] == "nvidia-smi" else None,
        env={},
        system="Linux",
        timeout=timeout,
        use_nvml=True,
        nvml_paths=(str(lib),),
        battery=lambda: None,
        cpu_counts=lambda: (8, 16),
    )


def test_nvml_through_ctypes(tmp_path: Path) -> None:
    lib = _build(tmp_path)
    machine = probe(_ctx(tmp_path, lib))
    assert [(g.name, g.vram_total, g.vram_free, g.driver, g.source, g.index) for g in machine.gpus] == [
        ("NVIDIA GeForce RTX 4090", 24 * GIB, 24 * GIB - 700 * MIB, "550.54.14", "nvml", 0),
        ("NVIDIA RTX A6000", 48 * GIB, 48 * GIB - 700 * MIB, "550.54.14", "nvml", 1),
    ]
    assert machine.notes == ()
    assert ctypes.CDLL(str(lib)).fake_shutdowns() == 1  # NVML is shut down after reading


def test_hung_nvml_falls_back_to_nvidia_smi(tmp_path: Path) -> None:
    lib = _build(tmp_path, "HANG")
    started = time.monotonic()
    machine = probe(_ctx(tmp_path, lib, timeout=0.5))
    assert time.monotonic() - started < 5
    assert [g.name for g in machine.gpus] == ["From nvidia-smi"]
    assert any("NVML could not be read" in note for note in machine.notes)
