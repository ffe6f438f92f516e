"""Typed wire models of the Ollama API (the subset the app uses).

Every field the server may omit (`omitempty` in Go) is optional here. Parsing is
lenient about extra keys and strict about the keys the app relies on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True)
class ChatMessage:
    role: str
    content: str
    images: tuple[str, ...] = ()
    thinking: str = ""

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.images:
            wire["images"] = list(self.images)
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
            value = obj.get(key, 0)
            return int(value) if isinstance(value, (int, float)) else 0

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
        obj = obj or {}
        return cls(
            parent_model=str(obj.get("parent_model") or ""),
            format=str(obj.get("format") or ""),
            family=str(obj.get("family") or ""),
            families=tuple(str(f) for f in (obj.get("families") or ())),
            parameter_size=str(obj.get("parameter_size") or ""),
            quantization_level=str(obj.get("quantization_level") or ""),
            context_length=int(obj.get("context_length") or 0),
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
        return str(self.model_info.get("general.architecture", ""))

    def arch_int(self, key: str) -> int:
        """An integer GGUF key of the model's architecture, e.g. arch_int("block_count")."""
        value = self.model_info.get(f"{self.architecture}.{key}")
        if isinstance(value, list):
            value = max(value) if value else 0
        return int(value) if isinstance(value, (int, float)) else 0

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
