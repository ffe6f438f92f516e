"""Both themes: every text/background pair at 4.5:1 or more (WCAG AA), from the theme's colours,
and the same colours found on screen where the app draws them."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QStatusBar

from desktop.ui import theme
from desktop.ui.widgets.conversation_sidebar import ConversationSidebar
from tests.ui.theming import use_theme  # noqa: F401 - a fixture

THEMES = {"light": theme.LIGHT, "dark": theme.DARK}


@pytest.mark.parametrize("name", THEMES)
def test_every_text_and_background_pair_reads_at_4_5_to_1(name: str) -> None:
    colours = THEMES[name]
    low = [
        f"{text} {getattr(colours, text)} on {back} {getattr(colours, back)}: "
        f"{theme.contrast_ratio(getattr(colours, text), getattr(colours, back)):.2f}"
        for text, back in theme.PAIRS
        if theme.contrast_ratio(getattr(colours, text), getattr(colours, back)) < 4.5
    ]
    assert low == []


def test_the_ratio_is_wcags() -> None:
    assert theme.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert theme.contrast_ratio("#ffffff", "#dbeafe") < 1.3  # the old dark tier row: white on pale blue


def test_every_colour_of_a_theme_is_in_a_checked_pair() -> None:
    # A colour added to the theme without a pair would escape the check.
    named = set(theme.Colours.__dataclass_fields__)
    paired = {n for pair in theme.PAIRS for n in pair}
    # Exempt: disabled text, a frame line; a text box's edge is a non-text part (3:1, below).
    assert named - paired == {"disabled_text", "border", "field_border"}


@pytest.mark.parametrize("name", THEMES)
def test_a_text_box_edge_stands_out_at_3_to_1(name: str) -> None:
    c = THEMES[name]
    assert theme.contrast_ratio(c.field_border, c.alternate_base) >= 3.0
    assert theme.contrast_ratio(c.field_border, c.base) >= 3.0


@pytest.mark.parametrize("name", THEMES)
def test_the_applied_palette_is_the_checked_one(qapp: QApplication, use_theme: Any, name: str) -> None:  # noqa: F811
    use_theme(name)
    c = THEMES[name]
    p = qapp.palette()
    role = QPalette.ColorRole
    assert p.color(role.Window).name() == c.window and p.color(role.WindowText).name() == c.window_text
    assert p.color(role.Base).name() == c.base and p.color(role.Text).name() == c.text
    assert p.color(role.Button).name() == c.button and p.color(role.ButtonText).name() == c.button_text
    assert p.color(role.Highlight).name() == c.highlight
    assert p.color(role.HighlightedText).name() == c.highlighted_text
    assert p.color(role.PlaceholderText).name() == c.placeholder_text
    assert p.color(role.ToolTipBase).name() == c.tooltip_base
    assert theme.colours() is c


def _ink_and_background(widget: Any) -> tuple[str, str]:
    image = widget.grab().toImage()
    pixels = [image.pixelColor(x, y).name() for y in range(image.height()) for x in range(image.width())]
    background = Counter(pixels).most_common(1)[0][0]
    ink = max(set(pixels), key=lambda c: theme.contrast_ratio(c, background))
    return ink, background


@pytest.mark.parametrize("name", THEMES)
def test_drawn_text_reads_at_4_5_to_1(qtbot: Any, use_theme: Any, name: str) -> None:  # noqa: F811
    use_theme(name)
    c = THEMES[name]
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = QStatusBar()
    window.setStatusBar(bar)
    online = QLabel("● Ollama 0.33.0 at http://127.0.0.1:11434")
    online.setObjectName("serverLabel")
    online.setProperty("state", "online")
    bar.addPermanentWidget(online)
    sidebar = ConversationSidebar()
    window.setCentralWidget(sidebar)
    window.resize(400, 300)
    window.show()
    qtbot.waitExposed(window)
    ink, background = _ink_and_background(online)
    assert (ink, background) == (c.online, c.window)
    assert theme.contrast_ratio(ink, background) >= 4.5
    ink, background = _ink_and_background(sidebar.new_button)
    assert theme.contrast_ratio(ink, background) >= 4.5, (ink, background)


def test_badges_read_at_4_5_to_1() -> None:
    from desktop.ui.widgets.installed_models import BADGE_COLOURS
    from desktop.ui.widgets.model_manager import BADGE_TEXT, STATE_BADGES

    for name, colour in [*BADGE_COLOURS.items(), *STATE_BADGES.items()]:
        assert theme.contrast_ratio("#ffffff", colour) >= 4.5, name
        assert theme.contrast_ratio(BADGE_TEXT, colour) >= 4.5, name


@pytest.mark.parametrize("name", THEMES)
def test_the_models_page_draws_its_hints_in_the_theme(
    qtbot: Any, use_theme: Any, name: str  # noqa: F811
) -> None:
    from desktop.ui.widgets.model_manager import style_sheet

    use_theme(name)
    c = THEMES[name]
    sheet = style_sheet(theme.colours())
    assert c.placeholder_text in sheet and c.slow in sheet and c.bad in sheet
    assert "palette(dark)" not in sheet  # 2.6:1 on white, all but invisible on the dark base
    hint = QLabel("No model is loaded.")
    hint.setObjectName("emptyHint")
    holder = QMainWindow()
    qtbot.addWidget(holder)
    holder.setStyleSheet(sheet)
    holder.setCentralWidget(hint)
    holder.show()
    qtbot.waitExposed(holder)
    ink, background = _ink_and_background(hint)
    assert theme.contrast_ratio(ink, background) >= 4.5, (ink, background)
