"""The hardware page: memory bars, GPUs, the size-class table with this machine's row, the
seed's minimum/recommended parts, and suggested models with their verdicts and a Pull button.
Renders a HardwareReport; the probing happens in HardwareController, off the UI thread. The
boxes live in hardware_sections, the sentences in hardware_text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.hardware.machine import gb
from desktop.core.hardware.recommend import LoadCheck
from desktop.core.hardware.report import HardwareReport
from desktop.core.hardware.sizing import Verdict
from desktop.ui.widgets import hardware_text as words
from desktop.ui.widgets.hardware_measured import MeasuredSection
from desktop.ui.widgets.hardware_sections import RequirementsSection, SuggestionsSection, TierSection

MAX_PAGE_WIDTH = 1100


class HardwarePanel(QWidget):
    """Emits pull_requested(tag) when the user asks for a suggested model."""

    pull_requested = Signal(str)
    refresh_requested = Signal()

    def __init__(self, controller: object | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hardwarePanel")
        self.report: HardwareReport | None = None

        self.title = QLabel(self.tr("Your computer and the models it can run"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.status_label = QLabel(self.tr("Checking this computer…"))
        self.status_label.setObjectName("pullFigures")
        self.refresh_button = QPushButton(self.tr("Check again"))
        self.refresh_button.clicked.connect(self.refresh_requested)

        self.ram_bar = QProgressBar()
        self.ram_bar.setObjectName("ramBar")
        self.ram_bar.setTextVisible(True)
        self.ram_bar.setRange(0, 1000)
        self.vram_box = QVBoxLayout()
        self.vram_bars: list[QProgressBar] = []

        self.gpu_list = QTreeWidget()
        self.gpu_list.setObjectName("gpuList")
        self.gpu_list.setRootIsDecorated(False)
        self.gpu_list.setHeaderLabels(
            [self.tr("GPU"), self.tr("Memory"), self.tr("Free"), self.tr("Driver"), self.tr("Used by Ollama")]
        )
        self.gpu_list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.cpu_label = QLabel()
        self.cpu_label.setWordWrap(True)

        self.tiers_box = TierSection()
        self.tier_table = self.tiers_box.table
        self.explanation = self.tiers_box.explanation
        self.requirements_box = RequirementsSection()
        self.suggestions_box = SuggestionsSection()
        self.suggestions_box.pull_requested.connect(self.pull_requested)
        self.loads_label = QLabel()
        self.loads_label.setObjectName("spillWarning")
        self.loads_label.setWordWrap(True)
        self.loads_label.setVisible(False)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setObjectName("pullFigures")

        memory_box = QGroupBox(self.tr("Memory"))
        memory_layout = QVBoxLayout(memory_box)
        memory_layout.addWidget(self.ram_bar)
        memory_layout.addLayout(self.vram_box)
        memory_layout.addWidget(self.gpu_list)
        memory_layout.addWidget(self.cpu_label)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.status_label)
        header.addWidget(self.refresh_button)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(header)
        body_layout.addWidget(self.loads_label)
        body_layout.addWidget(memory_box)
        body_layout.addWidget(self.tiers_box)
        body_layout.addWidget(self.suggestions_box)
        self.measured_box = MeasuredSection(self)  # measured speeds and the quantization choice (#20)
        body_layout.addWidget(self.measured_box)
        body_layout.addWidget(self.requirements_box)
        body_layout.addWidget(self.notes_label)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # The page wraps to the window's width: a sideways scroll bar would hide the verdicts.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        # Lines and tables stay readable on a wide screen: the page stops growing, centred.
        body.setMaximumWidth(MAX_PAGE_WIDTH)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        if controller is not None:
            self.connect_controller(controller)

    # -- wiring ------------------------------------------------------------------------------

    def connect_controller(self, controller: object) -> None:
        from desktop.ui.controllers.hardware_controller import HardwareController

        assert isinstance(controller, HardwareController)
        controller.report_ready.connect(self.set_report)
        controller.probe_failed.connect(self.show_error)
        controller.busy_changed.connect(self.set_busy)
        controller.loads_checked.connect(self.set_load_checks)
        self.refresh_requested.connect(controller.refresh)
        if controller.report is not None:
            self.set_report(controller.report)

    def set_busy(self, busy: bool) -> None:
        self.refresh_button.setEnabled(not busy)
        if busy:
            self.status_label.setText(self.tr("Checking this computer…"))
        elif self.report is not None:
            self.status_label.setText("")

    def show_error(self, message: str) -> None:
        self.status_label.setText(message)
        self.status_label.setStyleSheet(f"color: {words.colour('below')}")

    # -- plain sentences (hardware_text; the core's English summaries serve the CLI) -----------

    def verdict_text(self, verdict: Verdict, name: str | None = None) -> str:
        return words.verdict_sentence(verdict, name)

    def explain(self, report: HardwareReport) -> list[str]:
        return words.explain(report)

    # -- rendering ---------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        # A theme switch: the verdict colours and the highlighted row are the theme's own.
        if event.type() == QEvent.Type.PaletteChange and self.report is not None:
            self.set_report(self.report)

    def set_report(self, report: HardwareReport) -> None:
        self.report = report
        self.status_label.setStyleSheet("")
        self.status_label.setText("")
        self._render_memory(report)
        self.tiers_box.show_report(report)
        self.suggestions_box.show_report(report)
        self.measured_box.show_report(report)
        self.requirements_box.show_report(report)
        self.notes_label.setText("\n".join(report.machine.notes))
        self.notes_label.setVisible(bool(report.machine.notes))

    def _render_memory(self, report: HardwareReport) -> None:
        mem = report.machine.memory
        used = max(0, mem.total - mem.available)
        self.ram_bar.setValue(int(1000 * used / mem.total) if mem.total else 0)
        self.ram_bar.setFormat(self.tr("RAM: {0} free of {1}").format(gb(mem.available), gb(mem.total)))
        for bar in self.vram_bars:
            self.vram_box.removeWidget(bar)
            bar.deleteLater()
        self.vram_bars = []
        self.gpu_list.clear()
        for gpu in report.machine.gpus:
            used_by_ollama = gpu.name in report.budget.gpu_names
            free = gb(gpu.vram_free) if gpu.vram_free is not None else self.tr("unknown")
            memory = gb(gpu.vram_total) if gpu.vram_total else self.tr("unknown")
            if gpu.integrated:
                memory = (
                    self.tr("shares system memory") if not gpu.vram_total or gpu.vendor != "apple" else memory
                )
            QTreeWidgetItem(
                self.gpu_list,
                [gpu.name, memory, free, gpu.driver, self.tr("yes") if used_by_ollama else self.tr("no")],
            )
            if gpu.vram_total and (not gpu.integrated or gpu.vendor == "apple"):
                bar = QProgressBar()
                bar.setObjectName("vramBar")
                bar.setRange(0, 1000)
                free_bytes = gpu.vram_free if gpu.vram_free is not None else gpu.vram_total
                bar.setValue(int(1000 * (gpu.vram_total - free_bytes) / gpu.vram_total))
                if gpu.vram_free is None:
                    bar.setFormat(self.tr("{0}: {1} of GPU memory").format(gpu.name, gb(gpu.vram_total)))
                else:
                    bar.setFormat(
                        self.tr("{0}: {1} free of {2}").format(
                            gpu.name, gb(gpu.vram_free), gb(gpu.vram_total)
                        )
                    )
                self.vram_box.addWidget(bar)
                self.vram_bars.append(bar)
        if not report.machine.gpus:
            QTreeWidgetItem(self.gpu_list, [self.tr("No GPU found"), "", "", "", self.tr("no")])
        # As tall as its rows: one GPU should not leave a large empty box.
        first = self.gpu_list.topLevelItem(0)
        row_height = self.gpu_list.visualItemRect(first).height() if first is not None else 0
        row_height = row_height or self.fontMetrics().height() + 4
        rows = self.gpu_list.topLevelItemCount()
        self.gpu_list.setFixedHeight(self.gpu_list.header().sizeHint().height() + rows * row_height + 6)
        cpu = report.machine.cpu
        self.cpu_label.setText(
            self.tr("Processor: {0}, {1} cores, {2} threads").format(
                cpu.model or self.tr("unknown"), cpu.cores, cpu.threads
            )
        )

    def highlighted_row(self) -> int:
        if self.report is None:
            return -1
        return next((i for i, row in enumerate(self.report.tier.rows) if row.highlighted), -1)

    @property
    def pull_buttons(self) -> dict[str, QPushButton]:
        return self.suggestions_box.pull_buttons

    def set_load_checks(self, checks: list[LoadCheck]) -> None:
        """Warn about loaded models that spilled to the CPU (from /api/ps)."""
        lines = []
        for check in checks:
            if check.spilled and check.size_vram > 0:
                lines.append(
                    self.tr(
                        "{0} spilled to the CPU: {1} of {2} is on the GPU, the rest runs on the CPU, so replies are slower. A smaller model or a shorter context would fit."  # noqa: E501
                    ).format(check.name, gb(check.size_vram), gb(check.size))
                )
            elif check.spilled and self.report is not None and self.report.budget.has_gpu:
                lines.append(
                    self.tr("{0} is running on the CPU only, although this computer has a GPU.").format(
                        check.name
                    )
                )
        self.loads_label.setText("\n".join(lines))
        self.loads_label.setStyleSheet(f"color: {words.colour('slow')}")
        self.loads_label.setVisible(bool(lines))
