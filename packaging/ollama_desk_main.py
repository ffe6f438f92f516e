"""Entry point of the frozen app (PyInstaller): the same dispatcher as `python -m desktop`.

The bundle's executable is both the GUI and the CLI, so `ollama-desk serve` runs the
embedded engine from the bundle. The server manager starts `sys.executable serve` when
frozen; an older caller's `sys.executable -m desktop serve` is accepted too.
"""

from __future__ import annotations

import multiprocessing
import sys


def _argv() -> list[str]:
    args = sys.argv[1:]
    if args[:2] == ["-m", "desktop"]:
        args = args[2:]
    return args


if __name__ == "__main__":
    multiprocessing.freeze_support()
    from desktop.cli import main

    raise SystemExit(main(_argv()))
