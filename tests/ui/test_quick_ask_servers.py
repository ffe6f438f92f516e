"""Quick Ask on any server (#15): two real loopback servers, the local one speaking Ollama NDJSON and a
saved OpenAI-compatible one speaking SSE; the popup's grouped picker sends the question to the second."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop.core.backends import BackendKind
from desktop.core.fleet import Fleet
from desktop.core.ollama.types import ModelInfo
from desktop.core.secrets import Secrets
from desktop.core.server_manager import ServerState
from desktop.core.servers import ServerBook
from desktop.core.session import Session
from desktop.core.settings import Settings
from desktop.core.store import Store
from desktop.ui.hotkeys import HotkeyManager
from desktop.ui.tray_integration import TrayIntegration
from desktop.ui.widgets.model_groups import SERVER_ROLE
from tests.support import sse_server as sse
from tests.support.fault_server import FaultServer
from tests.ui.test_tray_integration import _NoBackend

LOCAL_MODEL = "smollm2:135m"
REMOTE_MODEL = "qwen3-8b-instruct"
VISION_MODEL = "qwen2-vl-7b"


@pytest.fixture
def office() -> Iterator[FaultServer]:
    server = FaultServer()
    server.route("GET", "/v1/models", body={"object": "list", "data": [
        {"id": REMOTE_MODEL, "object": "model", "owned_by": "vllm"},
        {"id": VISION_MODEL, "object": "model", "type": "vlm"}]})
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "desk.sqlite3")
    yield s
    s.close()


def picker_rows(picker: Any) -> list[tuple[str, Any, Any, bool]]:
    model = picker.model()
    return [(model.item(r).text(), model.item(r).data(int(Qt.ItemDataRole.UserRole)),
             model.item(r).data(SERVER_ROLE), bool(model.item(r).flags() & Qt.ItemFlag.ItemIsSelectable))
            for r in range(model.rowCount())]


def test_quick_ask_streams_from_the_chosen_server_and_continues_there(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, fault_server: FaultServer, office: FaultServer,
    store: Store, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OLLAMA_HOST", fault_server.url)
    fault_server.route("GET", "/api/tags", body={"models": [{"name": LOCAL_MODEL, "model": LOCAL_MODEL}]})
    fault_server.route("POST", "/api/chat", lines=[
        {"model": LOCAL_MODEL, "message": {"role": "assistant", "content": "local answer"}, "done": False},
        {"model": LOCAL_MODEL, "message": {"role": "assistant", "content": ""}, "done": True,
         "done_reason": "stop", "eval_count": 2, "eval_duration": 1_000_000}])
    office.route("POST", "/v1/chat/completions",
                 lines=sse.reply("Bonjour ", "depuis ", "le serveur du bureau."),
                 raw=True, content_type=sse.SSE, delay=0.02)

    settings = Settings()
    settings.update(quick_ask_prefill="off")  # no quote from what earlier tests left on the clipboard
    session = Session(settings)
    session.fleet = Fleet(ServerBook(settings, Secrets(fail.Keyring())))
    fault_server.route("GET", "/api/version", body={"version": "0.12.0"})
    checking = asyncio.ensure_future(session.server.start(), loop=qloop)  # finds it at OLLAMA_HOST
    qtbot.waitUntil(checking.done, timeout=10000)
    assert session.state is ServerState.ONLINE
    session.set_models([ModelInfo(name=LOCAL_MODEL)])
    window = QWidget()
    qtbot.addWidget(window)
    tray = TrayIntegration(window, session.client, store, settings=settings, session=session,
                           hotkeys=HotkeyManager([("none", _NoBackend)]), use_tray=False)
    popup = tray.quick_ask
    qtbot.addWidget(popup)
    picker = popup.server_picker
    try:
        tray.show_quick_ask()
        assert not picker.isVisible()  # only the local server: the model's name says enough

        saved = session.fleet.book.add("Office vLLM", BackendKind.OPENAI, office.url, api_key="k-1")
        reloading = asyncio.ensure_future(session.fleet.reload(), loop=qloop)
        qtbot.waitUntil(reloading.done, timeout=10000)
        qtbot.waitUntil(lambda: any(s == saved.id and ok for _t, _m, s, ok in picker_rows(picker)),
                        timeout=10000)
        assert picker.isVisible()
        headers = [t for t, _m, _s, ok in picker_rows(picker) if not ok]
        assert any(h.startswith("Office vLLM (OpenAI-compatible)") and "online" in h for h in headers)

        def choose(server: str, model: str) -> None:
            rows = picker_rows(picker)
            row = next(r for r, (_t, m, s, _ok) in enumerate(rows) if s == server and m == model)
            picker.setCurrentIndex(row)
            picker.activated.emit(row)

        # The screenshot region is offered by what the chosen server says of its model.
        choose(saved.id, VISION_MODEL)
        tray.show_quick_ask()
        assert popup.shot.button.isVisible()

        # The user picks the office model in the popup's picker.
        choose(saved.id, REMOTE_MODEL)
        assert (settings.current.quick_ask_server, settings.current.quick_ask_server_model) == (
            saved.id, REMOTE_MODEL)

        tray.show_quick_ask()
        assert picker.currentData() == REMOTE_MODEL and picker.currentData(SERVER_ROLE) == saved.id
        assert not popup.shot.button.isVisible()
        assert picker.toolTip() == f"Office vLLM: {REMOTE_MODEL}"
        popup.input.setFocus()
        qtbot.keyClicks(popup.input, "Say hello")
        qtbot.keyClick(popup.input, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: tray.controller.status == "complete", timeout=10000)

        chats = [r for r in office.requests if r.route_path == "/v1/chat/completions"]
        assert len(chats) == 1
        body = chats[0].json()
        assert body["model"] == REMOTE_MODEL and body["stream"] is True
        assert body["messages"][-1] == {"role": "user", "content": "Say hello"}
        assert chats[0].headers.get("authorization") == "Bearer k-1"
        assert not [r for r in fault_server.requests if r.route_path == "/api/chat"]
        shown = popup.answer_view.document().toPlainText()
        assert "Bonjour depuis le serveur du bureau." in shown
        assert popup.answer_view.isVisible() and popup.answer_view.height() >= 48
        shot = popup.grab()
        assert not shot.toImage().isNull() and picker.width() > 60
        if os.environ.get("OLLAMA_DESK_SCREENSHOTS"):  # retake docs/screenshots/quick-ask-servers.png
            shot.save(str(Path(__file__).resolve().parents[2] / "docs/screenshots/quick-ask-servers.png"))

        # Continued in the main window: the conversation is on that same server.
        opened: list[int] = []
        tray.open_conversation_requested.connect(opened.append)
        popup.continue_in_main_window()
        assert len(opened) == 1
        conversation = store.conversation(opened[0])
        assert conversation.server == saved.id and conversation.model == REMOTE_MODEL
        assert [m.content for m in store.messages(opened[0])][-1] == "Bonjour depuis le serveur du bureau."

        # A local model chosen in the picker is the shared default, and the local server answers again.
        tray.show_quick_ask()
        choose("", LOCAL_MODEL)
        assert settings.current.default_model == LOCAL_MODEL
        assert settings.current.quick_ask_server == ""
        popup.input.setPlainText("And here?")
        popup.ask()
        qtbot.waitUntil(lambda: tray.controller.status == "complete", timeout=10000)
        assert "local answer" in popup.answer_view.document().toPlainText()
        assert len([r for r in fault_server.requests if r.route_path == "/api/chat"]) == 1
        assert tray.controller.server == ""

        # With history on, the exchange is a saved conversation on that server from the first token.
        settings.update(quick_ask_save_history=True)
        tray.show_quick_ask()
        choose(saved.id, REMOTE_MODEL)
        popup.input.setPlainText("Saved?")
        popup.ask()
        qtbot.waitUntil(lambda: tray.controller.status == "complete", timeout=10000)
        assert tray.controller.conversation_id is not None
        kept = store.conversation(tray.controller.conversation_id)
        assert kept.server == saved.id and kept.model == REMOTE_MODEL
        assert store.messages(kept.id)[-1].content == "Bonjour depuis le serveur du bureau."
        assert "Bonjour depuis le serveur du bureau." in popup.answer_view.document().toPlainText()
        assert len([r for r in office.requests if r.route_path == "/v1/chat/completions"]) == 2

        # A removed server falls back to the local default.
        settings.update(quick_ask_server="gone", quick_ask_server_model=REMOTE_MODEL)
        assert tray.controller.route.pick(session.client, LOCAL_MODEL)[0::2] == ("", LOCAL_MODEL)
    finally:
        closing = asyncio.ensure_future(tray.aclose(), loop=qloop)
        qtbot.waitUntil(closing.done, timeout=10000)
        closing = asyncio.ensure_future(session.aclose(), loop=qloop)
        qtbot.waitUntil(closing.done, timeout=10000)
