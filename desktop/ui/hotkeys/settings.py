"""The settings section of the tray, Quick Ask and its global shortcut.

The values and their defaults live in desktop.core.settings (the keys below are its store
keys, kept here for the code and tests that name them). The section shows in plain
words whether the shortcut works; where it does not, it offers the fallback that every
desktop has: a custom keyboard shortcut running `ollama-desk --quick-ask` (and, on
Linux, installs the menu entry whose Quick Ask action runs the same).
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.settings import KEYS, Settings, SettingsBackend, SettingsError
from desktop.ui.hotkeys import DEFAULT_SHORTCUT, FALLBACK_COMMAND, HotkeyManager, HotkeyStatus

KEY_SHORTCUT = KEYS["quick_ask_shortcut"]  # "" = off
KEY_SAVE_HISTORY = KEYS["quick_ask_save_history"]
KEY_PREFILL = KEYS["quick_ask_prefill"]  # "off" | "clipboard" | "selection"
KEY_CLOSE_TO_TRAY = KEYS["close_to_tray"]
KEY_CLOSE_HINT_SHOWN = KEYS["close_hint_shown"]
KEY_DEFAULT_MODEL = KEYS["default_model"]


def setting(settings: Settings | SettingsBackend | None, key: str) -> Any:
    """A setting by store key, with the one default (a damaged store reads as the defaults)."""
    return Settings.of(settings).get_setting(key)


class QuickAskSettingsSection(QWidget):
    """A section for the settings page: shortcut, its status, the fallback, Quick Ask and tray options."""

    save_history_changed = Signal(bool)
    prefill_changed = Signal(str)
    close_to_tray_changed = Signal(bool)

    def __init__(self, settings: Settings | SettingsBackend | None, hotkeys: HotkeyManager, *,
                 tray_available: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = Settings.of(settings)
        values = self._settings.current
        self._hotkeys = hotkeys
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        row = QHBoxLayout()
        self.shortcut_edit = QKeySequenceEdit(QKeySequence(values.quick_ask_shortcut))
        self.shortcut_edit.setMaximumSequenceLength(1)
        self.shortcut_edit.setClearButtonEnabled(True)
        self.shortcut_edit.editingFinished.connect(self._on_shortcut_edited)
        reset = QPushButton(self.tr("Default"))
        reset.setToolTip(self.tr("Use {0}").format(DEFAULT_SHORTCUT))
        reset.clicked.connect(lambda: self._apply_shortcut(DEFAULT_SHORTCUT))
        row.addWidget(self.shortcut_edit, 1)
        row.addWidget(reset)
        form.addRow(self.tr("Quick Ask shortcut:"), row)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.status_label)

        fallback = QHBoxLayout()
        self.copy_command = QPushButton(self.tr("Copy the command"))
        self.copy_command.setToolTip(FALLBACK_COMMAND)
        self.copy_command.clicked.connect(self._on_copy_command)
        fallback.addWidget(self.copy_command)
        self.install_entry = QPushButton(self.tr("Add to the applications menu"))
        self.install_entry.setToolTip(self.tr("Installs the launcher with its Quick Ask action"))
        self.install_entry.clicked.connect(self._on_install_entry)
        self.install_entry.setVisible(sys.platform.startswith("linux"))
        fallback.addWidget(self.install_entry)
        fallback.addStretch(1)
        self._fallback_row = QWidget()
        self._fallback_row.setLayout(fallback)
        form.addRow("", self._fallback_row)

        self.save_history = QCheckBox(self.tr("Keep quick questions in the chat history"))
        self.save_history.setChecked(values.quick_ask_save_history)
        self.save_history.toggled.connect(self._on_save_history_toggled)
        form.addRow("", self.save_history)

        self.prefill = QComboBox()
        self.prefill.addItem(self.tr("Empty"), "off")
        self.prefill.addItem(self.tr("Text from the clipboard"), "clipboard")
        if QGuiApplication.clipboard().supportsSelection():
            self.prefill.addItem(self.tr("Selected text (X11 primary selection)"), "selection")
        index = self.prefill.findData(values.quick_ask_prefill)
        if index < 0 and values.quick_ask_prefill == "selection":  # no selection here: it reads the clipboard
            index = self.prefill.findData("clipboard")
        self.prefill.setCurrentIndex(max(0, index))
        self.prefill.currentIndexChanged.connect(self._on_prefill_changed)
        form.addRow(self.tr("Quick Ask opens with:"), self.prefill)

        self.close_to_tray = QCheckBox(self.tr("Keep running in the system tray when the window is closed"))
        self.close_to_tray.setChecked(values.close_to_tray)
        self.close_to_tray.setEnabled(tray_available)
        if not tray_available:
            self.close_to_tray.setToolTip(self.tr("This desktop shows no system tray."))
        self.close_to_tray.toggled.connect(self._on_close_to_tray_toggled)
        form.addRow("", self.close_to_tray)
        self._form = form

        hotkeys.status_changed.connect(self._show_status)
        self._show_status(hotkeys.status)

    def take_tray_option(self) -> QCheckBox:
        """Hand the "keep running in the tray" box to a page that hosts it (the General page)."""
        self._form.takeRow(self.close_to_tray)
        return self.close_to_tray

    def _save(self, **changes: Any) -> None:
        try:
            self._settings.update(**changes)
        except SettingsError as err:
            self.status_label.setText(self.tr("Could not save the setting: {0}").format(str(err)))

    def _on_shortcut_edited(self) -> None:
        self._apply_shortcut(self.shortcut_edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText))

    def _apply_shortcut(self, text: str) -> None:
        self.shortcut_edit.setKeySequence(QKeySequence(text))
        status = self._hotkeys.register(text)
        if status.state != "failed":
            self._save(quick_ask_shortcut=text)

    def _show_status(self, status: HotkeyStatus) -> None:
        colour = {"active": "#1a7f37", "failed": "#cf222e"}.get(status.state, "")
        self.status_label.setStyleSheet(f"color: {colour};" if colour else "")
        self.status_label.setText(status.message)
        self._fallback_row.setVisible(status.state in ("failed", "off"))

    def _on_copy_command(self) -> None:
        QGuiApplication.clipboard().setText(FALLBACK_COMMAND)
        self.copy_command.setText(self.tr("Copied"))

    def _on_install_entry(self) -> None:
        from desktop.commands import desktop_entry

        ok = desktop_entry.install(quiet=True) == 0
        self.install_entry.setText(self.tr("Added to the menu") if ok
                                   else self.tr("Could not add it to the menu"))

    def _on_save_history_toggled(self, on: bool) -> None:
        self._save(quick_ask_save_history=on)
        self.save_history_changed.emit(on)

    def _on_prefill_changed(self, _index: int) -> None:
        mode = str(self.prefill.currentData())
        self._save(quick_ask_prefill=mode)
        self.prefill_changed.emit(mode)

    def _on_close_to_tray_toggled(self, on: bool) -> None:
        self._save(close_to_tray=on)
        self.close_to_tray_changed.emit(on)
