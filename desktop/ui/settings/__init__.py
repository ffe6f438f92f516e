"""The settings dialog and its pages (General, Server, Quick Ask, Conversations)."""

from desktop.ui.settings.dialog import SettingsDialog

__all__ = ["SettingsDialog"]
