"""A shown comparison runs again with its own models, prompts, runs and answer length; its time and
the medians' note are in the UI language."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QTranslator

from desktop.core.bench import BenchResult, BenchRun
from desktop.paths import resource_path
from desktop.ui.controllers.compare_controller import CompareController
from desktop.ui.widgets.compare_page import ComparePage


class Recording(CompareController):
    """Records what a run would start instead of talking to a server."""

    def __init__(self) -> None:
        super().__init__(lambda: None)  # type: ignore[arg-type, return-value]
        self.started: list[tuple[list[str], list[str], int, int]] = []

    def run(self, models: list[str], prompts: list[str], runs: int, num_predict: int) -> None:
        self.started.append((models, prompts, runs, num_predict))

    def refresh_models(self) -> None:
        self.models_listed.emit(["a:1b", "b:2b", "c:3b"])

    def refresh_saved(self) -> None:
        self.saved_listed.emit([])


def _saved() -> BenchResult:
    runs = [
        BenchRun(m, p, n, eval_count=10, eval_duration=10**9, answer="ok")
        for m in ("b:2b", "a:1b")
        for p in ("one", "two")
        for n in (1, 2, 3)
    ]
    return BenchResult(
        models=["b:2b", "a:1b"],
        prompts=["one", "two"],
        options={"num_predict": 40},
        created_at="2026-12-01T09:30:00+00:00",
        runs=runs,
        id="x",
    )


def test_run_again_repeats_the_comparison_shown(qtbot: Any) -> None:
    controller = Recording()
    page = ComparePage(controller)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.models.count() == 3)
    assert not page.repeat_button.isEnabled()  # nothing shown yet
    page.show_result(_saved())
    assert page.repeat_button.isEnabled()
    assert page.status.text().startswith("Comparison of 2 models from 1 December ")
    assert "median of its runs" in page.summary_note.text() and page.summary_note.isVisible()
    page.repeat_button.click()
    # The page's list order, the saved prompts, three runs, forty tokens.
    assert controller.started == [(["a:1b", "b:2b"], ["one", "two"], 3, 40)]
    assert page.chosen_models() == ["a:1b", "b:2b"] and page.num_predict.value() == 40


def test_chinese_time_and_note(qtbot: Any) -> None:
    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "ollama_desk_zh_CN.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        page = ComparePage(Recording())
        qtbot.addWidget(page)
        page.show_result(_saved())
        assert "12月1日" in page.status.text() and "December" not in page.status.text()
        assert "median" not in page.summary_note.text()
        assert page.repeat_button.text() != "Run again"
    finally:
        QCoreApplication.removeTranslator(translator)
