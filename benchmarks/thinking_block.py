"""How long a long streamed thought costs the UI thread in the thinking block.

    QT_QPA_PLATFORM=offscreen python benchmarks/thinking_block.py

Appends 4000 tokens (about 24k characters, a long deepseek-r1 thought) to a ThinkingBlock,
folded and open, processing events as a stream would, and prints the time per token.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.ui.widgets.thinking_block import ThinkingBlock  # noqa: E402

TOKENS = 4000


def run(open_: bool) -> float:
    block = ThinkingBlock()
    block.resize(700, 400)
    block.show()
    block.append("Start. ")
    block.set_open(open_)
    started = time.perf_counter()
    for index in range(TOKENS):
        block.append(f"word{index % 97} ")
        if index % 10 == 0:
            QApplication.processEvents()
    QApplication.processEvents()
    elapsed = time.perf_counter() - started
    block.deleteLater()
    return elapsed


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    for open_ in (False, True):
        seconds = run(open_)
        state = "open" if open_ else "folded"
        print(f"{state}: {TOKENS} tokens in {seconds:.3f} s ({seconds / TOKENS * 1e6:.0f} µs per token)")
