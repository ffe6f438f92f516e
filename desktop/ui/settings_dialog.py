"""Where the app and its tests have always found the settings dialog and its setting keys.

The dialog lives in desktop.ui.settings (one module per page), its slow work in
desktop.ui.controllers.settings_controller, and the settings with their defaults in
desktop.core.settings.
"""

from __future__ import annotations

from desktop.core.settings import KEYS, LANGUAGES, MAX_REMEMBERED_SERVERS, THEMES
from desktop.ui.controllers.settings_controller import check_server, normalise_server
from desktop.ui.settings import SettingsDialog

KEY_THEME = KEYS["theme"]  # "system" | "light" | "dark"
KEY_LANGUAGE = KEYS["language"]  # "system" | "en" | "zh_CN"; applied at the next start
KEY_SERVER_URL = KEYS["server_url"]  # "" = automatic: OLLAMA_HOST, a local Ollama, else the engine
KEY_SERVER_URLS = KEYS["server_urls"]  # servers used before, newest first
KEY_DEFAULT_MODEL = KEYS["default_model"]
KEY_SHORTCUT = KEYS["quick_ask_shortcut"]
KEY_SAVE_HISTORY = KEYS["quick_ask_save_history"]

__all__ = [
    "KEY_DEFAULT_MODEL", "KEY_LANGUAGE", "KEY_SAVE_HISTORY", "KEY_SERVER_URL", "KEY_SERVER_URLS",
    "KEY_SHORTCUT", "KEY_THEME", "LANGUAGES", "MAX_REMEMBERED_SERVERS", "THEMES", "SettingsDialog",
    "check_server", "normalise_server",
]
