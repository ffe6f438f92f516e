"""The hardware panel fed with fixed reports (no real probe), and its controller on the qasync loop."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer

from desktop.core import catalog as catalog_module
from desktop.core.catalog import load_catalog
from desktop.core.hardware.machine import GIB, MIB, Battery, Cpu, Gpu, Machine, Memory
from desktop.core.hardware.recommend import check_loaded
from desktop.core.hardware.report import HardwareReport, build_report
from desktop.core.ollama.types import ModelInfo, RunningModel
from desktop.ui import theme
from desktop.ui.controllers.hardware_controller import HardwareController
from desktop.ui.widgets.hardware_panel import HardwarePanel

RTX_MACHINE = Machine(
    memory=Memory(total=int(15.5 * GIB), available=int(11.4 * GIB), host_total=int(15.5 * GIB)),
    cpu=Cpu(model="AMD Ryzen 5 7600", cores=6, threads=12, arch="x86_64"),
    gpus=(
        Gpu(
            name="NVIDIA GeForce RTX 4060",
            vendor="nvidia",
            backend="cuda",
            vram_total=8188 * MIB,
            vram_free=7776 * MIB,
            driver="550.54.14",
            source="nvidia-smi",
        ),
    ),
    os="Linux",
)
LAPTOP = Machine(
    memory=Memory(total=int(7.6 * GIB), available=5 * GIB, host_total=int(7.6 * GIB)),
    cpu=Cpu(model="Intel Core i5-1135G7", cores=4, threads=8),
    battery=Battery(percent=40, plugged=False),
    os="Linux",
)


@pytest.fixture(autouse=True)
def forget_machine() -> Iterator[None]:
    yield
    catalog_module.set_machine(None)


def _report(machine: Machine) -> HardwareReport:
    return build_report(machine, load_catalog())


def test_panel_shows_the_rtx_report(qtbot: object) -> None:
    panel = HardwarePanel()
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.set_report(_report(RTX_MACHINE))

    assert panel.highlighted_row() == 1
    table = panel.tier_table
    assert table.item(1, 0).text() == "7B ◀ this computer"
    assert table.item(0, 0).text() == "3B"
    assert table.item(1, 0).background().color().name() == theme.colours().row_highlight
    assert table.item(0, 0).background().style() == Qt.BrushStyle.NoBrush
    assert table.item(1, 0).font().bold() and not table.item(2, 0).font().bold()
    assert table.item(1, 4).text().startswith("Runs on your GPU, about ")
    # 13B loads partly on the 8 GB card, below a chat's speed: it fits, slowly, and says how slowly.
    assert table.item(2, 4).text().startswith("Fits, slow: about ")
    assert table.item(3, 4).text() == "Too large"
    assert table.item(1, 2).text() == "llama3.1:8b"
    assert table.item(1, 1).text() == "16 GB of RAM, or 8 GB of GPU memory"
    assert table.item(1, 0).foreground().color().name() == theme.colours().row_highlight_text

    text = panel.explanation.text()
    assert "It suits 7B models: it has the 16 GB of RAM the table asks for." in text
    assert "13B needs about 9.9 GB; your GPU has 7.6 GB free, so part of it would run on the CPU" in text
    assert "That is below the 8 tokens/s a chat needs" in text
    assert "NVIDIA GeForce RTX 4060 with 7.6 GB free" in text

    assert panel.ram_bar.format() == "RAM: 11.4 GB free of 15.5 GB"
    assert [bar.format() for bar in panel.vram_bars] == ["NVIDIA GeForce RTX 4060: 7.6 GB free of 8.0 GB"]
    gpu_row = panel.gpu_list.topLevelItem(0)
    assert [gpu_row.text(i) for i in range(5)] == [
        "NVIDIA GeForce RTX 4060",
        "8.0 GB",
        "7.6 GB",
        "550.54.14",
        "yes",
    ]
    assert "6 cores, 12 threads" in panel.cpu_label.text()

    assert set(panel.pull_buttons) == {"chat_zh", "chat_en", "code", "fast", "embedding"}
    with qtbot.waitSignal(panel.pull_requested, timeout=2000) as blocker:  # type: ignore[attr-defined]
        qtbot.mouseClick(panel.pull_buttons["chat_zh"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert blocker.args == ["qwen2.5:7b-instruct-q6_K"]
    with qtbot.waitSignal(panel.pull_requested, timeout=2000) as blocker:  # type: ignore[attr-defined]
        qtbot.mouseClick(panel.pull_buttons["embedding"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert blocker.args == ["nomic-embed-text:v1.5"]


def test_panel_on_a_small_laptop_on_battery(qtbot: object) -> None:
    panel = HardwarePanel()
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    report = _report(LAPTOP)
    panel.set_report(report)
    assert report.num_ctx == 2048
    assert panel.highlighted_row() == 0
    assert panel.tier_table.item(0, 0).text() == "3B ◀ this computer"
    assert panel.gpu_list.topLevelItem(0).text(0) == "No GPU found"
    assert panel.vram_bars == []
    text = panel.explanation.text()
    assert "no GPU that Ollama can use" in text
    assert "On battery: the suggestions are one size smaller, with a 2048-token context" in text


def test_spill_warning(qtbot: object) -> None:
    panel = HardwarePanel()
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.set_report(_report(RTX_MACHINE))
    assert panel.loads_label.isHidden()
    checks = [
        check_loaded(RunningModel(name="qwen2.5:14b", size=10 * GIB, size_vram=7 * GIB)),
        check_loaded(RunningModel(name="qwen2.5:7b", size=6 * GIB, size_vram=6 * GIB)),
    ]
    panel.set_load_checks(checks)
    assert not panel.loads_label.isHidden()
    assert panel.loads_label.text() == (
        "qwen2.5:14b spilled to the CPU: 7.0 GB of 10.0 GB is on the GPU, the rest runs on the CPU, "
        "so replies are slower. A smaller model or a shorter context would fit."
    )
    panel.set_load_checks([checks[1]])
    assert panel.loads_label.isHidden()


def test_controller_probes_off_the_ui_thread(qtbot: object, qloop: asyncio.AbstractEventLoop) -> None:
    probe_threads: list[threading.Thread] = []

    def slow_probe() -> Machine:
        probe_threads.append(threading.current_thread())
        time.sleep(0.8)  # like a slow nvidia-smi
        return RTX_MACHINE

    controller = HardwareController(probe_fn=slow_probe)
    panel = HardwarePanel(controller)
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    busy: list[bool] = []
    controller.busy_changed.connect(busy.append)
    with qtbot.waitSignal(controller.report_ready, timeout=10_000) as blocker:  # type: ignore[attr-defined]
        controller.refresh()
        assert not panel.refresh_button.isEnabled()
        assert panel.status_label.text() == "Checking this computer…"
        controller.refresh()  # a second request while busy is ignored
    timer.stop()
    assert probe_threads and probe_threads[0] is not threading.main_thread()
    assert len(probe_threads) == 1
    # The UI kept running while the probe slept: the timer fired many times, without long gaps.
    assert len(ticks) >= 15
    assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 0.4
    assert busy == [True, False]
    report = blocker.args[0]
    assert report.tier.label == "7B"
    assert panel.report is report and panel.highlighted_row() == 1
    assert panel.refresh_button.isEnabled()
    assert catalog_module.current_machine() is RTX_MACHINE  # the catalog's verdicts follow
    installed = controller.verdict_for_installed(ModelInfo(name="qwen2.5:14b", size=8_988_124_069))
    assert installed is not None and installed.kind.value == "partial"

    with qtbot.waitSignal(controller.loads_checked, timeout=2000) as checked:  # type: ignore[attr-defined]
        controller.set_running([RunningModel(name="qwen2.5:14b", size=10 * GIB, size_vram=7 * GIB)])
    (check,) = checked.args[0]
    assert check.spilled and "The estimate was about 9.9 GB" in check.message
    assert "qwen2.5:14b spilled to the CPU" in panel.loads_label.text()


def test_controller_failure_is_a_plain_message(qtbot: object, qloop: asyncio.AbstractEventLoop) -> None:
    def broken() -> Machine:
        raise RuntimeError("driver exploded")

    controller = HardwareController(probe_fn=broken)
    panel = HardwarePanel(controller)
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    with qtbot.waitSignal(controller.probe_failed, timeout=10_000) as blocker:  # type: ignore[attr-defined]
        controller.refresh()
    assert blocker.args == ["This computer's hardware could not be checked. The suggestions are unavailable."]
    assert panel.status_label.text() == blocker.args[0]
    assert panel.refresh_button.isEnabled()
    assert controller.report is None


TWO_CORES = Machine(
    memory=Memory(total=int(23.5 * GIB), available=int(22 * GIB), host_total=int(23.5 * GIB)),
    cpu=Cpu(model="AMD EPYC", cores=2, threads=2),
    os="Linux",
)


def test_two_core_machine_advice_agrees_with_itself(qtbot: object, tmp_path: object) -> None:
    from pathlib import Path

    from desktop.core.disk import free_bytes

    report = build_report(TWO_CORES, load_catalog(), models_folder=Path(str(tmp_path)))
    panel = HardwarePanel()
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.resize(800, 600)
    panel.set_report(report)
    panel.show()
    qtbot.waitExposed(panel)  # type: ignore[attr-defined]

    assert panel.tier_table.item(1, 0).text() == "7B ◀ this computer"
    assert "13B" not in panel.explanation.text().split("It suits")[1][:12]
    assert "so the suggestions are smaller models that reach at least 8 tokens/s" in panel.explanation.text()
    section = panel.suggestions_box
    assert "answers at 8 tokens/s or more" in section.intro.text()
    for use, label in section.verdicts.items():
        assert label.isVisible() and label.height() > 0
        # Fast enough on the CPU is its own verdict, not "CPU only (slow)".
        assert label.text().startswith("Runs on the CPU, about "), (use, label.text())
    zh = section.details["chat_zh"].text()
    assert "qwen2.5:7b also fits, slow: about 2.3 tokens/s." in zh
    assert zh.startswith("Download 986 MB; needs 1.5 GB of disk and 1.3 GB of memory")
    assert "qwen2.5:14b" not in zh and "qwen2.5:14b" not in section.verdicts["chat_zh"].text()

    table = panel.requirements_box.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Processor"] == "2 cores: below the minimum"
    assert rows["Memory"] == "23.5 GB: meets the minimum"
    assert rows["Graphics"] == "none that models can use: meets the minimum"
    assert free_bytes(Path(str(tmp_path))) is not None
    # The free figure itself moves while others write; its form does not.
    disk_form = r"[\d.]+ [KMGT]?B free( on an SSD| on a spinning disk)?: .+"
    assert re.fullmatch(disk_form, rows["Disk (models folder)"])
    assert [table.item(r, 2).text() for r in range(4)] == ["4 cores", "8 GB", "none needed", "10 GB free"]
    disk = panel.requirements_box.disk_label
    assert disk.isVisible() and "needs about" in disk.text() and "of disk space" in disk.text()


def test_nothing_wraps_a_word_a_line_or_runs_off_at_800x600(qtbot: object) -> None:
    from PySide6.QtWidgets import QLabel, QTableWidget

    panel = HardwarePanel()
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    # The page beside a collapsed sidebar in an 800x600 window.
    panel.resize(760, 560)
    panel.set_report(_report(TWO_CORES))
    panel.show()
    qtbot.waitExposed(panel)  # type: ignore[attr-defined]
    qtbot.wait(50)  # type: ignore[attr-defined]
    body = panel.findChild(QLabel, "hardwareExplanation").parentWidget().parentWidget()
    assert body.width() <= panel.width()
    for label in panel.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        right = label.mapTo(body, label.rect().topRight()).x()
        assert right <= body.width(), label.text()
        if label.wordWrap() and len(label.text()) > 40:
            # One word a line would be a label a few dozen pixels wide.
            assert label.width() >= 250, (label.text(), label.width())
    for table in panel.findChildren(QTableWidget):
        assert not table.horizontalScrollBar().isVisible()
        assert table.height() >= table.horizontalHeader().height() + sum(
            table.rowHeight(r) for r in range(table.rowCount())
        )
    # The highlighted row is drawn: its pale blue shows in the grab where the table is.
    image = panel.tier_table.viewport().grab().toImage()
    rect = panel.tier_table.visualItemRect(panel.tier_table.item(1, 2))
    colours = {
        image.pixelColor(x, y).name()
        for x in range(rect.left() + 1, rect.right())
        for y in range(rect.top() + 1, rect.bottom())
    }
    assert theme.colours().row_highlight in colours  # the row's background
    assert len(colours) > 3  # and text drawn on it


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_no_clipped_text_at_800x600(qtbot: object, language: str) -> None:
    from PySide6.QtCore import QCoreApplication, QTranslator
    from PySide6.QtWidgets import QAbstractButton, QLabel

    from desktop.paths import resource_path

    translator = QTranslator()
    if language != "en":
        assert translator.load(str(resource_path("translations", f"ollama_desk_{language}.qm")))
        QCoreApplication.installTranslator(translator)
    try:
        panel = HardwarePanel()
        qtbot.addWidget(panel)  # type: ignore[attr-defined]
        panel.resize(760, 560)
        panel.set_report(_report(TWO_CORES))
        panel.show()
        qtbot.waitExposed(panel)  # type: ignore[attr-defined]
        qtbot.wait(50)  # type: ignore[attr-defined]
        if language != "en":
            assert panel.tier_table.item(1, 0).text() == "7B ◀ 本机"
            assert "每秒" in panel.suggestions_box.verdicts["chat_zh"].text()
        for label in panel.findChildren(QLabel):
            if label.isVisible() and label.text() and not label.wordWrap():
                needed = label.fontMetrics().horizontalAdvance(label.text().split("\n")[0])
                assert needed <= label.contentsRect().width() + 1, (label.text(), needed, label.width())
        for button in panel.findChildren(QAbstractButton):
            if button.isVisible() and button.text():
                needed = button.fontMetrics().horizontalAdvance(button.text())
                assert needed < button.width(), (button.text(), needed, button.width())
        for table in (panel.tier_table, panel.requirements_box.table):
            for column in range(table.columnCount()):
                header = table.horizontalHeaderItem(column).text()
                needed = table.horizontalHeader().fontMetrics().horizontalAdvance(header)
                assert needed <= table.columnWidth(column), (header, needed, table.columnWidth(column))
    finally:
        QCoreApplication.removeTranslator(translator)


@pytest.mark.parametrize("name", ["light", "dark"])
def test_every_colour_drawn_is_readable_in_both_themes(qtbot: object, qapp: object, name: str) -> None:
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QLabel

    panel = HardwarePanel()
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.set_report(_report(RTX_MACHINE))
    panel.show()
    # The app's style, palette and style sheet as they were: later tests must not inherit the theme.
    app: Any = qapp
    style, palette, sheet = app.style().name(), QPalette(app.palette()), app.styleSheet()
    current = theme._current
    theme.apply(app, name)  # after the report: the page follows a switch
    try:
        qtbot.wait(20)  # type: ignore[attr-defined]
        c = theme.colours()
        for table in (panel.tier_table, panel.requirements_box.table):
            for r in range(table.rowCount()):
                for col in range(table.columnCount()):
                    item = table.item(r, col)
                    fg = item.foreground()
                    if fg.style() == Qt.BrushStyle.NoBrush:
                        continue  # the palette's text colour
                    bg = item.background()
                    back = bg.color().name() if bg.style() != Qt.BrushStyle.NoBrush else c.base
                    ratio = theme.contrast_ratio(fg.color().name(), back)
                    assert ratio >= 4.5, (item.text(), fg.color().name(), back, ratio)
        # The "this computer" row: the theme's pair, not white on pale blue.
        row = panel.tier_table.item(1, 4)
        assert (row.background().color().name(), row.foreground().color().name()) == (
            c.row_highlight,
            c.row_highlight_text,
        )
        for label in panel.suggestions_box.verdicts.values():
            colour = label.styleSheet().removeprefix("color: ")
            assert theme.contrast_ratio(colour, c.window) >= 4.5
        assert isinstance(panel.suggestions_box.verdicts["chat_zh"], QLabel)
    finally:
        app.setStyle(style)
        app.setPalette(palette)
        app.setStyleSheet(sheet)
        theme._current = current
