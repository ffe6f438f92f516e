"""Tray, hotkey and Quick Ask wired around a main window: forwarded launches, close to tray."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from desktop.core.ollama.client import OllamaClient, Timeouts
from desktop.core.store import Store
from desktop.ui.hotkeys import HotkeyManager
from desktop.ui.hotkeys import settings as hs
from desktop.ui.hotkeys.base import HotkeyBackend, HotkeyUnavailable
from desktop.ui.tray_integration import TrayIntegration, parse_forwarded
from tests.support.fault_server import FaultServer

MODEL = "smollm2:135m"


class _NoBackend(HotkeyBackend):
    def __init__(self) -> None:
        super().__init__()
        raise HotkeyUnavailable("no backend in this test")




@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "desk.sqlite3")
    yield s
    s.close()


@pytest.fixture
def client(fault_server: FaultServer, event_loop_qt: Any, qtbot: Any) -> Iterator[OllamaClient]:
    c = OllamaClient(fault_server.url, timeouts=Timeouts(first_token=10, idle=10))
    yield c
    closing = asyncio.ensure_future(c.aclose())
    qtbot.waitUntil(closing.done)


def make(qtbot: Any, client: OllamaClient, store: Store, *, tray: bool) -> tuple[TrayIntegration, QWidget]:
    window = QWidget()
    window.setWindowTitle("Ollama Desk")
    qtbot.addWidget(window)
    integration = TrayIntegration(window, client, store, hotkeys=HotkeyManager([("none", _NoBackend)]),
                                  use_tray=tray)
    qtbot.addWidget(integration.quick_ask)
    integration.start()
    return integration, window


@pytest.mark.parametrize(("argv", "expected"), [
    (["--quick-ask"], (True, "")),
    (["--quick-ask", "什么是 GGUF?"], (True, "什么是 GGUF?")),
    ([], (False, "")),
    (["--unknown-flag"], (False, "")),
])
def test_parse_forwarded(argv: list[str], expected: tuple[bool, str]) -> None:
    assert parse_forwarded(argv) == expected


def test_forwarded_quick_ask_with_text_asks_at_once(qtbot: Any, client: OllamaClient, store: Store,
                                                    fault_server: FaultServer) -> None:
    answer = {"role": "assistant", "content": "GGUF is a file format."}
    fault_server.route("POST", "/api/chat", lines=[
        {"model": MODEL, "message": answer, "done": False},
        {"model": MODEL, "message": {"role": "assistant", "content": ""}, "done": True}])
    integration, window = make(qtbot, client, store, tray=True)
    integration.set_models([MODEL])
    generating: list[bool] = []
    integration.controller.busy_changed.connect(
        lambda _busy: generating.append(integration.tray.state.generating))  # type: ignore[union-attr]
    with qtbot.waitSignal(integration.controller.answer_finished, timeout=10000):
        integration.handle_argv(["--quick-ask", "What is GGUF?"])
    assert generating == [True, False]  # the tray icon showed the answer being written
    assert integration.quick_ask.isVisible() and not window.isVisible()
    assert integration.controller.answer == "GGUF is a file format."
    integration.handle_argv([])
    assert window.isVisible()
    integration.close()


def test_closing_the_window_hides_it_to_the_tray_and_says_so_once(
    qtbot: Any, client: OllamaClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    integration, window = make(qtbot, client, store, tray=True)
    assert integration.tray is not None
    told: list[str] = []
    monkeypatch.setattr(integration.tray, "notify", lambda title, message, warning=False: told.append(title))
    integration.show_window()
    quits: list[bool] = []
    integration.quit_requested.connect(lambda: quits.append(True))
    assert integration.tray.state.window_visible
    window.close()
    assert not window.isVisible() and quits == []
    assert told == ["Ollama Desk is still running"]
    assert not integration.tray.state.window_visible
    integration.tray.toggle_window_requested.emit()  # a left click brings it back
    assert window.isVisible()
    window.close()
    assert told == ["Ollama Desk is still running"]  # told once
    store.set_setting(hs.KEY_CLOSE_TO_TRAY, False)
    integration.show_window()
    window.close()
    assert quits == [True]
    integration.close()


def test_without_a_tray_closing_quits_as_usual(qtbot: Any, client: OllamaClient, store: Store) -> None:
    integration, window = make(qtbot, client, store, tray=False)
    assert integration.tray is None
    integration.show_window()
    window.close()
    assert not window.isVisible()
    integration.close()


def test_default_model_from_the_tray_is_saved(qtbot: Any, client: OllamaClient, store: Store) -> None:
    integration, _window = make(qtbot, client, store, tray=True)
    integration.set_models(["a:1b", "b:2b"])
    assert integration.controller.default_model == "a:1b"  # none saved: the first one
    assert integration.tray is not None
    with qtbot.waitSignal(integration.default_model_changed):
        integration.tray.signals.default_model_chosen.emit("b:2b")
    assert store.get_setting(hs.KEY_DEFAULT_MODEL) == "b:2b"
    assert integration.tray.state.default_model == "b:2b"
    integration.set_models(["b:2b", "c:3b"])
    assert integration.controller.default_model == "b:2b"
    integration.close()


def test_continue_opens_the_conversation_in_the_main_window(qtbot: Any, client: OllamaClient,
                                                           store: Store) -> None:
    integration, window = make(qtbot, client, store, tray=True)
    integration.set_models([MODEL])
    integration.show_quick_ask("Draft")
    with qtbot.waitSignal(integration.open_conversation_requested) as opened:
        integration.quick_ask.continue_in_main_window()
    assert window.isVisible() and not integration.quick_ask.isVisible()
    assert [m.content for m in store.messages(opened.args[0])] == ["Draft"]
    integration.close()
