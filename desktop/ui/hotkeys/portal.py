"""Wayland: the XDG desktop portal's GlobalShortcuts interface (placeholder until the D-Bus client lands)."""

from __future__ import annotations

from desktop.ui.hotkeys.base import HotkeyBackend, HotkeyUnavailable


class PortalHotkey(HotkeyBackend):
    name = "portal"

    def __init__(self) -> None:
        super().__init__()
        raise HotkeyUnavailable("The desktop portal's global shortcuts are not supported yet.")
