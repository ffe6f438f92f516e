"""The seed's table ("recommended hardware" column) for machines from 8 to 128 GB, with and
without GPUs, Apple unified memory included; and the speed rule of the suggestions."""

from __future__ import annotations

import pytest

from desktop.core.catalog import load_catalog
from desktop.core.hardware.machine import GIB, Cpu, Gpu, Machine, Memory
from desktop.core.hardware.recommend import table_class
from desktop.core.hardware.report import build_report, format_text
from desktop.core.hardware.sizing import budget
from desktop.core.hardware.speed import USABLE_TOKENS_PER_SECOND, shown_speed

# What the OS reports for the sold sizes: a little less than printed on the box.
REPORTED = {8: 7.7, 16: 15.5, 24: 23.5, 32: 31.2, 64: 62.8, 128: 125.7}


def pc(ram_gb: int, vram_gb: float = 0, cores: int = 8) -> Machine:
    gpus: tuple[Gpu, ...] = ()
    if vram_gb:
        vram = int((vram_gb - 0.01) * GIB)  # an "8 GB" RTX 4060 reports 8,585,740,288 bytes
        gpus = (Gpu("NVIDIA test GPU", "nvidia", "cuda", vram, vram - 300 * 1024**2, source="given"),)
    total = int(REPORTED[ram_gb] * GIB)
    return Machine(Memory(total, int(total * 0.8)), Cpu("test", cores, cores), gpus, os="Linux")


def mac(ram_gb: int, cores: int = 10) -> Machine:
    total = ram_gb * GIB  # macOS reports the whole unified memory
    working_set = int(total * (0.75 if ram_gb > 36 else 2 / 3))
    gpu = Gpu("Apple M test GPU", "apple", "metal", working_set, None, integrated=True, source="metal")
    return Machine(Memory(total, int(total * 0.7)), Cpu("Apple M", cores, cores), (gpu,), os="Darwin")


@pytest.mark.parametrize(
    ("name", "machine", "tier"),
    [
        ("8 GB, no GPU", pc(8), "3B"),
        ("8 GB + 4 GB GPU", pc(8, 4), "3B"),
        ("16 GB, no GPU", pc(16), "7B"),
        ("16 GB + 4 GB GPU", pc(16, 4), "7B"),
        ("16 GB + 8 GB GPU", pc(16, 8), "7B"),
        ("16 GB + 16 GB GPU", pc(16, 16), "13B"),
        ("24 GB, no GPU (this machine)", pc(24, cores=2), "7B"),
        ("32 GB, no GPU", pc(32), "13B"),
        ("32 GB + 12 GB GPU", pc(32, 12), "13B"),
        ("32 GB + 24 GB GPU", pc(32, 24), "13B"),
        ("64 GB, no GPU", pc(64), "13B"),
        ("64 GB + 2x24 GB", pc(64, 48), "13B"),
        ("64 GB + 80 GB GPU", pc(64, 80), "70B"),
        ("128 GB, no GPU", pc(128), "13B"),
        ("128 GB + 8 GB GPU", pc(128, 8), "70B"),
        ("128 GB + 80 GB GPU", pc(128, 80), "70B"),
        ("Mac 8 GB", mac(8), "3B"),
        ("Mac 16 GB", mac(16), "7B"),
        ("Mac 32 GB", mac(32), "13B"),
        ("Mac 64 GB", mac(64), "13B"),
        ("Mac 128 GB", mac(128), "70B"),
    ],
)
def test_the_seed_table(name: str, machine: Machine, tier: str) -> None:
    report = build_report(machine, load_catalog())
    assert report.tier.label == tier, f"{name}\n{format_text(report)}"
    assert [row.highlighted for row in report.tier.rows].count(True) == 1
    b = budget(machine)
    index, _basis = table_class(b.ram_total, b.gpu_total, has_gpu=b.has_gpu, unified=b.unified)
    assert report.tier.rows[index].tier.label == tier


@pytest.mark.parametrize(
    "machine", [pc(8, cores=2), pc(16), pc(24, cores=2), pc(16, 8), pc(32, 12), mac(16), mac(64), pc(128, 80)]
)
def test_suggestions_fit_and_are_fast_enough(machine: Machine) -> None:
    report = build_report(machine, load_catalog())
    text = format_text(report)
    for s in report.suggestions:
        assert s.verdict.rating != "too_large", text
        if s.use in ("chat_zh", "chat_en", "code"):
            assert shown_speed(s.verdict.tokens_per_second) >= USABLE_TOKENS_PER_SECOND, text
        if s.slower is not None:
            slow = s.slower[1]
            assert slow.rating == "slow" and shown_speed(slow.tokens_per_second) < USABLE_TOKENS_PER_SECOND
            assert f"{s.slower[0]} fits, slow: about" in text


def test_two_core_machine_is_not_sent_to_13b() -> None:
    # The machine: 2 cores, 24 GB, no GPU. It used to be told "13B" and qwen2.5:14b at 2 tokens/s.
    report = build_report(pc(24, cores=2), load_catalog())
    chat = report.suggestion("chat_zh")
    assert report.tier.label == "7B"
    assert chat is not None and chat.tag != "qwen2.5:14b"
    assert chat.verdict.tokens_per_second >= USABLE_TOKENS_PER_SECOND
    assert chat.slower is not None and chat.slower[0] == "qwen2.5:7b"
    assert report.chat_is_smaller
    assert any("Suggestions must reach 8 tokens/s" in line for line in report.explanation)
