"""Runs the hardware probe off the UI thread and hands the report to the hardware panel.

The probe reads files and may call nvidia-smi or a native library; all of it runs in a worker
thread (asyncio.to_thread on the app's qasync loop), so the window never waits for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core import catalog as catalog_module
from desktop.core import disk
from desktop.core.hardware.budget import Budget, budget
from desktop.core.hardware.calibrate import Calibration
from desktop.core.hardware.machine import Machine
from desktop.core.hardware.probe import probe
from desktop.core.hardware.recommend import LoadCheck, check_loaded, spec_for_installed
from desktop.core.hardware.report import HardwareReport, build_report
from desktop.core.hardware.sizing import Verdict, estimate, judge
from desktop.core.ollama.types import ModelInfo, RunningModel, ShowInfo
from desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class HardwareController(QObject):
    """Signals are emitted on the Qt thread.

    `probe_fn` and `catalog` are injectable (tests, --ram/--vram style planning); by default
    the real probe and the bundled catalog are used.
    """

    report_ready = Signal(object)  # HardwareReport
    probe_failed = Signal(str)  # a plain sentence
    busy_changed = Signal(bool)
    loads_checked = Signal(list)  # list[LoadCheck], from /api/ps (ModelsController.running_changed)

    def __init__(
        self,
        *,
        probe_fn: Callable[[], Machine] | None = None,
        catalog: catalog_module.Catalog | None = None,
        num_ctx: int | None = None,
        battery_poll_ms: int = 60_000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = TaskRunner(self)
        self._probe_fn = probe_fn or probe
        self._catalog = catalog
        self._num_ctx = num_ctx
        self._report: HardwareReport | None = None
        # The folder whose free space the panel judges; None: Ollama's, else the engine's.
        self.models_folder: Path | None = None
        # Measured speeds (#20): predictions use the bandwidth they calibrate, once there are any.
        self.calibration: Calibration | None = None
        self._stale = False  # the running probe read an older calibration
        self.estimate: Budget | None = None  # the last probe's budget before any calibration
        self._battery_timer = QTimer(self)
        self._battery_timer.setInterval(battery_poll_ms)
        self._battery_timer.timeout.connect(self._on_battery_timer)

    @property
    def report(self) -> HardwareReport | None:
        return self._report

    @property
    def busy(self) -> bool:
        return self._tasks.busy

    def refresh(self) -> None:
        """Probe again (a no-op while a probe is running)."""
        if self.busy:
            return
        self.busy_changed.emit(True)
        self._tasks.start(
            asyncio.to_thread(self._work),
            on_result=self._on_report,
            on_error=self._on_probe_error,
            on_finished=lambda _t: self.busy_changed.emit(False),
        )

    def _work(self) -> HardwareReport:
        machine = self._probe_fn()
        cat = self._catalog
        if cat is None:
            cat = catalog_module.load_catalog()
        folder = self.models_folder or disk.default_models_dir()
        report = build_report(
            machine, cat, num_ctx=self._num_ctx, models_folder=folder, calibration=self.calibration
        )
        # The catalog browser's verdicts follow this machine, at its measured speed once calibrated.
        catalog_module.set_machine(machine, report.budget)
        return report

    def set_calibration(self, calibration: Calibration) -> None:
        """New measurements: probe again so every verdict is predicted from them."""
        self.calibration = calibration
        if self.busy:
            # The running probe read the old calibration: its report is dropped (the welcome and
            # the page would say "nothing measured" for a moment) and the probe runs again.
            self._stale = True
            return
        self.refresh()

    def _on_probe_error(self, error: BaseException) -> None:
        self._stale = False  # the next probe reads the new calibration anyway
        log.error("hardware probe failed", exc_info=error)
        self.probe_failed.emit(
            self.tr("This computer's hardware could not be checked: {0}").format(error)
            if isinstance(error, catalog_module.CatalogError)
            else self.tr("This computer's hardware could not be checked. The suggestions are unavailable.")
        )

    def _on_report(self, report: HardwareReport) -> None:
        if self._stale:
            self._stale = False
            QTimer.singleShot(0, self, self.refresh)  # once this probe's task has finished
            return
        self._report = report
        self.estimate = budget(report.machine)
        if report.machine.battery is not None:
            self._battery_timer.start()  # re-check when the laptop is plugged in or unplugged
        self.report_ready.emit(report)

    def _on_battery_timer(self) -> None:
        report = self._report
        if report is None or report.machine.battery is None or self.busy:
            return
        try:
            from desktop.core.hardware.context import psutil_battery

            battery = psutil_battery()
        except Exception:
            return
        if battery is not None and battery.on_battery != report.machine.battery.on_battery:
            self.refresh()

    def verdict_for_installed(self, model: ModelInfo, show: ShowInfo | None = None) -> Verdict | None:
        """Where an installed model would run here (None until the first probe has finished)."""
        report = self._report
        if report is None:
            return None
        try:
            cat = self._catalog or catalog_module.load_catalog()
        except catalog_module.CatalogError:
            cat = None
        return judge(spec_for_installed(model, show, cat), report.budget, report.num_ctx)

    def set_running(self, running: list[RunningModel]) -> None:
        """Compare what /api/ps reports with the estimate; connect to running_changed."""
        checks: list[LoadCheck] = []
        report = self._report
        for model in running:
            expected = None
            cat = self._catalog
            try:
                cat = cat or catalog_module.load_catalog()
                tag = cat.tag(model.name)
            except catalog_module.CatalogError:
                tag = None
            if tag is not None and report is not None:
                backend = report.budget.backend or "cuda"
                expected = estimate(tag.spec(), model.context_length or report.num_ctx, backend=backend)
            checks.append(check_loaded(model, expected))
        self.loads_checked.emit(checks)

    async def aclose(self) -> None:
        self._battery_timer.stop()
        # The worker thread cannot be interrupted; it ends on its own (every probe has a timeout).
        await self._tasks.aclose()
