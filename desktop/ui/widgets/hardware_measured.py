"""The hardware page's measured speeds (#20): what was measured here and when, the bandwidth the
predictions now use, a short probe the user can start and cancel, and the quantization choice
(Q4_K_M / Q5_K_M / Q8_0) of the suggested chat model with size, speed and quality cost."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.catalog import Catalog, CatalogError, load_catalog
from desktop.core.hardware.calibrate import Calibration, DeviceFit
from desktop.core.hardware.quant_choice import quant_rows
from desktop.core.hardware.report import HardwareReport
from desktop.core.hardware.speed import format_speed, tokens_per_second
from desktop.core.pulls import format_bytes
from desktop.ui.widgets import hardware_text as words
from desktop.ui.widgets.hardware_sections import FittedTable


class MeasuredSection(QGroupBox):
    probe_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Measured on this computer"), parent)
        self.setObjectName("measured_section")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.measure_button = QPushButton(self.tr("Measure this computer"), self)
        self.measure_button.setToolTip(
            self.tr("Two short answers from the smallest installed model (under a minute).")
        )
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setVisible(False)
        self.probe_status = QLabel(self)
        self.measured_table = FittedTable(
            0,
            [
                self.tr("Model"),
                self.tr("Size"),
                self.tr("Measured"),
                self.tr("Predicted for its size"),
                self.tr("Reads the prompt"),
            ],
            (0,),
            "measured_table",
        )
        self.quant_title = QLabel(self)
        self.quant_title.setWordWrap(True)
        self.quant_table = FittedTable(
            0,
            [self.tr("Quantization"), self.tr("Size"), self.tr("Speed here"), self.tr("Quality cost")],
            (3,),
            "quant_table",
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.measure_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.probe_status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.measured_table)
        layout.addWidget(self.quant_title)
        layout.addWidget(self.quant_table)
        self.measure_button.clicked.connect(self.probe_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self._catalog: Catalog | None = None

    def set_probe_running(self, running: bool) -> None:
        self.measure_button.setVisible(not running)
        self.cancel_button.setVisible(running)
        if running:
            self.probe_status.setText(
                self.tr("Measuring… each answer runs alone, other models are unloaded.")
            )

    def show_probe_error(self, message: str) -> None:
        self.probe_status.setText(self.tr("Not measured: {0}").format(message))

    def show_report(self, report: HardwareReport) -> None:
        cal = report.calibration or Calibration()
        b = report.budget
        if cal.empty:
            self.summary.setText(
                self.tr(
                    "Nothing measured yet: speeds on this page are estimates from the number of cores. "
                    "Measure this computer, or compare models on the Compare page, to learn its own speed."
                )
            )
        else:
            lines = [
                self._fit_sentence(cal.cpu, False),
                self._fit_sentence(cal.gpu, True),
            ]
            if cal.prompt_rate > 0:
                lines.append(
                    self.tr(
                        "Prompts are read at about {0} tokens/s for a model of a billion parameters "
                        "(faster for smaller ones), from the prompts measured here."
                    ).format(format_speed(cal.prompt_speed(1_000_000_000)))
                )
            lines.append(
                self.tr("Chat needs about {0} tokens/s to read comfortably.").format(words.usable_speed())
            )
            self.summary.setText("\n".join(line for line in lines if line))
            self.probe_status.setText("")
        self.measured_table.setRowCount(len(cal.measured))
        for row, m in enumerate(cal.measured):
            predicted = tokens_per_second(
                m.weights,
                gpu_share=1.0 if m.on_gpu else 0.0,
                gpu_bw=b.gpu_bandwidth,
                cpu_bw=b.cpu_bandwidth,
                cores=b.cores,
                cpu_fixed=b.cpu_fixed,
                gpu_fixed=b.gpu_fixed,
            )
            prompt = (
                self.tr("{0} tokens/s").format(format_speed(m.prompt_tokens_per_second))
                if m.prompt_tokens_per_second > 0
                else self.tr("not measured")
            )
            cells = [
                m.model,
                format_bytes(m.weights),
                self.tr("measured {0} tokens/s on {1}").format(
                    format_speed(m.tokens_per_second), words.day_text(m.when)
                ),
                self.tr("about {0} tokens/s").format(format_speed(predicted)),
                prompt,
            ]
            for column, text in enumerate(cells):
                self.measured_table.setItem(row, column, QTableWidgetItem(text))
        self.measured_table.setVisible(bool(cal.measured))
        self.measured_table.fit_height()
        self._render_quants(report, cal)

    def _fit_sentence(self, fit: DeviceFit, on_gpu: bool) -> str:
        """What was learnt about one device ('' when nothing was measured on it)."""
        if not fit.points:
            return ""
        bandwidth, fixed = f"{fit.bandwidth / 1e9:.1f}", f"{fit.fixed * 1000:.0f}"
        if fit.method == "line":
            text = (
                self.tr(
                    "Speeds on the GPU are predicted from its line measured here: {0} GB/s of memory "
                    "bandwidth and {1} ms per token besides (fitted to {2} models)."
                )
                if on_gpu
                else self.tr(
                    "Speeds on the processor are predicted from its line measured here: {0} GB/s of memory "
                    "bandwidth and {1} ms per token besides (fitted to {2} models)."
                )
            )
            return text.format(bandwidth, fixed, fit.points)
        text = (
            self.tr(
                "Speeds on the GPU are the estimate scaled to what was measured here: {0}% of the estimated "
                "speed, {1} GB/s and {2} ms per token besides (models measured: {3})."
            )
            if on_gpu
            else self.tr(
                "Speeds on the processor are the estimate scaled to what was measured here: {0}% of the "
                "estimated speed, {1} GB/s and {2} ms per token besides (models measured: {3})."
            )
        )
        return text.format(f"{fit.efficiency * 100:.0f}", bandwidth, fixed, fit.points)

    def _render_quants(self, report: HardwareReport, cal: Calibration) -> None:
        chat = report.suggestion("chat_en") or (report.suggestions[0] if report.suggestions else None)
        try:
            self._catalog = self._catalog or load_catalog()
        except CatalogError:
            self._catalog = None
        found = self._catalog.find(chat.base_tag) if chat is not None and self._catalog is not None else None
        self.quant_title.setVisible(found is not None)
        self.quant_table.setVisible(found is not None)
        if found is None:
            return
        model, tag = found
        rows = quant_rows(model, tag, report.budget, report.num_ctx, cal)
        self.quant_title.setText(
            self.tr(
                "Choosing a quantization of {0}: fewer bits are smaller and faster, at some cost in quality "
                "(perplexity increase over F16 from llama.cpp's measurements)."
            ).format(tag.name)
        )
        self.quant_table.setRowCount(len(rows))
        qualities = {
            "Q4_K_M": self.tr("small quality loss"),
            "Q5_K_M": self.tr("very small quality loss"),
            "Q8_0": self.tr("practically none"),
        }
        for row, q in enumerate(rows):
            if q.measured is not None:
                speed = self.tr("measured {0} tokens/s on {1}").format(
                    format_speed(q.measured.tokens_per_second), words.day_text(q.measured.when)
                )
            elif q.fits:
                speed = self.tr("about {0} tokens/s").format(format_speed(q.predicted))
            else:
                speed = self.tr("does not fit")
            quality = self.tr("+{0} ({1})", "perplexity increase (its meaning)").format(
                f"{q.perplexity_increase:.4f}", qualities.get(q.quant, q.quality)
            )
            cells = [q.quant, format_bytes(q.size), speed, quality]
            for column, text in enumerate(cells):
                self.quant_table.setItem(row, column, QTableWidgetItem(text))
        self.quant_table.fit_height()
        # Once laid out, the header has its real height: fit again, or the last row is cut off.
        # (The section is the timer's context: a page closed meanwhile drops the call.)
        QTimer.singleShot(0, self, self._refit)

    def _refit(self) -> None:
        self.quant_table.fit_height()
        self.measured_table.fit_height()
