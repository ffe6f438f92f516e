"""Loads the UI translation: the system locale, unless the `ui.language` setting says otherwise."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from desktop.paths import resource_path

SUPPORTED = ("en", "zh_CN")


def choose_language(setting: str, system: QLocale | None = None) -> str:
    if setting in SUPPORTED:
        return setting
    locale = system or QLocale.system()
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def install(app: QApplication, setting: str = "system") -> str:
    """Install the translators for the chosen language; returns it ("en" or "zh_CN")."""
    language = choose_language(setting)
    if language == "en":
        return language
    ours = QTranslator(app)
    if ours.load(str(resource_path("translations", f"ollama_desk_{language}.qm"))):
        app.installTranslator(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    QLocale.setDefault(QLocale(language))
    return language
