"""What a tool is: its wire description, how it runs, and whether it must ask first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_RESULT_CHARS = 16_000  # what one tool result may put into the model's context


class ToolError(Exception):
    """A tool failed in a way the model (and the user) should read: a plain sentence."""


ToolRunner = Callable[[dict[str, Any]], Awaitable[str]]


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    parameters: Mapping[str, Any]
    run: ToolRunner = field(repr=False, compare=False)
    # A read-only tool that stays on this computer runs without asking.
    read_only: bool = True
    network: bool = False
    source: str = "built-in"  # "built-in" or the MCP server's name
    timeout: float = 30.0

    @property
    def asks(self) -> bool:
        return self.network or not self.read_only

    def to_wire(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": dict(self.parameters),
            },
        }


def clip(text: str, limit: int = MAX_RESULT_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[… {len(text) - limit} more characters left out]"


def object_schema(properties: Mapping[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": dict(properties), "required": list(required)}
