"""The hardware page learns from a real measurement: the probe runs the starter model on the real
engine, the calibration feeds the report, and the page shows the measured figure with its day."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.core.bench_store import BenchStore
from desktop.core.catalog import load_catalog
from desktop.core.hardware.calibrate import Calibration
from desktop.core.hardware.machine import GIB, Cpu, Machine, Memory
from desktop.core.hardware.speed import format_speed
from desktop.core.ollama import OllamaClient, Timeouts
from desktop.ui.controllers.calibration_controller import CalibrationController
from desktop.ui.controllers.hardware_controller import HardwareController
from desktop.ui.widgets.hardware_panel import HardwarePanel

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "hardware-measured.png"
MACHINE = Machine(
    memory=Memory(total=24 * GIB, available=20 * GIB, host_total=24 * GIB),
    cpu=Cpu(model="AMD EPYC", cores=2, threads=2),
    os="Linux",
)


@pytest.mark.engine
def test_probe_measures_and_the_page_predicts_from_it(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, engine_url: str, tmp_path: Path
) -> None:
    client = OllamaClient(engine_url, timeouts=Timeouts(first_token=120, idle=60))
    store = BenchStore(tmp_path / "bench")
    hardware = HardwareController(probe_fn=lambda: MACHINE, catalog=load_catalog(), num_ctx=4096)
    calibration = CalibrationController(lambda: client, lambda: 2, store)
    panel = HardwarePanel(hardware)
    qtbot.addWidget(panel)
    panel.resize(1000, 1400)
    panel.show()
    section = panel.measured_box
    section.probe_requested.connect(calibration.start_probe)
    calibration.probe_running.connect(section.set_probe_running)
    calibration.calibrated.connect(hardware.set_calibration)
    try:
        with qtbot.waitSignal(hardware.report_ready, timeout=20000):
            hardware.refresh()
        guessed = hardware.report
        assert guessed is not None and guessed.calibration is None
        assert "Nothing measured yet" in section.summary.text()
        # Two answers of 32 tokens: about a minute on this 2-core machine when it is shared and busy.
        with qtbot.waitSignal(calibration.calibrated, timeout=240000) as done:
            qtbot.mouseClick(section.measure_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(section.cancel_button.isVisible, timeout=5000)
        learnt: Calibration = done.args[0]
        qtbot.waitUntil(
            lambda: hardware.report is not None and hardware.report.calibration is not None, timeout=120000
        )
        report = hardware.report
        assert report is not None
        saved = store.list()
        assert len(saved) == 1 and [r.model for r in saved[0].runs] == ["smollm2:135m"] * 2
        measured = learnt.measured_for("smollm2:135m")
        assert measured is not None and measured.weights > 50_000_000
        assert report.budget.cpu_bandwidth == pytest.approx(learnt.cpu_bandwidth)
        cell = section.measured_table.item(0, 2).text()
        assert cell == f"measured {format_speed(measured.tokens_per_second)} tokens/s on {measured.day}"
        # One model measured: the estimate scaled to it, so its own size predicts what was measured.
        assert learnt.cpu.method == "scaled"
        predicted = section.measured_table.item(0, 3).text()
        assert predicted == f"about {format_speed(measured.tokens_per_second)} tokens/s"
        # The prompt's speed, from the server's prompt_eval figures and /api/tags' parameter size.
        assert measured.prompt_tokens_per_second > 0 and measured.params > 100_000_000
        prompt = f"{format_speed(measured.prompt_tokens_per_second)} tokens/s"
        assert section.measured_table.item(0, 4).text() == prompt
        assert learnt.prompt_rate == pytest.approx(measured.prompt_tokens_per_second * measured.params)
        # Every suggestion now says where its speed comes from.
        intro = panel.suggestions_box.intro.text()
        assert (
            f"Speeds are measured here or predicted from the speeds measured here (latest on {measured.day})."
            in (intro)
        )
        assert f"{learnt.cpu_bandwidth / 1e9:.1f} GB/s" in section.summary.text()
        assert section.measured_table.isVisible() and section.quant_table.rowCount() == 3
        assert [section.quant_table.item(r, 0).text() for r in range(3)] == ["Q4_K_M", "Q5_K_M", "Q8_0"]
        assert "+0.0004" in section.quant_table.item(2, 3).text()
        qtbot.waitUntil(lambda: not section.cancel_button.isVisible(), timeout=5000)
        table = section.quant_table

        def last_row_shown() -> bool:
            rect = table.visualItemRect(table.item(2, 0))
            return 0 < rect.bottom() <= table.viewport().height() and section.geometry().height() > 0

        qtbot.waitUntil(last_row_shown, timeout=5000)
        qtbot.wait(200)  # the page's layout follows the tables' new heights
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        panel.grab().save(str(SCREENSHOT))
    finally:
        for closer in (calibration.aclose, hardware.aclose, client.aclose):
            task = asyncio.ensure_future(closer(), loop=qloop)
            qtbot.waitUntil(task.done, timeout=10000)
        panel.close()
