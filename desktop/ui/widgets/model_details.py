"""Details of one installed model: overview, Modelfile, parameters, template, license."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.ollama.types import ModelInfo, ShowInfo
from desktop.core.pulls import format_bytes
from desktop.ui.controllers.models_controller import ModelsController


def capability_names(_widget: QWidget | None = None) -> dict[str, str]:
    """User-facing names of Ollama capabilities (shared by the badges and this dialog)."""

    translate = QCoreApplication.translate
    return {
        "completion": translate("Capabilities", "chat"),
        "tools": translate("Capabilities", "tools"),
        "vision": translate("Capabilities", "vision"),
        "embedding": translate("Capabilities", "embedding"),
        "thinking": translate("Capabilities", "thinking"),
        "insert": translate("Capabilities", "fill-in"),
        "audio": translate("Capabilities", "audio"),
        "image": translate("Capabilities", "image generation"),
    }


class ModelDetailsDialog(QDialog):
    def __init__(self, controller: ModelsController, model: ModelInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = model
        self.setWindowTitle(self.tr("Model details: {0}").format(model.name))
        self.resize(720, 520)
        self.status_label = QLabel(self.tr("Loading details…"))
        self.tabs = QTabWidget()
        overview = QWidget()
        self.form = QFormLayout(overview)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("name", self.tr("Name")),
            ("size", self.tr("Size on disk")),
            ("family", self.tr("Family")),
            ("parameters", self.tr("Parameters")),
            ("quantization", self.tr("Quantization")),
            ("format", self.tr("Format")),
            ("context", self.tr("Context length")),
            ("capabilities", self.tr("Capabilities")),
            ("architecture", self.tr("Architecture")),
            ("modified", self.tr("Modified")),
            ("digest", self.tr("Digest")),
        ):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.fields[key] = value
            self.form.addRow(label, value)
        self.tabs.addTab(overview, self.tr("Overview"))
        self.texts: dict[str, QPlainTextEdit] = {}
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for key, label in (
            ("modelfile", self.tr("Modelfile")),
            ("parameters", self.tr("Parameters")),
            ("template", self.tr("Template")),
            ("system", self.tr("System prompt")),
            ("license", self.tr("License")),
        ):
            edit = QPlainTextEdit()
            edit.setReadOnly(True)
            edit.setFont(mono)
            edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            self.texts[key] = edit
            self.tabs.addTab(edit, label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self._fill_from_list(model)
        controller.details_loaded.connect(self._on_details_loaded)
        controller.details_failed.connect(self._on_details_failed)
        controller.load_details(model.name)

    def _fill_from_list(self, model: ModelInfo) -> None:
        d = model.details
        names = capability_names(self)
        self.fields["name"].setText(model.name)
        self.fields["size"].setText(format_bytes(model.size) if model.size else "")
        self.fields["family"].setText(d.family)
        self.fields["parameters"].setText(d.parameter_size)
        self.fields["quantization"].setText(d.quantization_level)
        self.fields["format"].setText(d.format)
        self.fields["context"].setText(f"{d.context_length:,}" if d.context_length else "")
        self.fields["capabilities"].setText(", ".join(names.get(c, c) for c in model.capabilities))
        self.fields["modified"].setText(model.modified_at[:19].replace("T", " "))
        self.fields["digest"].setText(model.digest[:12])

    def _on_details_loaded(self, name: str, info: ShowInfo) -> None:
        if name != self.model.name:
            return
        self.status_label.hide()
        names = capability_names(self)
        if info.context_length:
            self.fields["context"].setText(f"{info.context_length:,}")
        if info.capabilities:
            self.fields["capabilities"].setText(", ".join(names.get(c, c) for c in info.capabilities))
        self.fields["architecture"].setText(info.architecture)
        if info.details.family and not self.fields["family"].text():
            self.fields["family"].setText(info.details.family)
        placeholder = self.tr("(none)")
        self.texts["modelfile"].setPlainText(info.modelfile or placeholder)
        self.texts["parameters"].setPlainText(info.parameters or placeholder)
        self.texts["template"].setPlainText(info.template or placeholder)
        self.texts["system"].setPlainText(info.system or placeholder)
        self.texts["license"].setPlainText(info.license or placeholder)

    def _on_details_failed(self, name: str, message: str) -> None:
        if name == self.model.name:
            self.status_label.setText(self.tr("Could not load the details: {0}").format(message))
