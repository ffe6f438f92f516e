"""The whole app against the real embedded engine process and the real SmolLM2 model."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from desktop.core.store import Store
from tests.ui.test_chat_window import last_message, reply_is, send


@pytest.mark.engine
def test_chatting_with_the_embedded_engine_end_to_end(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, engine_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real engine process and the real SmolLM2 model behind the whole app."""
    from desktop.app import Desk

    monkeypatch.setenv("OLLAMA_HOST", engine_url)
    store = Store.open_default()
    store.set_setting("welcome.shown", True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    desk = Desk(app, store, [])
    desk.start(argparse.Namespace(quick_ask=None))
    try:
        qtbot.waitUntil(lambda: desk.page.model_picker.findData("smollm2:135m") >= 0, timeout=30000)
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
    finally:
        task = asyncio.ensure_future(desk.aclose(), loop=qloop)
        qtbot.waitUntil(task.done, timeout=10000)
        desk.window.close()
        desk.window.deleteLater()
