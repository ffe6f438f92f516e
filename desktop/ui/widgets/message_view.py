"""One chat message: who said it, the safely rendered text, its figures and actions."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.store import Message
from desktop.ui import markdown

# About 30 renders a second at most while a reply streams.
RENDER_INTERVAL_MS = 33


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


class _AutoHeightBrowser(markdown.SafeTextBrowser):
    """A browser as tall as its document: the chat's scroll area scrolls, not each message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QTextBrowser { background: transparent; }")
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def _fit(self, *_: object) -> None:
        height = int(self.document().size().height()) + 4
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.document().setTextWidth(self.viewport().width())
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(400, int(self.document().size().height()) + 4)


class MessageView(QFrame):
    copy_requested = Signal(int)
    regenerate_requested = Signal(int)
    edit_requested = Signal(int)
    continue_requested = Signal(int)

    def __init__(self, message: Message, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._message = message
        self._text = message.content
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RENDER_INTERVAL_MS)
        self._timer.timeout.connect(self._render)

        self.setObjectName("userMessage" if message.role == "user" else "assistantMessage")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

        self.role_label = QLabel(self)
        self.role_label.setObjectName("roleLabel")
        self.body = _AutoHeightBrowser(self)
        self.body.setAccessibleName(self.tr("Message text"))
        self.body.copy_code_requested.connect(self._copy_code)
        self.body.link_requested.connect(self._open_link)
        # While a reply streams, finished blocks are appended to `body` once and only the
        # growing last block is re-rendered, here: a long reply never re-renders whole.
        self.tail = _AutoHeightBrowser(self)
        self.tail.copy_code_requested.connect(self._copy_code)
        self.tail.link_requested.connect(self._open_link)
        self.tail.hide()
        self._stable_len = 0
        self._stable_codes = 0
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        self.copy_button = self._button(self.tr("Copy"), self.tr("Copy this message"))
        self.copy_button.clicked.connect(self._copy_all)
        self.edit_button = self._button(self.tr("Edit"), self.tr("Edit and resend this message"))
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self._message.id))
        self.regenerate_button = self._button(self.tr("Regenerate"), self.tr("Ask for a new reply"))
        self.regenerate_button.clicked.connect(lambda: self.regenerate_requested.emit(self._message.id))
        self.continue_button = self._button(self.tr("Continue"), self.tr("Continue this reply"))
        self.continue_button.clicked.connect(lambda: self.continue_requested.emit(self._message.id))

        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.status_label, 1)
        for button in (self.continue_button, self.regenerate_button, self.edit_button, self.copy_button):
            actions.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 6)
        layout.setSpacing(4)
        layout.addWidget(self.role_label)
        layout.addWidget(self.body)
        layout.addWidget(self.tail)
        layout.addLayout(actions)
        self.set_message(message)

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setFlat(True)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

    @property
    def message(self) -> Message:
        return self._message

    def text(self) -> str:
        return self._text

    def set_message(self, message: Message) -> None:
        if message.status == "streaming" and self._message.status != "streaming":
            self._stable_len = self._stable_codes = 0
            self.body.clear()
        self._message = message
        self._text = message.content
        self._timer.stop()
        self._render()
        self._update_chrome()

    def append_delta(self, text: str) -> None:
        self._text += text
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        self._render()

    def _render(self) -> None:
        if self._message.status == "streaming":
            self._render_growing()
            return
        if self.tail.isVisible() and 0 < self._stable_len <= len(self._text):
            # A stream just ended: append its last block instead of re-rendering it all.
            self._append_stable(len(self._text))
            self.body.show()
        else:
            self.body.setHtml(markdown.render(self._text, dark=is_dark(self), copy_label=self.tr("Copy")))
        self.tail.hide()
        self._stable_len = len(self._text)

    def _append_stable(self, end: int) -> None:
        """Render text[stable_len:end] once and append it to the finished part of the body."""
        html, self._stable_codes = markdown.render_piece(
            self._text[self._stable_len : end],
            dark=is_dark(self),
            copy_label=self.tr("Copy"),
            first_code_index=self._stable_codes,
        )
        cursor = QTextCursor(self.body.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertHtml(html)
        self._stable_len = end

    def _render_growing(self) -> None:
        if self._stable_len > len(self._text):  # a new stream: start over
            self._stable_len = self._stable_codes = 0
            self.body.clear()
        split = markdown.stable_prefix(self._text, self._stable_len)
        if split > self._stable_len:
            self._append_stable(split)
        self.body.setVisible(self._stable_len > 0)
        tail = self._text[self._stable_len :]
        self.tail.setHtml(
            markdown.render(
                tail, dark=is_dark(self), copy_label=self.tr("Copy"), first_code_index=self._stable_codes
            )
        )
        self.tail.show()

    def _update_chrome(self) -> None:
        m = self._message
        user = m.role == "user"
        self.role_label.setText(self.tr("You") if user else (m.model or self.tr("Assistant")))
        streaming = m.status == "streaming"
        unfinished = m.status in ("interrupted", "stopped", "error")
        self.edit_button.setVisible(user)
        self.regenerate_button.setVisible(not user and not streaming)
        self.continue_button.setVisible(
            not user and m.status in ("interrupted", "stopped") and bool(m.content)
        )
        self.copy_button.setVisible(not streaming)
        if unfinished:
            if m.status == "stopped":
                note = self.tr("Stopped. The text so far is kept.")
            elif m.status == "error":
                note = self.tr("No reply: %1").replace("%1", m.error or self.tr("the request failed"))
            else:
                note = self.tr("Interrupted: %1").replace("%1", m.error or self.tr("the connection was lost"))
            self.status_label.setText(note)
        elif streaming:
            self.status_label.setText(self.tr("Writing…"))
        else:
            self.status_label.setText(self._figures())
        self.setProperty("unfinished", unfinished)
        self.style().unpolish(self)
        self.style().polish(self)

    def _figures(self) -> str:
        metrics = self._message.metrics or {}
        if not metrics or self._message.role == "user":
            return ""
        rate = float(metrics.get("tokens_per_second") or 0.0)
        tokens = int(metrics.get("eval_count") or 0)
        load = float(metrics.get("load_seconds") or 0.0)
        return (
            self.tr("%1 tokens/s · %2 tokens · load %3 s")
            .replace("%1", f"{rate:.1f}")
            .replace("%2", str(tokens))
            .replace("%3", f"{load:.2f}")
        )

    def _copy_all(self) -> None:
        QGuiApplication.clipboard().setText(self._text)
        self.copy_requested.emit(self._message.id)

    def _copy_code(self, index: int) -> None:
        blocks = markdown.code_blocks(self._text)
        if 0 <= index < len(blocks):
            QGuiApplication.clipboard().setText(blocks[index])

    def _open_link(self, url: QUrl) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Open link"),
            self.tr("Open this address in your browser?\n\n%1").replace("%1", url.toString()),
        )
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(url)
