"""A reasoning model's thinking above its answer: folded to one line ("Thought for 12 s"), opened
with a click. Plain text only: thinking is model output and is never rendered as markup."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from desktop.core.messages import Message, Status, ThinkingPart
from desktop.ui import theme

# The live "Thinking… 3 s" line is refreshed this often while the thought streams.
TICK_MS = 1000
# A long thought (thousands of tokens) is re-laid out at most this often while it streams,
# not once per token, and only while the block is open.
TEXT_REFRESH_MS = 200


def thinking_of(message: Message) -> str:
    return "".join(p.text for p in message.parts if isinstance(p, ThinkingPart))


class ThinkingBlock(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thinkingBlock")
        self._text = ""
        self._seconds = 0.0
        self._streaming = False
        self._answer_started = False
        self._started_at = 0.0
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("thinkingToggle")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.toggled.connect(self._on_toggled)
        self.body = QLabel(self)
        self.body.setObjectName("thinkingText")
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.body.setAccessibleName(self.tr("The model's thinking"))
        # Set apart from the answer by a rule on its left, in the theme's border colour.
        self.body.setStyleSheet(
            f"QLabel {{ border-left: 2px solid {theme.colours().border}; padding-left: 8px; }}"
        )
        font = self.body.font()
        font.setItalic(True)
        self.body.setFont(font)
        self.body.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.body)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._update_title)
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_REFRESH_MS)
        self._text_timer.timeout.connect(self._show_text)
        self._shown = ""
        self.hide()

    # ----- what it shows -----

    def set_message(self, message: Message) -> None:
        self._text = thinking_of(message)
        self._seconds = float((message.metrics or {}).get("thinking_seconds") or 0.0)
        self._streaming = message.status == Status.STREAMING
        self._answer_started = bool(message.content)
        if self._streaming and not self._started_at:
            self._started_at = time.monotonic()
        self._refresh()

    def append(self, text: str) -> None:
        if not self._text:
            self._started_at = time.monotonic()
            self._streaming = True
        self._text += text
        if self.isHidden() or not self._tick.isActive():
            self._refresh()
        elif self.is_open() and not self._text_timer.isActive():
            self._text_timer.start()

    def answer_started(self) -> None:
        """The answer began: the thought is over (its time stops)."""
        if self._streaming and not self._answer_started and self._text:
            self._seconds = time.monotonic() - self._started_at
        self._answer_started = True
        self._refresh()

    def text(self) -> str:
        return self._text

    def shown_text(self) -> str:
        """What is on screen: the title line, plus the thinking when the block is open."""
        if self.isHidden():
            return ""
        title = self.toggle.text()
        return f"{title}\n{self.body.text()}" if self.body.isVisibleTo(self) else title

    def is_open(self) -> bool:
        return self.toggle.isChecked()

    def set_open(self, open_: bool) -> None:
        self.toggle.setChecked(open_)

    def _refresh(self) -> None:
        self.setVisible(bool(self._text))
        if not self._text:
            self._tick.stop()
            return
        self._show_text()
        live = self._streaming and not self._answer_started
        if live and not self._tick.isActive():
            self._tick.start()
        elif not live:
            self._tick.stop()
        self._update_title()

    def _update_title(self) -> None:
        live = self._streaming and not self._answer_started
        if live:
            elapsed = int(time.monotonic() - self._started_at) if self._started_at else 0
            title = self.tr("Thinking… %1 s").replace("%1", str(elapsed))
        elif self._seconds >= 1:
            title = self.tr("Thought for %1 s").replace("%1", str(round(self._seconds)))
        elif self._seconds > 0:
            title = self.tr("Thought for less than a second")
        else:
            title = self.tr("Thoughts")
        self.toggle.setText(title)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if self.is_open() else Qt.ArrowType.RightArrow)
        hint = self.tr("Hide the thinking") if self.is_open() else self.tr("Show the thinking")
        self.toggle.setToolTip(hint)
        self.toggle.setAccessibleName(f"{title}. {hint}")

    def _show_text(self) -> None:
        if self.is_open() or not self._streaming or self._answer_started:
            text = self._text.strip()
            if text != self._shown:
                self._shown = text
                self.body.setText(text)

    def _on_toggled(self, checked: bool) -> None:
        self._show_text()
        self.body.setVisible(checked)
        self._update_title()
