"""Light and dark looks: Fusion with a palette, plus a little style for the chat.

Every colour the UI paints text with, or paints text on, is named here, per theme, so one
test can check each text/background pair for contrast (WCAG AA: 4.5:1) and the other
widgets ask `colours()` instead of hard-coding a colour that suits only one theme.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

_QSS = """
QWidget#navRail { background: palette(alternate-base); }
QListWidget#nav { border: none; background: palette(alternate-base); padding-top: 6px; }
QToolButton#sidebarButton { border: 1px solid %(field_border)s; border-radius: 8px; padding: 5px 4px; }
QToolButton#sidebarButton:checked { background: palette(base); }
QListWidget#nav::item { border-radius: 8px; margin: 2px 6px; padding: 4px; }
QListWidget#nav::item:selected { background: palette(highlight); color: palette(highlighted-text); }
QWidget#sidebar { background: palette(alternate-base); }
QWidget#sidebar QListWidget { border: none; background: transparent; }
QWidget#sidebar QListWidget::item { padding: 7px 6px; border-radius: 6px; }
QWidget#sidebar QListWidget::item:selected {
    background: palette(highlight); color: palette(highlighted-text); }
QPushButton#newChatButton { padding: 6px; font-weight: bold; }
QWidget#sidebar QLineEdit { background: palette(base); border: 1px solid %(field_border)s; border-radius: 5px;
    padding: 3px 6px; }
QWidget#sidebar QLineEdit:focus { border: 1px solid palette(highlight); }
QLabel#conversationTitle { font-size: 15px; font-weight: bold; }
QLabel#emptyLabel { color: palette(placeholder-text); font-size: 15px; padding: 60px; }
QFrame#userMessage { background: %(user)s; border: none; border-radius: 10px; margin-left: 80px; }
QFrame#assistantMessage { background: palette(base); border: 1px solid %(border)s; border-radius: 10px;
    margin-right: 40px; }
QFrame#assistantMessage[unfinished="true"] { border: 1px solid #d9822b; }
QFrame[highlight="true"] { border: 2px solid palette(highlight); }
QLabel#roleLabel { font-weight: bold; color: palette(placeholder-text); }
QLabel#statusLabel { color: palette(placeholder-text); font-size: 11px; }
QFrame#banner { background: %(banner)s; border-bottom: 1px solid #d9822b; }
QLabel#serverLabel[state="online"] { color: %(online)s; }
QLabel#serverLabel[state="offline"] { color: %(offline)s; }
QPushButton#sendButton { padding: 6px 16px; font-weight: bold; }
QBalloonTip { background: %(balloon)s; }
QBalloonTip QLabel { color: %(balloon_text)s; background: transparent; }
QBalloonTip QPushButton { color: %(balloon_text)s; }
"""


@dataclass(frozen=True)
class Colours:
    """One theme's colours. `*_text` over the background it is drawn on (see PAIRS)."""

    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    button: str
    button_text: str
    highlight: str
    highlighted_text: str
    tooltip_base: str
    tooltip_text: str
    placeholder_text: str
    link: str
    disabled_text: str
    user_bubble: str
    border: str
    field_border: str  # the edge of a text box on the sidebar's background (3:1 for a non-text part)
    banner: str
    online: str
    offline: str
    # The search match inside a result, and the hardware table's "this computer" row.
    mark: str
    mark_text: str
    row_highlight: str
    row_highlight_text: str
    # Verdicts: runs well, runs slowly / partly, does not fit; drawn on `base` or `window`.
    good: str
    slow: str
    bad: str
    # Qt's own balloon, shown where the desktop has no notification service.
    balloon: str
    balloon_text: str


LIGHT = Colours(
    window="#f6f7f9",
    window_text="#1f2328",
    base="#ffffff",
    alternate_base="#eef0f3",
    text="#1f2328",
    button="#ffffff",
    button_text="#1f2328",
    highlight="#2563eb",
    highlighted_text="#ffffff",
    tooltip_base="#ffffff",
    tooltip_text="#1f2328",
    placeholder_text="#5f6672",
    link="#1d4ed8",
    disabled_text="#9aa0a6",
    user_bubble="#e3edff",
    border="#e1e4e8",
    field_border="#7b828c",
    banner="#fff4e0",
    online="#1a7f37",
    offline="#b42318",
    mark="#fde68a",
    mark_text="#1f2328",
    row_highlight="#dbeafe",
    row_highlight_text="#1f2328",
    good="#15803d",
    slow="#a04a06",
    bad="#b91c1c",
    balloon="#ffffe1",
    balloon_text="#1f2328",
)

