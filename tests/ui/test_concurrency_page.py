"""The Concurrency settings page: what it shows and what it saves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from desktop.core.settings import Settings
from desktop.core.store import Store
from desktop.ui.settings.concurrency_page import ConcurrencyPage
from desktop.ui.settings_dialog import SettingsDialog


@pytest.fixture(autouse=True)
def _loop(event_loop_qt: Any) -> None:
    """The dialog's controller runs work on the loop."""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "desk.sqlite3")
    yield s
    s.close()


def page_of(dialog: SettingsDialog) -> ConcurrencyPage:
    for index in range(dialog.tabs.count()):
        widget = dialog.tabs.widget(index)
        if isinstance(widget, ConcurrencyPage):
            assert dialog.tabs.tabText(index) == "Concurrency"
            return widget
    raise AssertionError("no Concurrency page")


def test_the_page_shows_costs_saves_choices_and_says_where_the_gpu_is(
    store: Store, qtbot: Any, tmp_path: Path
) -> None:
    dialog = SettingsDialog(store, store=store, data_folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.resize(640, 480)
    dialog.show()
    page = page_of(dialog)
    dialog.tabs.setCurrentWidget(page)
    qtbot.waitExposed(dialog)
    assert page.parallel_combo.currentText() == "Automatic (from free memory)"
    assert "0.5 GB for an 8B model at 4,096 tokens" in page.parallel_cost.text()
    assert page.hardware_note.text().startswith(
        "The built-in engine runs models on the CPU; Ollama uses your GPU."
    )
    page.parallel_combo.setCurrentIndex(page.parallel_combo.findData("4"))
    assert "4 requests keep about 2.1 GB of context memory" in page.parallel_cost.text()
    page.loaded_combo.setCurrentIndex(page.loaded_combo.findData("2"))
    assert "about 9.8 GB for 8B models" in page.loaded_cost.text()
    page.keep_combo.setCurrentIndex(page.keep_combo.findData("30m"))
    values = Settings.of(store).current
    assert (values.engine_num_parallel, values.engine_max_loaded_models, values.engine_keep_alive) == (
        "4",
        "2",
        "30m",
    )
    # What the user sees: every note is on screen, wrapped inside the page.
    for label in page.findChildren(QLabel):
        if label.property("role") == "hint":
            assert label.isVisible() and label.height() > 0 and label.width() <= page.width()
    shot = tmp_path / "concurrency.png"
    assert dialog.grab().save(str(shot))
    reopened = SettingsDialog(store, store=store, data_folder=tmp_path)
    qtbot.addWidget(reopened)
    assert page_of(reopened).parallel_combo.currentData() == "4"
