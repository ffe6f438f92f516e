"""Per-conversation system prompt and options (temperature, context length, reply length, seed)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop.core.capabilities import ModelAbilities
from desktop.ui.widgets.reply_options import FormatChoice, ThinkChoice, merged


class ConversationSettingsDialog(QDialog):
    def __init__(
        self,
        system: str,
        options: dict[str, Any],
        parent: QWidget | None = None,
        *,
        abilities: ModelAbilities | None = None,
        tools: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Conversation options"))
        self.system = QPlainTextEdit(system, self)
        self.system.setPlaceholderText(
            self.tr("For example: You are a concise assistant. Answer in Chinese.")
        )
        self.system.setAccessibleName(self.tr("System prompt"))
        # The lowest value of each box means "the model's own default".
        self.temperature = QDoubleSpinBox(self)
        self.temperature.setRange(-0.05, 2.0)
        self.temperature.setSingleStep(0.05)
        self.temperature.setSpecialValueText(self.tr("Model default"))
        self.temperature.setValue(float(options.get("temperature", -0.05)))
        self.num_ctx = QSpinBox(self)
        self.num_ctx.setRange(0, 262144)
        self.num_ctx.setSingleStep(1024)
        self.num_ctx.setSpecialValueText(self.tr("Model default"))
        self.num_ctx.setValue(int(options.get("num_ctx", 0)))
        # num_predict: Ollama's own default lets a reply run until the context is full.
        self.num_predict = QSpinBox(self)
        self.num_predict.setRange(0, 131072)
        self.num_predict.setSingleStep(128)
        self.num_predict.setSpecialValueText(self.tr("No limit"))
        self.num_predict.setToolTip(self.tr("The longest reply, in tokens; a reply stops there"))
        self.num_predict.setValue(max(0, int(options.get("num_predict", 0))))
        self.seed = QSpinBox(self)
        self.seed.setRange(-1, 2**31 - 1)
        self.seed.setSpecialValueText(self.tr("Random"))
        self.seed.setValue(int(options.get("seed", -1)))
        form = QFormLayout(self)
        form.addRow(self.tr("System prompt:"), self.system)
        form.addRow(self.tr("Temperature:"), self.temperature)
        form.addRow(self.tr("Context length (tokens):"), self.num_ctx)
        form.addRow(self.tr("Longest reply (tokens):"), self.num_predict)
        form.addRow(self.tr("Seed:"), self.seed)
        self.think = ThinkChoice(options, abilities, self)
        form.addRow(self.tr("Thinking:"), self.think)
        self.reply_format = FormatChoice(options, self)
        form.addRow(self.tr("Reply format:"), self.reply_format)
        self.tools = tools  # the conversation's tools (desktop.ui.widgets.tools_section), #16
        if tools is not None:
            form.addRow(self.tr("Tools:"), tools)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 520)

    def values(self) -> tuple[str, dict[str, Any]]:
        options: dict[str, Any] = {}
        if self.temperature.value() > self.temperature.minimum():
            options["temperature"] = round(self.temperature.value(), 2)
        if self.num_ctx.value() > 0:
            options["num_ctx"] = self.num_ctx.value()
        if self.num_predict.value() > 0:
            options["num_predict"] = self.num_predict.value()
        if self.seed.value() >= 0:
            options["seed"] = self.seed.value()
        return self.system.toPlainText().strip(), merged(options, self.think, self.reply_format)
