"""The conversation options for thinking (on/off, levels where the model takes them) and for
structured output (JSON, or JSON that follows a schema), as rows of the options dialog."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.core.capabilities import ModelAbilities
from desktop.core.reply_request import FORMAT_KEY, THINK_KEY, format_value
from desktop.core.thinking import THINK_LEVELS, think_value


class ThinkChoice(QComboBox):
    def __init__(
        self, options: dict[str, Any], abilities: ModelAbilities | None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setAccessibleName(self.tr("Thinking"))
        self.addItem(self.tr("Model default"), None)
        self.addItem(self.tr("On"), True)
        self.addItem(self.tr("Off"), False)
        levels = abilities is not None and abilities.think_levels
        names = {"low": self.tr("Low"), "medium": self.tr("Medium"), "high": self.tr("High")}
        current = think_value(options.get(THINK_KEY))
        for level in THINK_LEVELS:
            if levels or current == level:
                self.addItem(names[level], level)
        index = self.findData(current) if current is not None else 0
        self.setCurrentIndex(max(0, index))
        self.reason = ""
        if abilities is not None and abilities.why_no_thinking() is not None:
            # Said here, next to the control that cannot help.
            self.reason = self.tr("%1 does not think before answering; this option has no effect.").replace(
                "%1", abilities.model
            )
            self.setEnabled(current is not None)
        self.setToolTip(self.reason or self.tr("Whether a reasoning model thinks before it answers"))

    def value(self) -> bool | str | None:
        data = self.currentData()
        return think_value(data)


class FormatChoice(QWidget):
    """Free text, JSON, or JSON following a schema typed (or pasted) below."""

    def __init__(self, options: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        current = format_value(options.get(FORMAT_KEY))
        self.kind = QComboBox(self)
        self.kind.setAccessibleName(self.tr("Reply format"))
        self.kind.addItem(self.tr("Free text"), "")
        self.kind.addItem(self.tr("JSON"), "json")
        self.kind.addItem(self.tr("JSON following a schema"), "schema")
        self.schema = QPlainTextEdit(self)
        self.schema.setAccessibleName(self.tr("JSON schema"))
        self.schema.setPlaceholderText('{"type": "object", "properties": {"answer": {"type": "string"}}}')
        self.schema.setFixedHeight(90)
        self.error = QLabel(self)
        self.error.setObjectName("schemaError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.hide()
        if isinstance(current, dict):
            self.kind.setCurrentIndex(2)
            self.schema.setPlainText(json.dumps(current, indent=2, ensure_ascii=False))
        elif current == "json":
            self.kind.setCurrentIndex(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind)
        layout.addWidget(self.schema)
        layout.addWidget(self.error)
        self.kind.currentIndexChanged.connect(self._update)
        self.schema.textChanged.connect(self._update)
        self._update()

    def problem(self) -> str:
        if self.kind.currentData() != "schema":
            return ""
        try:
            schema = json.loads(self.schema.toPlainText())
        except ValueError as err:
            return self.tr("The schema is not valid JSON: %1").replace("%1", str(err))
        if not isinstance(schema, dict) or not schema:
            return self.tr('The schema must be a JSON object, such as {"type": "object"}.')
        return ""

    def value(self) -> str | dict[str, Any] | None:
        kind = self.kind.currentData()
        if kind == "json":
            return "json"
        if kind == "schema" and not self.problem():
            return format_value(json.loads(self.schema.toPlainText()))
        return None

    def _update(self) -> None:
        self.schema.setVisible(self.kind.currentData() == "schema")
        problem = self.problem() if self.schema.toPlainText().strip() else ""
        self.error.setText(problem)
        self.error.setVisible(bool(problem))


def merged(options: dict[str, Any], think: ThinkChoice, fmt: FormatChoice) -> dict[str, Any]:
    """The dialog's options with the thinking and format choices put in (or taken out)."""
    result = {k: v for k, v in options.items() if k not in (THINK_KEY, FORMAT_KEY)}
    if think.value() is not None:
        result[THINK_KEY] = think.value()
    if fmt.value() is not None:
        result[FORMAT_KEY] = fmt.value()
    return result
