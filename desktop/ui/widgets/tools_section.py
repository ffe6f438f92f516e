"""The tools of one conversation, in its options dialog: a switch, a box per tool (and per
connected MCP server), and the files the model may read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.core.tools.builtins import BUILTIN_NAMES, CALCULATOR, DOCUMENTS, FETCH, READ_FILE, SEARCH, TIME
from desktop.core.tools.choices import ToolChoice


class ToolsSection(QWidget):
    def __init__(
        self, choice: ToolChoice, servers: Sequence[str] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._choice = choice
        self._files = list(choice.files)
        labels = {
            CALCULATOR: self.tr("Calculator"),
            TIME: self.tr("Current date and time"),
            SEARCH: self.tr("Search my conversations"),
            DOCUMENTS: self.tr("Search my documents (knowledge bases)"),
            READ_FILE: self.tr("Read the files I pick"),
            FETCH: self.tr("Fetch web pages (asks every time)"),
        }
        self.switch = QCheckBox(self.tr("Let the model use tools"), self)
        self.switch.setChecked(choice.on)
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.switch)
        for name in BUILTIN_NAMES:
            box = QCheckBox(labels[name], self)
            box.setChecked(name in choice.enabled)
            self.boxes[name] = box
            layout.addWidget(box)
        for server in servers:
            box = QCheckBox(self.tr("Tools of the MCP server {server}").format(server=server), self)
            box.setChecked(server in choice.enabled)
            self.boxes[server] = box
            layout.addWidget(box)
        row = QHBoxLayout()
        self.pick_button = QPushButton(self.tr("Pick files…"), self)
        self.pick_button.clicked.connect(self._pick)
        self.files_label = QLabel(self)
        self.files_label.setWordWrap(True)
        row.addWidget(self.pick_button)
        row.addWidget(self.files_label, 1)
        layout.addLayout(row)
        self.switch.toggled.connect(self._update)
        self._update()

    def set_files(self, paths: Sequence[str]) -> None:
        self._files = [str(p) for p in paths]
        self._update()

    def _pick(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Files the model may read"))
        if paths:
            self.set_files(paths)

    def _update(self) -> None:
        on = self.switch.isChecked()
        for box in self.boxes.values():
            box.setEnabled(on)
        self.pick_button.setEnabled(on)
        names = ", ".join(Path(p).name for p in self._files)
        self.files_label.setText(names or self.tr("No files picked"))

    def choice(self) -> ToolChoice:
        enabled = frozenset(name for name, box in self.boxes.items() if box.isChecked())
        return ToolChoice(self.switch.isChecked(), enabled, tuple(self._files), self._choice.always)
