"""The window from its minimum (720x500) to 1920x1080, in English and Chinese: nothing clipped or overlapping,
the conversation list folded away below 900 px and back above it."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.core.store import Store
from desktop.ui import i18n, theme
from desktop.ui.main_window import MINIMUM_SIZE, SIDEBAR_COLLAPSE_WIDTH, MainWindow
from desktop.ui.shortcuts import ShortcutsDialog
from tests.support.fault_server import FaultServer
from tests.ui.layout_check import problems
from tests.ui.test_main_window_keys import MODEL, send, serve


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    before = set(qapp.findChildren(QTranslator))
    assert i18n.install(qapp, request.param) == request.param
    try:
        yield request.param
    finally:
        for translator in set(qapp.findChildren(QTranslator)) - before:
            qapp.removeTranslator(translator)
            translator.deleteLater()
        QLocale.setDefault(QLocale(QLocale.Language.English))


@pytest.fixture
def desk(
    qtbot: Any,
    qloop: asyncio.AbstractEventLoop,
    fault_server: FaultServer,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
) -> Iterator[Any]:
    from desktop.app import Desk

    serve(fault_server)
    monkeypatch.setenv("OLLAMA_HOST", fault_server.url)
    monkeypatch.setenv("PATH", "/nonexistent")
    store = Store.open_default()
    store.set_setting("welcome.shown", True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app, "light")
    desk = Desk(app, store, [])
    desk.start(argparse.Namespace(quick_ask=None))
    qtbot.waitUntil(lambda: desk.page.model_picker.findData(MODEL) >= 0, timeout=10000)
    try:
        yield desk
    finally:
        task = asyncio.ensure_future(desk.aclose(), loop=qloop)
        qtbot.waitUntil(task.done, timeout=10000)
        desk.window.close()
        desk.window.deleteLater()
        app.setStyleSheet("")


def pages(desk: Any) -> list[QWidget]:
    return [desk.window.chat_splitter, desk.models_page, desk.hardware_panel]


QUESTION = {
    "en": "A rather long first question about the capital city of Germany and its rivers",
    "zh_CN": "请详细介绍一下德国首都柏林的历史、河流以及值得参观的博物馆",
}


@pytest.mark.parametrize("size", [(720, 500), (800, 600), (900, 600), (1280, 800), (1920, 1080)])
def test_no_text_is_clipped_or_overlapping(
    qtbot: Any, desk: Any, language: str, size: tuple[int, int]
) -> None:
    send(qtbot, desk, QUESTION[language])
    window = desk.window
    window.resize(*size)
    for page in pages(desk):
        window.show_page(page)
        qtbot.waitUntil(page.isVisible)
        qtbot.wait(30)
        assert problems(window) == [], type(page).__name__
    # Every tab of the Models page: installed, in memory, downloads, catalog.
    window.show_page(desk.models_page)
    tabs = desk.models_page.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        qtbot.waitUntil(tabs.currentWidget().isVisible)
        qtbot.wait(30)
        assert problems(window) == [], tabs.tabText(index)


def test_a_long_conversation_title_fits_the_header(qtbot: Any, desk: Any, language: str) -> None:
    send(qtbot, desk, QUESTION[language])
    window = desk.window
    window.resize(800, 600)
    qtbot.wait(30)
    assert problems(window) == []
    # With the conversation list brought back at the narrow width too.
    window.toggle_sidebar()
    qtbot.waitUntil(window.sidebar.isVisible)
    assert window.sidebar.width() >= 200
    assert problems(window) == []


def test_the_sheet_fits(qtbot: Any, desk: Any) -> None:
    sheet = ShortcutsDialog("Ctrl+Alt+Space", desk.window)
    qtbot.addWidget(sheet)
    sheet.show()
    qtbot.waitExposed(sheet)
    assert problems(sheet) == []
    # Every row readable without scrolling.
    assert sheet.table.verticalScrollBar().maximum() == 0


def test_the_window_has_a_minimum_size_and_folds_the_list(qtbot: Any) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.resize(400, 300)
    qtbot.wait(20)
    assert window.width() >= MINIMUM_SIZE.width() and window.height() >= MINIMUM_SIZE.height()
    window.resize(SIDEBAR_COLLAPSE_WIDTH - 100, 600)
    qtbot.waitUntil(lambda: not window.sidebar.isVisible())
    assert window.chat_page.isVisible() and window.chat_page.width() > 500
    window.resize(1280, 800)
    qtbot.waitUntil(window.sidebar.isVisible)
    assert window.sidebar.width() >= 200
    # Hidden by the user at a wide width, it stays hidden across a narrow and wide resize.
    window.toggle_sidebar()
    window.resize(800, 600)
    window.resize(1280, 800)
    qtbot.wait(20)
    assert not window.sidebar.isVisible()


def test_the_checker_sees_clipped_and_overlapping_text(qtbot: Any) -> None:
    # The layout test is only as good as its checker: a cut label, a cut button, an overlap.
    root = QWidget()
    qtbot.addWidget(root)
    root.resize(300, 100)
    cut = QLabel("A sentence far too long for the few pixels it was given", root)
    cut.setGeometry(0, 0, 60, 20)
    button = QPushButton("Download the model", root)
    button.setGeometry(0, 30, 50, 30)
    over = QLabel("over", root)
    over.setGeometry(20, 35, 60, 20)
    fine = QWidget(root)
    fine.setGeometry(100, 0, 200, 40)
    row = QHBoxLayout(fine)
    row.addWidget(QLabel("Fits"))
    root.show()
    qtbot.waitExposed(root)
    found = "\n".join(problems(root))
    assert "A sentence far" in found and "Download the model" in found and "overlaps" in found
    assert "Fits" not in found


def test_quick_ask_fits_with_an_answer(qtbot: Any, desk: Any) -> None:
    popup = desk.tray.quick_ask
    popup.open("Which city is the capital of Germany?")
    qtbot.waitExposed(popup)
    assert problems(popup) == []
    popup.ask()
    qtbot.waitUntil(lambda: not popup.controller.busy and bool(popup.controller.answer), timeout=10000)
    # The last render follows the end of the stream by up to one frame (33 ms).
    qtbot.waitUntil(lambda: "Berlin is the capital." in popup.answer_view.toPlainText())
    qtbot.waitUntil(popup.copy_button.isEnabled)
    assert problems(popup) == []
    popup.hide()


def test_settings_and_welcome_fit(qtbot: Any, desk: Any) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QStackedWidget

    from desktop.ui.welcome import WelcomeDialog

    found: list[tuple[int, list[str]]] = []

    def check_pages() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(30, check_pages)
            return
        for stack in dialog.findChildren(QStackedWidget):
            for index in range(stack.count()):
                stack.setCurrentIndex(index)
                qtbot.wait(30)
                found.append((index, problems(dialog)))
        dialog.reject()

    QTimer.singleShot(30, check_pages)
    desk.window.settings_action.trigger()  # modal: returns once check_pages closed it
    assert len(found) >= 4 and all(issues == [] for _i, issues in found), found
    welcome = WelcomeDialog(desk.store, parent=desk.window)
    welcome.show()
    qtbot.waitExposed(welcome)
    assert problems(welcome) == []
    welcome.close()


def test_a_button_brings_the_folded_list_back(qtbot: Any, desk: Any) -> None:
    window = desk.window
    window.resize(800, 600)
    qtbot.waitUntil(lambda: not window.sidebar.isVisible())
    button = window.sidebar_button
    assert button.isVisible() and not button.isChecked()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.sidebar.isVisible)
    assert button.isChecked() and window.sidebar.width() >= 200
    assert problems(window) == []
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.sidebar.isVisible())
    # Only the chat has a conversation list to show.
    window.show_page(desk.models_page)
    assert not button.isVisible()
