"""Model manager widgets without the engine: stalls over the fault server, memory split, catalog."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.types import ModelDetails, ModelInfo, RunningModel
from desktop.ui.controllers.models_controller import ModelsController
from desktop.ui.widgets.catalog_browser import CatalogBrowser, CatalogRow
from desktop.ui.widgets.installed_models import SORT_ROLE, InstalledModelsModel
from desktop.ui.widgets.model_manager import ModelManagerPage
from desktop.ui.widgets.running_models import RunningRow, seconds_until
from tests.support.fault_server import FaultServer
from tests.ui.test_model_manager import run

FIXTURES = Path(__file__).parents[1] / "core" / "fixtures" / "pulls"


def fixture_lines(name: str) -> list[dict[str, Any]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def fault_controller(
    qtbot: Any,
    qloop: asyncio.AbstractEventLoop,
    fault_server: FaultServer,
    tmp_path: Path,
) -> Iterator[ModelsController]:
    fault_server.route("GET", "/api/tags", body={"models": []})
    fault_server.route("GET", "/api/ps", body={"models": []})
    client = OllamaClient(fault_server.url)
    controller = ModelsController(
        client, stall_after=0.6, retry_delay=0.05, pending_path=tmp_path / "pending.json"
    )
    try:
        yield controller
    finally:
        run(qtbot, qloop, controller.aclose())
        run(qtbot, qloop, client.aclose())


def test_a_stalled_pull_is_shown_as_stalled_then_retried_to_success(
    qtbot: Any, fault_controller: ModelsController, fault_server: FaultServer
) -> None:
    lines = fixture_lines("resumed.ndjson")
    fault_server.route("POST", "/api/pull", lines=lines, stall_after=5, once=True)
    fault_server.route("POST", "/api/pull", lines=lines, delay=0.01)
    page = ModelManagerPage(fault_controller)
    qtbot.addWidget(page)
    page.show()
    assert page.pull("slow:1")
    row = page.downloads.rows["slow:1"]
    qtbot.waitUntil(lambda: row.state_label.text() == "Stalled, retrying", timeout=10000)
    assert "trying again" in row.figures_label.text()
    assert row.cancel_button.isVisible()
    with qtbot.waitSignal(fault_controller.pull_finished, timeout=10000) as finished:
        pass
    assert finished.args == ["slow:1", True]
    assert row.state_label.text() == "Installed"
    assert row.snapshot is not None and row.snapshot.attempts == 2
    assert len([r for r in fault_server.requests if r.route_path == "/api/pull"]) == 2


def test_failed_pull_row_offers_retry_and_dismiss(
    qtbot: Any, fault_controller: ModelsController, fault_server: FaultServer
) -> None:
    fault_server.route("POST", "/api/pull", lines=fixture_lines("error_midway.ndjson"), once=True)
    fault_server.route("POST", "/api/pull", lines=fixture_lines("cached.ndjson"))
    page = ModelManagerPage(fault_controller)
    qtbot.addWidget(page)
    with qtbot.waitSignal(fault_controller.pull_finished, timeout=10000) as finished:
        page.pull("flaky:1")
    assert finished.args == ["flaky:1", False]
    row = page.downloads.rows["flaky:1"]
    assert row.error_label.text().startswith("max retries exceeded")
    assert not row.retry_button.isHidden() and not row.dismiss_button.isHidden()
    assert row.cancel_button.isHidden()
    with qtbot.waitSignal(fault_controller.pull_finished, timeout=10000) as finished:
        row.retry_button.click()
    assert finished.args == ["flaky:1", True]
    row.dismiss_button.click()
    assert "flaky:1" not in page.downloads.rows
    assert fault_controller.pulls() == []


def test_models_changed_reaches_listeners_once_per_change(
    qtbot: Any, fault_controller: ModelsController, fault_server: FaultServer
) -> None:
    model = {
        "name": "a:1",
        "model": "a:1",
        "size": 5,
        "digest": "d" * 64,
        "modified_at": "2026-11-01T10:00:00Z",
        "details": {"family": "llama", "parameter_size": "1B", "quantization_level": "Q4_0"},
        "capabilities": ["completion", "tools"],
    }
    fault_server.route("GET", "/api/tags", body={"models": [model]})
    seen: list[list[ModelInfo]] = []
    fault_controller.models_changed.connect(seen.append)
    with qtbot.waitSignal(fault_controller.models_changed, timeout=5000):
        fault_controller.refresh()
    fault_controller.refresh()  # the same list again: no signal
    qtbot.wait(300)
    assert [[m.name for m in models] for models in seen] == [["a:1"]]
    assert seen[0][0].capabilities == ("completion", "tools")


def test_server_down_gives_a_plain_message(
    qtbot: Any,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
) -> None:
    client = OllamaClient("http://127.0.0.1:9")
    controller = ModelsController(client, pending_path=tmp_path / "p.json")
    page = ModelManagerPage(controller)
    qtbot.addWidget(page)
    with qtbot.waitSignal(controller.operation_failed, timeout=10000) as failed:
        controller.refresh()
    assert failed.args[0].startswith("Could not read the list of installed models.")
    assert "Traceback" not in failed.args[0]
    assert page.status_label.text() == failed.args[0]
    # The server comes up (the app switches to the engine): the stale error goes away.
    fault = FaultServer()
    try:
        fault.route("GET", "/api/tags", body={"models": []})
        fault.route("GET", "/api/ps", body={"models": []})
        other = OllamaClient(fault.url)
        with qtbot.waitSignal(controller.refreshed, timeout=10000):
            controller.set_client(other, embedded=True)
        assert page.status_label.text() == ""
        run(qtbot, qloop, controller.aclose())
        run(qtbot, qloop, other.aclose())
    finally:
        fault.close()
    run(qtbot, qloop, client.aclose())


def test_running_row_warns_when_part_of_the_model_runs_on_the_cpu(qtbot: Any) -> None:
    soon = (datetime.now(timezone.utc) + timedelta(minutes=4, seconds=30)).isoformat().replace("+00:00", "Z")
    spilled = RunningModel(
        "big:13b", size=10_000_000_000, size_vram=6_000_000_000, expires_at=soon, context_length=4096
    )
    row = RunningRow(spilled)
    qtbot.addWidget(row)
    assert "6.0 GB on the GPU, 4.0 GB in system RAM" in row.memory_label.text()
    assert "40% of this model runs on the CPU" in row.warning_label.text()
    assert not row.warning_label.isHidden()
    assert row.expiry_label.text().startswith("Unloads in 4 min")
    forever = "2318-01-01T00:00:00Z"
    on_gpu = RunningModel("small:1b", size=2_000_000_000, size_vram=2_000_000_000, expires_at=forever)
    row.set_model(on_gpu)
    assert row.warning_label.isHidden()
    assert "all on the GPU" in row.memory_label.text()
    assert row.expiry_label.text() == "Stays loaded until you unload it"
    assert not row.keep_button.isEnabled()


def test_go_timestamps_with_nanoseconds_parse() -> None:
    now = datetime(2026, 11, 22, 12, 0, 0, tzinfo=timezone.utc)
    assert seconds_until("2026-11-22T12:05:00.123456789Z", now) == pytest.approx(300.123456)
    assert seconds_until("2026-11-22T13:05:00.5+01:00", now) == pytest.approx(300.5)
    assert seconds_until("garbage", now) is None


def test_installed_table_sorts_sizes_and_parameters_numerically(qtbot: Any) -> None:
    table = InstalledModelsModel()
    table.set_models(
        [
            ModelInfo("a", 9_000_000_000, details=ModelDetails(parameter_size="13B")),
            ModelInfo("b", 800_000_000, details=ModelDetails(parameter_size="135M")),
        ]
    )
    assert table.index(0, 1).data(SORT_ROLE) > table.index(1, 1).data(SORT_ROLE)
    assert table.index(0, 2).data(SORT_ROLE) == 13e9 and table.index(1, 2).data(SORT_ROLE) == 135e6
    assert table.index(1, 1).data() == "800 MB"


def catalog_rows() -> list[CatalogRow]:
    return [
        CatalogRow("qwen2.5", "qwen2.5:7b", 4_700_000_000, "Q4_K_M", "7.6B", 32768, ("completion", "tools"),
                   "Strong Chinese and English chat", "gpu", "Needs about 5.9 GB; fits your 8 GB GPU."),
        CatalogRow("qwen2.5", "qwen2.5:72b", 47_000_000_000, "Q4_K_M", "72B", 32768, ("completion", "tools"),
                   "Strong Chinese and English chat", "too_large", "Needs about 49 GB; you have 16 GB."),
        CatalogRow("llava", "llava:7b", 4_700_000_000, "Q4_0", "7B", 4096, ("completion", "vision"),
                   "Understands images", "partial", ""),
        CatalogRow("nomic-embed-text", "nomic-embed-text:latest", 274_000_000, "F16", "137M", 8192,
                   ("embedding",), "Text embeddings for search", "gpu", ""),
    ]  # fmt: skip


def test_catalog_search_filters_and_pull_request(qtbot: Any) -> None:
    browser = CatalogBrowser(catalog_rows(), date="2026-11-01")
    qtbot.addWidget(browser)
    tree = browser.tree

    def tags() -> list[str]:
        found = []
        for i in range(tree.topLevelItemCount()):
            parent = tree.topLevelItem(i)
            found += [parent.child(j).text(0) for j in range(parent.childCount())]
        return found

    assert len(tags()) == 4
    assert "2026-11-01" in browser.date_label.text()
    browser.search_edit.setText("chinese")
    assert tags() == ["qwen2.5:7b", "qwen2.5:72b"]
    browser.fits_check.setChecked(True)
    assert tags() == ["qwen2.5:7b"]
    browser.search_edit.clear()
    browser.fits_check.setChecked(False)
    browser.capability_combo.setCurrentIndex(browser.capability_combo.findData("vision"))
    assert tags() == ["llava:7b"]
    browser.capability_combo.setCurrentIndex(0)
    assert browser.download_size("qwen2.5:7b") == 4_700_000_000
    # The verdict column shows the hardware verdict in words, with the reasoning as a tooltip.
    qwen = tree.topLevelItem(0)
    assert qwen.child(0).text(4) == "Runs on your GPU"
    assert qwen.child(0).toolTip(4).startswith("Needs about 5.9 GB")
    assert qwen.child(1).toolTip(4) == "Needs about 49 GB; you have 16 GB."  # the sizing's sentence
    assert qwen.child(1).text(4) == "Too large"
    tree.setCurrentItem(qwen.child(0))
    with qtbot.waitSignal(browser.pull_requested) as pulled:
        browser.pull_button.click()
    assert pulled.args == ["qwen2.5:7b", 4_700_000_000]
    # Group rows are not pullable.
    tree.setCurrentItem(qwen)
    assert not browser.pull_button.isEnabled()


def test_catalog_pull_goes_through_the_free_space_check(
    qtbot: Any, fault_controller: ModelsController
) -> None:
    page = ModelManagerPage(fault_controller)
    qtbot.addWidget(page)
    assert page.catalog is not None
    page._on_catalog_pull("huge:1", 10**18)  # what the browser emits
    assert page.tabs.currentIndex() == page.downloads_index
    assert not page.downloads.space_banner.isHidden()
    qtbot.mouseClick(page.downloads.space_anyway, Qt.MouseButton.LeftButton)
    assert page.downloads.space_banner.isHidden()
    assert [s.model for s in fault_controller.pulls()] == ["huge:1"]  # queued after "Pull anyway"


def test_the_bundled_catalog_with_hardware_verdicts(qtbot: Any) -> None:
    from desktop.core import catalog
    from desktop.core.hardware.probe import probe

    catalog.set_machine(None)
    try:
        browser = CatalogBrowser()
        qtbot.addWidget(browser)
        assert len(browser.rows) >= 50
        assert not browser.fits_check.isEnabled(), "no verdicts before the hardware check"
        assert browser.download_size("qwen2.5:7b") > 4_000_000_000
        # A 16 GB laptop with an 8 GB GPU, as the hardware panel would hand it over.
        catalog.set_machine(probe(ram=16 * 2**30, vram=8 * 2**30))
        browser.show()
        assert browser.fits_check.isEnabled()
        verdicts = {row.tag: row.verdict for row in browser.rows}
        assert verdicts["llama3.1:70b"] == "too_large"
        assert verdicts["qwen2.5:0.5b"] == "gpu"
        browser.search_edit.setText("qwen2.5")
        browser.fits_check.setChecked(True)
        shown = {row.tag for row in browser.rows if browser.matches(row)}
        assert "qwen2.5:7b" in shown and "qwen2.5:72b" not in shown
        row = next(r for r in browser.rows if r.tag == "llama3.1:70b")
        assert browser.verdict_tooltip(row).startswith("Needs about")
    finally:
        catalog.set_machine(None)


def test_model_buttons_are_enabled_only_with_a_model_selected_on_screen(qtbot: Any) -> None:
    from desktop.ui.widgets.installed_models import InstalledModelsPanel

    panel = InstalledModelsPanel({"completion": "chat"})
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    buttons = (panel.details_button, panel.copy_button, panel.rename_button, panel.delete_button)
    models = [ModelInfo("smollm2:135m", 100), ModelInfo("qwen2.5:7b", 200)]
    panel.set_models(models)
    assert panel.table.isVisible() and panel.proxy.rowCount() == 2
    assert not any(b.isEnabled() for b in buttons)  # nothing selected yet
    panel.table.selectRow(0)
    assert all(b.isEnabled() for b in buttons)
    # Filtered off screen: nothing is selected any more, and the buttons say so.
    panel.filter_edit.setText("no such model")
    assert panel.proxy.rowCount() == 0 and panel.selected_model() is None
    assert not any(b.isEnabled() for b in buttons)
    panel.filter_edit.clear()
    assert panel.proxy.rowCount() == 2
    assert all(b.isEnabled() == panel.table.selectionModel().hasSelection() for b in buttons)
    # A refresh that drops the selected model: disabled too.
    panel.table.selectRow(0)
    gone = panel.selected_model()
    assert gone is not None
    panel.set_models([m for m in models if m.name != gone.name])
    assert panel.selected_model() is None and not any(b.isEnabled() for b in buttons)
