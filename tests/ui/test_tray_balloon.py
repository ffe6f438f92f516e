"""Qt's own notification balloon (shown where the desktop has no notification service) is
readable in both themes: the real tray icon under Xvfb with a tray host, its balloon grabbed,
and the contrast of each text line against its background measured from the pixels."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.e2e.conftest import desktop  # noqa: F401 - the Xvfb + trayer fixture

SCRIPT = r"""
import json, sys
from collections import Counter
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
from desktop.ui import theme
from desktop.ui.tray import Tray

app = QApplication([])
theme.apply(app, sys.argv[1])
tray = Tray()
tray.show()
result = {"labels": []}

def notify():
    tray.on_pull_finished("llama3.1:8b", False)
    QTimer.singleShot(600, measure)

def measure():
    tips = [w for w in app.topLevelWidgets() if w.metaObject().className() == "QBalloonTip" and w.isVisible()]
    result["balloons"] = len(tips)
    for tip in tips:
        image = tip.grab().toImage()
        for label in tip.findChildren(QLabel):
            if not label.text() or not label.isVisible():
                continue
            r = label.geometry()
            pixels = [image.pixelColor(x, y).name() for y in range(r.top(), r.bottom())
                      for x in range(r.left(), r.right())]
            background = Counter(pixels).most_common(1)[0][0]
            ink = max(set(pixels), key=lambda c: theme.contrast_ratio(c, background))
            result["labels"].append([label.text(), background, ink, theme.contrast_ratio(ink, background)])
    print(json.dumps(result))
    app.quit()

QTimer.singleShot(1200, notify)
QTimer.singleShot(15000, app.quit)
app.exec()
"""


@pytest.mark.parametrize("name", ["light", "dark"])
def test_the_fallback_balloon_is_readable(desktop: Any, name: str) -> None:  # noqa: F811
    proc = subprocess.run([sys.executable, "-c", SCRIPT, name], env=desktop.env, capture_output=True,
                          text=True, timeout=60, cwd=str(__import__("pathlib").Path(__file__).parents[2]))
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, proc.stderr[-2000:]
    result = json.loads(lines[-1])
    assert result["balloons"] == 1
    texts = {text: ratio for text, _bg, _ink, ratio in result["labels"]}
    assert "Download failed" in texts and any("could not be downloaded" in t for t in texts)
    for text, background, ink, ratio in result["labels"]:
        assert ratio >= 4.5, f"{text!r}: {ink} on {background} is {ratio:.2f}:1"
