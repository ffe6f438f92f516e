"""Measured speeds in the app (#20): the Compare page, and the hardware page learning from it.

Kept out of app.py so the composition root only creates this and closes it: a comparison that
finishes recalibrates; a new calibration makes the hardware page predict again from it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.core.hardware.calibrate import Calibration
from desktop.core.session import Session
from desktop.ui.controllers.calibration_controller import CalibrationController
from desktop.ui.controllers.compare_controller import CompareController
from desktop.ui.controllers.hardware_controller import HardwareController
from desktop.ui.main_window import MainWindow
from desktop.ui.widgets.compare_page import ComparePage
from desktop.ui.widgets.hardware_panel import HardwarePanel


def _cores(hardware: HardwareController) -> int:
    if hardware.report is not None:
        return hardware.report.budget.cores
    import psutil

    return psutil.cpu_count(logical=False) or 4


class Measurements:
    def __init__(
        self, window: MainWindow, session: Session, hardware: HardwareController, panel: HardwarePanel
    ) -> None:
        self.compare = CompareController(lambda: session.client)
        self.compare_page = ComparePage(self.compare)
        window.add_page(self.compare_page, QCoreApplication.translate("Desk", "Compare"))
        self.calibration = CalibrationController(
            lambda: session.client, lambda: _cores(hardware), estimate_fn=lambda: hardware.estimate
        )
        self.hardware = hardware
        section = panel.measured_box
        section.probe_requested.connect(self.calibration.start_probe)
        section.cancel_requested.connect(self.calibration.cancel_probe)
        self.calibration.probe_running.connect(section.set_probe_running)
        self.calibration.probe_failed.connect(section.show_probe_error)
        self.calibration.calibrated.connect(self._on_calibrated)
        self.compare.finished.connect(lambda _result: self.calibration.reload())

    def start(self) -> None:
        self.calibration.reload()

    def _on_calibrated(self, calibration: Calibration) -> None:
        if calibration.empty and self.hardware.calibration is None:
            return  # nothing measured yet: the page's first report stands
        self.hardware.set_calibration(calibration)

    async def aclose(self) -> None:
        await self.compare.aclose()
        await self.calibration.aclose()
