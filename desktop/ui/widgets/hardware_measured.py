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
from desktop.core.hardware.calibrate import Calibration
from desktop.core.hardware.quant_choice import quant_rows
from desktop.core.hardware.report import HardwareReport
from desktop.core.hardware.speed import USABLE_TOKENS_PER_SECOND, format_speed, tokens_per_second
from desktop.core.pulls import format_bytes
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
            [self.tr("Model"), self.tr("Size"), self.tr("Measured"), self.tr("Predicted for its size")],
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
        if cal.cpu_points:
            self.summary.setText(
                self.tr(
                    "Speeds on this page are predicted from the memory bandwidth measured here: {0} GB/s "
                    "(models measured: {1}). Chat needs about {2} tokens/s to read comfortably."
                ).format(
                    f"{cal.cpu_bandwidth / 1e9:.1f}", cal.cpu_points, format_speed(USABLE_TOKENS_PER_SECOND)
                )
            )
            self.probe_status.setText("")
        else:
            self.summary.setText(
                self.tr(
                    "Nothing measured yet: speeds on this page are estimates from the number of cores. "
                    "Measure this computer, or compare models on the Compare page, to learn its own speed."
                )
            )
        self.measured_table.setRowCount(len(cal.measured))
        for row, m in enumerate(cal.measured):
            predicted = tokens_per_second(
                m.weights, gpu_share=0, gpu_bw=b.gpu_bandwidth, cpu_bw=b.cpu_bandwidth, cores=b.cores
            )
            cells = [
                m.model,
                format_bytes(m.weights),
                self.tr("measured {0} tokens/s on {1}").format(format_speed(m.tokens_per_second), m.day),
                self.tr("about {0} tokens/s").format(format_speed(predicted)),
            ]
            for column, text in enumerate(cells):
                self.measured_table.setItem(row, column, QTableWidgetItem(text))
        self.measured_table.setVisible(bool(cal.measured))
        self.measured_table.fit_height()
        self._render_quants(report, cal)

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
        for row, q in enumerate(rows):
            if q.measured is not None:
                speed = self.tr("measured {0} tokens/s on {1}").format(
                    format_speed(q.measured.tokens_per_second), q.measured.day
                )
            elif q.fits:
                speed = self.tr("about {0} tokens/s").format(format_speed(q.predicted))
            else:
                speed = self.tr("does not fit")
            cells = [q.quant, format_bytes(q.size), speed, f"+{q.perplexity_increase:.4f} ({q.quality})"]
            for column, text in enumerate(cells):
                self.quant_table.setItem(row, column, QTableWidgetItem(text))
        self.quant_table.fit_height()
        # Once laid out, the header has its real height: fit again, or the last row is cut off.
        # (The section is the timer's context: a page closed meanwhile drops the call.)
        QTimer.singleShot(0, self, self._refit)

    def _refit(self) -> None:
        self.quant_table.fit_height()
        self.measured_table.fit_height()
