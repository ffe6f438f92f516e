"""One server address everywhere (#10): the engine listens where OLLAMA_HOST points, and the
status bar, the banner, the client and its errors all name the server actually in use."""

from __future__ import annotations

import argparse
import asyncio
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from desktop.core.server_manager import ServerState
from desktop.core.store import Store
from tests.support.fault_server import FaultServer
from tests.ui.test_chat_window import MODEL, serve_basics


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_desk(qtbot: Any) -> Any:
    from desktop.app import Desk

    store = Store.open_default()
    store.set_setting("welcome.shown", True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    desk = Desk(app, store, [])
    desk.start(argparse.Namespace(quick_ask=None))
    return desk


def close_desk(desk: Any, qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    task = asyncio.ensure_future(desk.aclose(), loop=qloop)
    qtbot.waitUntil(task.done, timeout=15000)
    desk.window.close()
    desk.window.deleteLater()


def type_and_send(qtbot: Any, desk: Any, text: str) -> None:
    desk.page.composer.setPlainText(text)
    desk.page._on_send()


@pytest.fixture
def desk(qtbot: Any, qloop: asyncio.AbstractEventLoop, fault_server: FaultServer,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    serve_basics(fault_server)
    monkeypatch.setenv("OLLAMA_HOST", fault_server.url)
    monkeypatch.setenv("PATH", "/nonexistent")
    d = make_desk(qtbot)
    qtbot.waitUntil(lambda: d.page.model_picker.findData(MODEL) >= 0, timeout=10000)
    try:
        yield d
    finally:
        close_desk(d, qtbot, qloop)


def test_a_send_while_offline_keeps_the_typed_text(qtbot: Any, desk: Any, fault_server: FaultServer) -> None:
    fault_server.route("GET", "/api/version", status=500, body={"error": "down"})
    desk.connection.retry()  # the health poll, without waiting 5 s for it
    qtbot.waitUntil(lambda: desk.connection.state == ServerState.OFFLINE, timeout=10000)
    before = len(fault_server.requests)
    type_and_send(qtbot, desk, "A question typed while the server is away")
    assert desk.page.prompt() == "A question typed while the server is away"
    assert desk.page.banner.isVisible()
    # The banner names the server actually in use (the one the client would have asked).
    assert fault_server.url in desk.page.banner.label.text()
    assert desk.session.url == fault_server.url
    assert fault_server.url in desk.window.server_label.text()
    assert not any(r.path == "/api/chat" for r in fault_server.requests[before:])
    assert desk.chat.current is None or desk.store.messages(desk.chat.current.id) == []


@pytest.mark.engine
def test_the_engine_listens_at_ollama_host_and_stop_restart_keep_one_address(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{port}")
    monkeypatch.setenv("PATH", "/nonexistent")  # no `ollama` to start: the built-in engine it is
    desk = make_desk(qtbot)
    try:
        qtbot.waitUntil(lambda: desk.connection.state == ServerState.ONLINE, timeout=90000)
        info = desk.connection.info
        assert info is not None and info.url == host  # not 11434: where OLLAMA_HOST points
        assert desk.session.url == host == desk.session.client.base_url
        assert host in desk.window.server_label.text()

        desk.connection.stop()
        qtbot.waitUntil(lambda: desk.connection.state == ServerState.OFFLINE, timeout=30000)
        assert desk.session.url == host == desk.session.client.base_url
        assert host in desk.page.banner.label.text() and host in desk.window.server_label.text()
        type_and_send(qtbot, desk, "Still there?")
        assert desk.page.prompt() == "Still there?"  # kept, not lost

        desk.page.banner.action_button.click()  # "Start engine"
        qtbot.waitUntil(lambda: desk.connection.state == ServerState.ONLINE, timeout=90000)
        info = desk.connection.info
        assert info is not None
        # Wherever it listens now, everything names that one address.
        assert desk.session.url == info.url == desk.session.client.base_url
        assert info.url in desk.window.server_label.text()
    finally:
        close_desk(desk, qtbot, qloop)


def test_choosing_another_server_moves_everything_to_it(qtbot: Any, desk: Any) -> None:
    from tests.ui.test_chat_window import FINAL, WORDS, chunk, reply_is

    other = FaultServer()
    try:
        serve_basics(other)
        other.route("POST", "/api/chat", lines=[*map(chunk, WORDS), FINAL])
        old_client = desk.session.client
        desk.connection.use_server(other.url)  # the settings' "Use"
        qtbot.waitUntil(lambda: desk.connection.info is not None and desk.connection.info.url == other.url,
                        timeout=10000)
        assert desk.session.url == other.url and other.url in desk.window.server_label.text()
        qtbot.waitUntil(lambda: old_client._http.is_closed, timeout=5000)  # not parked until quit
        type_and_send(qtbot, desk, "Hello, other server")
        qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
        assert any(r.path == "/api/chat" for r in other.requests)
    finally:
        other.close()


def test_a_send_without_any_model_keeps_the_text_and_offers_the_models_page(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, fault_server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_basics(fault_server)
    fault_server.route("GET", "/api/tags", body={"models": []})
    monkeypatch.setenv("OLLAMA_HOST", fault_server.url)
    monkeypatch.setenv("PATH", "/nonexistent")
    desk = make_desk(qtbot)
    try:
        qtbot.waitUntil(lambda: desk.connection.state == ServerState.ONLINE, timeout=10000)
        type_and_send(qtbot, desk, "Hello?")
        assert desk.page.prompt() == "Hello?"
        assert "No model is installed yet" in desk.page.banner.label.text()
        assert desk.page.banner.action_button.text() == "Get a model"
        desk.page.banner.action_button.click()
        assert desk.window.pages.currentWidget() is desk.models_page
        assert not any(r.path == "/api/chat" for r in fault_server.requests)
    finally:
        close_desk(desk, qtbot, qloop)
