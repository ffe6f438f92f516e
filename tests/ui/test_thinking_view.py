"""A reasoning model's reply on screen: the thinking streams into a folded block above the
answer ("Thought for N s"), opens on a click, stays out of the answer's text, and looks the
same after the conversation is opened again. The whole app against a replayed Ollama stream."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.core.messages import ThinkingPart
from tests.support.fault_server import FaultServer
from tests.ui.desk_support import FINAL, MODEL, last_message, reply_is, running_desk, send, serve_basics

THOUGHT = ["The user greets me. ", "I should greet back ", "politely."]
ANSWER = ["Hello", " there", "! 你好"]
EMPTY = "The model gave an empty answer."


def line(content: str = "", thinking: str = "") -> dict[str, Any]:
    return {
        "model": MODEL,
        "message": {"role": "assistant", "content": content, "thinking": thinking},
        "done": False,
    }


@pytest.fixture
def capabilities() -> list[str]:
    return ["completion"]


@pytest.fixture
def desk(
    qtbot: Any,
    qloop: asyncio.AbstractEventLoop,
    fault_server: FaultServer,
    monkeypatch: pytest.MonkeyPatch,
    capabilities: list[str],
) -> Iterator[Any]:
    serve_basics(fault_server)
    fault_server.route(
        "POST", "/api/show", body={"capabilities": capabilities, "model_info": {}, "details": {}}
    )
    lines = [*(line(thinking=t) for t in THOUGHT), *(line(a) for a in ANSWER), FINAL]
    fault_server.route("POST", "/api/chat", lines=lines, delay=0.25)
    with running_desk(qtbot, qloop, monkeypatch, fault_server.url) as running:
        yield running


def test_thinking_streams_into_a_folded_block_above_the_answer(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    desk.window.resize(900, 700)
    desk.window.show()
    # A model that did not say it thinks gets no Think button.
    assert not desk.composer_capabilities.think_button.isVisibleTo(desk.window)
    send(desk, "Hi")
    qtbot.waitUntil(lambda: desk.page.streaming_view() is not None, timeout=10000)
    view = desk.page.streaming_view()
    # While it thinks: the block is on screen with a live title, the answer still empty.
    qtbot.waitUntil(
        lambda: view.thinking.isVisibleTo(view) and "Thinking" in view.thinking.toggle.text(), timeout=10000
    )
    assert view.body.toPlainText().strip() == ""
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=20000)

    reply = last_message(desk)
    assert reply.content == "Hello there! 你好"
    assert reply.parts == (ThinkingPart("".join(THOUGHT)),)
    view = desk.page.view_for(reply.id)
    assert view is not None
    assert view.shown_text() == "Hello there! 你好"  # the answer's text has no thinking in it
    assert view.thinking.toggle.text().startswith("Thought for")
    assert view.thinking.isVisibleTo(view) and not view.thinking.body.isVisibleTo(view)
    # Above the answer.
    assert view.thinking.geometry().bottom() <= view.body.geometry().top()
    closed_height = view.thinking.height()

    qtbot.mouseClick(view.thinking.toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.thinking.body.isVisibleTo(view), timeout=3000)
    assert "I should greet back politely." in view.thinking.shown_text()
    qtbot.waitUntil(lambda: view.thinking.height() > closed_height, timeout=3000)
    image = view.thinking.body.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert len(colours) > 2, "the open thinking block is blank"

    # Opened again from the store: the same block, folded, with the stored time.
    desk.chat.open(desk.chat.current.id)
    qtbot.waitUntil(
        lambda: desk.page.view_for(reply.id) is not None and desk.page.view_for(reply.id) is not view,
        timeout=5000,
    )
    again = desk.page.view_for(reply.id)
    assert again.shown_text() == "Hello there! 你好"
    assert again.thinking.text() == "".join(THOUGHT)
    assert again.thinking.toggle.text() == view.thinking.toggle.text()
    # The next turn sends the answer only, never the thinking.
    qtbot.waitUntil(lambda: not desk.chat.generating, timeout=5000)
    send(desk, "And again")
    qtbot.waitUntil(
        lambda: len([r for r in fault_server.requests if r.path == "/api/chat"]) >= 2, timeout=10000
    )
    chats = [r.json() for r in fault_server.requests if r.path == "/api/chat"]
    assert chats[1]["messages"][1] == {"role": "assistant", "content": "Hello there! 你好"}
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=20000)


@pytest.mark.parametrize("capabilities", [["completion", "thinking"]])
def test_the_think_button_turns_thinking_off_for_this_conversation(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    button = desk.composer_capabilities.think_button
    desk.window.show()
    qtbot.waitUntil(lambda: button.isVisibleTo(desk.window), timeout=10000)
    assert button.isChecked() and "thinks before it answers" in button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isChecked() and "answers at once" in button.toolTip()
    send(desk, "Hi")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=20000)
    chats = [r.json() for r in fault_server.requests if r.path == "/api/chat"]
    assert chats[-1]["think"] is False
    assert desk.chat.current.options["think"] is False


def test_a_reply_that_only_thought_says_so_under_its_thinking(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    desk.window.resize(900, 700)
    desk.window.show()
    fault_server.route("POST", "/api/chat", lines=[*(line(thinking=t) for t in THOUGHT), FINAL], delay=0.25)
    send(desk, "Hi")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=20000)
    reply = last_message(desk)
    assert reply.content == ""
    view = desk.page.view_for(reply.id)
    qtbot.waitUntil(lambda: "only thought" in view.status_label.text(), timeout=5000)
    assert view.status_label.isVisible() and view.status_label.text().startswith(
        "The model only thought and gave no answer. Try again with more tokens or thinking off."
    )
    assert view.thinking.isVisibleTo(view) and view.thinking.toggle.text().startswith("Thought for")
    assert view.shown_text() == ""
    # The way out stays in view, not only on hover.
    view.set_latest(False)
    assert view.regenerate_button.isVisible()
    qtbot.mouseClick(view.thinking.toggle, Qt.MouseButton.LeftButton)
    assert "I should greet back politely." in view.thinking.shown_text()

    fault_server.route("POST", "/api/chat", lines=[*(line(a) for a in ANSWER), FINAL])
    qtbot.mouseClick(view.regenerate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reply_is(desk, "complete") and last_message(desk).content == "Hello there! 你好",
                    timeout=20000)
    answered = desk.page.view_for(last_message(desk).id)
    qtbot.waitUntil(lambda: answered.shown_text() == "Hello there! 你好", timeout=5000)
    assert "only thought" not in answered.status_label.text()


def test_an_empty_reply_says_so_and_offers_regenerate(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    desk.window.show()
    fault_server.route("POST", "/api/chat", lines=[FINAL])
    send(desk, "Hi")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=20000)
    view = desk.page.view_for(last_message(desk).id)
    qtbot.waitUntil(lambda: view.status_label.text().startswith(EMPTY), timeout=5000)
    assert not view.thinking.isVisibleTo(view)
    view.set_latest(False)
    assert view.regenerate_button.isVisible() and view.regenerate_button.text() == "Regenerate"
    # Opened again from the store, it says the same.
    desk.chat.open(desk.chat.current.id)
    qtbot.waitUntil(lambda: desk.page.view_for(view.message.id) not in (None, view), timeout=5000)
    assert desk.page.view_for(view.message.id).status_label.text().startswith(EMPTY)


def test_the_empty_reply_notes_in_chinese(qtbot: Any, chinese: None) -> None:
    from desktop.core.store import Message
    from desktop.ui.widgets.message_view import MessageView

    def reply(parts: tuple[ThinkingPart, ...]) -> MessageView:
        message = Message(id=1, conversation_id=1, role="assistant", content="", status="complete",  # type: ignore[arg-type]
                          model=MODEL, created_at=0.0, metrics={}, error="", parts=parts)
        view = MessageView(message)
        qtbot.addWidget(view)
        return view

    thought_only = "模型只思考了，没有给出回答。请增加令牌数或关闭思考后重试。"
    assert reply((ThinkingPart("想一想"),)).status_label.text() == thought_only
    assert reply(()).status_label.text() == "模型给出了空回答。"
