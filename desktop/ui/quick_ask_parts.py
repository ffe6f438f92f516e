"""The Quick Ask popup's parts: the answer's renderer and browser, and the question box.

Kept apart from QuickAskWindow (layout, placement, the controller's signals): these are
self-contained widgets with their own key handling and rendering rules.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QWidget

from desktop.ui import markdown


def render_answer(text: str, *, dark: bool = False, copy_label: str = "Copy") -> str:
    """The chat's one safe renderer: Markdown without raw HTML, code highlighted, no lost characters."""
    return markdown.render(text, dark=dark, copy_label=copy_label)


class AnswerBrowser(markdown.SafeTextBrowser):
    """The chat's safe browser (loads no resource), frameless for the popup."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)


class QuestionEdit(QPlainTextEdit):
    submitted = Signal()
    continue_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if mods == Qt.KeyboardModifier.NoModifier:
                self.submitted.emit()
                return
            if mods == Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
                return
            if mods == Qt.KeyboardModifier.ControlModifier:
                # Also a window shortcut; this catches keypad Enter, which some key maps
                # deliver without matching "Ctrl+Enter".
                self.continue_requested.emit()
                return
        super().keyPressEvent(event)
