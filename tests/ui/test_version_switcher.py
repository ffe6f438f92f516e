"""The < 2/3 > switcher: regenerate and edit keep the earlier versions, and the chat switches between them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.core.messages import Role, Status
from desktop.core.store import Message
from desktop.ui.widgets.version_switcher import VersionSwitcher
from tests.support.fault_server import FaultServer
from tests.ui import test_chat_window as chat_window
from tests.ui.test_chat_window import FINAL, chunk, last_message, reply_is, send

desk = chat_window.desk  # the chat window's fixture: a whole Desk against a loopback server


def _message(version: int, count: int) -> Message:
    return Message(7, 1, Role.ASSISTANT, "x", Status.COMPLETE, "", 0.0, {}, "", (), 3, version, count)


def test_the_switcher_shows_only_with_several_versions_and_stops_at_the_ends(qtbot: Any) -> None:
    switcher = VersionSwitcher()
    qtbot.addWidget(switcher)
    switcher.show()
    switcher.set_message(_message(1, 1))
    assert switcher.isHidden()
    switcher.set_message(_message(2, 3))
    assert switcher.isVisible() and switcher.label.text() == "2/3"
    assert switcher.previous_button.isEnabled() and switcher.next_button.isEnabled()
    with qtbot.waitSignal(switcher.step_requested) as older:
        qtbot.mouseClick(switcher.previous_button, Qt.MouseButton.LeftButton)
    assert older.args == [7, -1]
    switcher.set_message(_message(3, 3))
    assert switcher.previous_button.isEnabled() and not switcher.next_button.isEnabled()
    switcher.set_message(_message(1, 3), enabled=False)  # while a reply streams
    assert not switcher.previous_button.isEnabled() and not switcher.next_button.isEnabled()


def test_regenerate_then_switch_between_the_two_answers(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    send(desk, "original question")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    first = last_message(desk)
    fault_server.route("POST", "/api/chat", lines=[chunk("A second answer"), FINAL])
    desk.page.view_for(first.id).regenerate_button.click()
    qtbot.waitUntil(
        lambda: reply_is(desk, "complete") and last_message(desk).content == "A second answer", timeout=10000
    )
    second = last_message(desk)
    qtbot.waitUntil(lambda: desk.page.view_for(second.id) is not None, timeout=3000)
    view = desk.page.view_for(second.id)
    qtbot.waitUntil(lambda: view.versions.isVisible(), timeout=3000)
    assert view.versions.label.text() == "2/2" and desk.page.view_for(first.id) is None
    assert "A second answer" in view.shown_text()

    qtbot.mouseClick(view.versions.previous_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.page.view_for(first.id) is not None, timeout=3000)
    old = desk.page.view_for(first.id)
    assert desk.page.view_for(second.id) is None
    qtbot.waitUntil(lambda: old.versions.isVisible(), timeout=3000)
    assert old.versions.label.text() == "1/2" and "Hello there, Vec<String> and 中文!" in old.shown_text()
    assert [m.id for m in desk.store.messages(desk.chat.current.id)][-1] == first.id

    qtbot.mouseClick(old.versions.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.page.view_for(second.id) is not None, timeout=3000)
    assert desk.page.view_for(second.id).versions.label.text() == "2/2"


def test_a_search_hit_in_an_earlier_version_opens_that_version(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    send(desk, "original question")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    first = last_message(desk)
    fault_server.route("POST", "/api/chat", lines=[chunk("A second answer"), FINAL])
    desk.page.view_for(first.id).regenerate_button.click()
    qtbot.waitUntil(lambda: last_message(desk).content == "A second answer" and reply_is(desk, "complete"))
    [hit] = [h for h in desk.store.search("中文") if h.message_id]
    assert hit.message_id == first.id
    desk.chat.open(hit.conversation_id, hit.message_id)
    qtbot.waitUntil(lambda: desk.page.view_for(first.id) is not None, timeout=3000)
    assert desk.page.view_for(first.id).versions.label.text() == "1/2"


def test_the_app_says_when_it_moved_a_broken_database_aside(
    qtbot: Any, desk_home: Any, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop import app
    from desktop.core.store import DB_NAME

    (desk_home / DB_NAME).write_bytes(b"")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: shown.append((title, text)))
    store = app._open_store()
    assert store is not None
    try:
        assert store.moved_aside is not None and store.moved_aside.exists()
        [(title, text)] = shown
        assert title == "Ollama Desk started a new history" and str(store.moved_aside) in text
    finally:
        store.close()
