"""Tool calls without native support, and calls a model wrote as text.

For a server or model that does not take `tools` (an older Ollama, a `/v1` server without
tool support) the tools are described in the system prompt and the model answers
`{"tool": name, "arguments": {...}}` or `{"answer": text}`, constrained with `format`
(a JSON schema) so a small model cannot drift out of it. Models with native support still
sometimes write the call as JSON text instead of `tool_calls`; `recover_calls` reads it
back, but only for tool names that were offered and only when the whole text is the call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from typing import Any

from desktop.core.ollama.types import ChatMessage, ToolCall
from desktop.core.tools.spec import Tool

_FENCE = re.compile(r"^```[a-zA-Z]*\s*(.*?)\s*```$", re.S)
_LEAD_IN = re.compile(r"^(?:tool\s*call|function\s*call|call)\s*:\s*", re.I)
# Hermes/Qwen-style tags that leak into the text when a template's parser misses them.
_TAGGED = re.compile(r"^<(tool_call|function_call|tools)>\s*(.*?)\s*</\1>$", re.S)


def system_prompt(tools: Sequence[Tool], base: str = "") -> str:
    lines = [base.strip()] if base.strip() else []
    lines.append("You have these tools:")
    for tool in tools:
        schema = json.dumps(dict(tool.parameters), ensure_ascii=False)
        lines.append(f"- {tool.name}: {tool.description} Parameters: {schema}")
    lines.append(
        'If a tool can help with the request, reply with JSON {"tool": name, "arguments": {...}}. '
        'Otherwise reply with JSON {"answer": "<your answer in plain text>"}.'
    )
    return "\n".join(lines)


def _closed(node: Any, depth: int = 0) -> Any:
    # Listed properties mean only those: a small model otherwise pads the arguments.
    if depth > 32 or not isinstance(node, (dict, list)):
        return node
    if isinstance(node, list):
        return [_closed(item, depth + 1) for item in node]
    out = {key: _closed(value, depth + 1) for key, value in node.items()}
    if isinstance(node.get("properties"), dict) and "additionalProperties" not in node:
        out["additionalProperties"] = False
    return out


def format_schema(tools: Sequence[Tool]) -> dict[str, Any]:
    """One variant per tool (its own argument schema), then the plain answer."""
    variants: list[dict[str, Any]] = [
        {
            "type": "object",
            "properties": {"tool": {"const": tool.name}, "arguments": _closed(dict(tool.parameters))},
            "required": ["tool", "arguments"],
            "additionalProperties": False,
        }
        for tool in tools
    ]
    answer = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}
    return {"anyOf": [*variants, answer | {"additionalProperties": False}]}


def prompted_history(history: Sequence[ChatMessage], tools: Sequence[Tool]) -> list[ChatMessage]:
    """The history for a server without tools: tool turns become plain text turns."""
    out: list[ChatMessage] = []
    base = ""
    for message in history:
        if message.role == "system" and not out and not base:
            base = message.content
            continue
        if message.role == "tool":
            out.append(ChatMessage("user", f"The tool {message.tool_name} returned: {message.content}"))
        elif message.tool_calls:
            calls = [{"tool": c.name, "arguments": c.arguments} for c in message.tool_calls]
            text = json.dumps(calls[0] if len(calls) == 1 else calls, ensure_ascii=False)
            out.append(ChatMessage("assistant", text))
        else:
            out.append(message)
    return [ChatMessage("system", system_prompt(tools, base)), *out]


def _unwrap(text: str) -> str:
    stripped = text.strip()
    fenced = _FENCE.match(stripped)
    if fenced:
        stripped = fenced.group(1).strip()
    tagged = _TAGGED.match(stripped)
    if tagged:
        stripped = tagged.group(2).strip()
    return _LEAD_IN.sub("", stripped, count=1).strip()


def looks_like_json(text: str) -> bool:
    """Whether text streamed so far could still turn into a call (so it is held back)."""
    stripped = text.lstrip()
    if stripped[:1] in ("{", "[") or stripped.startswith(("```", "<tool_call>", "<function_call>")):
        return True
    return bool(_LEAD_IN.match(stripped))


def _as_call(item: Any, names: Collection[str], index: int) -> ToolCall | None:
    if not isinstance(item, dict):
        return None
    function = item.get("function")
    if isinstance(function, dict):
        item = function
    name = item.get("tool", item.get("name"))
    arguments = item.get("arguments", item.get("parameters", {}))
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError:
            return None
    if not isinstance(name, str) or name not in names or not isinstance(arguments, dict):
        return None
    return ToolCall(name, dict(arguments), id=f"text_{index}", index=index)


def recover_calls(text: str, names: Collection[str]) -> list[ToolCall]:
    """The calls in `text` when the whole text is one call (or a list of them); else []."""
    body = _unwrap(text)
    if not body or body[0] not in "{[":
        return []
    try:
        data = json.loads(body)
    except ValueError:
        return []
    items = data if isinstance(data, list) else [data]
    calls = [_as_call(item, names, i) for i, item in enumerate(items)]
    if not calls or any(call is None for call in calls):
        return []
    return [call for call in calls if call is not None]


def read_prompted(text: str, names: Collection[str]) -> tuple[list[ToolCall], str]:
    """A prompted-protocol reply: (calls, "") or ([], the answer text)."""
    calls = recover_calls(text, names)
    if calls:
        return calls, ""
    try:
        data = json.loads(_unwrap(text))
    except ValueError:
        return [], text
    if isinstance(data, dict) and isinstance(data.get("answer"), str):
        return [], data["answer"]
    return [], text
