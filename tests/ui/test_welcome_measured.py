"""The welcome recommends from what was measured on this machine and says so; without measurements
it says the figure is an estimate, and why. English and Chinese, on the rendered dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from desktop.core.bench import BenchResult, BenchRun
from desktop.core.catalog import load_catalog
from desktop.core.hardware.calibrate import Calibration, calibrate
from desktop.core.hardware.machine import GIB, MIB, Cpu, Gpu, Machine, Memory
from desktop.core.hardware.report import HardwareReport, build_report
from desktop.core.hardware.speed import format_speed
from desktop.core.pulls import format_bytes
from desktop.paths import resource_path
from desktop.ui.welcome import ServerSummary, WelcomeDialog

MB = 1_000_000
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "welcome-measured.png"
TWO_CORES = Machine(memory=Memory(int(23.5 * GIB), 22 * GIB), cpu=Cpu("AMD EPYC", 2, 2), os="Linux")
RTX = Machine(
    memory=Memory(int(15.5 * GIB), 11 * GIB),
    cpu=Cpu("AMD Ryzen 5 7600", 6, 12),
    gpus=(Gpu("NVIDIA GeForce RTX 4060", "nvidia", "cuda", 8188 * MIB, 7776 * MIB, source="nvidia-smi"),),
    os="Linux",
)
ENGINE = ServerSummary(kind="engine", url="http://127.0.0.1:11434", models=("smollm2:135m",))


@pytest.fixture(autouse=True)
def _pinned_refcounts() -> None:
    from desktop.ui import pyside_fix

    pyside_fix.apply()


@pytest.fixture
def chinese() -> Iterator[None]:
    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "ollama_desk_zh_CN.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(translator)


def measured(*speeds: tuple[str, int, float], gpu: bool = False) -> Calibration:
    """A comparison saved on 1 December: (model, file size, decoding tokens/s) per model."""
    runs = [
        BenchRun(
            model,
            "p",
            1,
            eval_count=64,
            eval_duration=int(64 / tps * 1e9),
            prompt_eval_count=30,
            prompt_eval_duration=int(30 / (tps * 8) * 1e9),
            size=weights + 60 * MB,
            size_vram=weights + 60 * MB if gpu else 0,
            weights=weights,
            params=135_000_000,
            answer="x",
        )
        for model, weights, tps in speeds
    ]
    result = BenchResult(
        models=[r.model for r in runs],
        prompts=["p"],
        options={},
        created_at="2026-12-01T09:30:00+00:00",
        runs=runs,
    )
    return calibrate([result], 2)


def welcome(qtbot: Any, report: HardwareReport, language: str = "en") -> WelcomeDialog:
    dialog = WelcomeDialog(None, server=ENGINE, report=report, language=language)
    qtbot.addWidget(dialog)
    dialog.resize(640, 520)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_nothing_measured_says_it_is_an_estimate_and_why(qtbot: Any) -> None:
    w = welcome(qtbot, build_report(TWO_CORES, load_catalog(), num_ctx=4096))
    assert w.recommended is not None and w.recommended[0] == "gemma3:1b"
    text = w.model_label.text()
    assert (
        "gemma3:1b (815 MB download, about 11 tokens/s here, an estimate: nothing has been measured" in text
    )
    assert "measured 1" not in text


def test_measured_speed_of_the_suggestion_is_said_with_its_day(qtbot: Any) -> None:
    catalog = load_catalog()
    first = build_report(
        TWO_CORES, catalog, num_ctx=4096, calibration=measured(("smollm2:135m", 98 * MB, 38.0))
    )
    pick = first.suggestion("chat_en")
    assert (
        pick is not None
        and "predicted from the speeds measured here" in welcome(qtbot, first).model_label.text()
    )
    # The pick itself measured next, at about what was predicted for it: it stays the pick.
    tps = round(pick.verdict.tokens_per_second, 1) + 0.2
    cal = measured(("smollm2:135m", 98 * MB, 38.0), (pick.tag, pick.verdict.estimate.weights, tps))
    report = build_report(TWO_CORES, catalog, num_ctx=4096, calibration=cal)
    w = welcome(qtbot, report)
    assert w.recommended is not None and w.recommended[0] == pick.tag
    text = w.model_label.text()
    assert text.startswith(f"{pick.tag} ({format_bytes(pick.download_size)} download, measured ")
    assert f"measured {format_speed(tps)} tokens/s here on 1 December): " in text
    assert "estimate" not in text
    # The larger model that fits is predicted from the same measurements, and slow.
    chat = report.suggestion("chat_en")
    assert chat is not None and chat.slower is not None
    assert f"{chat.slower[0]} also fits, slow: about" in text
    w.grab().save(str(SCREENSHOT))


def test_a_slow_measurement_changes_the_recommendation(qtbot: Any) -> None:
    catalog = load_catalog()
    before = build_report(
        TWO_CORES, catalog, num_ctx=4096, calibration=measured(("smollm2:135m", 98 * MB, 38.0))
    )
    zh = before.suggestion("chat_zh")
    assert zh is not None and zh.tag == "qwen2.5:1.5b"
    # Measured at 5 tokens/s, under a chat's 8: the suggestion falls to the smaller model.
    cal = measured(("smollm2:135m", 98 * MB, 38.0), ("qwen2.5:1.5b", zh.verdict.estimate.weights, 5.0))
    w = welcome(qtbot, build_report(TWO_CORES, catalog, num_ctx=4096, calibration=cal), "zh_CN")
    assert w.recommended is not None and w.recommended[0] == "qwen2.5:0.5b"
    text = w.model_label.text()
    assert "predicted from the speeds measured here on 1 December" in text
    assert float(text.split("download, about ")[1].split(" tokens/s")[0]) >= 8
    assert "qwen2.5:7b also fits, slow: about" in text  # the class's largest that fits


def test_a_model_on_a_gpu_measured_only_on_the_cpu_is_an_estimate(qtbot: Any) -> None:
    cal = measured(("smollm2:135m", 98 * MB, 60.0))
    w = welcome(qtbot, build_report(RTX, load_catalog(), num_ctx=4096, calibration=cal))
    assert w.recommended is not None
    assert "an estimate: nothing was measured on the GPU yet" in w.model_label.text()


def test_chinese(qtbot: Any, chinese: None) -> None:
    cal = measured(("qwen2.5:1.5b", 986 * MB, 9.5), ("smollm2:135m", 98 * MB, 38.0))
    w = welcome(qtbot, build_report(TWO_CORES, load_catalog(), num_ctx=4096, calibration=cal), "zh_CN")
    assert w.recommended is not None and w.recommended[0] == "qwen2.5:1.5b"
    text = w.model_label.text()
    assert text.startswith("qwen2.5:1.5b（下载 986 MB，12月1日在本机实测每秒 9.5 个词元）：")
    assert "tokens/s" not in text and "measured" not in text
    guessed = welcome(qtbot, build_report(TWO_CORES, load_catalog(), num_ctx=4096), "zh_CN")
    assert "估算" in guessed.model_label.text() and "尚未" in guessed.model_label.text()
