"""Keyboard shortcuts: one table, the actions the main window installs from it, and the sheet.

The table is the single source: `install_shortcuts` binds the ones the window has a
handler for, and `ShortcutsDialog` lists them all, so the sheet never disagrees with
what the keys do. "Ctrl" reads as ⌘ on macOS (Qt maps it); the sheet shows native names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def _t(text: str) -> str:
    return QCoreApplication.translate("Shortcuts", text)


@dataclass(frozen=True)
class Shortcut:
    id: str
    keys: tuple[str, ...]  # portable text, first one shown first; "" entries are skipped
    group: str  # "Conversations" | "Writing" | "Models" | "Application"
    bound: bool = True  # False: handled elsewhere (the prompt box, the global hotkey), listed only


# QT_TR_NOOP-style: the literal strings are translated in `describe`/`group_name` below,
# where lupdate sees them.
SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("new_chat", ("Ctrl+N",), "Conversations"),
    Shortcut("search", ("Ctrl+K", "Ctrl+F"), "Conversations"),
    Shortcut("next_chat", ("Ctrl+PgDown",), "Conversations"),
    Shortcut("previous_chat", ("Ctrl+PgUp",), "Conversations"),
    Shortcut("rename_chat", ("F2",), "Conversations"),
    Shortcut("delete_chat", ("Ctrl+Shift+Backspace",), "Conversations"),
    Shortcut("focus_prompt", ("Ctrl+L",), "Writing"),
    Shortcut("send", ("Return",), "Writing", bound=False),
    Shortcut("newline", ("Shift+Return",), "Writing", bound=False),
    Shortcut("stop", ("Esc",), "Writing"),
    Shortcut("regenerate", ("Ctrl+R",), "Writing"),
    Shortcut("copy_reply", ("Ctrl+Shift+C",), "Writing"),
    Shortcut("switch_model", ("Ctrl+M",), "Models"),
    Shortcut("models", ("Ctrl+Shift+M",), "Models"),
    Shortcut("quick_ask", ("Ctrl+Alt+Space",), "Application", bound=False),
    Shortcut("settings", ("Ctrl+,",), "Application"),
    Shortcut("shortcuts", ("Ctrl+/", "F1"), "Application"),
    Shortcut("toggle_sidebar", ("Ctrl+B",), "Application"),
    Shortcut("quit", ("Ctrl+Q",), "Application"),
)
BY_ID = {s.id: s for s in SHORTCUTS}


def describe(shortcut_id: str) -> str:
    texts = {
        "new_chat": _t("New chat"),
        "search": _t("Search conversations"),
        "next_chat": _t("Next conversation"),
        "previous_chat": _t("Previous conversation"),
        "rename_chat": _t("Rename the conversation"),
        "delete_chat": _t("Delete the conversation"),
        "focus_prompt": _t("Go to the message box"),
        "send": _t("Send the message"),
        "newline": _t("New line in the message"),
        "stop": _t("Stop the reply"),
        "regenerate": _t("Regenerate the last reply"),
        "copy_reply": _t("Copy the last reply"),
        "switch_model": _t("Switch model"),
        "models": _t("Manage models"),
        "quick_ask": _t("Quick Ask from anywhere (global)"),
        "settings": _t("Settings"),
        "shortcuts": _t("Keyboard shortcuts"),
        "toggle_sidebar": _t("Show or hide the conversation list"),
        "quit": _t("Quit"),
    }
    return texts.get(shortcut_id, shortcut_id)


def group_name(group: str) -> str:
    return {
        "Conversations": _t("Conversations"),
        "Writing": _t("Writing"),
        "Models": _t("Models"),
        "Application": _t("Application"),
    }.get(group, group)


def key_sequences(shortcut: Shortcut) -> list[QKeySequence]:
    return [QKeySequence(k) for k in shortcut.keys if k]


def native_text(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def install_shortcuts(window: QWidget, handlers: Mapping[str, Callable[[], None]]) -> dict[str, QAction]:
    """A QAction per shortcut that has a handler, added to `window` (active while it has focus).

    Returns the actions by id so menus can show the same actions (and their keys).
    """
    actions: dict[str, QAction] = {}
    for shortcut in SHORTCUTS:
        handler = handlers.get(shortcut.id)
        if handler is None or not shortcut.bound:
            continue
        action = QAction(describe(shortcut.id), window)
        action.setObjectName(f"shortcut_{shortcut.id}")
        action.setShortcuts(key_sequences(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False, h=handler: h())
        window.addAction(action)
        actions[shortcut.id] = action
    return actions


class ShortcutsDialog(QDialog):
    """The shortcuts sheet: every shortcut, grouped, with native key names."""

    def __init__(self, quick_ask_keys: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)

        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self._fill(quick_ask_keys)
        self.table.setCurrentCell(-1, -1)  # no row looks selected when the sheet opens
        # Tall enough to show every row without scrolling, on any font size.
        rows_height = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setMinimumHeight(min(rows_height + self.table.horizontalHeader().sizeHint().height()
                                        + 2 * self.table.frameWidth() + 8, 760))
        layout.addWidget(self.table)

        note = QLabel(self.tr("Quick Ask works from any application while Ollama Desk runs; change its "
                              "keys in Settings."))
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fill(self, quick_ask_keys: str | None) -> None:
        group = ""
        for shortcut in SHORTCUTS:
            keys = list(shortcut.keys)
            if shortcut.id == "quick_ask" and quick_ask_keys is not None:
                keys = [quick_ask_keys] if quick_ask_keys else []
            if shortcut.group != group:
                group = shortcut.group
                row = self.table.rowCount()
                self.table.insertRow(row)
                heading = QTableWidgetItem(group_name(group))
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                self.table.setItem(row, 0, heading)
                self.table.setSpan(row, 0, 1, 2)
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, QTableWidgetItem(describe(shortcut.id)))
            text = "  /  ".join(native_text(k) for k in keys) if keys else self.tr("off")
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, item)

    def rows(self) -> list[tuple[str, str]]:
        """(action, keys) for every non-heading row, as shown."""
        out = []
        for row in range(self.table.rowCount()):
            action, keys = self.table.item(row, 0), self.table.item(row, 1)
            if action is not None and keys is not None:
                out.append((action.text(), keys.text()))
        return out
