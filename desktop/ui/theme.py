"""Light and dark looks: Fusion with a palette, plus a little style for the chat."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

_QSS = """
QListWidget#nav { border: none; background: palette(alternate-base); padding-top: 6px; }
QListWidget#nav::item { border-radius: 8px; margin: 2px 6px; padding: 4px; }
QListWidget#nav::item:selected { background: palette(highlight); color: palette(highlighted-text); }
QWidget#sidebar { background: palette(alternate-base); }
QWidget#sidebar QListWidget { border: none; background: transparent; }
QWidget#sidebar QListWidget::item { padding: 7px 6px; border-radius: 6px; }
QWidget#sidebar QListWidget::item:selected {
    background: palette(highlight); color: palette(highlighted-text); }
QPushButton#newChatButton { padding: 6px; font-weight: bold; }
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
QLabel#serverLabel[state="online"] { color: #2e8540; }
QLabel#serverLabel[state="offline"] { color: #c0392b; }
QPushButton#sendButton { padding: 6px 16px; font-weight: bold; }
"""


def is_dark_scheme(app: QGuiApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def _dark_palette() -> QPalette:
    p = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#2a2b2e",
        QPalette.ColorRole.AlternateBase: "#26272a",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#303134",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.Highlight: "#3b82f6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#303134",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Link: "#8ab4f8",
    }
    for role, value in colors.items():
        p.setColor(role, QColor(value))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6b6f75"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6b6f75"))
    return p


def _light_palette() -> QPalette:
    p = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#f6f7f9",
        QPalette.ColorRole.WindowText: "#1f2328",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#eef0f3",
        QPalette.ColorRole.Text: "#1f2328",
        QPalette.ColorRole.Button: "#ffffff",
        QPalette.ColorRole.ButtonText: "#1f2328",
        QPalette.ColorRole.Highlight: "#2563eb",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#6b7280",
        QPalette.ColorRole.Link: "#2563eb",
    }
    for role, value in colors.items():
        p.setColor(role, QColor(value))
    return p


def apply(app: QApplication, theme: str = "system") -> None:
    """theme: "system" (follow the desktop's light/dark scheme), "light" or "dark"."""
    dark = is_dark_scheme(app) if theme == "system" else theme == "dark"
    app.setStyle("Fusion")
    app.setPalette(_dark_palette() if dark else _light_palette())
    app.setStyleSheet(
        _QSS
        % {
            "user": "#1e3a5f" if dark else "#e3edff",
            "border": "#3c4043" if dark else "#e1e4e8",
            "banner": "#4a3512" if dark else "#fff4e0",
        }
    )
