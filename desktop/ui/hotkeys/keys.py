"""A shortcut as the settings store it ("Ctrl+Alt+Space") and as each platform names its keys.

Qt names modifiers the same everywhere, but on macOS Qt's Ctrl is the Command key and
Meta the Control key; the macOS backend follows that so a shortcut means the same keys
in the settings field and in the grab.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence

# On macOS Qt's Ctrl is Command, and Command+Option+Space opens Finder's search window;
# Option+Space is free there (the ChatGPT app uses it too).
DEFAULT_SHORTCUT = "Alt+Space" if sys.platform == "darwin" else "Ctrl+Alt+Space"


class ShortcutError(ValueError):
    """A shortcut that no backend can grab; the message says why in plain words."""


@dataclass(frozen=True)
class Shortcut:
    key: int  # a Qt.Key value
    ctrl: bool = False
    alt: bool = False
    shift: bool = False
    meta: bool = False

    @classmethod
    def parse(cls, text: str) -> Shortcut:
        sequence = QKeySequence(text.strip())
        if sequence.isEmpty() or sequence.count() != 1:
            raise ShortcutError(
                QCoreApplication.translate(
                    "Shortcut", "“{0}” is not a single key combination."
                ).format(text)
            )
        combo = cast(Any, sequence)[0]  # PySide6's stubs lack QKeySequence.__getitem__
        key = int(combo.key().value)
        mods = combo.keyboardModifiers()
        shortcut = cls(
            key=key,
            ctrl=bool(mods & Qt.KeyboardModifier.ControlModifier),
            alt=bool(mods & Qt.KeyboardModifier.AltModifier),
            shift=bool(mods & Qt.KeyboardModifier.ShiftModifier),
            meta=bool(mods & Qt.KeyboardModifier.MetaModifier),
        )
        if key in _MODIFIER_KEYS or key == 0 or key == int(Qt.Key.Key_unknown.value):
            raise ShortcutError(
                QCoreApplication.translate(
                    "Shortcut", "“{0}” has no key besides the modifiers."
                ).format(text)
            )
        if not (shortcut.ctrl or shortcut.alt or shortcut.meta) and not _is_function_key(key):
            # A bare letter or Shift+letter grabbed globally would eat normal typing.
            raise ShortcutError(
                QCoreApplication.translate(
                    "Shortcut", "“{0}” needs Ctrl, Alt or Meta, or else a function key."
                ).format(text)
            )
        return shortcut

    def text(self) -> str:
        """The portable form, as stored in the settings."""
        mods = Qt.KeyboardModifier.NoModifier
        for flag, mod in ((self.ctrl, Qt.KeyboardModifier.ControlModifier),
                          (self.alt, Qt.KeyboardModifier.AltModifier),
                          (self.shift, Qt.KeyboardModifier.ShiftModifier),
                          (self.meta, Qt.KeyboardModifier.MetaModifier)):
            if flag:
                mods |= mod
        return QKeySequence(mods | Qt.Key(self.key)).toString(QKeySequence.SequenceFormat.PortableText)

    def native_text(self) -> str:
        return QKeySequence(self.text()).toString(QKeySequence.SequenceFormat.NativeText)

    # --- X11 -------------------------------------------------------------------------
    def x11_keysym(self) -> int:
        key = self.key
        if ord("A") <= key <= ord("Z"):
            return key + 0x20  # keysyms of letters are the lower-case code points
        if 0x20 <= key <= 0x7E:
            return key  # digits and punctuation: keysym == Latin-1 code
        if int(Qt.Key.Key_F1.value) <= key <= int(Qt.Key.Key_F35.value):
            return 0xFFBE + key - int(Qt.Key.Key_F1.value)
        try:
            return _X11_SPECIAL[key]
        except KeyError:
            raise ShortcutError(
                QCoreApplication.translate(
                    "Shortcut", "The key in “{0}” cannot be grabbed on X11."
                ).format(self.text())
            ) from None

    def x11_modifiers(self) -> int:
        # ShiftMask 1, ControlMask 4, Mod1 (Alt) 8, Mod4 (Super) 64
        return (1 if self.shift else 0) | (4 if self.ctrl else 0) | (8 if self.alt else 0) | (
            64 if self.meta else 0)

    # --- Windows ---------------------------------------------------------------------
    def windows_vk(self) -> int:
        key = self.key
        if ord("A") <= key <= ord("Z") or ord("0") <= key <= ord("9"):
            return key  # VK codes of letters and digits are their ASCII upper-case codes
        if int(Qt.Key.Key_F1.value) <= key <= int(Qt.Key.Key_F24.value):
            return 0x70 + key - int(Qt.Key.Key_F1.value)
        try:
            return _WINDOWS_SPECIAL[key]
        except KeyError:
            raise ShortcutError(
                QCoreApplication.translate(
                    "Shortcut", "The key in “{0}” cannot be registered on Windows."
                ).format(self.text())
            ) from None

    def windows_modifiers(self) -> int:
        # MOD_ALT 1, MOD_CONTROL 2, MOD_SHIFT 4, MOD_WIN 8, MOD_NOREPEAT 0x4000
        return 0x4000 | (1 if self.alt else 0) | (2 if self.ctrl else 0) | (4 if self.shift else 0) | (
            8 if self.meta else 0)

    # --- macOS -----------------------------------------------------------------------
    def mac_keycode(self) -> int:
        key = self.key
        if ord("A") <= key <= ord("Z"):
            return _MAC_LETTERS[key - ord("A")]
        if ord("0") <= key <= ord("9"):
            return _MAC_DIGITS[key - ord("0")]
        try:
            return _MAC_SPECIAL[key]
        except KeyError:
            raise ShortcutError(
                QCoreApplication.translate(
                    "Shortcut", "The key in “{0}” cannot be registered on macOS."
                ).format(self.text())
            ) from None

    def mac_modifiers(self) -> int:
        # Carbon: cmdKey 0x100, shiftKey 0x200, optionKey 0x800, controlKey 0x1000.
        # Qt on macOS: ControlModifier is Command, MetaModifier is Control.
        return (0x100 if self.ctrl else 0) | (0x200 if self.shift else 0) | (0x800 if self.alt else 0) | (
            0x1000 if self.meta else 0)


def _is_function_key(key: int) -> bool:
    return int(Qt.Key.Key_F1.value) <= key <= int(Qt.Key.Key_F35.value)


_MODIFIER_KEYS = {int(k.value) for k in (Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Shift,
                                         Qt.Key.Key_Meta, Qt.Key.Key_AltGr, Qt.Key.Key_Super_L,
                                         Qt.Key.Key_Super_R)}

K = Qt.Key
_X11_SPECIAL = {
    int(K.Key_Space.value): 0x20,
    int(K.Key_Return.value): 0xFF0D,
    int(K.Key_Enter.value): 0xFF8D,
    int(K.Key_Tab.value): 0xFF09,
    int(K.Key_Escape.value): 0xFF1B,
    int(K.Key_Backspace.value): 0xFF08,
    int(K.Key_Insert.value): 0xFF63,
    int(K.Key_Delete.value): 0xFFFF,
    int(K.Key_Home.value): 0xFF50,
    int(K.Key_End.value): 0xFF57,
    int(K.Key_PageUp.value): 0xFF55,
    int(K.Key_PageDown.value): 0xFF56,
    int(K.Key_Left.value): 0xFF51,
    int(K.Key_Up.value): 0xFF52,
    int(K.Key_Right.value): 0xFF53,
    int(K.Key_Down.value): 0xFF54,
    int(K.Key_Pause.value): 0xFF13,
    int(K.Key_Print.value): 0xFF61,
}
_WINDOWS_SPECIAL = {
    int(K.Key_Space.value): 0x20,
    int(K.Key_Return.value): 0x0D,
    int(K.Key_Enter.value): 0x0D,
    int(K.Key_Tab.value): 0x09,
    int(K.Key_Escape.value): 0x1B,
    int(K.Key_Backspace.value): 0x08,
    int(K.Key_Insert.value): 0x2D,
    int(K.Key_Delete.value): 0x2E,
    int(K.Key_Home.value): 0x24,
    int(K.Key_End.value): 0x23,
    int(K.Key_PageUp.value): 0x21,
    int(K.Key_PageDown.value): 0x22,
    int(K.Key_Left.value): 0x25,
    int(K.Key_Up.value): 0x26,
    int(K.Key_Right.value): 0x27,
    int(K.Key_Down.value): 0x28,
    int(K.Key_Pause.value): 0x13,
    int(K.Key_Print.value): 0x2C,
}
# Carbon virtual key codes (Events.h, kVK_ANSI_*), ANSI layout positions.
_MAC_LETTERS = [0x00, 0x0B, 0x08, 0x02, 0x0E, 0x03, 0x05, 0x04, 0x22, 0x26, 0x28, 0x25, 0x2E,
                0x2D, 0x1F, 0x23, 0x0C, 0x0F, 0x01, 0x11, 0x20, 0x09, 0x0D, 0x07, 0x10, 0x06]
_MAC_DIGITS = [0x1D, 0x12, 0x13, 0x14, 0x15, 0x17, 0x16, 0x1A, 0x1C, 0x19]
_MAC_SPECIAL = {
    int(K.Key_Space.value): 0x31,
    int(K.Key_Return.value): 0x24,
    int(K.Key_Enter.value): 0x4C,
    int(K.Key_Tab.value): 0x30,
    int(K.Key_Escape.value): 0x35,
    int(K.Key_Backspace.value): 0x33,
    int(K.Key_Delete.value): 0x75,
    int(K.Key_Home.value): 0x73,
    int(K.Key_End.value): 0x77,
    int(K.Key_PageUp.value): 0x74,
    int(K.Key_PageDown.value): 0x79,
    int(K.Key_Left.value): 0x7B,
    int(K.Key_Right.value): 0x7C,
    int(K.Key_Down.value): 0x7D,
    int(K.Key_Up.value): 0x7E,
    int(K.Key_F1.value): 0x7A,
    int(K.Key_F2.value): 0x78,
    int(K.Key_F3.value): 0x63,
    int(K.Key_F4.value): 0x76,
    int(K.Key_F5.value): 0x60,
    int(K.Key_F6.value): 0x61,
    int(K.Key_F7.value): 0x62,
    int(K.Key_F8.value): 0x64,
    int(K.Key_F9.value): 0x65,
    int(K.Key_F10.value): 0x6D,
    int(K.Key_F11.value): 0x67,
    int(K.Key_F12.value): 0x69,
}
del K
