"""The command line's grammar, Qt-free: the GUI's options and the headless subcommands.

Both the entry point (desktop.cli) and the running app (a later launch's argv, forwarded by
the single-instance channel) read argv through this module, so they never disagree.
"""

from __future__ import annotations

import argparse
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
        "--selection",
        action="store_true",
        help="with --quick-ask: quote the selected text (X11; elsewhere the clipboard), "
        "unless reading it is turned off in the settings",
    )
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="install the launcher (with its Quick Ask action) into the user's menu (Linux)",
    )
    sub = parser.add_subparsers(dest="command")

    # Subcommand modules are light: none imports Qt, and each imports its heavy parts lazily.
    from desktop.commands import ask, bench, docs, hardware, serve

    for name, module, help_text in (
        ("ask", ask, "ask a model and stream the answer to stdout"),
        ("bench", bench, "compare models on this machine: speed, memory and answers"),
        ("docs", docs, "knowledge bases: add, list, search and remove documents"),
        ("hardware", hardware, "print this machine's hardware report and model suggestions"),
        ("serve", serve, "run the embedded Ollama-compatible engine"),
    ):
        sp = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(sp)
        sp.set_defaults(run=module.run)
    return parser


def parse_forwarded(argv: Sequence[str]) -> tuple[bool, str]:
    """(quick ask wanted, its text) from a launch's arguments; unknown arguments are ignored."""
    try:
        args, _unknown = build_parser().parse_known_args(list(argv))
    except SystemExit:  # argparse exits on --help or a malformed line: just show the app
        return False, ""
    if args.quick_ask is None:
        return False, ""
    return True, str(args.quick_ask)


def wants_selection(argv: Sequence[str]) -> bool:
    """`--quick-ask --selection`: quote the selection even where the setting says the clipboard."""
    try:
        args, _unknown = build_parser().parse_known_args(list(argv))
    except SystemExit:
        return False
    return bool(args.quick_ask is not None and args.selection)
