"""Keyboard shortcuts: the keys reach their handlers, no key is used twice, the sheet lists them all."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QPlainTextEdit

from desktop.ui.shortcuts import SHORTCUTS, ShortcutsDialog, describe, install_shortcuts, native_text


def test_every_key_is_used_once_and_parses() -> None:
    seen: dict[str, str] = {}
    for shortcut in SHORTCUTS:
        for keys in shortcut.keys:
            seq = QKeySequence(keys)
            assert not seq.isEmpty(), keys
            text = seq.toString(QKeySequence.SequenceFormat.PortableText)
            assert text not in seen, f"{keys} is used by {seen.get(text)} and {shortcut.id}"
            seen[text] = shortcut.id
        assert describe(shortcut.id) != shortcut.id  # every one has a sentence


def test_the_frequent_actions_have_keys() -> None:
    ids = {s.id for s in SHORTCUTS if s.keys}
    assert {"new_chat", "search", "quick_ask", "stop", "switch_model", "settings", "shortcuts"} <= ids


def test_keys_reach_their_handlers(qtbot: Any) -> None:
    window = QMainWindow()
    editor = QPlainTextEdit()
    window.setCentralWidget(editor)
    qtbot.addWidget(window)
    calls: list[str] = []
    handlers = {
        name: (lambda n=name: calls.append(n))
        for name in ("new_chat", "search", "stop", "switch_model", "settings", "shortcuts")
    }
    actions = install_shortcuts(window, handlers)
    assert set(actions) == set(handlers)
    assert actions["settings"].shortcut() == QKeySequence("Ctrl+,")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.keyClick(editor, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_F1)
    assert calls == ["new_chat", "search", "search", "stop", "switch_model", "settings", "shortcuts"]


def test_unbound_entries_are_listed_but_not_installed(qtbot: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    actions = install_shortcuts(window, {"send": lambda: None, "quick_ask": lambda: None})
    assert actions == {}


def test_sheet_lists_the_bound_keys_and_only_those(qtbot: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    actions = install_shortcuts(window, {"new_chat": lambda: None, "search": lambda: None})
    sheet = ShortcutsDialog(quick_ask_keys="Ctrl+Shift+Space", parent=window, actions=actions)
    rows = dict(sheet.rows())
    assert rows == {
        "New chat": native_text("Ctrl+N"),
        "Search conversations": f"{native_text('Ctrl+K')}  /  {native_text('Ctrl+F')}",
        "Send the message": native_text("Return"),
        "New line in the message": native_text("Shift+Return"),
        "Quick Ask from anywhere (global)": native_text("Ctrl+Shift+Space"),
    }
    assert sheet.table.accessibleName()
    off = ShortcutsDialog(quick_ask_keys="", actions=actions)
    qtbot.addWidget(off)
    assert dict(off.rows())["Quick Ask from anywhere (global)"] == "off"


def test_the_sheet_shows_what_an_action_really_has(qtbot: Any) -> None:
    # Drift: a key changed on the action after installing shows on the sheet as changed.
    window = QMainWindow()
    qtbot.addWidget(window)
    actions = install_shortcuts(window, {"settings": lambda: None})
    actions["settings"].setShortcut(QKeySequence("Ctrl+Alt+S"))
    sheet = ShortcutsDialog(actions=actions)
    qtbot.addWidget(sheet)
    assert dict(sheet.rows())["Settings"] == native_text("Ctrl+Alt+S")


def test_keys_the_window_already_has_stay_with_its_actions(qtbot: Any) -> None:
    # Two actions on one key make Qt fire neither; the menu's own "New" must keep working.
    from PySide6.QtGui import QAction

    window = QMainWindow()
    editor = QPlainTextEdit()
    window.setCentralWidget(editor)
    qtbot.addWidget(window)
    menu = window.menuBar().addMenu("File")
    new = QAction("New", window)
    new.setShortcut(QKeySequence("Ctrl+N"))
    menu.addAction(new)
    calls: list[str] = []
    new.triggered.connect(lambda: calls.append("menu"))
    actions = install_shortcuts(
        window, {"new_chat": lambda: calls.append("table"), "search": lambda: calls.append("search")}
    )
    assert actions["new_chat"] is new
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert calls == ["menu", "search"]


def test_a_refused_global_key_is_not_listed_as_working(qtbot: Any) -> None:
    sheet = ShortcutsDialog(quick_ask_keys="Ctrl+Alt+Space", actions={}, quick_ask_available=False)
    qtbot.addWidget(sheet)
    assert dict(sheet.rows())["Quick Ask from anywhere (global)"] == "not available here"
