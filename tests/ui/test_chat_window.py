"""The whole app (Desk: main window, controllers, services) against a real loopback server.

The fault server speaks Ollama's HTTP, so these replies stream over real sockets, and it
misbehaves on cue: stalls, cuts, refuses.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.support.fault_server import FaultServer
from tests.ui.desk_support import (
    FINAL,
    MODEL,
    WORDS,
    chunk,
    last_message,
    reply_is,
    running_desk,
    send,
    serve_basics,
)

# Shared with the other app-level UI tests, which import them from here too.
__all__ = ["FINAL", "MODEL", "WORDS", "chunk", "desk", "last_message", "reply_is", "send", "serve_basics"]


@pytest.fixture
def desk(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, fault_server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    serve_basics(fault_server)
    fault_server.route("POST", "/api/chat", lines=[*map(chunk, WORDS), FINAL], delay=0.02)
    with running_desk(qtbot, qloop, monkeypatch, fault_server.url) as running:
        yield running


def test_a_streamed_reply_is_shown_saved_and_measured(qtbot: Any, desk: Any) -> None:
    send(desk, "Say hello")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    reply = last_message(desk)
    assert reply.content == "".join(WORDS)
    view = desk.page.view_for(reply.id)
    assert view is not None and view.text() == "".join(WORDS)
    # Nothing the model wrote is lost in rendering: the `<` of Vec<String> included.
    qtbot.waitUntil(lambda: "Vec<String>" in view.body.toPlainText(), timeout=3000)
    assert "中文" in view.body.toPlainText()
    assert "70.0 tokens/s" in view.status_label.text() and "7 tokens" in view.status_label.text()
    assert desk.page.send_button.text() == "Send"
    # The conversation was titled from the first message and listed.
    assert desk.sidebar.list.count() == 1 and desk.sidebar.list.item(0).text() == "Say hello"


def test_stop_before_any_text_puts_the_prompt_back(qtbot: Any, desk: Any, fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=[chunk("never")], stall_after=0)
    send(desk, "A question I will take back")
    qtbot.waitUntil(lambda: desk.chat.generating, timeout=5000)
    assert desk.page.send_button.text() == "Stop"
    qtbot.keyClick(desk.page.composer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not desk.chat.generating, timeout=5000)
    qtbot.waitUntil(lambda: desk.page.prompt() == "A question I will take back", timeout=5000)
    assert desk.store.messages(desk.chat.current.id) == []


def test_a_cut_reply_stays_marked_interrupted_and_continue_finishes_it(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    partial = [chunk("The first half")]
    body_len = sum(len(__import__("json").dumps(c)) + 1 for c in partial)
    fault_server.route("POST", "/api/chat", lines=[*partial, chunk(" and more")], cut_after=body_len + 30)
    send(desk, "Tell me something long")
    qtbot.waitUntil(lambda: reply_is(desk, "interrupted"), timeout=10000)
    reply = last_message(desk)
    assert reply.content.startswith("The first half")
    view = desk.page.view_for(reply.id)
    qtbot.waitUntil(lambda: view.continue_button.isVisible(), timeout=3000)
    assert "Interrupted" in view.status_label.text()

    fault_server.route("POST", "/api/chat", lines=[chunk(" — the rest."), FINAL])
    qtbot.mouseClick(view.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    finished = last_message(desk)
    assert finished.id == reply.id and finished.content == reply.content + " — the rest."
    # The model was sent the partial reply as the last turn, to continue it.
    sent = fault_server.requests[-1].json()
    assert sent["messages"][-1] == {"role": "assistant", "content": reply.content}


def test_server_down_shows_a_banner_and_retry_recovers(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    send(desk, "first")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    fault_server.route("GET", "/api/version", status=500, body={"error": "down"})
    fault_server.route("POST", "/api/chat", body=b"", cut_after=0)
    send(desk, "second")
    qtbot.waitUntil(lambda: desk.page.banner.isVisible(), timeout=15000)
    assert desk.page.banner.retry_button.isVisible()
    # History stays browsable while the server is away.
    assert [m.content for m in desk.store.messages(desk.chat.current.id)][:2] == ["first", "".join(WORDS)]

    serve_basics(fault_server)
    fault_server.route("POST", "/api/chat", lines=[*map(chunk, WORDS), FINAL])
    qtbot.mouseClick(desk.page.banner.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not desk.page.banner.isVisible(), timeout=15000)
    # A second Retry answers the message that failed.
    desk.chat.retry_last()
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    assert last_message(desk).content == "".join(WORDS)


def test_search_jumps_to_the_matching_message(qtbot: Any, desk: Any) -> None:
    send(desk, "zebra crossing rules")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    target = desk.store.messages(desk.chat.current.id)[0]
    desk.chat.new_conversation()
    assert desk.page.view_for(target.id) is None
    desk.sidebar.search.setText("zebra")
    qtbot.waitUntil(
        lambda: desk.sidebar.results.isVisible() and desk.sidebar.results.count() >= 1, timeout=5000
    )
    from desktop.ui.widgets.conversation_sidebar import MSG_ROLE

    items = [desk.sidebar.results.item(i) for i in range(desk.sidebar.results.count())]
    item = next(i for i in items if i.data(MSG_ROLE) == target.id)
    desk.sidebar._on_hit(item)
    qtbot.waitUntil(lambda: desk.page.view_for(target.id) is not None, timeout=5000)
    view = desk.page.view_for(target.id)
    qtbot.waitUntil(lambda: view.property("highlight") is True, timeout=3000)


def test_edit_and_regenerate_keep_the_earlier_versions(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    send(desk, "original question")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    conv_id = desk.chat.current.id
    user, reply = desk.store.messages(conv_id)
    fault_server.route("POST", "/api/chat", lines=[chunk("A new answer"), FINAL])
    desk.page.view_for(reply.id).regenerate_button.click()
    qtbot.waitUntil(
        lambda: reply_is(desk, "complete") and last_message(desk).content == "A new answer", timeout=10000
    )
    assert [m.role for m in desk.store.messages(conv_id)] == ["user", "assistant"]
    assert [v.content for v in desk.store.versions(last_message(desk).id)] == ["".join(WORDS), "A new answer"]
    assert desk.page.view_for(reply.id) is None  # the old version left the screen

    # Edit in place: nothing changes until Save, and Cancel keeps everything.
    view = desk.page.view_for(user.id)
    view.edit_button.click()
    assert view.is_editing() and view.editor.toPlainText() == "original question"
    view.editor.setPlainText("a question I did not send")
    view.cancel_edit()
    assert len(desk.store.messages(conv_id)) == 2 and desk.page.prompt() == ""
    fault_server.route("POST", "/api/chat", lines=[chunk("Answer to the edit"), FINAL])
    view.edit_button.click()
    view.editor.setPlainText("edited question")
    view.save_button.click()
    qtbot.waitUntil(
        lambda: reply_is(desk, "complete") and last_message(desk).content == "Answer to the edit",
        timeout=10000,
    )
    shown = desk.store.messages(conv_id)
    assert [m.content for m in shown] == ["edited question", "Answer to the edit"]
    assert [v.content for v in desk.store.versions(shown[0].id)] == ["original question", "edited question"]
    assert desk.page.view_for(user.id) is None
    # The page draws on its render timer (33 ms), which a loaded machine runs late.
    qtbot.waitUntil(lambda: desk.page.shown_text() == "edited question\nAnswer to the edit", timeout=10000)


def test_a_closed_settings_dialog_no_longer_receives_model_lists(
    qtbot: Any, desk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.core.ollama.types import ModelInfo
    from desktop.ui.settings_dialog import SettingsDialog

    shown: list[list[str]] = []
    monkeypatch.setattr(SettingsDialog, "exec", lambda self: 0)
    monkeypatch.setattr(SettingsDialog, "set_models", lambda self, names: shown.append(list(names)))
    desk.open_settings()
    assert shown == [["tiny:latest"]]  # the dialog filled its list when it opened
    desk.models.models_changed.emit([ModelInfo(name="after-close:latest")])
    assert shown == [["tiny:latest"]]


def test_a_conversation_continued_from_quick_ask_is_listed_and_answered(qtbot: Any, desk: Any) -> None:
    assert desk.sidebar.list.count() == 0
    desk.tray.show_quick_ask("Draft from Quick Ask")
    assert desk.tray.controller.continue_in_main_window("Draft from Quick Ask")
    # Listed at once (it used to appear only after a relaunch), opened, and answered.
    qtbot.waitUntil(lambda: desk.sidebar.list.count() == 1, timeout=5000)
    assert desk.sidebar.list.item(0).text() == "Draft from Quick Ask"
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    assert last_message(desk).content == "".join(WORDS)
    assert desk.window.isVisible()


def test_the_longest_reply_option_reaches_the_server(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    send(desk, "first")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    desk.chat.set_options("", {"num_predict": 64, "temperature": 0.0})
    send(desk, "second")
    conv_id = desk.chat.current.id
    qtbot.waitUntil(lambda: reply_is(desk, "complete") and len(desk.store.messages(conv_id)) == 4)
    sent = fault_server.requests[-1].json()
    assert sent["options"]["num_predict"] == 64 and sent["options"]["temperature"] == 0.0
