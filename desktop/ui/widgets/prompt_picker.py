"""Saved prompts: a picker offered while a conversation is still empty, and a small dialog to
add, change and delete them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.prompts_library import Persona, PromptLibrary

MANAGE = "__manage__"


class PromptPicker(QComboBox):
    chosen = Signal(object)  # Persona

    def __init__(self, library: PromptLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("promptPicker")
        self._library = library
        self.setAccessibleName(self.tr("Start from a saved prompt"))
        self.setToolTip(self.tr("Start this conversation from a saved system prompt"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.activated.connect(self._on_activated)
        self.reload()

    def reload(self, chosen: str = "") -> None:
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("Saved prompts…"), "")
        for persona in self._library.all():
            self.addItem(persona.name, persona.name)
            self.setItemData(self.count() - 1, persona.system[:300], Qt.ItemDataRole.ToolTipRole)
        self.addItem(self.tr("Manage saved prompts…"), MANAGE)
        self.setCurrentIndex(max(0, self.findData(chosen)) if chosen else 0)
        self.blockSignals(False)

    def _on_activated(self, index: int) -> None:
        name = self.itemData(index)
        if name == MANAGE:
            dialog = PromptLibraryDialog(self._library, self.window())
            dialog.exec()
            self.reload()
            return
        persona = self._library.find(name) if name else None
        if persona is not None:
            self.chosen.emit(persona)


class PromptLibraryDialog(QDialog):
    def __init__(self, library: PromptLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Saved prompts"))
        self._library = library
        self._editing = ""
        self.list = QListWidget(self)
        self.list.currentTextChanged.connect(self._show)
        self.name = QLineEdit(self)
        self.name.setAccessibleName(self.tr("Name"))
        self.system = QPlainTextEdit(self)
        self.system.setAccessibleName(self.tr("System prompt"))
        self.model = QLineEdit(self)
        self.model.setPlaceholderText(self.tr("Any model (the conversation's own)"))
        self.model.setAccessibleName(self.tr("Model"))
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.hide()
        new = QPushButton(self.tr("New"), self)
        new.clicked.connect(self._new)
        save = QPushButton(self.tr("Save"), self)
        save.clicked.connect(self._save)
        delete = QPushButton(self.tr("Delete"), self)
        delete.clicked.connect(self._delete)
        defaults = QPushButton(self.tr("Restore the defaults"), self)
        defaults.clicked.connect(self._defaults)
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("System prompt:"), self.system)
        form.addRow(self.tr("Model:"), self.model)
        buttons = QHBoxLayout()
        for button in (new, save, delete, defaults):
            buttons.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.error)
        right.addLayout(buttons)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(720, 420)
        self._reload()

    def _reload(self, select: str = "") -> None:
        self.list.clear()
        names = [p.name for p in self._library.all()]
        self.list.addItems(names)
        if names:
            self.list.setCurrentRow(names.index(select) if select in names else 0)
        else:
            self._new()

    def _show(self, name: str) -> None:
        persona = self._library.find(name)
        if persona is None:
            return
        self._editing = persona.name
        self.name.setText(persona.name)
        self.system.setPlainText(persona.system)
        self.model.setText(persona.model)
        self.error.hide()

    def _new(self) -> None:
        self._editing = ""
        self.list.clearSelection()
        self.name.clear()
        self.system.clear()
        self.model.clear()
        self.name.setFocus()

    def _save(self) -> None:
        old = self._library.find(self._editing)
        persona = Persona(
            self.name.text().strip(),
            self.system.toPlainText().strip(),
            self.model.text().strip(),
            dict(old.options) if old else {},
        )
        try:
            self._library.save(persona, replacing=self._editing)
        except ValueError as err:
            self.error.setText(str(err))
            self.error.show()
            return
        self._reload(persona.name)

    def _delete(self) -> None:
        if self._editing:
            self._library.delete(self._editing)
            self._reload()

    def _defaults(self) -> None:
        self._library.restore_defaults()
        self._reload(self._editing)
