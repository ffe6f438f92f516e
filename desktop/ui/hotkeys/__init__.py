"""The global Quick Ask hotkey: one chooser over the platform backends.

Order: Windows RegisterHotKey; macOS Carbon; in a Wayland session the XDG
GlobalShortcuts portal (an X11 grab there sees keys only while an X11 window has
focus); on X11 a root-window key grab. When none works, `HotkeyStatus.message` says so
in plain words and points to the fallback every desktop has: a custom shortcut running
`ollama-desk --quick-ask` (the .desktop file's Quick Ask action).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from desktop.ui.hotkeys.base import HotkeyBackend, HotkeyTaken, HotkeyUnavailable
from desktop.ui.hotkeys.keys import DEFAULT_SHORTCUT, Shortcut, ShortcutError

log = logging.getLogger(__name__)

FALLBACK_COMMAND = "ollama-desk --quick-ask --selection"

__all__ = [
    "DEFAULT_SHORTCUT", "FALLBACK_COMMAND", "HotkeyManager", "HotkeyStatus", "Shortcut", "ShortcutError",
]


@dataclass(frozen=True)
class HotkeyStatus:
    state: str  # "active" | "pending" | "failed" | "off"
    shortcut: str
    backend: str  # "x11" | "windows" | "macos" | "portal" | ""
    message: str  # a plain sentence for the settings page

    @property
    def active(self) -> bool:
        return self.state == "active"


def _is_wayland() -> bool:
    return bool(os.environ.get("WAYLAND_DISPLAY")) or os.environ.get("XDG_SESSION_TYPE") == "wayland"


def backend_factories() -> list[tuple[str, Callable[[], HotkeyBackend]]]:
    """The backends worth trying on this system, best first."""
    if sys.platform == "win32":
        from desktop.ui.hotkeys.windows import WindowsHotkey

        return [("windows", WindowsHotkey)]
    if sys.platform == "darwin":
        from desktop.ui.hotkeys.macos import MacHotkey

        return [("macos", MacHotkey)]
    from desktop.ui.hotkeys.portal import PortalHotkey
    from desktop.ui.hotkeys.x11 import X11Hotkey

    if _is_wayland():
        return [("portal", PortalHotkey)]
    return [("x11", X11Hotkey), ("portal", PortalHotkey)]


class HotkeyManager(QObject):
    """Registers the Quick Ask shortcut with the first backend that works and reports plainly."""

    activated = Signal()
    status_changed = Signal(object)  # HotkeyStatus

    def __init__(self, factories: list[tuple[str, Callable[[], HotkeyBackend]]] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factories = factories
        self._backend: HotkeyBackend | None = None
        self.status = HotkeyStatus("off", "", "", self.tr("The global shortcut is off."))

    def register(self, text: str) -> HotkeyStatus:
        self.unregister()
        if not text.strip():
            return self._set(HotkeyStatus("off", "", "", self.tr("The global shortcut is off.")))
        try:
            shortcut = Shortcut.parse(text)
        except ShortcutError as err:
            return self._set(HotkeyStatus("failed", text, "", str(err)))
        reasons: list[str] = []
        factories = self._factories if self._factories is not None else backend_factories()
        for name, factory in factories:
            try:
                backend = factory()
            except HotkeyUnavailable as err:
                reasons.append(str(err))
                continue
            backend.activated.connect(self.activated)
            # Connected before register(): synchronous backends report success from inside it.
            backend.registration_succeeded.connect(
                lambda shown, s=shortcut, n=name: self._on_backend_succeeded(s, n, shown))
            backend.registration_failed.connect(
                lambda message, s=shortcut, n=name: self._on_backend_failed(s, n, message))
            try:
                backend.register(shortcut)
            except HotkeyTaken as err:
                self._drop(backend)
                # Another backend would not free the key: say so and stop here.
                return self._set(HotkeyStatus("failed", shortcut.text(), name, self._with_fallback(str(err))))
            except HotkeyUnavailable as err:
                self._drop(backend)
                reasons.append(str(err))
                continue
            self._backend = backend
            if not (self.status.state == "active" and self.status.backend == name):
                # The portal answers later: until then the shortcut is pending.
                message = self.tr("Asking the desktop to allow {0}…").format(shortcut.native_text())
                self._set(HotkeyStatus("pending", shortcut.text(), name, message))
            return self.status
        detail = " ".join(reasons) if reasons else self.tr("No global shortcut method exists on this system.")
        return self._set(HotkeyStatus("failed", shortcut.text(), "", self._with_fallback(detail)))

    def _on_backend_succeeded(self, shortcut: Shortcut, name: str, shown: str) -> None:
        message = self.tr("{0} opens Quick Ask from any application.").format(shown)
        self._set(HotkeyStatus("active", shortcut.text(), name, message))

    def _on_backend_failed(self, shortcut: Shortcut, name: str, reason: str) -> None:
        self._set(HotkeyStatus("failed", shortcut.text(), name, self._with_fallback(reason)))

    @staticmethod
    def _drop(backend: HotkeyBackend) -> None:
        # No parent and no deleteLater: the backend dies with its last Python reference
        # (a deferred delete of one raced its Python wrapper and crashed in ~QObject).
        backend.blockSignals(True)
        backend.close()

    def unregister(self) -> None:
        if self._backend is not None:
            self._drop(self._backend)
            self._backend = None
        self.status = HotkeyStatus("off", "", "", self.tr("The global shortcut is off."))

    def close(self) -> None:
        self.unregister()

    def activate_window(self, window_id: int) -> None:
        if self._backend is not None:
            self._backend.activate_window(window_id)

    def _with_fallback(self, reason: str) -> str:
        return self.tr(
            "The global shortcut does not work here: {0} Instead, add a keyboard shortcut in your "
            "system settings that runs “{1}”."
        ).format(reason, FALLBACK_COMMAND)

    def _set(self, status: HotkeyStatus) -> HotkeyStatus:
        self.status = status
        if status.state == "failed":
            log.info("global hotkey: %s", status.message)
        self.status_changed.emit(status)
        return status
