"""Reasoning models: `think` values, the `thinking` capability, and `<think>` split from content.

A model thinks when its chat template opens `<think>` in the generation prompt (Qwen3,
DeepSeek-R1 distils) or the model writes `<think>` first. The engine splits the stream at
`</think>`: what comes before is `message.thinking`, the rest `content`. `think: false`
closes the block before the model starts (an empty `<think></think>`, which is what Qwen3's
own template writes for enable_thinking=false), so no thinking tokens are spent.

With a num_predict limit the thinking gets a share of it by level (low a quarter, medium
half, high three quarters); at the end of its share the engine closes the block itself and
the answer gets the rest, so a reasoning model under a budget still answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.engine.options import RequestError

OPEN = "<think>"
CLOSE = "</think>"
LEVELS = ("low", "medium", "high", "max")
_SHARE = {"low": 0.25, "medium": 0.5, "high": 0.75, "max": 0.75}


@dataclass(frozen=True)
class Think:
    on: bool | None  # None: not asked (on for a thinking model, as Ollama does)
    level: str = "medium"


def parse_think(value: Any) -> Think:
    if value is None:
        return Think(None)
    if value is True:
        return Think(True)
    if value is False:
        return Think(False)
    if isinstance(value, str) and value in LEVELS:
        return Think(True, value)
    shown = value if isinstance(value, str) else str(value).lower()
    raise RequestError(
        f'invalid think value: "{shown}" (must be "high", "medium", "low", "max", true, or false)'
    )


def template_thinks(template: str) -> bool:
    return OPEN in template or "enable_thinking" in template or "reasoning_content" in template


def opens_think(prompt: str) -> bool:
    """The rendered prompt leaves a `<think>` block open for the model to fill."""
    tail = prompt.rstrip()
    return tail.endswith(OPEN)


def closed_prompt(prompt: str, *, thinks: bool) -> str:
    """think:false: a block the template opened is closed empty; a thinking model whose
    template leaves the opening to the model gets the empty block it would write itself."""
    if opens_think(prompt):
        return prompt.rstrip() + "\n" + CLOSE + "\n\n"
    return prompt + OPEN + "\n\n" + CLOSE + "\n\n" if thinks else prompt


def thinking_budget(num_predict: int, level: str) -> int:
    """Tokens the thinking may take; 0 means no limit but the request's own."""
    if num_predict <= 0:
        return 0
    return max(1, int(num_predict * _SHARE.get(level, 0.5)))


class ThinkSplitter:
    """Splits streamed text at `<think>`/`</think>`; tags split across pieces are held back."""

    def __init__(self, *, inside: bool) -> None:
        self.inside = inside
        self.started = inside  # an opening tag only counts at the very start of the output
        self.closed = False
        self.pending = ""
        self.fresh_thought = True
        self.fresh_answer = True

    def feed(self, text: str) -> tuple[str, str]:
        """(thinking, content) of this piece; the newlines around the tags are dropped."""
        thinking, content = self._feed(text)
        if self.fresh_thought and thinking:
            thinking = thinking.lstrip()
            self.fresh_thought = not thinking
        if self.fresh_answer and content and self.closed:
            content = content.lstrip()
            self.fresh_answer = not content
        return thinking, content

    def _feed(self, text: str) -> tuple[str, str]:
        self.pending += text
        thinking = content = ""
        if not self.started:
            stripped = self.pending.lstrip()
            if stripped.startswith(OPEN):
                self.inside = self.started = True
                self.pending = stripped[len(OPEN) :].lstrip("\n")
            elif OPEN.startswith(stripped):
                return "", ""
            else:
                self.started, self.closed = True, True
        if self.inside:
            at = self.pending.find(CLOSE)
            if at >= 0:
                thinking = self.pending[:at].rstrip()
                self.pending = self.pending[at + len(CLOSE) :].lstrip()
                self.inside, self.closed = False, True
            else:
                # Held back: a tag that may be starting, and the whitespace before it.
                body = self.pending[: len(self.pending) - _partial_tag(self.pending, CLOSE)]
                keep = len(self.pending) - len(body.rstrip())
                thinking, self.pending = (
                    self.pending[: len(self.pending) - keep],
                    self.pending[len(self.pending) - keep :],
                )
                return thinking, ""
        if self.closed and not self.inside:
            content, self.pending = self.pending, ""
        return thinking, content

    def finish(self) -> tuple[str, str]:
        rest, self.pending = self.pending, ""
        return (rest.rstrip(), "") if self.inside else ("", rest)


def _partial_tag(text: str, tag: str) -> int:
    """Length of the longest end of `text` that starts `tag`."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0
