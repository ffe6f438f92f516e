"""`< 2/3 >` under a message with several versions (regenerated replies, edited questions)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from desktop.core.store import Message


class VersionSwitcher(QWidget):
    """Hidden for a message with one version; otherwise steps to the older or newer one."""

    step_requested = Signal(int, int)  # message id, -1 (older) or +1 (newer)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("versionSwitcher")
        self._message_id = 0
        self.previous_button = self._button("‹", self.tr("Previous version"), -1)
        self.label = QLabel(self)
        self.label.setObjectName("versionLabel")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.next_button = self._button("›", self.tr("Next version"), +1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.label)
        layout.addWidget(self.next_button)
        self.hide()

    def _button(self, text: str, tip: str, step: int) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: self.step_requested.emit(self._message_id, step))
        return button

    def set_message(self, message: Message, *, enabled: bool = True) -> None:
        """Show `version/count` for this message; buttons off at the ends and while `enabled` is False."""
        self._message_id = message.id
        count = max(message.version_count, 1)
        version = min(max(message.version, 1), count)
        self.setVisible(count > 1)
        self.label.setText(self.tr("%1/%2").replace("%1", str(version)).replace("%2", str(count)))
        self.label.setAccessibleName(
            self.tr("Version %1 of %2").replace("%1", str(version)).replace("%2", str(count))
        )
        self.previous_button.setEnabled(enabled and version > 1)
        self.next_button.setEnabled(enabled and version < count)
