"""Work around PySide6 6.12's lost reference to True on every signal delivered to Python.

Measured here (PySide6/shiboken6 6.12.0, Python 3.11.7): each emit of any signal connected
to a Python callable lowers sys.getrefcount(True) by one; True starts near 600, so after a
few hundred signals the interpreter aborts with "Fatal Python error: bool_dealloc". Python
3.12+ makes True immortal, which hides the bug there. On older Pythons we give True, False
and None a reference count so large that no session can exhaust it.
"""

from __future__ import annotations

import ctypes
import sys

_applied = False
_BALLAST = 1 << 40  # a trillion signals


def apply() -> None:
    """Idempotent; call before the first signal is emitted (the composition root does)."""
    global _applied
    if _applied or sys.version_info >= (3, 12):
        return
    _applied = True
    for obj in (True, False, None):
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(obj)).value += _BALLAST
