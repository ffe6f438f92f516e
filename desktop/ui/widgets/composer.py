"""The box the user types in, its Send/Stop button, and the messages waiting their turn."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from desktop.ui.widgets.attachment_tray import AttachmentTray

# A waiting message is shown up to this many characters.
QUEUED_PREVIEW = 80


class Composer(QPlainTextEdit):
    """Enter sends, Shift+Enter starts a new line."""

    submitted = Signal()
    files_dropped = Signal(list)  # list[Path]: local files pasted or dropped in
    image_pasted = Signal(QImage)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 - Qt's name
        return source.hasImage() or source.hasUrls() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt's name
        # Files and pictures become attachments, never their path or bytes as text.
        local = [Path(url.toLocalFile()) for url in source.urls() if url.isLocalFile()]
        if local:
            self.files_dropped.emit(local)
            return
        if source.hasImage():
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.image_pasted.emit(image)
                return
        super().insertFromMimeData(source)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class ComposerBox(QWidget):
    """Enter while a reply streams queues the message on its own (prompts never run together);
    each waits for the reply before it. Stop brings the waiting ones back into the box."""

    send_requested = Signal(str)
    send_with_parts_requested = Signal(str, list)  # the text and its attachments (list[Part])
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._generating = False
        self._stopping = False
        self._queued: list[str] = []
        self.composer = Composer(self)
        self.composer.setPlaceholderText(
            self.tr("Message the model (Enter sends, Shift+Enter for a new line)")
        )
        self.composer.setAccessibleName(self.tr("Message"))
        self.composer.setFixedHeight(84)
        self.composer.submitted.connect(self.send)
        self.composer.installEventFilter(self)
        self.attachments = AttachmentTray(self)
        self.composer.files_dropped.connect(self.attachments.add_paths)
        self.composer.image_pasted.connect(self.attachments.add_image)
        self.send_button = QPushButton(self.tr("Send"), self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self._on_send_or_stop)
        self.queue_label = QLabel(self)
        self.queue_label.setObjectName("queueLabel")
        self.queue_label.setWordWrap(True)
        self.queue_label.setTextFormat(Qt.TextFormat.PlainText)
        self.unqueue_button = QPushButton(self.tr("Edit"), self)
        self.unqueue_button.setFlat(True)
        self.unqueue_button.setToolTip(self.tr("Take the waiting messages back into the box"))
        self.unqueue_button.clicked.connect(self.restore_queue)
        queue_row = QHBoxLayout()
        queue_row.setContentsMargins(0, 0, 0, 0)
        queue_row.addWidget(self.queue_label, 1)
        queue_row.addWidget(self.unqueue_button)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.composer, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 4, 16, 10)
        layout.setSpacing(4)
        layout.addLayout(queue_row)
        layout.addWidget(self.attachments)
        layout.addLayout(row)
        self._layout = layout
        self._update()

    def add_row(self, widget: QWidget) -> None:
        """Another row above the attachments (the conversation's documents, #17)."""
        self._layout.insertWidget(self._layout.indexOf(self.attachments), widget)

    def queued(self) -> list[str]:
        return list(self._queued)

    def set_generating(self, generating: bool) -> None:
        self._generating = generating
        self._update()
        if not generating:
            stopped, self._stopping = self._stopping, False
            # After the controller's own end-of-reply signals (a prompt put back on Stop).
            QTimer.singleShot(0, self.restore_queue if stopped else self._send_queued)

    def set_text(self, text: str) -> None:
        """Put `text` in the box; what the user typed meanwhile stays, after a blank line."""
        typed = self.composer.toPlainText().strip()
        if typed and typed != text.strip() and not text.strip().startswith(typed):
            text = f"{text.rstrip()}\n\n{typed}"
        self.composer.setPlainText(text)
        self.composer.setFocus()
        cursor = self.composer.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.composer.setTextCursor(cursor)

    def send(self) -> None:
        text = self.composer.toPlainText().strip()
        parts = self.attachments.parts()
        if parts:
            # Attachments go with this message only: they never wait in the queue.
            if self._generating:
                self.attachments.say(self.tr("Wait for the reply to end to send attachments, or stop it."))
            elif not text:
                self.attachments.say(self.tr("Type what you want to know about the attachments."))
            else:
                self.composer.clear()
                self.attachments.clear()
                self.send_with_parts_requested.emit(text, parts)
            return
        if not text:
            return
        self.composer.clear()
        if self._generating:
            self._queued.append(text)
            self._update()
            return
        self.send_requested.emit(text)

    def stop(self) -> None:
        self._stopping = True
        self.stop_requested.emit()

    def mark_stopping(self) -> None:
        if self._generating:
            self._stopping = True

    def restore_queue(self) -> None:
        """The waiting messages go back into the box, each its own paragraph."""
        if not self._queued:
            return
        parts = [p for p in (self.composer.toPlainText().strip(), *self._queued) if p]
        self._queued.clear()
        self._update()
        self.composer.clear()
        self.set_text("\n\n".join(parts))

    def _send_queued(self) -> None:
        if self._queued and not self._generating:
            text = self._queued.pop(0)
            self._update()
            self.send_requested.emit(text)

    def _on_send_or_stop(self) -> None:
        if self._generating:
            self.stop()
        else:
            self.send()

    def _update(self) -> None:
        self.send_button.setText(self.tr("Stop") if self._generating else self.tr("Send"))
        self.send_button.setToolTip(
            self.tr("Stop the reply (Esc)") if self._generating else self.tr("Send (Enter)")
        )
        self.queue_label.setVisible(bool(self._queued))
        self.unqueue_button.setVisible(bool(self._queued))
        if not self._queued:
            return
        first = self._queued[0]
        if len(first) > QUEUED_PREVIEW:
            first = first[: QUEUED_PREVIEW - 1] + "…"
        if len(self._queued) == 1:
            text = self.tr("Sent when this reply ends: %1").replace("%1", first)
        else:
            text = (
                self.tr("%1 messages wait for this reply to end, the first: %2")
                .replace("%1", str(len(self._queued)))
                .replace("%2", first)
            )
        self.queue_label.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            watched is self.composer
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self._generating
        ):
            self.stop()
            return True
        return super().eventFilter(watched, event)
