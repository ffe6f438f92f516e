"""Server: which model server to use (automatic, or an address), a check, and the default model."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from desktop.core.settings import AppSettings
from desktop.ui.controllers.settings_controller import normalise_server
from desktop.ui.tasks import plain


def line_edit(combo: QComboBox) -> QLineEdit:
    line = combo.lineEdit()
    assert line is not None  # the combo boxes that call this are editable
    return line


class ServerPage(QWidget):
    test_requested = Signal(str)  # a normalised address ("" = automatic)
    use_requested = Signal(str)
    default_model_chosen = Signal(str)

    def __init__(
        self, values: AppSettings, models: Sequence[str], active_server: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.server_combo = QComboBox()
        self.server_combo.setEditable(True)
        self.server_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.server_combo.setAccessibleName(
            QCoreApplication.translate("SettingsDialog", "Model server address")
        )
        line = line_edit(self.server_combo)
        line.setPlaceholderText(
            QCoreApplication.translate("SettingsDialog", "Automatic")
        )  # the hint below says what that means
        line.setClearButtonEnabled(True)
        for url in values.server_urls:
            self.server_combo.addItem(url)
        self.server_combo.setEditText(values.server_url)
        row = QHBoxLayout()
        row.addWidget(self.server_combo, 1)
        self.test_button = QPushButton(QCoreApplication.translate("SettingsDialog", "Test"))
        self.test_button.setToolTip(
            QCoreApplication.translate("SettingsDialog", "Check that a model server answers at this address")
        )
        self.test_button.clicked.connect(self._on_test)
        self.apply_server_button = QPushButton(QCoreApplication.translate("SettingsDialog", "Use"))
        self.apply_server_button.setToolTip(
            QCoreApplication.translate("SettingsDialog", "Connect to this server from now on")
        )
        self.apply_server_button.clicked.connect(self._on_use)
        row.addWidget(self.test_button)
        row.addWidget(self.apply_server_button)
        server_label = QLabel(QCoreApplication.translate("SettingsDialog", "&Server:"))
        server_label.setBuddy(self.server_combo)  # a row of widgets gets no buddy by itself
        form.addRow(server_label, row)
        self.server_status = QLabel()
        self.server_status.setWordWrap(True)
        self.server_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if active_server:
            self.server_status.setText(
                QCoreApplication.translate("SettingsDialog", "Connected to {0}.").format(active_server)
            )
        form.addRow("", self.server_status)
        hint = QLabel(
            QCoreApplication.translate(
                "SettingsDialog",
                "Leave it empty to use Ollama on this computer, or the built-in engine when "
                "Ollama is not installed. Another computer's Ollama: http://host:11434.",
            )
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)
        form.addRow("", hint)

        self.model_combo = QComboBox()
        self.model_combo.setEditable(True)
        self.model_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_combo.setAccessibleName(QCoreApplication.translate("SettingsDialog", "Default model"))
        line_edit(self.model_combo).setPlaceholderText(
            QCoreApplication.translate("SettingsDialog", "The first installed model")
        )
        self.set_models(models, values.default_model)
        line_edit(self.model_combo).editingFinished.connect(self._on_model_edited)
        self.model_combo.activated.connect(lambda _i: self._on_model_edited())
        form.addRow(QCoreApplication.translate("SettingsDialog", "&Default model:"), self.model_combo)
        self._chosen_model = values.default_model

    def set_models(self, models: Sequence[str], current: str) -> None:
        """The installed models for the picker, showing `current` (the saved choice)."""
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for name in models:
            self.model_combo.addItem(name)
        self.model_combo.setEditText(current)
        self.model_combo.blockSignals(False)

    def set_status(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        colour = "#cf222e" if error else "#1a7f37" if ok else ""
        self.server_status.setStyleSheet(f"color: {colour};" if colour else "")
        self.server_status.setText(text)

    def show_used(self, url: str) -> None:
        if url and self.server_combo.findText(url) < 0:
            self.server_combo.insertItem(0, url)
        self.server_combo.setEditText(url)
        self.set_status(
            QCoreApplication.translate("SettingsDialog", "Connecting to {0}.").format(url)
            if url
            else QCoreApplication.translate(
                "SettingsDialog", "Automatic: Ollama on this computer, else the built-in engine."
            )
        )

    def _typed(self) -> str | None:
        try:
            return normalise_server(self.server_combo.currentText())
        except ValueError as err:
            self.set_status(
                QCoreApplication.translate("SettingsDialog", "This address does not work: {0}").format(
                    plain(err)
                ),
                error=True,
            )
            return None

    def _on_test(self) -> None:
        url = self._typed()
        if url is not None:
            self.test_button.setEnabled(False)
            self.test_requested.emit(url)

    def _on_use(self) -> None:
        url = self._typed()
        if url is not None:
            self.use_requested.emit(url)

    def _on_model_edited(self) -> None:
        name = self.model_combo.currentText().strip()
        if name != self._chosen_model:
            self._chosen_model = name
            self.default_model_chosen.emit(name)
