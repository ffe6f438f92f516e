"""The Models page makes another quantization with the real engine: Quantize…, q8_0, the new model
listed with its level."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.core.ollama import OllamaClient, Timeouts
from desktop.ui.controllers.models_controller import ModelsController
from desktop.ui.widgets.model_manager import ModelManagerPage
from desktop.ui.widgets.quantize_dialog import QuantizeDialog, default_name
from tests.support.engine import EngineProcess, start_engine

pytestmark = pytest.mark.engine
MODEL = "smollm2:135m"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    process = start_engine(tmp_path_factory.mktemp("quantize-ui-engine"))
    try:
        yield process
    finally:
        process.stop()


def _run(qtbot: Any, loop: asyncio.AbstractEventLoop, coro: Any) -> Any:
    task = asyncio.ensure_future(coro, loop=loop)
    qtbot.waitUntil(task.done, timeout=20000)
    return task.result()


def test_quantize_from_the_models_page(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, engine: EngineProcess, tmp_path: Path
) -> None:
    client = OllamaClient(engine.url, timeouts=Timeouts(first_token=120, idle=120))
    controller = ModelsController(client, embedded=True, pending_path=tmp_path / "pending.json")
    page = ModelManagerPage(controller)
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    try:
        controller.refresh()
        qtbot.waitUntil(lambda: page.installed.select(MODEL), timeout=20000)
        assert page.installed.quantize_button.isEnabled()
        qtbot.mouseClick(page.installed.quantize_button, Qt.MouseButton.LeftButton)
        dialog = page.dialog
        assert isinstance(dialog, QuantizeDialog) and dialog.isVisible()
        assert "Q4_1" in dialog.findChildren(type(dialog.status))[0].text()  # the intro names its level
        dialog.kind.setCurrentText("q4_0")
        assert dialog.name.text() == default_name(MODEL, "q4_0") == "smollm2:135m-q4_0"
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=120000)
        assert "Made smollm2:135m-q4_0." in page.status_label.text()
        qtbot.waitUntil(lambda: any(m.name == "smollm2:135m-q4_0" for m in controller.models), timeout=20000)
        made = next(m for m in controller.models if m.name == "smollm2:135m-q4_0")
        assert made.details.quantization_level == "Q4_0"
        assert page.installed.select("smollm2:135m-q4_0")
    finally:
        _run(qtbot, qloop, controller.aclose())
        _run(qtbot, qloop, client.aclose())
        page.close()
