"""Typed wire models of the Ollama API (the subset the app uses).

Every field the server may omit (`omitempty` in Go) is optional here. Parsing is
lenient about extra keys and strict about the keys the app relies on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["system", "user", "assistant", "tool"]
_COUNT_MAX = 2**63 - 1  # what SQLite and Qt hold; anything above is damage, not data


def wire_count(value: Any) -> int:
    """A count, size or duration from the wire: a finite number in 0..2**63-1, else 0.

    Servers are hostile input: Infinity and NaN (json reads both), 1e308, "abc", true or a
    list must become a safe default, never an OverflowError or ValueError in the UI.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0
    if isinstance(value, float) and not math.isfinite(value):
        return 0
    number = int(value)
    return number if 0 <= number <= _COUNT_MAX else 0


def wire_names(value: Any) -> tuple[str, ...]:
    """A list of names (families, capabilities); anything but a list of strings gives ()."""
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def wire_text(value: Any) -> str:
    """A text field: strings as they are, numbers as text, anything else empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


@dataclass(frozen=True)
class ToolCall:
    """One entry of `message.tool_calls`: Ollama sends arguments as an object, never split."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    index: int = 0

    def to_wire(self) -> dict[str, Any]:
        function = {"index": self.index, "name": self.name, "arguments": self.arguments}
        wire: dict[str, Any] = {"function": function}
        if self.id:
            wire["id"] = self.id
        return wire


@dataclass(frozen=True)
class ChatMessage:
    role: str
    content: str
    images: tuple[str, ...] = ()
    thinking: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    tool_name: str = ""  # on a role "tool" message: whose result it carries

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.images:
            wire["images"] = list(self.images)
        if self.tool_calls:
            wire["tool_calls"] = [call.to_wire() for call in self.tool_calls]
        if self.tool_name:
            wire["tool_name"] = self.tool_name
        return wire


@dataclass(frozen=True)
class Metrics:
    """The figures of a final (`done: true`) chunk; durations are nanoseconds."""

    total_duration: int = 0
    load_duration: int = 0
    prompt_eval_count: int = 0
    prompt_eval_duration: int = 0
    eval_count: int = 0
    eval_duration: int = 0

    @property
    def tokens_per_second(self) -> float:
        return self.eval_count / (self.eval_duration / 1e9) if self.eval_duration > 0 else 0.0

    @classmethod
    def from_wire(cls, obj: dict[str, Any]) -> Metrics:
        def num(key: str) -> int:
            return wire_count(obj.get(key))

        return cls(
            total_duration=num("total_duration"),
            load_duration=num("load_duration"),
            prompt_eval_count=num("prompt_eval_count"),
            prompt_eval_duration=num("prompt_eval_duration"),
            eval_count=num("eval_count"),
            eval_duration=num("eval_duration"),
        )


@dataclass(frozen=True)
class ChatChunk:
    """One NDJSON line of /api/chat or /api/generate, normalised."""

    content: str
    thinking: str = ""
    done: bool = False
    done_reason: str = ""
    metrics: Metrics | None = None
    model: str = ""
    tool_calls: tuple[ToolCall, ...] = ()  # accumulate across chunks: several may carry calls


@dataclass(frozen=True)
class ModelDetails:
    parent_model: str = ""
    format: str = ""
    family: str = ""
    families: tuple[str, ...] = ()
    parameter_size: str = ""
    quantization_level: str = ""
    context_length: int = 0

    @classmethod
    def from_wire(cls, obj: dict[str, Any] | None) -> ModelDetails:
        obj = obj if isinstance(obj, dict) else {}
        return cls(
            parent_model=wire_text(obj.get("parent_model")),
            format=wire_text(obj.get("format")),
            family=wire_text(obj.get("family")),
            families=wire_names(obj.get("families")),
            parameter_size=wire_text(obj.get("parameter_size")),
            quantization_level=wire_text(obj.get("quantization_level")),
            context_length=wire_count(obj.get("context_length")),
        )


@dataclass(frozen=True)
class ModelInfo:
    """An installed model, as /api/tags lists it."""

    name: str
    size: int = 0
    digest: str = ""
    modified_at: str = ""
    details: ModelDetails = field(default_factory=ModelDetails)
    capabilities: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShowInfo:
    """/api/show: what the details view and the sizing need."""

    modelfile: str = ""
    parameters: str = ""
    template: str = ""
    system: str = ""
    license: str = ""
    details: ModelDetails = field(default_factory=ModelDetails)
    model_info: dict[str, Any] = field(default_factory=dict)
    capabilities: tuple[str, ...] = ()
    modified_at: str = ""

    @property
    def architecture(self) -> str:
        return wire_text(self.model_info.get("general.architecture"))

    def arch_int(self, key: str) -> int:
        """An integer GGUF key of the model's architecture, e.g. arch_int("block_count")."""
        value = self.model_info.get(f"{self.architecture}.{key}")
        if isinstance(value, list):
            return max((wire_count(v) for v in value), default=0)
        return wire_count(value)

    @property
    def context_length(self) -> int:
        return self.arch_int("context_length") or self.details.context_length


@dataclass(frozen=True)
class RunningModel:
    """A model loaded in memory, as /api/ps lists it."""

    name: str
    size: int = 0
    size_vram: int = 0
    digest: str = ""
    expires_at: str = ""
    context_length: int = 0
    details: ModelDetails = field(default_factory=ModelDetails)

    @property
    def spilled_to_cpu(self) -> bool:
        return 0 < self.size_vram < self.size


@dataclass(frozen=True)
class PullProgress:
    """One line of /api/pull (and /api/create) progress."""

    status: str
    digest: str = ""
    total: int = 0
    completed: int = 0
