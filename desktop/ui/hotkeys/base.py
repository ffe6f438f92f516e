"""What every global-hotkey backend offers the chooser."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.ui.hotkeys.keys import Shortcut


class HotkeyUnavailable(Exception):
    """This backend cannot work here (no display, no library, no portal); the chooser tries the next."""


class HotkeyTaken(Exception):
    """The backend works, but the combination belongs to another program (or is refused)."""


class HotkeyBackend(QObject):
    """Grabs one shortcut system-wide and emits `activated` when it is pressed.

    `register` raises HotkeyUnavailable or HotkeyTaken with a plain message. Backends
    that only learn the outcome later (the portal) emit `registration_failed` instead.
    """

    activated = Signal()
    registration_failed = Signal(str)  # plain message
    registration_succeeded = Signal(str)  # the shortcut as the system shows it

    name = "none"

    def register(self, shortcut: Shortcut) -> None:
        raise NotImplementedError

    def unregister(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.unregister()

    def activate_window(self, window_id: int) -> None:
        """Bring a window shown in answer to the hotkey to the front, where the platform needs help."""
