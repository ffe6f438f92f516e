"""X11: a passive key grab on the root window through libX11 (ctypes).

The grab lives on a display connection of our own, separate from Qt's, so the key
events of the grab come to us and we never touch Qt's event handling. Its socket is
watched with a QSocketNotifier. NumLock and CapsLock change the modifier state, so the
combination is grabbed once per lock combination.

Under XWayland a root-window grab only sees keys while an X11 window has focus, so
the chooser never uses this backend in a Wayland session.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import time

from PySide6.QtCore import QCoreApplication, QSocketNotifier

from desktop.ui.hotkeys.base import HotkeyBackend, HotkeyTaken, HotkeyUnavailable
from desktop.ui.hotkeys.keys import Shortcut

KEY_PRESS = 2
GRAB_MODE_ASYNC = 1
LOCK_MASK = 2  # CapsLock
MOD2_MASK = 16  # NumLock on nearly every keyboard map
BAD_ACCESS = 10
CLIENT_MESSAGE = 33
SUBSTRUCTURE_MASKS = (1 << 19) | (1 << 20)  # SubstructureNotifyMask | SubstructureRedirectMask
REPEAT_GAP_MS = 250  # auto-repeat sends presses every ~30 ms while the keys are held


class _XKeyEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("root", ctypes.c_ulong),
        ("subwindow", ctypes.c_ulong),
        ("time", ctypes.c_ulong),
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("x_root", ctypes.c_int),
        ("y_root", ctypes.c_int),
        ("state", ctypes.c_uint),
        ("keycode", ctypes.c_uint),
        ("same_screen", ctypes.c_int),
    ]


class _XEvent(ctypes.Union):
    _fields_ = [("type", ctypes.c_int), ("xkey", _XKeyEvent), ("pad", ctypes.c_long * 24)]


class _XClientMessageData(ctypes.Union):
    _fields_ = [("b", ctypes.c_char * 20), ("s", ctypes.c_short * 10), ("l", ctypes.c_long * 5)]


class _XClientMessageEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", _XClientMessageData),
    ]


class _XErrorEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("resourceid", ctypes.c_ulong),
        ("serial", ctypes.c_ulong),
        ("error_code", ctypes.c_ubyte),
        ("request_code", ctypes.c_ubyte),
        ("minor_code", ctypes.c_ubyte),
    ]


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_XErrorEvent))


def _load_xlib() -> ctypes.CDLL:
    name = ctypes.util.find_library("X11") or "libX11.so.6"
    try:
        lib = ctypes.CDLL(name)
    except OSError as err:
        raise HotkeyUnavailable(
            QCoreApplication.translate("Hotkeys", "The X11 library (libX11) is not installed.")
        ) from err
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XDefaultRootWindow.restype = ctypes.c_ulong
    lib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    lib.XKeysymToKeycode.restype = ctypes.c_ubyte
    lib.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    lib.XGrabKey.argtypes = [
        ctypes.c_void_p,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_ulong,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
    ]
    lib.XUngrabKey.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_ulong]
    lib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.XFlush.argtypes = [ctypes.c_void_p]
    lib.XPending.argtypes = [ctypes.c_void_p]
    lib.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.POINTER(_XEvent)]
    lib.XConnectionNumber.argtypes = [ctypes.c_void_p]
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    lib.XInternAtom.restype = ctypes.c_ulong
    lib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    lib.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
    lib.XSetErrorHandler.restype = ctypes.c_void_p
    lib.XSetErrorHandler.argtypes = [ctypes.c_void_p]
    return lib


class X11Hotkey(HotkeyBackend):
    name = "x11"

    def __init__(self, display: str | None = None) -> None:
        super().__init__()
        display_name = display if display is not None else os.environ.get("DISPLAY", "")
        if not display_name:
            raise HotkeyUnavailable(
                QCoreApplication.translate("Hotkeys", "There is no X11 display (DISPLAY is not set).")
            )
        self._x = _load_xlib()
        self._display = self._x.XOpenDisplay(display_name.encode())
        if not self._display:
            raise HotkeyUnavailable(
                QCoreApplication.translate("Hotkeys", "Cannot open the X11 display {0}.").format(display_name)
            )
        self._root = self._x.XDefaultRootWindow(self._display)
        self._grabs: list[tuple[int, int]] = []
        self._keycode = 0
        self._last_press = 0.0
        self._last_time = 0  # X server time of the last press: proof of a user action for the WM
        self._notifier: QSocketNotifier | None = QSocketNotifier(
            self._x.XConnectionNumber(self._display), QSocketNotifier.Type.Read, self
        )
        self._notifier.activated.connect(self._on_display_readable)

    def register(self, shortcut: Shortcut) -> None:
        self.unregister()
        keycode = self._x.XKeysymToKeycode(self._display, shortcut.x11_keysym())
        if not keycode:
            raise HotkeyTaken(
                QCoreApplication.translate("Hotkeys", "The keyboard layout has no key for {0}.").format(
                    shortcut.native_text()
                )
            )
        base = shortcut.x11_modifiers()
        errors: list[int] = []

        def on_error(_display: int, event: ctypes._Pointer[_XErrorEvent]) -> int:
            errors.append(event.contents.error_code)
            return 0

        handler = _ERROR_HANDLER(on_error)
        # Xlib's error handler is process-wide: install ours only around the grab.
        previous = self._x.XSetErrorHandler(ctypes.cast(handler, ctypes.c_void_p))
        try:
            grabs = []
            for locks in (0, LOCK_MASK, MOD2_MASK, LOCK_MASK | MOD2_MASK):
                self._x.XGrabKey(
                    self._display, keycode, base | locks, self._root, 0, GRAB_MODE_ASYNC, GRAB_MODE_ASYNC
                )
                grabs.append((keycode, base | locks))
            self._x.XSync(self._display, 0)
        finally:
            self._x.XSetErrorHandler(previous)
        self._grabs = grabs
        self._keycode = keycode
        if errors:
            self.unregister()
            if BAD_ACCESS in errors:
                raise HotkeyTaken(
                    QCoreApplication.translate("Hotkeys", "{0} is already used by another program.").format(
                        shortcut.native_text()
                    )
                )
            raise HotkeyTaken(
                QCoreApplication.translate("Hotkeys", "The X server refused {0} (error {1}).").format(
                    shortcut.native_text(), errors[0]
                )
            )
        self._on_display_readable()  # XSync may have queued events already
        self.registration_succeeded.emit(shortcut.native_text())

    def unregister(self) -> None:
        if not self._display:
            return
        for keycode, mods in self._grabs:
            self._x.XUngrabKey(self._display, keycode, mods, self._root)
        self._grabs = []
        self._keycode = 0
        self._x.XSync(self._display, 0)

    def close(self) -> None:
        if not self._display:
            return
        self.unregister()
        # Destroy the notifier now, before its fd is closed: a later socket (D-Bus, HTTP)
        # can get the same fd number, and a stale notifier on it crashes the dispatcher.
        notifier, self._notifier = self._notifier, None
        if notifier is not None:
            notifier.setEnabled(False)
            notifier.setParent(None)
            del notifier
        self._x.XCloseDisplay(self._display)
        self._display = None

    def _on_display_readable(self) -> None:
        event = _XEvent()
        while self._display and self._x.XPending(self._display):
            self._x.XNextEvent(self._display, ctypes.byref(event))
            if event.type == KEY_PRESS and self._keycode and event.xkey.keycode == self._keycode:
                self._last_time = event.xkey.time
                now = time.monotonic()
                if (now - self._last_press) * 1000 >= REPEAT_GAP_MS:
                    self.activated.emit()
                self._last_press = now

    def activate_window(self, window_id: int) -> None:
        """Ask the window manager to focus `window_id`, as a pager would after a user action.

        The popup is shown by a background app, so a window manager with focus-stealing
        prevention may refuse Qt's own request; _NET_ACTIVE_WINDOW with source 2 and the
        hotkey's timestamp is what window managers honour.
        """
        if not self._display or not window_id:
            return
        event = _XClientMessageEvent()
        event.type = CLIENT_MESSAGE
        event.send_event = 1
        event.display = self._display
        event.window = window_id
        event.message_type = self._x.XInternAtom(self._display, b"_NET_ACTIVE_WINDOW", 0)
        event.format = 32
        event.data.l[0] = 2  # source indication: pager / explicit user request
        event.data.l[1] = self._last_time
        self._x.XSendEvent(self._display, self._root, 0, SUBSTRUCTURE_MASKS, ctypes.byref(event))
        self._x.XFlush(self._display)
