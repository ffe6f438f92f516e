"""Command line entry: the GUI by default, plus headless subcommands.

Subcommand modules are imported lazily so that `ollama-desk ask` never loads Qt and
`ollama-desk serve` never loads the GUI.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ollama-desk", description="A private desktop assistant for local LLMs."
    )
    parser.add_argument(
        "--quick-ask",
        nargs="?",
        const="",
        default=None,
        metavar="TEXT",
        help="open the Quick Ask popup in the running app (starting it if needed); with TEXT, ask at once",
    )
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="install the launcher (with its Quick Ask action) into the user's menu (Linux)",
    )
    sub = parser.add_subparsers(dest="command")

    from desktop.commands import ask, hardware, serve

    for name, module, help_text in (
        ("ask", ask, "ask a model and stream the answer to stdout"),
        ("hardware", hardware, "print this machine's hardware report and model suggestions"),
        ("serve", serve, "run the embedded Ollama-compatible engine"),
    ):
        sp = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(sp)
        sp.set_defaults(run=module.run)
    return parser


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
