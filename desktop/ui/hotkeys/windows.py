"""Windows: RegisterHotKey (user32, ctypes) with the WM_HOTKEY message read by a Qt native event filter.

Registered with no window, the hotkey posts WM_HOTKEY to the GUI thread's queue; Qt's
event dispatcher hands thread messages to native event filters as
"windows_dispatcher_MSG" (window messages come as "windows_generic_MSG").
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication

from desktop.ui.hotkeys.base import HotkeyBackend, HotkeyTaken, HotkeyUnavailable
from desktop.ui.hotkeys.keys import Shortcut

WM_HOTKEY = 0x0312
ERROR_HOTKEY_ALREADY_REGISTERED = 1409
HOTKEY_ID = 0x4F44  # any id in 0x0000..0xBFFF, unique within this app


class _MSG(ctypes.Structure):
    _fields_ = [
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
        ("time", ctypes.c_ulong),
        ("pt_x", ctypes.c_long),
        ("pt_y", ctypes.c_long),
    ]


class _Filter(QAbstractNativeEventFilter):
    def __init__(self, backend: WindowsHotkey) -> None:
        super().__init__()
        self._backend = backend

    def nativeEventFilter(self, event_type: Any, message: Any) -> tuple[bool, int]:  # noqa: N802 - Qt API
        kind = event_type.data() if hasattr(event_type, "data") else bytes(event_type)
        if kind not in (b"windows_generic_MSG", b"windows_dispatcher_MSG"):
            return False, 0
        msg = _MSG.from_address(int(message))
        if msg.message == WM_HOTKEY and msg.wParam == HOTKEY_ID:
            self._backend.activated.emit()
            return True, 0
        return False, 0


class WindowsHotkey(HotkeyBackend):
    name = "windows"
    # Declared here: on other platforms mypy sees the constructor stop at its first raise.
    _user32: Any  # ctypes' WinDLL: untyped
    _registered: bool
    _filter: _Filter

    def __init__(self) -> None:
        super().__init__()
        if sys.platform != "win32":
            raise HotkeyUnavailable(
                QCoreApplication.translate("Hotkeys", "RegisterHotKey exists only on Windows.")
            )
        self._user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined, unused-ignore]
        self._user32.RegisterHotKey.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_uint]
        self._user32.UnregisterHotKey.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self._registered = False
        self._filter = _Filter(self)
        app = QCoreApplication.instance()
        if app is None:
            raise HotkeyUnavailable(
                QCoreApplication.translate("Hotkeys", "The application is not running yet.")
            )
        app.installNativeEventFilter(self._filter)

    def register(self, shortcut: Shortcut) -> None:
        self.unregister()
        ok = self._user32.RegisterHotKey(None, HOTKEY_ID, shortcut.windows_modifiers(), shortcut.windows_vk())
        if not ok:
            code = ctypes.get_last_error()  # type: ignore[attr-defined]
            if code == ERROR_HOTKEY_ALREADY_REGISTERED:
                raise HotkeyTaken(
                    QCoreApplication.translate("Hotkeys", "{0} is already used by another program.").format(
                        shortcut.native_text()
                    )
                )
            raise HotkeyTaken(
                QCoreApplication.translate("Hotkeys", "Windows refused {0} (error {1}).").format(
                    shortcut.native_text(), code
                )
            )
        self._registered = True
        self.registration_succeeded.emit(shortcut.native_text())

    def unregister(self) -> None:
        if self._registered:
            self._user32.UnregisterHotKey(None, HOTKEY_ID)
            self._registered = False

    def close(self) -> None:
        self.unregister()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeNativeEventFilter(self._filter)
