"""The Compare page: pick installed models, a prompt (or one per line) and a number of runs; each
model answers alone in memory; its figures, answers side by side and bars of speed and memory.
Saved comparisons are listed and open again with a click."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.bench import DEFAULT_PROMPT, BenchProgress, BenchResult
from desktop.ui.controllers.compare_controller import CompareController
from desktop.ui.widgets.compare_chart import CompareChart
from desktop.ui.widgets.compare_tables import AnswersView, RunsTable, SummaryTable

_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _when(created_at: str) -> str:
    """When a comparison ran, local time, in the UI language ("1 December 11:02", "12月1日 11:02")."""
    moment = QDateTime.fromString(created_at, Qt.DateFormat.ISODate)
    if not moment.isValid():
        return created_at
    fmt = QCoreApplication.translate("ComparePage", "d MMMM HH:mm", "when a comparison ran, a Qt date format")
    return QLocale().toString(moment.toLocalTime(), fmt)


class ComparePage(QWidget):
    def __init__(self, controller: CompareController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._saved: dict[str, BenchResult] = {}
        self.shown: BenchResult | None = None

        self.models = QListWidget(self)
        self.models.setToolTip(self.tr("Tick the models to compare; they run in this order."))
        self.prompt = QPlainTextEdit(self)
        self.prompt.setPlainText(DEFAULT_PROMPT)
        self.prompt.setPlaceholderText(self.tr("One prompt per line"))
        self.prompt.setMaximumHeight(90)
        self.runs = QSpinBox(self)
        self.runs.setRange(1, 20)
        self.runs.setValue(3)
        self.num_predict = QSpinBox(self)
        self.num_predict.setRange(8, 4096)
        self.num_predict.setValue(128)
        self.run_button = QPushButton(self.tr("Run comparison"), self)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setEnabled(False)
        self.refresh_button = QPushButton(self.tr("Refresh models"), self)
        self.repeat_button = QPushButton(self.tr("Run again"), self)
        self.repeat_button.setToolTip(
            self.tr("Run the comparison shown again: the same models, prompts and number of runs.")
        )
        self.repeat_button.setEnabled(False)
        self.status = QLabel(
            self.tr(
                "Each model answers alone: the others are unloaded first, so each gets the whole machine."
            ),
            self,
        )
        self.status.setWordWrap(True)
        self.saved = QListWidget(self)

        form = QFormLayout()
        form.addRow(self.tr("Runs per prompt"), self.runs)
        form.addRow(self.tr("Longest answer (tokens)"), self.num_predict)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.repeat_button)
        left = QWidget(self)
        side = QVBoxLayout(left)
        side.addWidget(QLabel(self.tr("Installed models"), left))
        side.addWidget(self.models, 2)
        side.addWidget(self.refresh_button)
        side.addWidget(QLabel(self.tr("Prompt"), left))
        side.addWidget(self.prompt)
        side.addLayout(form)
        side.addLayout(buttons)
        side.addWidget(self.status)
        side.addWidget(QLabel(self.tr("Saved comparisons"), left))
        side.addWidget(self.saved, 1)

        self.summary = SummaryTable(self)
        self.summary_note = QLabel(
            self.tr(
                "Each figure is the median of its runs, with the lowest and highest in brackets where they differ."  # noqa: E501
            ),
            self,
        )
        self.summary_note.setWordWrap(True)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.summary_note)
        top_layout.addWidget(self.summary, 1)
        self.chart = CompareChart(self)
        self.answers = AnswersView(self)
        self.runs_table = RunsTable(self)
        tabs = QTabWidget(self)
        tabs.addTab(self.answers, self.tr("Answers side by side"))
        tabs.addTab(self.runs_table, self.tr("Every run"))
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(top)
        right.addWidget(self.chart)
        right.addWidget(tabs)
        right.setSizes([140, 240, 260])
        outer = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(left)
        outer.addWidget(right)
        outer.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(outer)

        self.run_button.clicked.connect(self.start)
        self.repeat_button.clicked.connect(self.repeat)
        self.stop_button.clicked.connect(controller.stop)
        self.refresh_button.clicked.connect(controller.refresh_models)
        self.saved.currentItemChanged.connect(self._on_saved_picked)
        controller.models_listed.connect(self.set_models)
        controller.progress.connect(self._on_progress)
        controller.finished.connect(self.show_result)
        controller.stopped.connect(lambda: self.status.setText(self.tr("Stopped.")))
        controller.failed.connect(lambda text: self.status.setText(self.tr("Failed: {0}").format(text)))
        controller.saved_listed.connect(self.set_saved)
        controller.busy_changed.connect(self._on_busy)

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        if not self.models.count():
            self.controller.refresh_models()
            self.controller.refresh_saved()
        super().showEvent(event)  # type: ignore[arg-type]

    def set_models(self, names: list[str]) -> None:
        ticked = set(self.chosen_models())
        self.models.clear()
        for name in names:
            item = QListWidgetItem(name, self.models)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in ticked else Qt.CheckState.Unchecked)

    def tick(self, names: list[str]) -> None:
        for i in range(self.models.count()):
            item = self.models.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked)

    def chosen_models(self) -> list[str]:
        items = (self.models.item(i) for i in range(self.models.count()))
        return [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]

    def prompts(self) -> list[str]:
        return [line.strip() for line in self.prompt.toPlainText().splitlines() if line.strip()]

    def start(self) -> None:
        models, prompts = self.chosen_models(), self.prompts()
        if not models:
            self.status.setText(self.tr("Tick at least one model to compare."))
            return
        if not prompts:
            self.status.setText(self.tr("Write a prompt first."))
            return
        self.runs_table.clear_runs()
        self.controller.run(models, prompts, self.runs.value(), self.num_predict.value())

    def repeat(self) -> None:
        """The comparison shown, again: its models, prompts, runs and answer length."""
        shown = self.shown
        if shown is None:
            return
        self.tick(shown.models)
        self.prompt.setPlainText("\n".join(shown.prompts))
        self.runs.setValue(max((r.run for r in shown.runs), default=1))
        length = shown.options.get("num_predict")
        if isinstance(length, int) and not isinstance(length, bool):
            self.num_predict.setValue(length)
        self.start()

    def _on_busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.repeat_button.setEnabled(not busy and self.shown is not None)

    def _on_progress(self, p: BenchProgress) -> None:
        if p.finished is None:
            self.status.setText(
                self.tr("Run {0} of {1}: {2}, run {3} of {4}…").format(
                    p.step, p.total, p.model, p.run, p.runs
                )
            )
            return
        self.runs_table.add_run(p.finished)

    def show_result(self, result: BenchResult) -> None:
        self.shown = result
        summaries = result.summaries()
        self.summary.show_summaries(summaries)
        self.chart.show_summaries(summaries)
        self.answers.show_result(result)
        self.runs_table.clear_runs()
        for r in result.runs:
            self.runs_table.add_run(r)
        self.status.setText(
            self.tr("Comparison of {0} models from {1}.").format(len(result.models), _when(result.created_at))
        )
        self.repeat_button.setEnabled(not self.controller.running)

    def set_saved(self, results: list[BenchResult]) -> None:
        self._saved = {r.id: r for r in results}
        self.saved.blockSignals(True)
        self.saved.clear()
        for r in results:
            speeds = ", ".join(
                self.tr("{0}: {1} tokens/s").format(s.model, f"{s.figures['tokens_per_second'].median:.1f}")
                for s in r.summaries()
                if s.runs
            )
            line = self.tr("{0} — {1}", "a saved comparison: when it ran, its speeds").format(
                _when(r.created_at), speeds
            )
            item = QListWidgetItem(line, self.saved)
            item.setToolTip(speeds)
            item.setData(_ID_ROLE, r.id)
            if self.shown is not None and r.id == self.shown.id:
                self.saved.setCurrentItem(item)
        self.saved.blockSignals(False)

    def _on_saved_picked(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is None:
            return
        result = self._saved.get(str(item.data(_ID_ROLE)))
        if result is not None:
            self.show_result(result)
