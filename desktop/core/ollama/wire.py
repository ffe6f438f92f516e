"""Ollama's JSON, as the typed results of desktop.core.ollama.types."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from desktop.core.ollama.types import (
    ChatChunk,
    Metrics,
    ModelDetails,
    ModelInfo,
    PullProgress,
    RunningModel,
    ToolCall,
)

# Sizes and counts beyond this are damage, not data (SQLite and Qt hold 64-bit ints).
_INT_MAX = 2**63 - 1


def put_optional(
    payload: dict[str, Any],
    *,
    options: Mapping[str, Any] | None,
    keep_alive: str | float | None,
    format: str | dict[str, Any] | None,
    think: bool | str | None,
) -> None:
    if options:
        payload["options"] = dict(options)
    if keep_alive is not None:
        payload["keep_alive"] = keep_alive
    if format is not None:
        payload["format"] = format
    if think is not None:
        payload["think"] = think


def dict_or_none(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def list_of_dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def to_int(value: Any) -> int:
    """A count or size from the wire; anything else (text, NaN, Infinity, negative, > 2**63) is 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0
    if isinstance(value, float) and not math.isfinite(value):
        return 0
    number = int(value)
    return number if 0 <= number <= _INT_MAX else 0


def strings(value: Any) -> tuple[str, ...]:
    """A list of names (capabilities, families) from the wire; anything but a list is empty."""
    return tuple(str(item) for item in value if isinstance(item, str)) if isinstance(value, list) else ()


def floats(vector: Any) -> list[float]:
    """An embedding vector; ValueError for anything but a list of finite numbers."""
    if not isinstance(vector, list):
        raise ValueError("not a list")
    out = []
    for x in vector:
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
            raise ValueError("not a finite number")
        out.append(float(x))
    return out


def to_model_info(obj: dict[str, Any]) -> ModelInfo:
    return ModelInfo(
        name=str(obj.get("name") or obj.get("model") or ""),
        size=to_int(obj.get("size")),
        digest=str(obj.get("digest") or ""),
        modified_at=str(obj.get("modified_at") or ""),
        details=ModelDetails.from_wire(dict_or_none(obj.get("details"))),
        capabilities=strings(obj.get("capabilities")),
    )


def to_running_model(obj: dict[str, Any]) -> RunningModel:
    return RunningModel(
        name=str(obj.get("name") or obj.get("model") or ""),
        size=to_int(obj.get("size")),
        size_vram=to_int(obj.get("size_vram")),
        digest=str(obj.get("digest") or ""),
        expires_at=str(obj.get("expires_at") or ""),
        context_length=to_int(obj.get("context_length")),
        details=ModelDetails.from_wire(dict_or_none(obj.get("details"))),
    )


def final_metrics(obj: dict[str, Any]) -> Metrics | None:
    return Metrics.from_wire(obj) if obj.get("done") else None


def to_tool_calls(value: Any) -> tuple[ToolCall, ...]:
    """`message.tool_calls`; entries without a function name are dropped, arguments that are
    not an object (a hostile or OpenAI-style server) become {}."""
    calls = []
    for position, item in enumerate(list_of_dicts(value)):
        function = dict_or_none(item.get("function")) or {}
        name = function.get("name")
        if not isinstance(name, str) or not name:
            continue
        arguments = dict_or_none(function.get("arguments")) or {}
        index = function.get("index")
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            index = position
        calls.append(
            ToolCall(
                name=name,
                arguments=arguments,
                id=str(item.get("id")) if isinstance(item.get("id"), str) else "",
                index=index,
            )
        )
    return tuple(calls)


def to_chat_chunk(obj: dict[str, Any]) -> ChatChunk:
    message = dict_or_none(obj.get("message")) or {}
    return ChatChunk(
        content=str(message.get("content") or ""),
        thinking=str(message.get("thinking") or ""),
        done=bool(obj.get("done")),
        done_reason=str(obj.get("done_reason") or ""),
        metrics=final_metrics(obj),
        model=str(obj.get("model") or ""),
        tool_calls=to_tool_calls(message.get("tool_calls")),
    )


def to_generate_chunk(obj: dict[str, Any]) -> ChatChunk:
    return ChatChunk(
        content=str(obj.get("response") or ""),
        thinking=str(obj.get("thinking") or ""),
        done=bool(obj.get("done")),
        done_reason=str(obj.get("done_reason") or ""),
        metrics=final_metrics(obj),
        model=str(obj.get("model") or ""),
    )


def to_progress(obj: dict[str, Any]) -> PullProgress:
    return PullProgress(
        status=str(obj.get("status") or ""),
        digest=str(obj.get("digest") or ""),
        total=to_int(obj.get("total")),
        completed=to_int(obj.get("completed")),
    )
