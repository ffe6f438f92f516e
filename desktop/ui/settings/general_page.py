"""General: theme, language, the data folder, and staying in the tray when the window closes."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.core.settings import AppSettings


def select(combo: QComboBox, value: str) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


class GeneralPage(QWidget):
    theme_chosen = Signal(str)
    language_chosen = Signal(str)
    folder_chosen = Signal(object)  # Path

    def __init__(self, values: AppSettings, data_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data_folder = data_folder
        form = QFormLayout(self)
        self._form = form

        self.theme_combo = QComboBox()
        self.theme_combo.setAccessibleName(QCoreApplication.translate("SettingsDialog", "Theme"))
        for value, label in (
            ("system", QCoreApplication.translate("SettingsDialog", "Follow the system")),
            ("light", QCoreApplication.translate("SettingsDialog", "Light")),
            ("dark", QCoreApplication.translate("SettingsDialog", "Dark")),
        ):
            self.theme_combo.addItem(label, value)
        select(self.theme_combo, values.theme)
        self.theme_combo.currentIndexChanged.connect(
            lambda _i: self.theme_chosen.emit(str(self.theme_combo.currentData()))
        )
        form.addRow(QCoreApplication.translate("SettingsDialog", "&Theme:"), self.theme_combo)

        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(QCoreApplication.translate("SettingsDialog", "Language"))
        # Language names in their own language, so anyone can find theirs.
        for value, label in (
            ("system", QCoreApplication.translate("SettingsDialog", "Follow the system")),
            ("en", "English"),
            ("zh_CN", "简体中文"),
        ):
            self.language_combo.addItem(label, value)
        select(self.language_combo, values.language)
        self.language_combo.currentIndexChanged.connect(self._on_language)
        form.addRow(QCoreApplication.translate("SettingsDialog", "&Language:"), self.language_combo)
        self.language_note = QLabel(
            QCoreApplication.translate("SettingsDialog", "A new language is used after Ollama Desk restarts.")
        )
        self.language_note.setWordWrap(True)
        self.language_note.setVisible(False)
        form.addRow("", self.language_note)

        folder_row = QHBoxLayout()
        self.folder_field = QLineEdit(str(data_folder))
        self.folder_field.setReadOnly(True)
        self.folder_field.setAccessibleName(QCoreApplication.translate("SettingsDialog", "Data folder"))
        self.open_folder_button = QPushButton(QCoreApplication.translate("SettingsDialog", "Open"))
        self.open_folder_button.setToolTip(
            QCoreApplication.translate("SettingsDialog", "Show the data folder in the file manager")
        )
        self.open_folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._data_folder)))
        )
        self.change_folder_button = QPushButton(QCoreApplication.translate("SettingsDialog", "Change…"))
        self.change_folder_button.clicked.connect(self._on_change_folder)
        if os.environ.get("OLLAMA_DESK_HOME"):
            self.change_folder_button.setEnabled(False)
            self.change_folder_button.setToolTip(
                QCoreApplication.translate(
                    "SettingsDialog", "The data folder is set by the OLLAMA_DESK_HOME environment variable."
                )
            )
        folder_row.addWidget(self.folder_field, 1)
        folder_row.addWidget(self.open_folder_button)
        folder_row.addWidget(self.change_folder_button)
        form.addRow(QCoreApplication.translate("SettingsDialog", "Data folder:"), folder_row)
        self.folder_status = QLabel()
        self.folder_status.setWordWrap(True)
        self.folder_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.folder_status)

    def host_tray_option(self, box: QCheckBox) -> None:
        """The tray section's "keep running in the tray" box belongs with the general options."""
        self._form.insertRow(self._form.rowCount() - 2, "", box)

    def _on_language(self, _index: int) -> None:
        self.language_note.setVisible(True)
        self.language_chosen.emit(str(self.language_combo.currentData()))

    def _on_change_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self,
            QCoreApplication.translate("SettingsDialog", "Choose a folder for Ollama Desk's data"),
            str(self._data_folder),
        )
        if chosen:
            self.folder_chosen.emit(Path(chosen))
