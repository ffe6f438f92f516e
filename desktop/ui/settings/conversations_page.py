"""Conversations: back up, restore, export (JSON, Markdown) and import, with one status line."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def _default_name(suffix: str) -> str:
    return str(Path.home() / f"ollama-desk-{time.strftime('%Y-%m-%d')}{suffix}")


class ConversationsPage(QWidget):
    backup_requested = Signal(object)  # Path
    restore_requested = Signal(object)
    export_json_requested = Signal(object)
    export_markdown_requested = Signal(object)
    import_requested = Signal(object)

    def __init__(self, available: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._available = available
        layout = QVBoxLayout(self)
        backup = QGroupBox(QCoreApplication.translate("SettingsDialog", "Backup"))
        row = QHBoxLayout(backup)
        self.backup_button = QPushButton(QCoreApplication.translate("SettingsDialog", "Back Up…"))
        self.backup_button.setToolTip(
            QCoreApplication.translate(
                "SettingsDialog", "Save a copy of every conversation and setting in one file"
            )
        )
        self.backup_button.clicked.connect(self._on_backup)
        self.restore_button = QPushButton(QCoreApplication.translate("SettingsDialog", "Restore…"))
        self.restore_button.setToolTip(
            QCoreApplication.translate("SettingsDialog", "Replace all conversations with those of a backup")
        )
        self.restore_button.clicked.connect(self._on_restore)
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        layout.addWidget(backup)

        exchange = QGroupBox(QCoreApplication.translate("SettingsDialog", "Export and import"))
        row = QHBoxLayout(exchange)
        self.export_json_button = QPushButton(QCoreApplication.translate("SettingsDialog", "Export as JSON…"))
        self.export_json_button.setToolTip(
            QCoreApplication.translate(
                "SettingsDialog", "Every conversation in one file that can be imported again"
            )
        )
        self.export_json_button.clicked.connect(self._on_export_json)
        self.export_markdown_button = QPushButton(
            QCoreApplication.translate("SettingsDialog", "Export as Markdown…")
        )
        self.export_markdown_button.setToolTip(
            QCoreApplication.translate("SettingsDialog", "One readable file per conversation, in a folder")
        )
        self.export_markdown_button.clicked.connect(self._on_export_markdown)
        self.import_button = QPushButton(QCoreApplication.translate("SettingsDialog", "Import…"))
        self.import_button.setToolTip(
            QCoreApplication.translate(
                "SettingsDialog", "Add the conversations of a JSON export; those already here are skipped"
            )
        )
        self.import_button.clicked.connect(self._on_import)
        for button in (self.export_json_button, self.export_markdown_button, self.import_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addWidget(exchange)

        self.data_status = QLabel()
        self.data_status.setWordWrap(True)
        self.data_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.data_status)
        layout.addStretch(1)
        self.buttons = (
            self.backup_button,
            self.restore_button,
            self.export_json_button,
            self.export_markdown_button,
            self.import_button,
        )
        if not available:
            self.set_busy(False)
            self.data_status.setText(
                QCoreApplication.translate("SettingsDialog", "The conversation history is not available.")
            )

    def set_busy(self, busy: bool) -> None:
        for button in self.buttons:
            button.setEnabled(not busy and self._available)

    def set_status(self, text: str, *, error: bool = False) -> None:
        self.data_status.setStyleSheet("color: #cf222e;" if error else "")
        self.data_status.setText(text)

    def _on_backup(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("SettingsDialog", "Back up conversations"),
            _default_name(".sqlite3"),
            QCoreApplication.translate("SettingsDialog", "Ollama Desk backup (*.sqlite3)"),
        )
        if path:
            self.backup_requested.emit(Path(path))

    def _on_restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("SettingsDialog", "Restore a backup"),
            str(Path.home()),
            QCoreApplication.translate("SettingsDialog", "Ollama Desk backup (*.sqlite3);;All files (*)"),
        )
        if not path:
            return
        answer = QMessageBox.question(
            self,
            QCoreApplication.translate("SettingsDialog", "Restore a backup?"),
            QCoreApplication.translate(
                "SettingsDialog",
                "Every conversation and setting will be replaced by those in {0}. A copy of the current "
                "ones is kept next to the database.",
            ).format(Path(path).name),
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested.emit(Path(path))

    def _on_export_json(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("SettingsDialog", "Export conversations"),
            _default_name(".json"),
            QCoreApplication.translate("SettingsDialog", "JSON (*.json)"),
        )
        if path:
            self.export_json_requested.emit(Path(path))

    def _on_export_markdown(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self,
            QCoreApplication.translate("SettingsDialog", "Export conversations as Markdown into"),
            str(Path.home()),
        )
        if folder:
            self.export_markdown_requested.emit(Path(folder))

    def _on_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("SettingsDialog", "Import conversations"),
            str(Path.home()),
            QCoreApplication.translate("SettingsDialog", "JSON (*.json);;All files (*)"),
        )
        if path:
            self.import_requested.emit(Path(path))
