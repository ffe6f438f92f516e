"""Quick Ask without a tray section (no tray in this session): the shortcut, the history, what it reads."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QKeySequenceEdit, QLabel, QWidget

from desktop.core.settings import AppSettings


class QuickAskPage(QWidget):
    shortcut_chosen = Signal(str)
    history_toggled = Signal(bool)
    prefill_chosen = Signal(str)  # "off" | "clipboard" | "selection"

    def __init__(self, values: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.shortcut_edit = QKeySequenceEdit(QKeySequence(values.quick_ask_shortcut))
        self.shortcut_edit.setMaximumSequenceLength(1)
        self.shortcut_edit.setClearButtonEnabled(True)
        self.shortcut_edit.setAccessibleName(
            QCoreApplication.translate("SettingsDialog", "Quick Ask shortcut")
        )
        self.shortcut_edit.editingFinished.connect(
            lambda: self.shortcut_chosen.emit(
                self.shortcut_edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
            )
        )
        form.addRow(QCoreApplication.translate("SettingsDialog", "Quick Ask shortcut:"), self.shortcut_edit)
        note = QLabel(
            QCoreApplication.translate(
                "SettingsDialog", "The new shortcut is registered the next time Ollama Desk starts."
            )
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        form.addRow("", note)
        self.history_check = QCheckBox(
            QCoreApplication.translate("SettingsDialog", "Keep quick questions in the chat history")
        )
        self.history_check.setChecked(values.quick_ask_save_history)
        self.history_check.toggled.connect(lambda on: self.history_toggled.emit(bool(on)))
        form.addRow("", self.history_check)
        # `ollama-desk --quick-ask --selection` works without a tray: the user can still turn reading off.
        self.prefill = QComboBox()
        self.prefill.addItem(QCoreApplication.translate("SettingsDialog", "Nothing"), "off")
        self.prefill.addItem(
            QCoreApplication.translate("SettingsDialog", "Text from the clipboard"), "clipboard")
        if QGuiApplication.clipboard().supportsSelection():
            self.prefill.addItem(QCoreApplication.translate("SettingsDialog", "Selected text"), "selection")
        index = self.prefill.findData(values.quick_ask_prefill)
        if index < 0 and values.quick_ask_prefill == "selection":  # no selection here: it reads the clipboard
            index = self.prefill.findData("clipboard")
        self.prefill.setCurrentIndex(max(0, index))
        self.prefill.currentIndexChanged.connect(
            lambda _i: self.prefill_chosen.emit(str(self.prefill.currentData())))
        form.addRow(QCoreApplication.translate("SettingsDialog", "Quick Ask quotes:"), self.prefill)
