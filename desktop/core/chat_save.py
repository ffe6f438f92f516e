"""Saving a reply as it grows: the stored figures, and the timed writes of the growing text.

The growing text is written to the store at least every `interval` seconds (a timer
catches text that arrived just after a save, even if the stream then goes quiet), so a
crash, a cut connection or a stop loses at most that much. `ChatService` drives it.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from typing import Any

from desktop.core.messages import Part, ThinkingPart
from desktop.core.ollama.types import Metrics
from desktop.core.store import NotFound, Store, StoreError


def metrics_dict(metrics: Metrics, done_reason: str = "") -> dict[str, Any]:
    """The stored form of a reply's figures: the raw nanoseconds plus readable ones."""
    stored: dict[str, Any] = dataclasses.asdict(metrics)
    stored["tokens_per_second"] = round(metrics.tokens_per_second, 3)
    stored["load_seconds"] = round(metrics.load_duration / 1e9, 3)
    stored["total_seconds"] = round(metrics.total_duration / 1e9, 3)
    if done_reason:
        stored["done_reason"] = done_reason
    return stored


class GrowingSave:
    """Writes the growing text at most once per interval, and at least once per interval."""

    def __init__(
        self, store: Store, message_id: int, interval: float, text: str, parts: Sequence[Part] = ()
    ) -> None:
        self._store = store
        self._message_id = message_id
        self._interval = interval
        self._loop = asyncio.get_running_loop()
        self._last_save = self._loop.time()
        self._timer: asyncio.TimerHandle | None = None
        self.text = text
        # Thinking is saved as it grows, like the text: a crash keeps both.
        self.thinking = "".join(p.text for p in parts if isinstance(p, ThinkingPart))
        self._other_parts = tuple(p for p in parts if not isinstance(p, ThinkingPart))
        self._dirty = False

    def parts(self) -> tuple[Part, ...]:
        thought: tuple[Part, ...] = (ThinkingPart(self.thinking),) if self.thinking else ()
        return thought + self._other_parts

    def with_parts(self, parts: Sequence[Part]) -> tuple[Part, ...]:
        """The tool loop's parts (calls, results) under the thinking so far."""
        self._other_parts = tuple(p for p in parts if not isinstance(p, ThinkingPart))
        return self.parts()

    def grow(self, delta: str, thinking: str = "") -> None:
        self.text += delta
        self.thinking += thinking
        self._dirty = True
        due = self._last_save + self._interval
        if self._loop.time() >= due:
            try:
                self.save()
            except NotFound:
                raise  # the conversation is gone: the reply stops
            except StoreError:
                # A full disk or a busy database need not end the reply: the text is kept
                # here and the save is tried again an interval later (and at the end).
                self._last_save = self._loop.time()
                self._dirty = True
        elif self._timer is None:
            self._timer = self._loop.call_at(due, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        if self._dirty:
            try:
                self.save()
            except Exception:  # the next save (timer or final) retries it
                self._dirty = True

    def save(self) -> None:
        self.cancel_timer()
        parts = self.parts() if self.thinking else None
        self._store.update_message(self._message_id, content=self.text, parts=parts)
        self._dirty = False
        self._last_save = self._loop.time()

    def cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
