"""Keyboard shortcuts: one table, the actions the main window installs from it, and the sheet.

The table is the single source: `install_shortcuts` binds the ones the window has a
handler for, and `ShortcutsDialog` lists the keys of the actions so bound (plus the few
bound elsewhere), so the sheet never disagrees with what the keys do. "Ctrl" reads as ⌘
on macOS (Qt maps it); the sheet shows native names.
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


@dataclass(frozen=True)
class Shortcut:
    id: str
    keys: tuple[str, ...]  # portable text, first one shown first; "" entries are skipped
    group: str  # "Conversations" | "Writing" | "Models" | "Application"
    bound: bool = True  # False: handled elsewhere (the prompt box, the global hotkey), listed only


# The sentences live in `describe`/`group_name`, as literal translate() calls that lupdate finds.
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
        "new_chat": QCoreApplication.translate("Shortcuts", "New chat"),
        "search": QCoreApplication.translate("Shortcuts", "Search conversations"),
        "next_chat": QCoreApplication.translate("Shortcuts", "Next conversation"),
        "previous_chat": QCoreApplication.translate("Shortcuts", "Previous conversation"),
        "rename_chat": QCoreApplication.translate("Shortcuts", "Rename the conversation"),
        "delete_chat": QCoreApplication.translate("Shortcuts", "Delete the conversation"),
        "focus_prompt": QCoreApplication.translate("Shortcuts", "Go to the message box"),
        "send": QCoreApplication.translate("Shortcuts", "Send the message"),
        "newline": QCoreApplication.translate("Shortcuts", "New line in the message"),
        "stop": QCoreApplication.translate("Shortcuts", "Stop the reply"),
        "regenerate": QCoreApplication.translate("Shortcuts", "Regenerate the last reply"),
        "copy_reply": QCoreApplication.translate("Shortcuts", "Copy the last reply"),
        "switch_model": QCoreApplication.translate("Shortcuts", "Switch model"),
        "models": QCoreApplication.translate("Shortcuts", "Manage models"),
        "quick_ask": QCoreApplication.translate("Shortcuts", "Quick Ask from anywhere (global)"),
        "settings": QCoreApplication.translate("Shortcuts", "Settings"),
        "shortcuts": QCoreApplication.translate("Shortcuts", "Keyboard shortcuts"),
        "toggle_sidebar": QCoreApplication.translate("Shortcuts", "Show or hide the conversation list"),
        "quit": QCoreApplication.translate("Shortcuts", "Quit"),
    }
    return texts.get(shortcut_id, shortcut_id)


def group_name(group: str) -> str:
    return {
        "Conversations": QCoreApplication.translate("Shortcuts", "Conversations"),
        "Writing": QCoreApplication.translate("Shortcuts", "Writing"),
        "Models": QCoreApplication.translate("Shortcuts", "Models"),
        "Application": QCoreApplication.translate("Shortcuts", "Application"),
    }.get(group, group)


def key_sequences(shortcut: Shortcut) -> list[QKeySequence]:
    return [QKeySequence(k) for k in shortcut.keys if k]


def native_text(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


def install_shortcuts(window: QWidget, handlers: Mapping[str, Callable[[], None]]) -> dict[str, QAction]:
    """A QAction per shortcut that has a handler, added to `window` (active while it has focus).

    A key that an action of the window already has (a menu's "New chat" on Ctrl+N, say) is
    left to that action: two actions on one key make Qt fire neither ("Ambiguous shortcut
    overload"). Returns the actions by id (the existing one where a key was taken) so menus
    can show the same actions and keys.
    """
    taken: dict[str, QAction] = {}
    for existing in window.findChildren(QAction):
        for seq in existing.shortcuts():
            taken.setdefault(seq.toString(QKeySequence.SequenceFormat.PortableText), existing)
    actions: dict[str, QAction] = {}
    for shortcut in SHORTCUTS:
        handler = handlers.get(shortcut.id)
        if handler is None or not shortcut.bound:
            continue
        free = []
        for seq in key_sequences(shortcut):
            owner = taken.get(seq.toString(QKeySequence.SequenceFormat.PortableText))
            if owner is None:
                free.append(seq)
            else:
                actions.setdefault(shortcut.id, owner)
        if not free:
            continue
        action = QAction(describe(shortcut.id), window)
        action.setObjectName(f"shortcut_{shortcut.id}")
        action.setShortcuts(free)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False, h=handler: h())
        window.addAction(action)
        actions.setdefault(shortcut.id, action)
        for seq in free:
            taken[seq.toString(QKeySequence.SequenceFormat.PortableText)] = action
    return actions


def sheet_rows(
    actions: Mapping[str, QAction], quick_ask_keys: str | None = None, quick_ask_available: bool = True
) -> list[tuple[str, str, str]]:
    """(group, action, keys) as the sheet shows them, read from the bound actions themselves.

    A bound shortcut without an action (no handler was given) is left out, so the sheet
    lists only keys that do something. The entries bound elsewhere (Enter in the message
    box, the global Quick Ask hotkey) come from the table; Quick Ask from the user's setting,
    or "not available here" when the desktop refused the global key (so the sheet never lists
    a key that does nothing).
    """
    rows = []
    for shortcut in SHORTCUTS:
        if shortcut.bound:
            action = actions.get(shortcut.id)
            if action is None or not action.shortcuts():
                continue
            keys = [seq.toString(QKeySequence.SequenceFormat.NativeText) for seq in action.shortcuts()]
        elif shortcut.id == "quick_ask" and quick_ask_keys and not quick_ask_available:
            unavailable = QCoreApplication.translate("ShortcutsDialog", "not available here")
            rows.append((shortcut.group, describe(shortcut.id), unavailable))
            continue
        elif shortcut.id == "quick_ask" and quick_ask_keys is not None:
            keys = [native_text(quick_ask_keys)] if quick_ask_keys else []
        else:
            keys = [native_text(k) for k in shortcut.keys if k]
        off = QCoreApplication.translate("ShortcutsDialog", "off")
        rows.append((shortcut.group, describe(shortcut.id), "  /  ".join(keys) if keys else off))
    return rows


class ShortcutsDialog(QDialog):
    """The shortcuts sheet: every key the window has bound, grouped, with native key names."""

    def __init__(
        self,
        quick_ask_keys: str | None = None,
        parent: QWidget | None = None,
        actions: Mapping[str, QAction] | None = None,
        quick_ask_available: bool = True,
    ) -> None:
        super().__init__(parent)
        if actions is None:
            # The main window keeps the actions it installed; the sheet reads them there.
            actions = getattr(parent, "shortcut_actions", None) or {}
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
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
        self._fill(sheet_rows(actions, quick_ask_keys, quick_ask_available))
        self.table.setCurrentCell(-1, -1)  # no row looks selected when the sheet opens
        # Tall enough to show every row without scrolling, on any font size, within the screen.
        rows_height = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        screen = self.screen().availableGeometry().height() if self.screen() else 800
        self.table.setMinimumHeight(min(rows_height + self.table.horizontalHeader().sizeHint().height()
                                        + 2 * self.table.frameWidth() + 8, max(240, screen - 200)))
        layout.addWidget(self.table)

        note = QLabel(self.tr("Quick Ask works from any application while Ollama Desk runs; change its "
                              "keys in Settings."))
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fill(self, rows: list[tuple[str, str, str]]) -> None:
        group = ""
        for row_group, action, keys in rows:
            if row_group != group:
                group = row_group
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
            self.table.setItem(row, 0, QTableWidgetItem(action))
            item = QTableWidgetItem(keys)
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
