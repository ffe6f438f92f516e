"""The hardware page's measurements: reads the saved comparisons into a Calibration, and runs the
short probe the user can start (the smallest installed model, two short answers, alone in memory)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from desktop.core.bench import BenchResult, run_bench
from desktop.core.bench_store import BenchStore
from desktop.core.hardware.budget import Budget
from desktop.core.hardware.calibrate import Calibration, calibrate
from desktop.core.ollama.client import OllamaClient
from desktop.ui.tasks import TaskRunner, plain

# Two prompts, one answer each: the second one's prompt speed is reading speed (the first also
# pages the weights in after the load); both decode.
PROBE_PROMPTS = ("Count from one to twenty in words.", "Name the seven days of the week, in order.")
PROBE_OPTIONS = {"temperature": 0, "seed": 3, "num_predict": 32}


class CalibrationController(QObject):
    calibrated = Signal(object)  # Calibration
    probe_running = Signal(bool)
    probe_failed = Signal(str)

    def __init__(
        self,
        client_fn: Callable[[], OllamaClient],
        cores_fn: Callable[[], int],
        store: BenchStore | None = None,
        parent: QObject | None = None,
        estimate_fn: Callable[[], Budget | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._client_fn = client_fn
        self._cores_fn = cores_fn
        # The probe's budget before any calibration: what the scaled fit starts from (GPU included).
        self._estimate_fn = estimate_fn or (lambda: None)
        self._store = store
        self._server = TaskRunner(self, server_work=True)
        self._files = TaskRunner(self)
        self.calibration = Calibration()

    def store(self) -> BenchStore:
        if self._store is None:
            self._store = BenchStore()
        return self._store

    def reload(self) -> None:
        store, cores, estimate = self.store(), self._cores_fn(), self._estimate_fn()
        self._files.run_blocking(
            lambda: calibrate(store.list(), cores, estimate), on_result=self._on_calibration
        )

    def start_probe(self) -> None:
        if self._server.busy:
            return

        async def work() -> BenchResult:
            client = self._client_fn()
            installed = [m for m in await client.tags() if m.size > 0 and "embed" not in m.name]
            if not installed:
                raise RuntimeError(self.tr("No model is installed to measure with."))
            smallest = min(installed, key=lambda m: m.size)
            return await run_bench(
                client, [smallest.name], list(PROBE_PROMPTS), runs=1, options=dict(PROBE_OPTIONS)
            )

        self.probe_running.emit(True)
        self._server.start(
            work(),
            on_result=self._on_probe,
            on_error=lambda e: self.probe_failed.emit(plain(e)),
            on_cancelled=lambda: self.probe_failed.emit(self.tr("Measuring was cancelled.")),
            on_finished=lambda _t: self.probe_running.emit(False),
        )

    def cancel_probe(self) -> None:
        self._server.cancel_all()

    async def aclose(self) -> None:
        await self._server.aclose()
        await self._files.aclose()

    def _on_probe(self, result: BenchResult) -> None:
        failed = [r for r in result.runs if not r.ok]
        if failed:
            self.probe_failed.emit(failed[0].error)
            return
        store = self.store()
        self._files.run_blocking(lambda: store.save(result), on_result=lambda _p: self.reload())

    def _on_calibration(self, calibration: Calibration) -> None:
        self.calibration = calibration
        self.calibrated.emit(calibration)
