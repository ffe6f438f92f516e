"""Command line entry: the GUI by default, plus headless subcommands.

The grammar lives in desktop.argv (Qt-free). Subcommand modules are imported lazily so that
`ollama-desk ask` never loads Qt and `ollama-desk serve` never loads the GUI.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from desktop.argv import build_parser

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if getattr(args, "run", None) is not None:
        return int(args.run(args))
    if args.install_desktop_entry:
        from desktop.commands import desktop_entry

        return desktop_entry.install()
    from desktop.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    raise SystemExit(main())
