"""A fixture that applies a theme for one test and puts the app's look back afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication

from desktop.ui import theme


@pytest.fixture
def use_theme(qapp: QApplication) -> Iterator[Callable[[str], None]]:
    palette, sheet, style = qapp.palette(), qapp.styleSheet(), qapp.style().name()
    yield lambda name: theme.apply(qapp, name)
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    theme._current = theme.LIGHT
