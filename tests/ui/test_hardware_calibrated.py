"""The hardware page once this machine has measured runs: every suggestion and the size table say
which figures were measured here (and when) and which are predicted from them; the controller never
hands out a report computed before the measurements arrived."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from desktop.core import catalog as catalog_module
from desktop.core.catalog import load_catalog
from desktop.core.hardware.report import HardwareReport, build_report
from desktop.paths import resource_path
from desktop.ui.controllers.hardware_controller import HardwareController
from desktop.ui.widgets.hardware_panel import HardwarePanel
from tests.ui.test_welcome_measured import MB, TWO_CORES, measured


def calibrated() -> HardwareReport:
    """The starter model and llama3.2:3b (the 3B row's example) measured on 1 December."""
    catalog = load_catalog()
    tag = catalog.tag("llama3.2:3b")
    assert tag is not None
    cal = measured(("smollm2:135m", 98 * MB, 38.0), ("llama3.2:3b", tag.size, 4.2))
    return build_report(TWO_CORES, catalog, num_ctx=4096, calibration=cal)


def shown(qtbot: Any, report: HardwareReport) -> HardwarePanel:
    panel = HardwarePanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 1400)
    panel.set_report(report)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_the_page_says_measured_or_predicted_for_every_figure(qtbot: Any) -> None:
    report = calibrated()
    panel = shown(qtbot, report)
    table = panel.tier_table
    assert table.item(0, 2).text() == "llama3.2:3b"
    assert table.item(0, 4).text() == "Fits, slow: measured 4.2 tokens/s on 1 December"
    assert table.item(1, 4).text().startswith("Fits, slow: about ")  # 7B: predicted from the line
    section = panel.suggestions_box
    assert "Speeds are measured here or predicted from the speeds measured here (latest on 1 December)." in (
        section.intro.text()
    )
    assert "nothing has been measured" not in section.intro.text()
    chat = report.suggestion("chat_en")
    assert chat is not None and chat.slower is not None
    assert section.verdicts["chat_en"].text().startswith("Runs on the CPU, about ")
    summary = panel.measured_box.summary.text()
    assert report.calibration is not None and report.calibration.cpu.method == "line"
    assert "Speeds on the processor are predicted from its line measured here: " in summary
    assert f"{report.calibration.cpu_bandwidth / 1e9:.1f} GB/s" in summary and "fitted to 2 models" in summary
    assert "Prompts are read at about" in summary
    rows = panel.measured_box.measured_table
    assert rows.rowCount() == 2 and rows.isVisible()
    assert {rows.item(r, 2).text() for r in range(2)} == {
        "measured 38 tokens/s on 1 December",
        "measured 4.2 tokens/s on 1 December",
    }
    assert rows.item(0, 4).text().endswith("tokens/s")  # the prompt's measured speed


def test_nothing_measured_says_estimate(qtbot: Any) -> None:
    panel = shown(qtbot, build_report(TWO_CORES, load_catalog(), num_ctx=4096))
    intro = panel.suggestions_box.intro.text()
    assert "Speeds are estimates from the processor and memory: nothing has been measured" in intro
    assert not panel.measured_box.measured_table.isVisible()
    assert "measured" not in panel.tier_table.item(0, 4).text()


def test_chinese_page_has_no_english_left_in_what_was_measured(qtbot: Any) -> None:
    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "ollama_desk_zh_CN.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        panel = shown(qtbot, calibrated())
        cell = panel.tier_table.item(0, 4).text()
        assert "12月1日" in cell and "4.2" in cell and "measured" not in cell and "December" not in cell
        intro = panel.suggestions_box.intro.text()
        assert "12月1日" in intro and "Speeds" not in intro
        summary = panel.measured_box.summary.text()
        assert "GB/s" in summary and "Speeds" not in summary and "Prompts" not in summary
        header = panel.measured_box.measured_table.horizontalHeaderItem(4).text()
        assert header and header != "Reads the prompt"
    finally:
        QCoreApplication.removeTranslator(translator)


def test_a_report_computed_before_the_measurements_is_never_shown(
    qtbot: Any, qloop: asyncio.AbstractEventLoop
) -> None:
    release = threading.Event()
    probes: list[int] = []

    def slow_probe() -> Any:
        probes.append(1)
        if len(probes) == 1:
            release.wait(10)  # the first probe is still running when the measurements arrive
        return TWO_CORES

    controller = HardwareController(probe_fn=slow_probe, catalog=load_catalog(), num_ctx=4096)
    seen: list[HardwareReport] = []
    controller.report_ready.connect(seen.append)
    try:
        controller.refresh()
        qtbot.waitUntil(lambda: bool(probes), timeout=5000)
        controller.set_calibration(calibrated().calibration)  # type: ignore[arg-type]
        release.set()
        qtbot.waitUntil(lambda: bool(seen), timeout=20000)
        qtbot.wait(100)
        assert len(probes) == 2
        assert [r.calibration is not None for r in seen] == [True]
        # The catalog browser's verdicts are predicted from the same measurements.
        eight_b = catalog_module.verdict_for(None, "llama3.1:8b")
        assert eight_b is not None
        assert eight_b.tokens_per_second == pytest.approx(seen[0].tier.rows[1].verdict.tokens_per_second)
        uncalibrated = build_report(TWO_CORES, load_catalog(), num_ctx=4096).tier.rows[1].verdict
        assert eight_b.tokens_per_second != pytest.approx(uncalibrated.tokens_per_second)
    finally:
        catalog_module.set_machine(None)
        release.set()
        task = asyncio.ensure_future(controller.aclose(), loop=qloop)
        qtbot.waitUntil(task.done, timeout=10000)
