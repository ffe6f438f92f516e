"""Work around PySide6 6.12's lost reference to True on every signal delivered to Python.

Measured here (PySide6/shiboken6 6.12.0, Python 3.11.7): each emit of any signal connected
to a Python callable lowers sys.getrefcount(True) by one; True starts near 600, so after a
few hundred signals the interpreter aborts with "Fatal Python error: bool_dealloc". Python
3.12+ makes True immortal, which hides the bug there. On older Pythons with an affected
shiboken we give True, False and None a reference count so large that no session can exhaust
it. tests/ui/test_pyside_fix.py measures the installed version and fails when this gate and
the measurement disagree (a fixed release: drop it from AFFECTED; a new broken one: add it).

Call apply() once per entry point, before the first signal: `desktop.app.run_gui` and the UI
tests' conftest.
"""

from __future__ import annotations

import ctypes
import sys

AFFECTED: tuple[tuple[int, int], ...] = ((6, 12),)  # shiboken6 (major, minor) measured to lose it
_applied = False
_BALLAST = 1 << 40  # a trillion signals


def shiboken_version() -> tuple[int, int]:
    import shiboken6

    major, minor = shiboken6.__version_info__[:2]
    return int(major), int(minor)


def needed() -> bool:
    """Whether this interpreter and shiboken lose a reference to True per signal."""
    return sys.version_info < (3, 12) and shiboken_version() in AFFECTED


def applied() -> bool:
    return _applied


def apply() -> bool:
    """Idempotent; returns whether the ballast is in place."""
    global _applied
    if _applied or not needed():
        return _applied
    _applied = True
    for obj in (True, False, None):
        # ob_refcnt is the first field of every CPython object.
        ctypes.c_ssize_t.from_address(id(obj)).value += _BALLAST
    return True
