"""`ollama-desk bench MODEL [MODEL...]`: the same prompt on each model in turn, each alone in memory.

Progress goes to stderr (one line rewritten in a terminal, one line per run otherwise), the
result to stdout: a table, or JSON with per-run figures under Ollama's metric names plus
tokens_per_second. Each comparison is saved (see desktop.core.bench_store); --list shows them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any, TextIO

from desktop.core.bench import DEFAULT_OPTIONS, DEFAULT_PROMPT, BenchProgress, BenchResult, ModelSummary


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("models", nargs="*", metavar="MODEL", help="installed models to compare, in order")
    parser.add_argument(
        "--prompt", "-p", action="append", metavar="TEXT", help="prompt to run (repeat for a prompt set)"
    )
    parser.add_argument("--runs", "-n", type=_positive, default=1, metavar="N", help="runs per prompt")
    parser.add_argument(
        "--num-predict",
        type=_positive,
        default=int(DEFAULT_OPTIONS["num_predict"]),
        metavar="TOKENS",
        help="most tokens per answer (default %(default)s)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--no-save", action="store_true", help="do not keep the result")
    parser.add_argument("--list", action="store_true", help="list saved comparisons and exit")
    parser.add_argument(
        "--host", metavar="URL", help="model server address (default: OLLAMA_HOST, else 127.0.0.1:11434)"
    )


class _Progress:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()

    def __call__(self, p: BenchProgress) -> None:
        if p.finished is None:
            line = f"[{p.step}/{p.total}] {p.model}: run {p.run} of {p.runs}…"
        elif p.finished.ok:
            f = p.finished
            line = (
                f"[{p.step}/{p.total}] {p.model}: run {p.run} of {p.runs}: "
                f"{f.tokens_per_second:.1f} tokens/s, first token {f.first_token_seconds:.2f} s"
            )
        else:
            line = f"[{p.step}/{p.total}] {p.model}: run {p.run} failed: {p.finished.error}"
        if self.live:
            self.stream.write(
                "\r\x1b[K" + line + ("\n" if p.finished is not None and not p.finished.ok else "")
            )
        elif p.finished is not None:
            self.stream.write(line + "\n")
        self.stream.flush()

    def end(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _mib(value: float) -> str:
    return f"{value / 1024**2:.0f}"


_HEADER = (
    "MODEL", "RUNS", "LOAD s", "1ST TOKEN s", "PROMPT tok/s", "TOKENS/S", "TOKENS", "MEM MiB", "VRAM MiB"
)  # fmt: skip


def _cell(summary: ModelSummary, name: str, fmt: str = "{:.2f}") -> str:
    """The median, with min-max after it where the runs differ."""
    if summary.runs == 0:
        return "-"
    spread = summary.figures[name]
    text = fmt.format(spread.median)
    if summary.runs > 1 and spread.low != spread.high:
        text += f" ({fmt.format(spread.low)}-{fmt.format(spread.high)})"
    return text


def format_table(result: BenchResult) -> str:
    """A summary row per model, then each model's last answer and any failure."""
    rows: list[tuple[str, ...]] = [_HEADER]
    for s in result.summaries():
        done = s.runs > 0
        rows.append(
            (
                s.model,
                f"{s.runs}" + (f" ({s.failed} failed)" if s.failed else ""),
                _cell(s, "load_seconds"),
                _cell(s, "first_token_seconds"),
                _cell(s, "prompt_tokens_per_second", "{:.1f}"),
                _cell(s, "tokens_per_second", "{:.1f}"),
                _cell(s, "eval_count", "{:.0f}"),
                _mib(s.figures["size"].median) if done else "-",
                _mib(s.figures["size_vram"].median) if done else "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    for model in result.models:
        model_runs = result.runs_of(model)
        last = next((r for r in reversed(model_runs) if r.ok), None)
        if last is not None:
            lines.append(f"\n{model}: {' '.join(last.answer.split())}")
        lines.extend(f"\n{model} (run {r.run}) failed: {r.error}" for r in model_runs if not r.ok)
    return "\n".join(lines)


def _list_saved() -> int:
    from desktop.core.bench_store import BenchStore

    results = BenchStore().list()
    if not results:
        print("No saved comparisons yet: run `ollama-desk bench MODEL [MODEL...]`.")
    for r in results:
        speeds = ", ".join(
            f"{s.model} {s.figures['tokens_per_second'].median:.1f} tokens/s" for s in r.summaries()
        )
        print(f"{r.id}  {r.created_at}  {speeds}")
    return 0


async def _bench(args: argparse.Namespace, progress: _Progress) -> BenchResult:
    from desktop.core.bench import run_bench
    from desktop.core.ollama.client import OllamaClient

    options: dict[str, Any] = dict(DEFAULT_OPTIONS, num_predict=args.num_predict)
    async with OllamaClient(args.host) as client:
        return await run_bench(
            client,
            args.models,
            args.prompt or [DEFAULT_PROMPT],
            runs=args.runs,
            options=options,
            on_progress=progress,
        )


def run(args: argparse.Namespace) -> int:
    from desktop.core.ollama.errors import OllamaError

    if args.list:
        return _list_saved()
    if not args.models:
        print(
            "ollama-desk bench: name at least one model, e.g. `ollama-desk bench smollm2:135m`.",
            file=sys.stderr,
        )
        return 2
    progress = _Progress(sys.stderr)
    try:
        result = asyncio.run(_bench(args, progress))
    except OllamaError as exc:
        progress.end()
        print(f"ollama-desk bench: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        progress.end()
        return 130
    progress.end()
    if not args.no_save:
        from desktop.core.bench_store import BenchStore

        try:
            BenchStore().save(result)
        except OSError as exc:
            print(f"ollama-desk bench: the result could not be saved ({exc}).", file=sys.stderr)
    text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) if args.json else format_table(result)
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        return 0
    return 0 if any(r.ok for r in result.runs) else 1
