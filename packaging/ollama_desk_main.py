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


def _ensure_streams() -> None:
    # A windowed build (Windows, macOS .app) starts with no stdout/stderr: sys.stdout is None
    # and the first print() -- `serve` announcing its port, argparse's help -- would raise.
    import os

    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


if __name__ == "__main__":
    multiprocessing.freeze_support()
    _ensure_streams()
    from desktop.cli import main

    raise SystemExit(main(_argv()))
