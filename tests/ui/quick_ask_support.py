"""What the Quick Ask tests share: the Ollama stream lines they replay and a closing client. The
fixtures (`store`, `client`, `make_popup`: popups on the fault server) are in tests/ui/conftest.py."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import Qt

from desktop.core.ollama.client import OllamaClient, Timeouts
from desktop.ui.quick_ask import QuickAskWindow

MODEL = "smollm2:135m"


def piece(text: str, thinking: str = "") -> dict[str, Any]:
    message = {"role": "assistant", "content": text, **({"thinking": thinking} if thinking else {})}
    return {"model": MODEL, "created_at": "2026-11-22T22:00:00Z", "message": message, "done": False}


FINAL: dict[str, Any] = {
    "model": MODEL, "created_at": "2026-11-22T22:00:01Z", "message": {"role": "assistant", "content": ""},
    "done": True, "done_reason": "stop", "total_duration": 2_000_000_000, "load_duration": 1,
    "prompt_eval_count": 5, "prompt_eval_duration": 1, "eval_count": 20, "eval_duration": 1_000_000_000,
}


def closing_client(url: str, qtbot: Any, wait: float = 10) -> Iterator[OllamaClient]:
    """A client on `url` that waits `wait` s for a token, closed on the test's loop when the test ends."""
    c = OllamaClient(url, timeouts=Timeouts(first_token=wait, idle=wait))
    yield c
    closing = asyncio.ensure_future(c.aclose())
    qtbot.waitUntil(closing.done)


PopupFactory = Callable[..., QuickAskWindow]


def type_and_press_enter(qtbot: Any, window: QuickAskWindow, text: str) -> None:
    window.input.setFocus()
    qtbot.keyClicks(window.input, text)
    qtbot.keyClick(window.input, Qt.Key.Key_Return)
