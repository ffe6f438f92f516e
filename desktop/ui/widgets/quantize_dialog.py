"""Make another quantization of an installed model (#20): pick a type and a name, then watch the
server's progress. The built-in engine does it offline (/api/create `quantize`); a model that is
already quantized is requantized with a warning, as the server's first progress line says."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.types import ModelInfo
from desktop.ui.tasks import TaskRunner, plain

# Ollama's names; the K-quants need the engine's backend quantizer (the server says if it lacks one).
TYPES = ("q4_0", "q4_1", "q5_0", "q5_1", "q8_0", "q4_K_S", "q4_K_M", "q5_K_S", "q5_K_M", "q6_K")


def default_name(model: str, quant: str) -> str:
    base, _, tag = model.partition(":")
    return f"{base}:{tag or 'latest'}-{quant.lower()}"


class QuantizeDialog(QDialog):
    def __init__(
        self,
        model: ModelInfo,
        client_fn: Callable[[], OllamaClient],
        on_done: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Quantize {0}").format(model.name))
        self.model = model
        self._client_fn = client_fn
        self._on_done = on_done
        self._tasks = TaskRunner(self, server_work=True)
        current = model.details.quantization_level or self.tr("unknown")
        intro = QLabel(
            self.tr(
                "{0} is {1}. Fewer bits make a smaller, faster model at some cost in quality; compare "
                "them afterwards on the Compare page. From an already quantized model the result loses "
                "more quality than one made from F16 weights."
            ).format(model.name, current),
            self,
        )
        intro.setWordWrap(True)
        self.kind = QComboBox(self)
        self.kind.addItems(list(TYPES))
        self.kind.setCurrentText("q8_0")
        self.name = QLineEdit(default_name(model.name, "q8_0"), self)
        self.kind.currentTextChanged.connect(lambda q: self.name.setText(default_name(model.name, q)))
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.start_button = self.buttons.addButton(
            self.tr("Quantize"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self._cancel)
        form = QFormLayout()
        form.addRow(self.tr("Type"), self.kind)
        form.addRow(self.tr("New model name"), self.name)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        name, quant = self.name.text().strip(), self.kind.currentText()
        if not name or name == self.model.name:
            self.status.setText(self.tr("Give the new model a name of its own."))
            return
        self.start_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)

        async def work() -> bool:
            done = False
            async for line in self._client_fn().create(name, from_=self.model.name, quantize=quant):
                if line.total:
                    self.progress.setRange(0, line.total)
                    self.progress.setValue(line.completed)
                if line.status.startswith("warning:") or not line.total:
                    self.status.setText(line.status)
                done = done or line.status == "success"
            return done

        self._tasks.start(work(), on_result=lambda ok: self._finished(name, ok), on_error=self._failed)

    def _finished(self, name: str, ok: bool) -> None:
        if not ok:
            self._failed(RuntimeError(self.tr("The server stopped before it finished.")))
            return
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(self.tr("Made {0}.").format(name))
        self._on_done(name)
        self.accept()

    def _failed(self, err: BaseException) -> None:
        self.start_button.setEnabled(True)
        self.progress.setVisible(False)
        self.status.setText(self.tr("Could not quantize: {0}").format(plain(err)))

    def _cancel(self) -> None:
        self._tasks.cancel_all()  # the engine stops after the tensor it is writing
        self.reject()
