"""Whether a tool call may run: read-only local tools run at once; the others ask first.

The question goes to an async `ask` callback (a dialog in the app, a prompt or a flag on
the command line), which sees the tool and the arguments the model gave. "Always" is
remembered for this policy's life: one policy per conversation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any

from desktop.core.tools.spec import Tool


class Decision(str, Enum):
    ALLOW_ONCE = "allow_once"
    ALWAYS = "always"  # in this conversation
    DENY = "deny"


AskCallback = Callable[[Tool, dict[str, Any]], Awaitable[Decision]]
DENIED = "The user denied running this tool. Do not try it again; answer without it."


class ApprovalPolicy:
    def __init__(self, ask: AskCallback | None = None, *, always: frozenset[str] = frozenset()) -> None:
        self._ask = ask
        self.always: set[str] = set(always)

    def needs_asking(self, tool: Tool) -> bool:
        return tool.asks and tool.name not in self.always

    async def permit(self, tool: Tool, arguments: dict[str, Any]) -> bool:
        if not self.needs_asking(tool):
            return True
        if self._ask is None:
            return False  # nobody to ask: a tool that must ask never runs unasked
        decision = await self._ask(tool, arguments)
        if decision is Decision.ALWAYS:
            self.always.add(tool.name)
        return decision in (Decision.ALLOW_ONCE, Decision.ALWAYS)
