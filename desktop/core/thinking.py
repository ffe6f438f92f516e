"""A reasoning model's thinking, kept apart from its answer.

Servers send thinking in its own field (Ollama's `message.thinking`, OpenAI-style
`reasoning_content`), but many models (and servers that do not split) write
`<think>...</think>` inside the content. `ThinkSplitter` takes the content as it streams
and routes the text between the tags to the thinking, even when a tag is cut across two
chunks, so the answer never shows the tags and the thinking is never sent back as answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"

# Levels a conversation may ask for; True/False for models that only switch it on or off.
THINK_LEVELS = ("low", "medium", "high")


@dataclass
class Split:
    """What one piece of streamed content turned into."""

    answer: str = ""
    thinking: str = ""


def _partial_suffix(text: str, tag: str) -> int:
    """How many characters at the end of `text` could be the start of `tag`."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0


class ThinkSplitter:
    """Splits `<think>` blocks out of streamed content.

    Only a block that opens the answer (whitespace before it allowed) counts as
    thinking: a model that writes the tag later, for example when explaining the
    syntax, is quoting it.
    """

    def __init__(self) -> None:
        self._inside = False
        self._started = False  # any non-blank answer text seen (a later tag is quoted text)
        self._pending = ""
        self._thought = False  # any thinking text seen (leading blanks are dropped until then)
        self._closed = False  # a block was closed (blanks before the answer are dropped)

    def feed(self, text: str) -> Split:
        out = Split()
        buffer = self._pending + text
        self._pending = ""
        while buffer:
            if self._inside:
                if not self._thought:
                    buffer = buffer.lstrip()
                    if not buffer:
                        break
                end = buffer.find(CLOSE_TAG)
                if end >= 0:
                    out.thinking += buffer[:end]
                    buffer = buffer[end + len(CLOSE_TAG) :].lstrip()
                    self._inside = False
                    self._closed = True
                    continue
                keep = _partial_suffix(buffer, CLOSE_TAG)
                out.thinking += buffer[: len(buffer) - keep]
                self._thought = self._thought or len(buffer) > keep
                self._pending = buffer[len(buffer) - keep :]
                break
            if self._started:
                out.answer += buffer
                break
            stripped = buffer.lstrip()
            if not stripped:
                self._pending = buffer
                break
            if stripped.startswith(OPEN_TAG):
                self._inside = True
                buffer = stripped[len(OPEN_TAG) :].lstrip()
                continue
            if OPEN_TAG.startswith(stripped):
                self._pending = buffer  # maybe the start of the tag: wait for more
                break
            self._started = True
            out.answer += stripped if self._closed else buffer
            break
        return out

    def finish(self) -> Split:
        """The end of the stream: whatever was held back for a possible tag."""
        rest, self._pending = self._pending, ""
        if self._inside:
            return Split(thinking=rest)
        return Split(answer=rest if self._started or rest.strip() else "")


def split_text(text: str) -> Split:
    """Split a whole stored text (a reply saved before thinking was split out)."""
    splitter = ThinkSplitter()
    first = splitter.feed(text)
    last = splitter.finish()
    return Split(first.answer + last.answer, first.thinking + last.thinking)


@dataclass
class ThinkingClock:
    """When the thinking began and ended: the "Thought for 12 s" of the block."""

    started: float = 0.0
    ended: float = 0.0
    _now: Any = field(default=time.monotonic, repr=False)

    def saw_thinking(self) -> None:
        if not self.started:
            self.started = self._now()
        self.ended = 0.0

    def saw_answer(self) -> None:
        if self.started and not self.ended:
            self.ended = self._now()

    def seconds(self) -> float:
        if not self.started:
            return 0.0
        return max(0.0, (self.ended or self._now()) - self.started)


def think_value(value: Any) -> bool | str | None:
    """The stored `think` option as the API takes it; anything unreadable is None (the model's default)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in THINK_LEVELS:
        return value
    return None
