"""Bars of a comparison: decoding speed (median, with the min-max spread) and memory per model.

pyqtgraph (MIT, pure Python over numpy, 1.9 MB wheel) draws them; QtCharts would need
PySide6-Addons, a far larger download for one chart.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QWidget

from desktop.core.bench import ModelSummary

_MIB = 1024**2


def _short(name: str, width: int = 18) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


class ComparePlot(pg.PlotWidget):  # type: ignore[misc]
    """One bar chart with a model per bar, named along the bottom."""

    def __init__(self, title: str, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        palette = self.palette()
        self.setBackground(palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        self.setTitle(title, color=text.name())
        self.setLabel("left", unit, color=text.name())
        for axis in ("left", "bottom"):
            self.getAxis(axis).setTextPen(text)
            self.getAxis(axis).setPen(text)
        self.setMinimumHeight(180)
        self.values: list[float] = []  # what the bars show, for tests and accessibility

    def show_bars(
        self,
        names: list[str],
        values: list[float],
        color: QColor,
        *,
        low: list[float] | None = None,
        high: list[float] | None = None,
        inner: list[float] | None = None,
        inner_color: QColor | None = None,
    ) -> None:
        self.clear()
        self.values = list(values)
        if not names:
            return
        xs = np.arange(len(names), dtype=float)
        heights = np.asarray(values, dtype=float)
        self.addItem(pg.BarGraphItem(x=xs, height=heights, width=0.6, brush=color, pen=color.darker(130)))
        if inner is not None and inner_color is not None and any(inner):
            inside = np.asarray(inner, dtype=float)
            self.addItem(pg.BarGraphItem(x=xs, height=inside, width=0.36, brush=inner_color, pen=inner_color))
        if low is not None and high is not None and len(low) == len(values) == len(high):
            below = heights - np.asarray(low, dtype=float)
            above = np.asarray(high, dtype=float) - heights
            text = self.palette().color(QPalette.ColorRole.Text)
            self.addItem(pg.ErrorBarItem(x=xs, y=heights, top=above, bottom=below, beam=0.2, pen=text))
        self.getAxis("bottom").setTicks([[(i, _short(n)) for i, n in enumerate(names)]])
        self.setXRange(-0.6, max(0, len(names) - 1) + 0.6, padding=0)
        top = max([*values, *(high or []), 1.0])
        self.setYRange(0, top * 1.15, padding=0)


class CompareChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.speed = ComparePlot(self.tr("Answer speed (median, min–max)"), self.tr("tokens/s"))
        self.memory = ComparePlot(self.tr("Memory while loaded (inner bar: on the GPU)"), self.tr("MiB"))
        layout.addWidget(self.speed)
        layout.addWidget(self.memory)

    def show_summaries(self, summaries: list[ModelSummary]) -> None:
        done = [s for s in summaries if s.runs]
        names = [s.model for s in done]
        tps = [s.figures["tokens_per_second"] for s in done]
        self.speed.show_bars(
            names,
            [t.median for t in tps],
            QColor("#3b82f6"),
            low=[t.low for t in tps],
            high=[t.high for t in tps],
        )
        self.memory.show_bars(
            names,
            [s.figures["size"].median / _MIB for s in done],
            QColor("#10b981"),
            inner=[s.figures["size_vram"].median / _MIB for s in done],
            inner_color=QColor("#047857"),
        )
