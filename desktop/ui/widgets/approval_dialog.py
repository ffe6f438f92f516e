"""Asks before a tool that is not read-only, or that reaches the network, runs: the tool, where
it comes from and the arguments the model gave. Allow once / Always in this conversation /
Deny; closing the dialog denies."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.tools import Decision, Tool


class ApprovalDialog(QDialog):
    def __init__(self, tool: Tool, arguments: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolApproval")
        self.setWindowTitle(self.tr("Allow a tool to run?"))
        self.decision = Decision.DENY
        if tool.network:
            why = self.tr("The model wants to use {tool}, which reaches the network.").format(tool=tool.name)
        else:
            why = self.tr("The model wants to use {tool}, which can change things.").format(tool=tool.name)
        if tool.source != "built-in":
            why += " " + self.tr("It comes from the MCP server {server}.").format(server=tool.source)
        self.question = QLabel(why, self)
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.arguments = QPlainTextEdit(json.dumps(arguments, ensure_ascii=False, indent=2), self)
        self.arguments.setReadOnly(True)
        self.arguments.setAccessibleName(self.tr("The arguments the model gave"))
        self.arguments.setMaximumHeight(160)
        buttons = QDialogButtonBox(self)
        self.allow_button = QPushButton(self.tr("Allow once"), self)
        self.always_button = QPushButton(self.tr("Always in this conversation"), self)
        self.deny_button = QPushButton(self.tr("Deny"), self)
        buttons.addButton(self.allow_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.always_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.deny_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.deny_button.setDefault(True)  # Enter never allows by accident
        self.allow_button.clicked.connect(lambda: self._choose(Decision.ALLOW_ONCE))
        self.always_button.clicked.connect(lambda: self._choose(Decision.ALWAYS))
        self.deny_button.clicked.connect(lambda: self._choose(Decision.DENY))
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(QLabel(self.tr("Arguments:"), self))
        layout.addWidget(self.arguments)
        layout.addWidget(buttons)

    def _choose(self, decision: Decision) -> None:
        self.decision = decision
        if decision is Decision.DENY:
            self.reject()
        else:
            self.accept()


class ApprovalAsker:
    """The core's async `ask` callback, answered by a window-modal dialog (never a nested loop)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self.current: ApprovalDialog | None = None

    async def __call__(self, tool: Tool, arguments: dict[str, Any]) -> Decision:
        dialog = ApprovalDialog(tool, arguments, self.parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        answered: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()

        def finished(_result: int) -> None:
            if not answered.done():
                answered.set_result(dialog.decision)

        dialog.finished.connect(finished)
        self.current = dialog
        dialog.open()
        try:
            return await answered
        finally:
            # Stop while asking closes the dialog: the reply is gone, nothing runs.
            self.current = None
            with contextlib.suppress(RuntimeError):  # the window (its parent) may be gone already
                dialog.finished.disconnect(finished)
                dialog.close()
                dialog.deleteLater()
