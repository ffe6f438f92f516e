"""The PySide6 refcount workaround is applied exactly where the installed version needs it."""

from __future__ import annotations

import subprocess
import sys

from desktop.ui import pyside_fix

MEASURE = """
import os, sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
from desktop.ui import pyside_fix
app = QCoreApplication([])
class Emitter(QObject):
    fired = Signal(str)
emitter = Emitter()
emitter.fired.connect(lambda _text: None)
before = sys.getrefcount(True)
for _ in range(50):
    emitter.fired.emit("x")
print(before - sys.getrefcount(True), pyside_fix.needed(), flush=True)
os._exit(0)  # with references lost, a normal exit would abort while freeing True
"""


def test_the_gate_matches_what_this_pyside_does() -> None:
    result = subprocess.run([sys.executable, "-c", MEASURE], capture_output=True, text=True, timeout=60,
                            env={"QT_QPA_PLATFORM": "offscreen", **__import__("os").environ})
    assert result.returncode == 0, result.stderr
    lost, needed = result.stdout.split()
    version = pyside_fix.shiboken_version()
    if int(lost) > 0:
        assert needed == "True", f"shiboken6 {version} loses references to True: add it to AFFECTED"
    else:
        assert needed == "False", f"shiboken6 {version} no longer needs the workaround: drop it from AFFECTED"


def test_applied_in_this_test_session_when_needed() -> None:
    # tests/ui/conftest.py applies it once at import, like desktop.app.run_gui does.
    assert pyside_fix.applied() is pyside_fix.needed()
