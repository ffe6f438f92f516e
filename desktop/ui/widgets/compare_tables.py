"""The figures of a comparison as tables and its answers side by side."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.bench import BenchResult, BenchRun, ModelSummary, Spread

_MIB = 1024**2


def seconds(value: float) -> str:
    return f"{value:.2f}"


def speed(value: float) -> str:
    return f"{value:.1f}"


def mib(value: float) -> str:
    return f"{value / _MIB:.0f}"


def spread_text(spread: Spread, show: Callable[[float], str] = speed) -> str:
    if show(spread.low) == show(spread.high):
        return show(spread.median)
    return f"{show(spread.median)} ({show(spread.low)}–{show(spread.high)})"


def _setup(table: QTableWidget, headers: list[str]) -> None:
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)


def _fill_row(table: QTableWidget, row: int, cells: list[str]) -> None:
    for column, text in enumerate(cells):
        item = QTableWidgetItem(text)
        if column > 0:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        table.setItem(row, column, item)


class SummaryTable(QTableWidget):
    """A row per model: medians with min–max where the runs differ."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        headers = [
            self.tr("Model"),
            self.tr("Runs"),
            self.tr("Load (s)"),
            self.tr("First token (s)"),
            self.tr("Prompt (tokens/s)"),
            self.tr("Answer (tokens/s)"),
            self.tr("Memory (MiB)"),
            self.tr("GPU (MiB)"),
        ]
        _setup(self, headers)
        prompt = self.horizontalHeaderItem(4)
        if prompt is not None:
            prompt.setToolTip(
                self.tr("From each prompt's first run: later runs find the prompt already read (cached).")
            )

    def show_summaries(self, summaries: list[ModelSummary]) -> None:
        self.setRowCount(len(summaries))
        for row, s in enumerate(summaries):
            f = s.figures
            runs = str(s.runs) if not s.failed else self.tr("{0} ({1} failed)").format(s.runs, s.failed)
            if not s.runs:
                _fill_row(self, row, [s.model, runs, "–", "–", "–", "–", "–", "–"])
                continue
            _fill_row(
                self,
                row,
                [
                    s.model,
                    runs,
                    spread_text(f["load_seconds"], seconds),
                    spread_text(f["first_token_seconds"], seconds),
                    spread_text(f["prompt_tokens_per_second"]),
                    spread_text(f["tokens_per_second"]),
                    mib(f["size"].median),
                    mib(f["size_vram"].median),
                ],
            )


class RunsTable(QTableWidget):
    """Every run's own figures, in the order they ran."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        headers = [
            self.tr("Model"),
            self.tr("Run"),
            self.tr("Load (s)"),
            self.tr("First token (s)"),
            self.tr("Prompt tokens"),
            self.tr("Prompt (tokens/s)"),
            self.tr("Answer tokens"),
            self.tr("Answer (tokens/s)"),
            self.tr("Characters"),
            self.tr("Memory (MiB)"),
            self.tr("GPU (MiB)"),
        ]
        _setup(self, headers)

    def clear_runs(self) -> None:
        self.setRowCount(0)

    def add_run(self, r: BenchRun) -> None:
        row = self.rowCount()
        self.insertRow(row)
        if not r.ok:
            _fill_row(self, row, [r.model, str(r.run), self.tr("failed: {0}").format(r.error)])
            return
        _fill_row(
            self,
            row,
            [
                r.model,
                str(r.run),
                seconds(r.load_seconds),
                seconds(r.first_token_seconds),
                str(r.prompt_eval_count),
                speed(r.prompt_tokens_per_second),
                str(r.eval_count),
                speed(r.tokens_per_second),
                str(r.output_chars),
                mib(r.size),
                mib(r.size_vram),
            ],
        )


class AnswersView(QWidget):
    """Each model's last answer in a column of its own, so they read side by side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QPlainTextEdit] = {}

    def show_result(self, result: BenchResult) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.boxes = {}
        for model in result.models:
            runs = result.runs_of(model)
            last = next((r for r in reversed(runs) if r.ok), None)
            group = QGroupBox(model, self)
            inner = QVBoxLayout(group)
            text = QPlainTextEdit(group)
            text.setReadOnly(True)
            if last is not None:
                text.setPlainText(last.answer)
            elif runs:
                text.setPlainText(self.tr("No answer: {0}").format(runs[-1].error))
            inner.addWidget(text)
            self._layout.addWidget(group)
            self.boxes[model] = text
