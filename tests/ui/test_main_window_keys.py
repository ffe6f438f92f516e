"""Every key on the shortcut sheet, pressed on the real main window (the whole app against a
loopback server), and what it changes on screen."""

from __future__ import annotations

import argparse
import asyncio
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QTextDocumentFragment
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLabel, QMessageBox, QWidget

from desktop.core.store import Store
from desktop.ui.main_window import MainWindow
from desktop.ui.shortcuts import SHORTCUTS, ShortcutsDialog, sheet_rows
from tests.support.fault_server import FaultServer

MODEL = "tiny:latest"
# Safety nets only: each wait ends as soon as its condition holds; a loaded machine is slow.
WAIT = 20000
_watchers: list[list[int]] = []


@pytest.fixture(autouse=True)
def _no_watcher_outlives_its_test() -> Iterator[None]:
    yield
    for tries in _watchers:
        tries[0] = 0  # a late watcher would act on the next test's dialog
    _watchers.clear()


def chunk(text: str, done: bool = False) -> dict[str, Any]:
    line: dict[str, Any] = {
        "model": MODEL,
        "created_at": "2026-12-01T00:00:00Z",
        "message": {"role": "assistant", "content": text},
        "done": done,
    }
    if done:
        line.update(done_reason="stop", eval_count=2, eval_duration=10_000_000)
    return line


def serve(server: FaultServer, reply: str = "Berlin is the capital.") -> None:
    details = {"format": "gguf", "family": "llama", "parameter_size": "135M", "quantization_level": "Q4_1"}
    server.route("GET", "/api/version", body={"version": "0.33.0"})
    server.route("GET", "/", body="Ollama is running")
    server.route("GET", "/api/tags", body={"models": [{
        "name": MODEL, "model": MODEL, "size": 1000, "digest": "ab" * 32,
        "modified_at": "2026-12-01T00:00:00Z", "details": details}]})
    show = {"capabilities": ["completion"], "model_info": {}, "details": details}
    server.route("POST", "/api/show", body=show)
    server.route("GET", "/api/ps", body={"models": []})
    server.route("POST", "/api/chat", lines=[chunk(reply), chunk("", done=True)])


