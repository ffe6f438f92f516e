"""macOS: Carbon RegisterEventHotKey through ctypes.

Carbon's hot keys are deprecated but still the only global-shortcut API that needs no
Accessibility permission; they work on current macOS (Qt's own event loop runs the
application event target). If Carbon cannot be loaded, the chooser reports that and
the settings point to the fallback: a Shortcuts/Automator quick action running
`ollama-desk --quick-ask`.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.ui.hotkeys.base import HotkeyBackend, HotkeyTaken, HotkeyUnavailable
from desktop.ui.hotkeys.keys import Shortcut

CARBON = "/System/Library/Frameworks/Carbon.framework/Carbon"
K_EVENT_CLASS_KEYBOARD = int.from_bytes(b"keyb", "big")
K_EVENT_HOT_KEY_PRESSED = 5
SIGNATURE = int.from_bytes(b"ODsk", "big")
EVENT_HOTKEY_EXISTS_ERR = -9878
NO_ERR = 0


class _EventTypeSpec(ctypes.Structure):
    _fields_ = [("eventClass", ctypes.c_uint32), ("eventKind", ctypes.c_uint32)]


class _EventHotKeyID(ctypes.Structure):
    _fields_ = [("signature", ctypes.c_uint32), ("id", ctypes.c_uint32)]


_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)


class MacHotkey(HotkeyBackend):
    name = "macos"
    # Declared here: on other platforms mypy sees the constructor stop at its first raise.
    _carbon: Any  # ctypes' CDLL of Carbon: untyped
    _hotkey_ref: ctypes.c_void_p
    _handler_ref: ctypes.c_void_p

    def __init__(self) -> None:
        super().__init__()
        if sys.platform != "darwin":
            raise HotkeyUnavailable(
                QCoreApplication.translate("Hotkeys", "Carbon hot keys exist only on macOS.")
            )
        try:
            self._carbon = ctypes.CDLL(CARBON)
        except OSError as err:
            raise HotkeyUnavailable(
                QCoreApplication.translate("Hotkeys", "The Carbon framework could not be loaded.")
            ) from err
        c = self._carbon
        c.GetApplicationEventTarget.restype = ctypes.c_void_p
        c.InstallEventHandler.argtypes = [
            ctypes.c_void_p,
            _HANDLER,
            ctypes.c_uint32,
            ctypes.POINTER(_EventTypeSpec),
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_void_p),
        ]
        c.InstallEventHandler.restype = ctypes.c_int32
        c.RegisterEventHotKey.argtypes = [
            ctypes.c_uint32,
            ctypes.c_uint32,
            _EventHotKeyID,
            ctypes.c_void_p,
            ctypes.c_uint32,
            ctypes.POINTER(ctypes.c_void_p),
        ]
        c.RegisterEventHotKey.restype = ctypes.c_int32
        c.UnregisterEventHotKey.argtypes = [ctypes.c_void_p]
        c.RemoveEventHandler.argtypes = [ctypes.c_void_p]
        # Kept on self: ctypes callbacks must outlive their registration.
        self._callback = _HANDLER(self._on_hot_key)
        self._spec = _EventTypeSpec(K_EVENT_CLASS_KEYBOARD, K_EVENT_HOT_KEY_PRESSED)
        self._handler_ref = ctypes.c_void_p()
        status = c.InstallEventHandler(
            c.GetApplicationEventTarget(),
            self._callback,
            1,
            ctypes.byref(self._spec),
            None,
            ctypes.byref(self._handler_ref),
        )
        if status != NO_ERR:
            raise HotkeyUnavailable(
                QCoreApplication.translate(
                    "Hotkeys", "macOS refused the hot key handler (error {0})."
                ).format(status)
            )
        self._hotkey_ref = ctypes.c_void_p()

    def _on_hot_key(self, _call_ref: int, _event: int, _user: int) -> int:
        self.activated.emit()
        return NO_ERR

    def register(self, shortcut: Shortcut) -> None:
        self.unregister()
        c = self._carbon
        ref = ctypes.c_void_p()
        status = c.RegisterEventHotKey(
            shortcut.mac_keycode(),
            shortcut.mac_modifiers(),
            _EventHotKeyID(SIGNATURE, 1),
            c.GetApplicationEventTarget(),
            0,
            ctypes.byref(ref),
        )
        if status == EVENT_HOTKEY_EXISTS_ERR:
            raise HotkeyTaken(
                QCoreApplication.translate("Hotkeys", "{0} is already used by another program.").format(
                    shortcut.native_text()
                )
            )
        if status != NO_ERR:
            raise HotkeyTaken(
                QCoreApplication.translate("Hotkeys", "macOS refused {0} (error {1}).").format(
                    shortcut.native_text(), status
                )
            )
        self._hotkey_ref = ref
        self.registration_succeeded.emit(shortcut.native_text())

    def unregister(self) -> None:
        if self._hotkey_ref:
            self._carbon.UnregisterEventHotKey(self._hotkey_ref)
            self._hotkey_ref = ctypes.c_void_p()

    def close(self) -> None:
        self.unregister()
        if self._handler_ref:
            self._carbon.RemoveEventHandler(self._handler_ref)
            self._handler_ref = ctypes.c_void_p()
