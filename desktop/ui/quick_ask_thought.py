"""Quick Ask's thinking and its empty-answer notice.

A reasoning model can spend all its tokens thinking and answer nothing; any model can end a
reply with no text. The popup then shows the thought (folded, as the chat's thinking block)
and says plainly what happened, with a way out: Retry, or Retry without thinking.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.core.messages import Message, Role, Status, ThinkingPart
from desktop.ui.widgets.thinking_block import ThinkingBlock


def empty_answer_note(status: str, answer: str, thinking: str) -> str:
    """What to say about a finished reply with no answer ("" when there is an answer or it failed:
    a failure says so itself)."""
    if status != Status.COMPLETE or answer.strip():
        return ""
    if thinking.strip():
        return QCoreApplication.translate(
            "QuickAskThought",
            "The model only thought and gave no answer. Try again with more tokens or thinking off.")
    return QCoreApplication.translate("QuickAskThought", "The model gave an empty answer.")


def show_finished_thought(block: ThinkingBlock, thinking: str, seconds: float, answer: str) -> None:
    """The block as the chat shows a stored reply: folded, "Thought for N s", no live clock."""
    # A thought that arrived in one piece measures ~0 s: it still took some time ("less than a
    # second"), never the bare "Thoughts" of a reply with no timing at all.
    metrics = {"thinking_seconds": max(round(seconds, 1), 0.01)} if thinking else {}
    parts = (ThinkingPart(thinking),) if thinking else ()
    block.set_message(Message(id=0, conversation_id=0, role=Role.ASSISTANT, content=answer,
                              status=Status.COMPLETE, model="", created_at=0.0, metrics=metrics,
                              error="", parts=parts))


class AnswerNotice(QFrame):
    """The plain line under an empty answer, with Retry (and Retry without thinking)."""

    retry_requested = Signal(bool)  # True: with thinking off

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QuickAskNotice")
        self.label = QLabel(self)
        self.label.setObjectName("QuickAskNoticeText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.retry_button = QPushButton(self.tr("Retry"), self)
        self.retry_button.setToolTip(self.tr("Ask the same question again"))
        self.think_off_button = QPushButton(self.tr("Retry without thinking"), self)
        self.think_off_button.setToolTip(self.tr("Ask again with the model's thinking turned off"))
        for button in (self.retry_button, self.think_off_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAutoDefault(False)
        self.retry_button.clicked.connect(lambda: self.retry_requested.emit(False))
        self.think_off_button.clicked.connect(lambda: self.retry_requested.emit(True))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(self.retry_button)
        row.addWidget(self.think_off_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addLayout(row)
        self.hide()

    def show_for(self, status: str, answer: str, thinking: str) -> bool:
        """Shown (True) when the reply finished with no answer; hidden otherwise."""
        note = empty_answer_note(status, answer, thinking)
        self.label.setText(note)
        self.think_off_button.setVisible(bool(note) and bool(thinking.strip()))
        self.setVisible(bool(note))
        return bool(note)

    def shown_text(self) -> str:
        """The notice's words and buttons as on screen ("" when hidden)."""
        if self.isHidden():
            return ""
        buttons = [b.text() for b in (self.retry_button, self.think_off_button) if not b.isHidden()]
        return "\n".join([self.label.text(), *buttons])
