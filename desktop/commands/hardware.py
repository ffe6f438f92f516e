"""`ollama-desk hardware`: this machine's report and model suggestions, as text or JSON.

--ram / --vram answer for another machine (planning a purchase): what is given is not probed.
"""

from __future__ import annotations

import argparse
import json
import sys

from desktop.core.hardware.machine import parse_size


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--ram", type=_size, metavar="SIZE", help="answer for a machine with this much RAM, e.g. 32G"
    )
    parser.add_argument(
        "--vram",
        type=_size,
        metavar="SIZE",
        help="answer for a machine with one GPU of this much memory, e.g. 8G (0 = no GPU)",
    )
    parser.add_argument(
        "--ctx", type=int, metavar="TOKENS", help="context length to size for (default 4096, 2048 on battery)"
    )


def run(args: argparse.Namespace) -> int:
    from desktop.core.catalog import CatalogError, load_catalog
    from desktop.core.disk import default_models_dir
    from desktop.core.hardware.probe import probe
    from desktop.core.hardware.report import build_report, format_text

    if args.ctx is not None and args.ctx < 256:
        print("ollama-desk hardware: --ctx must be at least 256 tokens.", file=sys.stderr)
        return 2
    try:
        catalog = load_catalog()
    except CatalogError as exc:
        print(f"ollama-desk hardware: {exc}", file=sys.stderr)
        return 1
    machine = probe(ram=args.ram, vram=args.vram)
    # Free disk is judged where this machine keeps models; a planned machine's disk is unknown.
    folder = None if machine.hypothetical else default_models_dir()
    calibration = None
    if not machine.hypothetical:  # measured speeds belong to this machine only (#20)
        from desktop.core.bench_store import BenchStore
        from desktop.core.hardware.budget import budget
        from desktop.core.hardware.calibrate import calibrate

        estimate = budget(machine)
        calibration = calibrate(BenchStore().list(), estimate.cores, estimate)
    report = build_report(machine, catalog, num_ctx=args.ctx, models_folder=folder, calibration=calibration)
    text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False) if args.json else format_text(report)
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `ollama-desk hardware | head` is fine
        return 0
    return 0
