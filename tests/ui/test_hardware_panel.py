"""The hardware panel fed with fixed reports (no real probe), and its controller on the qasync loop."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer

from desktop.core import catalog as catalog_module
from desktop.core.catalog import load_catalog
from desktop.core.hardware.machine import GIB, MIB, Battery, Cpu, Gpu, Machine, Memory
from desktop.core.hardware.recommend import check_loaded
from desktop.core.hardware.report import HardwareReport, build_report
from desktop.core.ollama.types import ModelInfo, RunningModel
from desktop.ui.controllers.hardware_controller import HardwareController
from desktop.ui.widgets.hardware_panel import HIGHLIGHT, HardwarePanel

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
    assert table.item(1, 0).background().color().name() == HIGHLIGHT
    assert table.item(0, 0).background().style() == Qt.BrushStyle.NoBrush
    assert table.item(1, 0).font().bold() and not table.item(2, 0).font().bold()
    assert table.item(2, 4).text() == "Partly on GPU"
    assert table.item(3, 4).text() == "Too large"
    assert table.item(1, 2).text() == "llama3.1:8b"

    text = panel.explanation.text()
    assert "It suits 7B models." in text
    assert "13B needs about 9.9 GB; your GPU has 7.6 GB free, so part of it would run on the CPU" in text
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
