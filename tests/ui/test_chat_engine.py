"""The whole app against the real embedded engine process and the real SmolLM2 model."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.ui.desk_support import running_desk
from tests.ui.test_chat_window import last_message, reply_is, send


@pytest.mark.engine
def test_chatting_with_the_embedded_engine_end_to_end(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, engine_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real engine process and the real SmolLM2 model behind the whole app."""
    with running_desk(
        qtbot, qloop, monkeypatch, engine_url, model="smollm2:135m", timeout=30000, no_binaries=False
    ) as desk:
        assert "Built-in engine" in desk.window.server_label.text()
        desk.chat.set_model("smollm2:135m")
        desk.chat.set_options("", {"num_predict": 24, "seed": 7, "temperature": 0})
        send(desk, "What is the capital of France?")
        qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=60000)
        reply = last_message(desk)
        assert reply.content.strip()
        assert reply.metrics["eval_count"] > 0 and reply.metrics["tokens_per_second"] > 0
        view = desk.page.view_for(reply.id)
        assert view is not None and view.text() == reply.content
        assert "tokens/s" in view.status_label.text()
