"""What a conversation asks of each reply besides the model's options: thinking and format.

Conversations keep everything in one `options` dict; `think` and `format` are not Ollama
`options` but request fields, so they are taken out here before the rest is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.core.thinking import think_value

THINK_KEY = "think"
FORMAT_KEY = "format"


@dataclass(frozen=True)
class ReplyRequest:
    options: dict[str, Any] | None
    think: bool | str | None = None
    format: str | dict[str, Any] | None = None


def format_value(value: Any) -> str | dict[str, Any] | None:
    """ "json" or a JSON schema (an object); anything else means free text."""
    if value == "json":
        return "json"
    if isinstance(value, dict) and value:
        return dict(value)
    return None


def request_from(options: Mapping[str, Any]) -> ReplyRequest:
    rest = {k: v for k, v in options.items() if v is not None and k not in (THINK_KEY, FORMAT_KEY)}
    return ReplyRequest(
        options=rest or None,
        think=think_value(options.get(THINK_KEY)),
        format=format_value(options.get(FORMAT_KEY)),
    )
