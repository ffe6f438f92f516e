"""What a model can do beyond completion, from its GGUF's chat template and its layers.

Every completion model has `tools`: templates with tool syntax through llama.cpp's own
parser, the others through the prompt-and-grammar form (tools.py). `thinking` comes from a
template that opens or mentions `<think>` (thinking.py), `vision` from a projector layer.
"""

from __future__ import annotations

from desktop.engine.thinking import template_thinks
from desktop.engine.vision import PROJECTOR_MEDIA

__all__ = ["PROJECTOR_MEDIA", "capabilities"]


def capabilities(base: list[str], template: str, *, projector: bool) -> list[str]:
    caps = list(base)
    if "completion" not in caps:
        return caps
    for cap, present in (("tools", True), ("vision", projector), ("thinking", template_thinks(template))):
        if present and cap not in caps:
            caps.append(cap)
    return caps