DARK = Colours(
    window="#202124",
    window_text="#e8eaed",
    base="#2a2b2e",
    alternate_base="#26272a",
    text="#e8eaed",
    button="#303134",
    button_text="#e8eaed",
    highlight="#2563eb",
    highlighted_text="#ffffff",
    tooltip_base="#303134",
    tooltip_text="#e8eaed",
    placeholder_text="#a8adb4",
    link="#8ab4f8",
    disabled_text="#6b6f75",
    user_bubble="#1e3a5f",
    border="#3c4043",
    field_border="#80868b",
    banner="#4a3512",
    online="#4ade80",
    offline="#f87171",
    mark="#854d0e",
    mark_text="#fff7d6",
    row_highlight="#1e3a5f",
    row_highlight_text="#ffffff",
    good="#4ade80",
    slow="#fbbf24",
    bad="#f87171",
    balloon="#303134",
    balloon_text="#e8eaed",
)

# (text, background) field names: every pair the UI draws. Disabled text is exempt (WCAG).
PAIRS: tuple[tuple[str, str], ...] = (
    ("window_text", "window"),
    ("window_text", "alternate_base"),
    ("text", "base"),
    ("text", "alternate_base"),
    ("text", "user_bubble"),
    ("text", "banner"),
    ("window_text", "banner"),
    ("button_text", "button"),
    ("highlighted_text", "highlight"),
    ("tooltip_text", "tooltip_base"),
    ("placeholder_text", "base"),
    ("placeholder_text", "window"),
    ("placeholder_text", "alternate_base"),
    ("placeholder_text", "user_bubble"),
    ("link", "base"),
    ("link", "user_bubble"),
    ("online", "window"),
    ("offline", "window"),
    ("mark_text", "mark"),
    ("row_highlight_text", "row_highlight"),
    ("good", "base"),
    ("slow", "base"),
    ("bad", "base"),
    ("good", "window"),
    ("slow", "window"),
    ("bad", "window"),
    ("balloon_text", "balloon"),
)

_current = LIGHT


def _luminance(colour: str) -> float:
    c = QColor(colour)
    channels = []
    for value in (c.redF(), c.greenF(), c.blueF()):
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two colours, 1.0 to 21.0."""
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def is_dark_scheme(app: QGuiApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def colours() -> Colours:
    """The colours of the theme applied last (light before any)."""
    return _current


def palette(c: Colours) -> QPalette:
    # From button and window, so Qt derives the bevel shades (light, mid, dark) to match.
    p = QPalette(QColor(c.button), QColor(c.window))
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.window_text,
        QPalette.ColorRole.Base: c.base,
        QPalette.ColorRole.AlternateBase: c.alternate_base,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.button,
        QPalette.ColorRole.ButtonText: c.button_text,
        QPalette.ColorRole.Highlight: c.highlight,
        QPalette.ColorRole.HighlightedText: c.highlighted_text,
        QPalette.ColorRole.ToolTipBase: c.tooltip_base,
        QPalette.ColorRole.ToolTipText: c.tooltip_text,
        QPalette.ColorRole.PlaceholderText: c.placeholder_text,
        QPalette.ColorRole.Link: c.link,
        QPalette.ColorRole.BrightText: c.highlighted_text,
    }
    for role, value in roles.items():
        p.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.disabled_text))
    return p


def style_sheet(c: Colours) -> str:
    return _QSS % {
        "user": c.user_bubble,
        "border": c.border,
        "field_border": c.field_border,
        "banner": c.banner,
        "online": c.online,
        "offline": c.offline,
        "balloon": c.balloon,
        "balloon_text": c.balloon_text,
    }


def apply(app: QApplication, theme: str = "system") -> None:
    """theme: "system" (follow the desktop's light/dark scheme), "light" or "dark"."""
    global _current
    dark = is_dark_scheme(app) if theme == "system" else theme == "dark"
    _current = DARK if dark else LIGHT
    app.setStyle("Fusion")
    app.setPalette(palette(_current))
    app.setStyleSheet(style_sheet(_current))
