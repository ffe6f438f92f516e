"""`ollama-desk ask --tools ...`: the app's tool loop without a window.

Calls and results are reported on stderr (stdout keeps only the answer). A tool that would
ask first runs only with `--yes`; without it the model is told it was denied.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from desktop.core.messages import Part, ToolCallPart, ToolResultPart
from desktop.core.tools import ApprovalPolicy, Decision, Tool, ToolLoop
from desktop.core.tools.builtins import builtin_tools, resolve_names
from desktop.core.tools.loop import ChatStreamer


class ToolsUnknown(ValueError):
    """An unknown name in --tools: a plain sentence."""


def headless_loop(client: ChatStreamer, names: str, yes: bool) -> ToolLoop:
    """The loop for --tools on any server: the local client or a --server backend."""
    try:
        chosen = resolve_names([n for n in names.split(",") if n.strip()])
    except ValueError as err:
        raise ToolsUnknown(str(err)) from err
    available = builtin_tools()
    missing = [name for name in chosen if name not in available]
    if missing:
        raise ToolsUnknown(
            f"{missing[0]} works only in the app (it reads your saved conversations or documents)."
        )

    async def ask(tool: Tool, arguments: dict[str, Any]) -> Decision:
        if yes:
            return Decision.ALLOW_ONCE
        print(f"Not running {tool.name} (it asks first; add --yes to allow it).", file=sys.stderr)
        return Decision.DENY

    loop = ToolLoop(client, [available[name] for name in chosen], ApprovalPolicy(ask))
    reported: set[int] = set()

    def report(parts: tuple[Part, ...]) -> None:
        for index, part in enumerate(parts):
            if index in reported:
                continue
            reported.add(index)
            if isinstance(part, ToolCallPart):
                print(f"[tool] {part.name} {json.dumps(part.arguments, ensure_ascii=False)}", file=sys.stderr)
            elif isinstance(part, ToolResultPart):
                mark = "error" if part.is_error else "result"
                print(f"[tool] {part.name} {mark}: {part.content[:500]}", file=sys.stderr, flush=True)

    loop.listeners.append(report)
    return loop
