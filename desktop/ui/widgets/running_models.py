"""Models loaded in memory (/api/ps): where they run, when they unload, and controls."""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.ollama.types import RunningModel
from desktop.core.pulls import format_bytes, format_duration
from desktop.ui.controllers.models_controller import ModelsController

# keep_alive < 0 makes Ollama report an expiry centuries ahead.
_FOREVER_SECONDS = 10 * 365 * 24 * 3600


def seconds_until(expires_at: str, now: datetime | None = None) -> float | None:
    """RFC 3339 with up to 9 fractional digits (Go) -> seconds from now; None if unparseable."""
    if not expires_at:
        return None
    text = expires_at.strip().replace("Z", "+00:00")
    # Python before 3.11 reads at most 6 fractional digits.
    if "." in text:
        head, rest = text.split(".", 1)
        digits = ""
        while rest and rest[0].isdigit():
            digits, rest = digits + rest[0], rest[1:]
        text = f"{head}.{digits[:6]}{rest}"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return (when - (now or datetime.now(timezone.utc))).total_seconds()


class RunningRow(QFrame):
    unload_requested = Signal(str)
    keep_requested = Signal(str)

    def __init__(self, model: RunningModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runningRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.model = model
        self.name_label = QLabel(model.name)
        self.name_label.setObjectName("pullName")
        self.memory_label = QLabel()
        self.memory_label.setObjectName("pullFigures")
        self.warning_label = QLabel()
        self.warning_label.setObjectName("cpuWarning")
        self.warning_label.setWordWrap(True)
        self.expiry_label = QLabel()
        self.expiry_label.setObjectName("pullFigures")
        self.unload_button = QPushButton(self.tr("Unload now"))
        self.keep_button = QPushButton(self.tr("Keep loaded"))
        self.keep_button.setToolTip(self.tr("Keep this model in memory until you unload it"))
        top = QHBoxLayout()
        top.addWidget(self.name_label)
        top.addStretch(1)
        top.addWidget(self.keep_button)
        top.addWidget(self.unload_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addLayout(top)
        layout.addWidget(self.memory_label)
        layout.addWidget(self.expiry_label)
        layout.addWidget(self.warning_label)
        self.unload_button.clicked.connect(lambda: self.unload_requested.emit(self.model.name))
        self.keep_button.clicked.connect(lambda: self.keep_requested.emit(self.model.name))
        self.set_model(model)

    def set_model(self, model: RunningModel) -> None:
        self.model = model
        gpu = model.size_vram
        cpu = max(0, model.size - gpu)
        if gpu >= model.size > 0:
            where = self.tr("{0} in memory, all on the GPU").format(format_bytes(model.size))
        elif gpu == 0:
            where = self.tr("{0} in memory, all in system RAM (CPU)").format(format_bytes(model.size))
        else:
            where = self.tr("{0} in memory: {1} on the GPU, {2} in system RAM").format(
                format_bytes(model.size), format_bytes(gpu), format_bytes(cpu)
            )
        if model.context_length:
            where += "  ·  " + self.tr("context {0} tokens").format(f"{model.context_length:,}")
        self.memory_label.setText(where)
        if model.spilled_to_cpu:
            share = cpu * 100 // max(model.size, 1)
            self.warning_label.setText(
                self.tr(
                    "⚠ {0}% of this model runs on the CPU because it does not fit in GPU memory, "
                    "so replies are slower. A smaller model or a shorter context may fit."
                ).format(share)
            )
            self.warning_label.show()
        else:
            self.warning_label.hide()
        self.tick()

    def tick(self) -> None:
        left = seconds_until(self.model.expires_at)
        if left is None:
            self.expiry_label.setText("")
        elif left > _FOREVER_SECONDS:
            self.expiry_label.setText(self.tr("Stays loaded until you unload it"))
            self.keep_button.setEnabled(False)
        else:
            self.keep_button.setEnabled(True)
            self.expiry_label.setText(
                self.tr("Unloads in {0} if unused").format(format_duration(max(0.0, left)))
            )


class RunningModelsPanel(QWidget):
    def __init__(self, controller: ModelsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.rows: dict[str, RunningRow] = {}
        self.empty_label = QLabel(self.tr("No model is loaded. A model loads when you chat with it."))
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box = QWidget()
        self.rows_layout = QVBoxLayout(box)
        self.rows_layout.setSpacing(10)
        self.rows_layout.addWidget(self.empty_label)
        self.rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(box)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(controller.refresh_running)
        header = QHBoxLayout()
        header.addWidget(QLabel(self.tr("Models in memory")))
        header.addStretch(1)
        header.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        controller.running_changed.connect(self.set_running)
        self.set_running(controller.running)

    def set_running(self, models: list[RunningModel]) -> None:
        names = {m.name for m in models}
        for name in list(self.rows):
            if name not in names:
                self.rows.pop(name).deleteLater()
        for index, model in enumerate(models):
            row = self.rows.get(model.name)
            if row is None:
                row = RunningRow(model)
                row.unload_requested.connect(self.controller.unload)
                row.keep_requested.connect(self.controller.keep_loaded)
                self.rows[model.name] = row
                self.rows_layout.insertWidget(index + 1, row)
            else:
                row.set_model(model)
        self.empty_label.setVisible(not self.rows)

    def _tick(self) -> None:
        for row in self.rows.values():
            row.tick()
