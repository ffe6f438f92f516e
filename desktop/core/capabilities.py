"""What the conversation's model can do, and why the chat cannot offer something.

Capabilities come from the server: /api/show `capabilities` on Ollama servers (the session
fills ModelInfo.capabilities), the model info of other servers (the fleet's models). A
model whose capabilities are unknown (an older server that lists none) is given the benefit
of the doubt for thinking and format, never for images: an image sent to a text model
fails after the upload, so the composer says so before sending.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from desktop.core.ollama.types import ModelInfo

if TYPE_CHECKING:
    from desktop.core.session import Session


class Missing(str, Enum):
    """Why a control is not offered (the UI turns each into a sentence)."""

    NO_VISION = "no-vision"
    NO_THINKING = "no-thinking"
    UNKNOWN_MODEL = "unknown-model"


@dataclass(frozen=True)
class ModelAbilities:
    model: str
    known: bool  # the server told us the model's capabilities
    vision: bool
    thinking: bool
    tools: bool
    # Whether `think` takes levels ("low" | "medium" | "high"): gpt-oss does; most take on/off.
    think_levels: bool
    context_length: int = 0

    def why_no_images(self) -> Missing | None:
        if self.vision:
            return None
        return Missing.NO_VISION if self.known else Missing.UNKNOWN_MODEL

    def why_no_thinking(self) -> Missing | None:
        return None if self.thinking or not self.known else Missing.NO_THINKING


# Families known to take think levels rather than true/false.
_LEVEL_FAMILIES = ("gpt-oss", "gptoss")


def abilities(model: str, info: ModelInfo | None) -> ModelAbilities:
    if info is None or not info.capabilities:
        return ModelAbilities(model, False, False, True, False, False, 0)
    caps = set(info.capabilities)
    family = f"{info.details.family} {model}".lower()
    levels = "thinking" in caps and any(name in family for name in _LEVEL_FAMILIES)
    return ModelAbilities(
        model,
        True,
        "vision" in caps,
        "thinking" in caps,
        "tools" in caps,
        levels,
        info.details.context_length,
    )


def find(models: Iterable[ModelInfo], name: str) -> ModelInfo | None:
    for info in models:
        if info.name == name:
            return info
    # "llama3" and "llama3:latest" are the same model.
    if ":" not in name:
        return find(models, f"{name}:latest")
    return None


def for_conversation(session: Session, server_id: str, model: str) -> ModelAbilities:
    """The abilities of `model` on the conversation's server ("" = the local one)."""
    if server_id:
        status = session.fleet.status(server_id)
        models: tuple[ModelInfo, ...] = status.models if status is not None else ()
    else:
        models = session.models
    return abilities(model, find(models, model))