@pytest.fixture
def desk(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, fault_server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    from desktop.app import Desk

    serve(fault_server)
    monkeypatch.setenv("OLLAMA_HOST", fault_server.url)
    monkeypatch.setenv("PATH", "/nonexistent")
    store = Store.open_default()
    store.set_setting("welcome.shown", True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    desk = Desk(app, store, [])
    desk.start(argparse.Namespace(quick_ask=None))
    desk.window.resize(1280, 800)
    qtbot.waitUntil(lambda: desk.page.model_picker.findData(MODEL) >= 0, timeout=WAIT)
    desk.window.activateWindow()
    qtbot.waitUntil(desk.window.isActiveWindow, timeout=WAIT)
    try:
        yield desk
    finally:
        task = asyncio.ensure_future(desk.aclose(), loop=qloop)
        qtbot.waitUntil(task.done, timeout=10000)
        desk.window.close()
        desk.window.deleteLater()


def activate(window: QWidget) -> None:
    """Make `window` the active window again, as a window manager would."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            QApplication.setActiveWindow(window)
        QTest.qWait(10)
    assert QApplication.activeWindow() is window


def press(window: QWidget, keys: str) -> None:
    target = QApplication.focusWidget()
    if QApplication.activeWindow() is not window or target is None or target.window() is not window:
        # The offscreen platform gives the window back neither its activation nor its focus
        # after a dialog closes (a window manager would): a hidden dialog stays "active".
        window.activateWindow()
        # The focus window did not change, so Qt never told QApplication: set it directly
        # (deprecated for applications, still the only way to undo this platform's stale state).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            QApplication.setActiveWindow(window)
        QTest.qWait(10)
        assert QApplication.activeWindow() is window
        if target is None or target.window() is not window:
            window.chat_page.composer.setFocus()
        target = QApplication.focusWidget() or window
    QTest.keySequence(target, QKeySequence(keys))


def when_modal(qtbot: Any, act: Callable[[QWidget], None], seconds: float = 30) -> list[QWidget]:
    """Run `act` on the next modal dialog as soon as it is shown (a key opened it with exec())."""
    seen: list[QWidget] = []
    tries = [int(seconds * 1000 / 20)]
    _watchers.append(tries)

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            tries[0] -= 1
            if tries[0] > 0:  # never outlives its test
                QTimer.singleShot(20, poll)
            return
        seen.append(modal)
        act(modal)

    QTimer.singleShot(20, poll)
    return seen


def send(qtbot: Any, desk: Any, text: str) -> None:
    desk.page.composer.setPlainText(text)
    desk.page._on_send()
    qtbot.waitUntil(lambda: last_status(desk) == "complete", timeout=WAIT)


def last_status(desk: Any) -> str:
    conv = desk.chat.current
    messages = desk.store.messages(conv.id) if conv else []
    return messages[-1].status if messages and messages[-1].role == "assistant" else ""


def shown_reply(window: MainWindow) -> str:
    view = window.last_reply()
    return view.body.toPlainText() if view is not None else ""


def titles(desk: Any) -> list[str]:
    return [desk.sidebar.list.item(r).text() for r in range(desk.sidebar.list.count())]


def test_each_key_on_the_sheet_changes_what_is_shown(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    window, page, sidebar = desk.window, desk.page, desk.sidebar
    send(qtbot, desk, "Which city is the capital of Germany?")
    press(window, "Ctrl+N")
    qtbot.waitUntil(
        lambda: desk.chat.current is None or not desk.store.messages(desk.chat.current.id), timeout=WAIT
    )
    assert page.empty_label.isVisible()
    send(qtbot, desk, "Name a river in Berlin.")
    qtbot.waitUntil(lambda: len(titles(desk)) == 2, timeout=WAIT)
    assert page.title_label.text() == "Name a river in Berlin."

    # Next / previous conversation: the header shows the other one.
    press(window, "Ctrl+PgDown")
    qtbot.waitUntil(lambda: page.title_label.text() == "Which city is the capital of Germany?", timeout=WAIT)
    press(window, "Ctrl+PgUp")
    qtbot.waitUntil(lambda: page.title_label.text() == "Name a river in Berlin.", timeout=WAIT)

    # Copy the last reply: on the clipboard, and said in the status bar.
    QGuiApplication.clipboard().clear()
    press(window, "Ctrl+Shift+C")
    assert QGuiApplication.clipboard().text() == "Berlin is the capital."
    assert window.statusBar().currentMessage() == "Reply copied."

    # Regenerate: the model is asked again and the new reply replaces the old one on screen.
    asked = sum(1 for r in fault_server.requests if r.route_path == "/api/chat")
    fault_server.route("POST", "/api/chat", lines=[chunk("The Spree."), chunk("", done=True)])
    press(window, "Ctrl+R")
    qtbot.waitUntil(
        lambda: sum(1 for r in fault_server.requests if r.route_path == "/api/chat") == asked + 1,
        timeout=WAIT,
    )
    qtbot.waitUntil(lambda: "The Spree." in shown_reply(window), timeout=WAIT)

    # Rename (F2): a dialog with the title, and the list shows the new one.
    def rename(modal: QWidget) -> None:
        assert isinstance(modal, QInputDialog)
        assert modal.textValue() == "Name a river in Berlin."
        modal.setTextValue("Rivers")
        modal.accept()

    renamed = when_modal(qtbot, rename)
    press(window, "F2")
    qtbot.waitUntil(lambda: "Rivers" in titles(desk), timeout=WAIT)
    assert renamed and sidebar.list.currentItem().text() == "Rivers"

    # The conversation list folds away and comes back (Ctrl+B).
    assert sidebar.isVisible()
    press(window, "Ctrl+B")
    assert not sidebar.isVisible() and page.isVisible()
    press(window, "Ctrl+B")
    assert sidebar.isVisible() and sidebar.width() >= 200

    # Search (Ctrl+K, Ctrl+F): the cursor is in the search box.
    for keys in ("Ctrl+K", "Ctrl+F"):
        page.composer.setFocus()
        press(window, keys)
        qtbot.waitUntil(sidebar.search.hasFocus, timeout=WAIT)
    # The message box (Ctrl+L).
    press(window, "Ctrl+L")
    qtbot.waitUntil(page.composer.hasFocus, timeout=WAIT)
    # Switch model (Ctrl+M): the picker's list opens.
    press(window, "Ctrl+M")
    qtbot.waitUntil(lambda: page.model_picker.view().isVisible(), timeout=WAIT)
    page.model_picker.hidePopup()
    # Models page (Ctrl+Shift+M), and back to the chat with Ctrl+L.
    press(window, "Ctrl+Shift+M")
    assert window.pages.currentWidget() is desk.models_page and desk.models_page.isVisible()
    press(window, "Ctrl+L")
    assert page.isVisible()

    # The sheet (F1, Ctrl+/) opens and lists what the window binds.
    for keys in ("F1", "Ctrl+/"):
        sheets = when_modal(qtbot, lambda m: m.reject())
        press(window, keys)
        qtbot.waitUntil(lambda s=sheets: bool(s), timeout=WAIT)
        assert isinstance(sheets[0], ShortcutsDialog)
        # Offscreen there is no global key to grab: the sheet says so instead of listing it.
        available = desk.tray.hotkeys.status.state != "failed"
        rows = sheet_rows(window.shortcut_actions, "Ctrl+Alt+Space", available)
        expected = [(a, k) for _g, a, k in rows]
        assert sheets[0].rows() == expected
    # Settings (Ctrl+,).
    dialogs = when_modal(qtbot, lambda m: m.reject())
    press(window, "Ctrl+,")
    qtbot.waitUntil(lambda: bool(dialogs), timeout=WAIT)
    assert isinstance(dialogs[0], QDialog) and dialogs[0].objectName() != "shortcutsDialog"

    # Delete (Ctrl+Shift+Backspace): asks, then the conversation is gone from the list.
    def confirm(modal: QWidget) -> None:
        assert isinstance(modal, QMessageBox) and "Rivers" in modal.text()
        modal.button(QMessageBox.StandardButton.Yes).click()

    confirmed = when_modal(qtbot, confirm)
    page.composer.setFocus()
    press(window, "Ctrl+Shift+Backspace")
    qtbot.waitUntil(lambda: bool(confirmed), timeout=WAIT)
    qtbot.waitUntil(lambda: titles(desk) == ["Which city is the capital of Germany?"], timeout=WAIT)


def test_escape_stops_a_streaming_reply(qtbot: Any, desk: Any, fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=[chunk("Once upon")], stall_after=1)
    desk.page.composer.setPlainText("Tell me a long story.")
    desk.page._on_send()
    qtbot.waitUntil(lambda: desk.chat.generating, timeout=5000)
    assert desk.page.send_button.text() == "Stop"
    press(desk.window, "Esc")
    qtbot.waitUntil(lambda: not desk.chat.generating, timeout=5000)
    qtbot.waitUntil(lambda: desk.page.send_button.text() == "Send", timeout=5000)


def test_every_action_on_the_sheet_fires_from_its_keys(qtbot: Any) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    fired: list[str] = []
    for name, action in window.shortcut_actions.items():
        # Stand-ins for the effects (tested above): here only that each key reaches its action.
        action.triggered.disconnect()
        action.triggered.connect(lambda _c=False, n=name: fired.append(n))
    bound = {s.id for s in SHORTCUTS if s.bound}
    assert set(window.shortcut_actions) == bound
    window.set_generating(True)  # Esc stops only while a reply streams
    for name, action in window.shortcut_actions.items():
        for seq in action.shortcuts():
            fired.clear()
            window.chat_page.composer.setFocus()
            QTest.keySequence(window.chat_page.composer, seq)
            assert fired == [name], (name, seq.toString())


def test_quit_key_reaches_the_quit_action(qtbot: Any) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    quits: list[bool] = []
    window.quit_action.triggered.connect(lambda: quits.append(True))
    QTest.keySequence(window, QKeySequence("Ctrl+Q"))
    assert quits == [True]


def test_help_about_shows_the_version_licence_and_server(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    from desktop import __version__

    window = desk.window
    assert desk.window.about_action in window.help_menu.actions()
    window.about_action.trigger()
    box = window.findChild(QMessageBox, "aboutDialog")
    assert box is not None
    qtbot.waitExposed(box)
    label = box.findChild(QLabel, "qt_msgbox_label")
    assert label is not None and label.isVisible()
    shown = QTextDocumentFragment.fromHtml(label.text()).toPlainText()
    assert f"Ollama Desk {__version__}" in shown
    assert "Licence: MIT" in shown
    assert f"Ollama 0.33.0 at {fault_server.url}" in shown
    box.close()


def test_escape_with_no_reply_streaming_reaches_the_focused_edit_box(qtbot: Any, desk: Any) -> None:
    # A window-wide Esc would take the key from the edit-in-place box (its Cancel is Esc).
    send(qtbot, desk, "Which city is the capital of Germany?")
    question = next(m for m in desk.store.messages(desk.chat.current.id) if m.role == "user")
    view = desk.page.view_for(question.id)
    assert view is not None
    view.start_edit()
    qtbot.waitUntil(lambda: view.editor is not None and view.editor.isVisible(), timeout=WAIT)
    # The edit box takes the focus when the window is active; a dialog of an earlier test can
    # leave another window active on the offscreen platform.
    activate(desk.window)
    qtbot.waitUntil(view.editor.hasFocus, timeout=WAIT)
    press(desk.window, "Esc")
    qtbot.waitUntil(lambda: not view.editor.isVisible(), timeout=WAIT)
    assert view.body.isVisible()
    assert "Which city is the capital of Germany?" in view.body.toPlainText()
    assert not desk.window.shortcut_actions["stop"].isEnabled()
