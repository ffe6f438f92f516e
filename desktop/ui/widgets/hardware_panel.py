"""The hardware page: memory bars, GPUs, the size-class table with this machine's row, and
suggested models with their verdicts and a Pull button. Renders a HardwareReport; the probing
happens in HardwareController, off the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.hardware.machine import gb
from desktop.core.hardware.recommend import TIERS, LoadCheck
from desktop.core.hardware.report import HardwareReport
from desktop.core.hardware.sizing import Fit, Verdict

VERDICT_COLOURS = {
    Fit.GPU: "#15803d",
    Fit.PARTIAL: "#b45309",
    Fit.CPU: "#b45309",
    Fit.TOO_LARGE: "#b91c1c",
}
HIGHLIGHT = "#dbeafe"


class HardwarePanel(QWidget):
    """Emits pull_requested(tag) when the user asks for a suggested model."""

    pull_requested = Signal(str)
    refresh_requested = Signal()

    def __init__(self, controller: object | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hardwarePanel")
        self.report: HardwareReport | None = None
        self.pull_buttons: dict[str, QPushButton] = {}

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

        self.tier_table = QTableWidget(len(TIERS), 5)
        self.tier_table.setObjectName("tierTable")
        self.tier_table.setHorizontalHeaderLabels(
            [
                self.tr("Size"),
                self.tr("Rule of thumb"),
                self.tr("Example"),
                self.tr("Needs here"),
                self.tr("On this computer"),
            ]
        )
        self.tier_table.verticalHeader().setVisible(False)
        self.tier_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tier_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tier_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tier_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tier_table.horizontalHeader().setStretchLastSection(True)
        self.tier_table.setMaximumHeight(160)

        self.explanation = QLabel()
        self.explanation.setObjectName("hardwareExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.loads_label = QLabel()
        self.loads_label.setObjectName("spillWarning")
        self.loads_label.setWordWrap(True)
        self.loads_label.setVisible(False)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setObjectName("pullFigures")

        self.suggestion_grid = QGridLayout()
        self.suggestion_grid.setColumnStretch(4, 1)
        suggestions_box = QGroupBox(self.tr("Suggested models"))
        suggestions_box.setLayout(self.suggestion_grid)

        memory_box = QGroupBox(self.tr("Memory"))
        memory_layout = QVBoxLayout(memory_box)
        memory_layout.addWidget(self.ram_bar)
        memory_layout.addLayout(self.vram_box)
        memory_layout.addWidget(self.gpu_list)
        memory_layout.addWidget(self.cpu_label)
        tiers_box = QGroupBox(self.tr("Model sizes"))
        tiers_layout = QVBoxLayout(tiers_box)
        tiers_layout.addWidget(self.tier_table)
        tiers_layout.addWidget(self.explanation)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.status_label)
        header.addWidget(self.refresh_button)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(header)
        body_layout.addWidget(self.loads_label)
        body_layout.addWidget(memory_box)
        body_layout.addWidget(tiers_box)
        body_layout.addWidget(suggestions_box)
        body_layout.addWidget(self.notes_label)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.kind_names = {
            Fit.GPU: self.tr("Runs on your GPU"),
            Fit.PARTIAL: self.tr("Partly on GPU"),
            Fit.CPU: self.tr("CPU only (slow)"),
            Fit.TOO_LARGE: self.tr("Too large"),
        }
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
        self.status_label.setStyleSheet("color: #b91c1c")

    # -- plain sentences (translated here; the core's English summaries serve the CLI) --------

    def verdict_text(self, verdict: Verdict, name: str | None = None) -> str:
        name = name or verdict.name
        if verdict.kind is Fit.GPU:
            if verdict.unified:
                return self.tr(
                    "{0} needs about {1}; your Mac lets the GPU use {2}, so it runs fully on the GPU."
                ).format(name, gb(verdict.need), gb(verdict.gpu_budget))
            return self.tr("{0} needs about {1}; your GPU has {2} free, so it runs fully on the GPU.").format(
                name, gb(verdict.need), gb(verdict.gpu_budget)
            )
        if verdict.kind is Fit.PARTIAL:
            return self.tr(
                "{0} needs about {1}; your GPU has {2} free, so part of it would run on the CPU, about {3}x slower."  # noqa: E501
            ).format(
                name,
                gb(verdict.need),
                gb(verdict.gpu_budget),
                f"{verdict.slowdown:.1f}".rstrip("0").rstrip("."),
            )
        if verdict.kind is Fit.CPU:
            if verdict.gpu_budget >= 1 << 30:
                return self.tr(
                    "{0} needs about {1}, more than your GPU offers ({2}), so it would run on the CPU, slowly."  # noqa: E501
                ).format(name, gb(verdict.need), gb(verdict.gpu_budget))
            return self.tr(
                "{0} needs about {1}; with no GPU to use, it runs on the CPU from the {2} of memory free for models, at roughly {3} tokens a second."  # noqa: E501
            ).format(
                name, gb(verdict.need), gb(verdict.ram_budget), f"{max(1.0, verdict.tokens_per_second):.0f}"
            )
        return self.tr(
            "{0} needs about {1}, more than this computer can give a model, so it will not load."
        ).format(name, gb(verdict.need))

    def _machine_sentence(self, report: HardwareReport) -> str:
        m, b = report.machine, report.budget
        if b.unified:
            return self.tr(
                "This computer has {0} of memory shared by the CPU and GPU; the GPU may use {1}."
            ).format(gb(m.memory.total), gb(b.gpu))
        if b.has_gpu:
            return self.tr(
                "This computer has {0} of RAM ({1} usable for models) and {2} with {3} free."
            ).format(gb(m.memory.total), gb(b.ram), " + ".join(b.gpu_names), gb(b.gpu))
        return self.tr(
            "This computer has {0} of RAM ({1} usable for models) and no GPU that Ollama can use, so models run on the CPU."  # noqa: E501
        ).format(gb(m.memory.total), gb(b.ram))

    def explain(self, report: HardwareReport) -> list[str]:
        rows = report.tier.rows
        index = report.tier.index
        lines = [self._machine_sentence(report)]
        lines.append(
            # Two sentences in a row: a space in English, none in Chinese.
            self.tr("{0} {1}", "two sentences in a row").format(
                self.tr("It suits {0} models.").format(report.tier.label),
                self.verdict_text(rows[index].verdict),
            )
        )
        if index + 1 < len(rows):
            lines.append(self.verdict_text(rows[index + 1].verdict))
        if report.tier.on_battery:
            lines.append(
                self.tr(
                    "On battery: the suggestions are one size smaller, with a {0}-token context, to save power."  # noqa: E501
                ).format(report.num_ctx)
            )
        if report.machine.memory.limited_by and report.machine.memory.limited_by != "given":
            lines.append(
                self.tr("A container limit ({0}) caps memory at {1}; the computer itself has {2}.").format(
                    report.machine.memory.limited_by,
                    gb(report.machine.memory.total),
                    gb(report.machine.memory.host_total),
                )
            )
        return lines

    # -- rendering ---------------------------------------------------------------------------

    def set_report(self, report: HardwareReport) -> None:
        self.report = report
        self.status_label.setStyleSheet("")
        self.status_label.setText("")
        self._render_memory(report)
        self._render_tiers(report)
        self._render_suggestions(report)
        self.explanation.setText("\n".join(self.explain(report)))
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

    def _render_tiers(self, report: HardwareReport) -> None:
        bold = QFont(self.tier_table.font())
        bold.setBold(True)
        for row_index, row in enumerate(report.tier.rows):
            label = row.tier.label
            if row.highlighted:
                label = self.tr("{0} ◀ this computer").format(row.tier.label)
            rule = self.tr("about {0} of RAM").format(gb(row.tier.typical_memory))
            if row.tier.needs_gpu:
                rule = self.tr("about {0} of RAM and a GPU").format(gb(row.tier.typical_memory))
            cells = [
                label,
                rule,
                row.tier.representative,
                gb(row.verdict.need),
                self.kind_names[row.verdict.kind],
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(self.verdict_text(row.verdict))
                if column == 4:
                    item.setForeground(QBrush(QColor(VERDICT_COLOURS[row.verdict.kind])))
                if row.highlighted:
                    item.setBackground(QBrush(QColor(HIGHLIGHT)))
                    item.setFont(bold)
                self.tier_table.setItem(row_index, column, item)

    def highlighted_row(self) -> int:
        if self.report is None:
            return -1
        return next((i for i, row in enumerate(self.report.tier.rows) if row.highlighted), -1)

    def _render_suggestions(self, report: HardwareReport) -> None:
        while self.suggestion_grid.count():
            item = self.suggestion_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.pull_buttons = {}
        titles = {
            "chat_zh": self.tr("Chinese chat"),
            "chat_en": self.tr("English chat"),
            "code": self.tr("Code"),
            "fast": self.tr("Fast replies"),
            "embedding": self.tr("Embeddings (search, RAG)"),
        }
        chinese = self.locale().name().startswith("zh")
        for row, s in enumerate(report.suggestions):
            title = QLabel(titles.get(s.use, s.title))
            title.setFont(QFont(title.font().family(), -1, QFont.Weight.Bold))
            tag = QLabel(s.tag)
            tag.setObjectName("suggestedTag")
            tag.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            tag.setToolTip(s.description_zh if chinese else s.description)
            verdict = QLabel(self.kind_names[s.verdict.kind])
            verdict.setStyleSheet(f"color: {VERDICT_COLOURS[s.verdict.kind]}")
            needs = QLabel(self.tr("needs {0}").format(gb(s.verdict.need)))
            detail_parts = [self.verdict_text(s.verdict, s.tag)]
            if s.alternatives:
                detail_parts.append(
                    self.tr("Also good: {0}").format(", ".join(t for t, _v in s.alternatives))
                )
            detail = QLabel("\n".join(detail_parts))
            detail.setWordWrap(True)
            detail.setObjectName("pullFigures")
            button = QPushButton(self.tr("Pull"))
            button.setToolTip(self.tr("Download {0} with the model manager").format(s.tag))
            button.clicked.connect(lambda _checked=False, t=s.tag: self.pull_requested.emit(t))
            self.pull_buttons[s.use] = button
            for column, widget in enumerate((title, tag, verdict, needs, detail, button)):
                self.suggestion_grid.addWidget(widget, row, column)

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
        self.loads_label.setStyleSheet("color: #b45309")
        self.loads_label.setVisible(bool(lines))
