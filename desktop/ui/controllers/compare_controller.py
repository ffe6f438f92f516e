"""Runs comparisons (desktop.core.bench) on the task runner and keeps the saved ones listed.

The run itself is async on the app's loop (it only waits on the model server); saving and
listing read and write files, so they run on the runner's worker threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.core.bench import DEFAULT_OPTIONS, BenchProgress, BenchResult, run_bench
from desktop.core.bench_store import BenchStore
from desktop.core.ollama.client import OllamaClient
from desktop.ui.tasks import TaskRunner, plain


class CompareController(QObject):
    models_listed = Signal(list)  # list[str]: installed models
    progress = Signal(object)  # BenchProgress
    finished = Signal(object)  # BenchResult, saved
    stopped = Signal()
    failed = Signal(str)  # a plain sentence
    saved_listed = Signal(list)  # list[BenchResult], newest first
    busy_changed = Signal(bool)

    def __init__(
        self,
        client_fn: Callable[[], OllamaClient],
        store: BenchStore | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client_fn = client_fn
        self._store = store
        self._tasks = TaskRunner(self, server_work=True)
        self._files = TaskRunner(self)
        self._running = False
        self.last: BenchResult | None = None

    @property
    def running(self) -> bool:
        return self._running

    def store(self) -> BenchStore:
        if self._store is None:
            self._store = BenchStore()
        return self._store

    def refresh_models(self) -> None:
        async def work() -> list[str]:
            return sorted(m.name for m in await self._client_fn().tags())

        self._tasks.start(work(), on_result=self.models_listed.emit, on_error=self._on_error)

    def refresh_saved(self) -> None:
        store = self.store()
        self._files.run_blocking(store.list, on_result=self.saved_listed.emit, on_error=self._on_error)

    def run(self, models: list[str], prompts: list[str], runs: int, num_predict: int) -> None:
        """Start a comparison (a no-op while one runs)."""
        if self._running or not models or not prompts:
            return
        self._running = True
        self.busy_changed.emit(True)
        options: dict[str, Any] = dict(DEFAULT_OPTIONS, num_predict=num_predict)

        def progress(p: BenchProgress) -> None:
            self.progress.emit(p)

        work = run_bench(self._client_fn(), models, prompts, runs=runs, options=options, on_progress=progress)
        self._tasks.start(
            work,
            on_result=self._on_result,
            on_error=self._on_error,
            on_cancelled=self.stopped.emit,
            on_finished=lambda _t: self._done(),
        )

    def stop(self) -> None:
        self._tasks.cancel_all()

    async def aclose(self) -> None:
        await self._tasks.aclose()
        await self._files.aclose()

    def _done(self) -> None:
        self._running = False
        self.busy_changed.emit(False)

    def _on_result(self, result: BenchResult) -> None:
        self.last = result
        store = self.store()

        def save() -> BenchResult:
            store.save(result)
            return result

        def saved(r: BenchResult) -> None:
            self.finished.emit(r)
            self.refresh_saved()

        def not_saved(err: BaseException) -> None:
            self.finished.emit(result)
            self.failed.emit(self.tr("The comparison could not be saved: {0}").format(plain(err)))

        self._files.run_blocking(save, on_result=saved, on_error=not_saved)

    def _on_error(self, err: BaseException) -> None:
        self.failed.emit(plain(err))
