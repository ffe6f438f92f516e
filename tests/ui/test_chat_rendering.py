"""What the chat shows, read from the screen: each reply path through the real app.

Replies stream from the loopback fault server (Ollama's NDJSON over real sockets) through the
real client, ChatController and chat page. Each check reads the visible documents (not the
stored text), the widgets' visibility and height, and grabbed pixels; and a reply as it was
streamed is compared with the same reply reloaded from the database, block format by block
format.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QTextBlock, QTextDocument, QTextFormat, QTextList
from PySide6.QtWidgets import QWidget

from desktop.core.store import Message
from desktop.ui.widgets.message_body import CodeView, ProseView
from desktop.ui.widgets.message_view import MessageView
from tests.support.fault_server import FaultServer
from tests.ui.desk_support import FINAL, chunk, last_message, reply_is, running_desk, send
from tests.ui.test_chat_window import desk

__all__ = ["desk"]  # the fixture, shared with the window tests


def _doc_of(widget: QWidget) -> QTextDocument:
    if isinstance(widget, CodeView):
        return widget.text.document()
    assert isinstance(widget, ProseView)
    return widget.document()


def _props(fmt: QTextFormat) -> list[tuple[int, Any]]:
    """A format's properties without Qt's object index: a document-internal number (of the
    list or table a block belongs to), larger where a tail was re-rendered, nothing shown."""
    props = dict(fmt.properties())
    props.pop(QTextFormat.Property.ObjectIndex.value, None)
    return sorted(props.items())


def _block_format(block: QTextBlock, lists: list[QTextList]) -> tuple[Any, ...]:
    """The block's format, its list named by order of appearance."""
    props = _props(block.blockFormat())
    text_list = block.textList()
    if text_list is None:
        return (props, None)
    if text_list not in lists:
        lists.append(text_list)
    list_props = sorted(dict(text_list.format().properties()).items())
    return (props, lists.index(text_list), list_props)


def signature(view: MessageView) -> list[Any]:
    """Every segment's kind and text, and each block's text, block format and character formats."""
    out: list[Any] = []
    for widget in view.body.segment_widgets():
        doc = _doc_of(widget)
        lists: list[QTextList] = []
        blocks = []
        block = doc.begin()
        while block.isValid():
            fragments = []
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fragments.append((fragment.text(), _props(fragment.charFormat())))
                it += 1
            blocks.append((block.text(), _block_format(block, lists), _props(block.charFormat()), fragments))
            block = block.next()
        out.append((type(widget).__name__, doc.toPlainText(), blocks))
    return out


def ink(widget: QWidget) -> int:
    """How many sampled pixels where the widget is, in a grab of its whole window (what the
    user sees, after clipping and painting over), differ clearly from the area's background."""
    window = widget.window()
    image: QImage = window.grab(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())).toImage()
    counts: dict[int, int] = {}
    samples = []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            rgb = image.pixel(x, y) & 0xFFFFFF
            counts[rgb] = counts.get(rgb, 0) + 1
            samples.append(rgb)
    if not samples:
        return 0
    bg = QColor(max(counts, key=lambda k: counts[k]))
    inked = 0
    for rgb in samples:
        c = QColor(rgb)
        if abs(c.red() - bg.red()) + abs(c.green() - bg.green()) + abs(c.blue() - bg.blue()) > 120:
            inked += 1
    return inked


def assert_on_screen(view: MessageView, expected: str) -> None:
    """The reply is visible, tall enough, shows exactly `expected` and has ink where text is."""
    assert view.isVisible() and view.height() > 0
    assert view.body.isVisible() and view.body.height() > 0
    assert view.shown_text() == expected, (view.shown_text(), expected)
    for widget in view.body.segment_widgets():
        assert widget.isVisible() and widget.height() > 10, (widget, widget.height())
        assert ink(widget) > 20, f"{type(widget).__name__} is blank on screen"


def stream_reply(qtbot: Any, desk: Any, server: FaultServer, pieces: list[str], prompt: str = "Q") -> Any:
    server.route("POST", "/api/chat", lines=[*map(chunk, pieces), FINAL], delay=0.01)
    send(desk, prompt)
    qtbot.waitUntil(lambda: reply_is(desk, "complete") and last_message(desk).content == "".join(pieces))
    reply = last_message(desk)
    view = desk.page.view_for(reply.id)
    qtbot.waitUntil(lambda: view.message.status == "complete")
    qtbot.wait(50)  # layouts settle
    return reply, view


def reopened(qtbot: Any, desk: Any, message_id: int) -> MessageView:
    """The message's view once its conversation is left and opened again (read from the store)."""
    conv_id = desk.chat.current.id
    desk.chat.new_conversation()
    desk.chat.open(conv_id)
    qtbot.waitUntil(lambda: desk.page.view_for(message_id) is not None)
    reloaded = desk.page.view_for(message_id)
    qtbot.waitUntil(reloaded.isVisible)
    qtbot.wait(50)  # layouts settle
    return reloaded


def check_reload(qtbot: Any, desk: Any, view: MessageView, expected: str) -> None:
    """The reply reopened shows `expected` on screen, in the same documents as it was streamed."""
    streamed = signature(view)
    reloaded = reopened(qtbot, desk, view.message.id)
    assert_on_screen(reloaded, expected)
    assert signature(reloaded) == streamed


def stored(content: str, status: str) -> Message:
    """A reply as the database gives it back."""
    return Message(
        id=1, conversation_id=1, role="assistant", content=content, status=status,  # type: ignore[arg-type]
        model="m", created_at=time.time(), metrics={}, error="",
    )


def check_path(qtbot: Any, desk: Any, server: FaultServer, pieces: list[str], expected: str) -> None:
    _reply, view = stream_reply(qtbot, desk, server, pieces)
    assert_on_screen(view, expected)
    check_reload(qtbot, desk, view, expected)


def test_a_short_reply_stays_on_screen_and_matches_its_reload(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    check_path(qtbot, desk, fault_server, ["Berlin", "."], "Berlin.")


def test_paragraphs_and_line_breaks_are_kept_while_streaming_and_after(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    pieces = ["The ocean's clear,", "\nthe sky", " is wide.", "\n\n", "A token", " at the end."]
    pieces.append("\n\n- one\n- two")
    check_path(
        qtbot, desk, fault_server, pieces,
        "The ocean's clear,\nthe sky is wide.\nA token at the end.\none\ntwo",
    )


def test_a_code_reply_shows_its_code_in_its_own_block(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    long_line = "print(" + " + ".join(f"'{i}'" for i in range(60)) + ")"
    pieces = ["Here:\n\n", "```python\n", long_line, "\n```", "\n\nDone."]
    check_path(qtbot, desk, fault_server, pieces, f"Here:\n{long_line}\nDone.")
    view = desk.page.view_for(last_message(desk).id)
    code = view.body.segment_widgets()[1]
    assert isinstance(code, CodeView)
    # The long line scrolls inside its block; the reply itself stays within the window.
    assert code.text.horizontalScrollBar().maximum() > 0
    assert view.width() <= desk.page.scroll_area.viewport().width()


def test_ten_exchanges_all_stay_visible(qtbot: Any, desk: Any, fault_server: FaultServer) -> None:
    views = []
    for i in range(10):
        reply, view = stream_reply(qtbot, desk, fault_server, [f"Answer {i}", "."], prompt=f"Question {i}")
        views.append((reply.id, f"Answer {i}."))
    for message_id, expected in views:
        view = desk.page.view_for(message_id)
        desk.page.scroll_area.ensureWidgetVisible(view)
        qtbot.wait(20)
        assert_on_screen(view, expected)


def test_a_stopped_reply_keeps_its_text_on_screen(qtbot: Any, desk: Any, fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=[chunk("Partial"), chunk(" answer")], stall_after=2)
    send(desk, "Tell me a long story")
    qtbot.waitUntil(lambda: desk.page.streaming_view() is not None)
    view = desk.page.streaming_view()
    qtbot.waitUntil(lambda: view.shown_text() == "Partial answer")
    assert view.status_label.text() == "Writing…"
    qtbot.keyClick(desk.page.composer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: reply_is(desk, "stopped"))
    qtbot.waitUntil(lambda: view.message.status == "stopped")
    qtbot.wait(50)
    assert "Stopped" in view.status_label.text()
    assert_on_screen(view, "Partial answer")


def test_an_interrupted_reply_keeps_its_text_and_matches_its_reload(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    partial = [chunk("First part.\n\nSecond")]
    body_len = sum(len(json.dumps(c)) + 1 for c in partial)
    fault_server.route("POST", "/api/chat", lines=[*partial, chunk(" never")], cut_after=body_len + 30)
    send(desk, "Go")
    qtbot.waitUntil(lambda: reply_is(desk, "interrupted"))
    reply = last_message(desk)
    view = desk.page.view_for(reply.id)
    qtbot.waitUntil(lambda: view.message.status == "interrupted")
    qtbot.wait(50)
    assert_on_screen(view, "First part.\nSecond")
    check_reload(qtbot, desk, view, "First part.\nSecond")


def test_a_regenerated_reply_is_shown_in_place_of_the_old_one(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    first, view = stream_reply(qtbot, desk, fault_server, ["Old answer."])
    fault_server.route("POST", "/api/chat", lines=[chunk("New"), chunk(" answer."), FINAL], delay=0.01)
    view.regenerate_button.click()
    qtbot.waitUntil(lambda: reply_is(desk, "complete") and last_message(desk).content == "New answer.")
    reply = last_message(desk)
    new_view = desk.page.view_for(reply.id)
    qtbot.waitUntil(lambda: new_view.message.status == "complete")
    qtbot.wait(50)
    assert_on_screen(new_view, "New answer.")
    assert "Old answer." not in desk.page.shown_text()


def test_any_chunking_of_a_stream_gives_the_reloaded_documents(qtbot: Any) -> None:
    """However the deltas are cut and whenever the view renders, the finished reply's documents
    equal those of the same text opened from the database."""
    import random

    texts = [
        "The ocean's clear,\nthe sky is wide.\n\nA token at the end.\n\n- one\n- two",
        "Here:\n\n```python\nprint(1)\n\nprint(2)\n```\n\nDone.",
        "# T\n\npara **b**\n\n1. a\n2. b\n\n> q\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nend",
        "1. x\n\n   more\n\n2. y\n\n    code?\n\nz `Vec<T>` 中文",
        "## Sub `x`\n\n```js\nunclosed",
        "> q\n\n~~~\ntilde\n~~~\n\n---\n\n    indented\n\n* a\n* b",
    ]
    rng = random.Random(7)
    for text in texts:
        reloaded = MessageView(stored(text, "complete"))
        qtbot.addWidget(reloaded)
        expected = signature(reloaded)
        for _ in range(8):
            view = MessageView(stored("", "streaming"))
            qtbot.addWidget(view)
            at = 0
            while at < len(text):
                size = rng.randint(1, 8)
                view.append_delta(text[at : at + size])
                at += size
                if rng.random() < 0.7:
                    view.flush()
            view.set_message(stored(text, "complete"))
            assert signature(view) == expected, text


def test_an_edited_question_and_its_answer_are_shown_and_match_their_reload(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    first, _ = stream_reply(qtbot, desk, fault_server, ["First answer."], prompt="First question")
    user = desk.store.messages(desk.chat.current.id)[0]
    fault_server.route("POST", "/api/chat", lines=[chunk("Edited"), chunk(" answer."), FINAL], delay=0.01)
    view = desk.page.view_for(user.id)
    view.edit_button.click()
    view.editor.setPlainText("Second question,\non two lines")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: reply_is(desk, "complete") and last_message(desk).content == "Edited answer.")
    edited_user, reply = desk.store.messages(desk.chat.current.id)
    user_view = desk.page.view_for(edited_user.id)
    reply_view = desk.page.view_for(reply.id)
    qtbot.waitUntil(lambda: reply_view.message.status == "complete")
    qtbot.wait(50)
    assert_on_screen(user_view, "Second question,\non two lines")
    assert_on_screen(reply_view, "Edited answer.")
    assert desk.page.shown_text() == "Second question,\non two lines\nEdited answer."
    check_reload(qtbot, desk, reply_view, "Edited answer.")


def test_enter_while_a_reply_streams_queues_the_message_on_its_own(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    fault_server.route("POST", "/api/chat", lines=[chunk("Slow"), chunk(" answer."), FINAL], delay=0.3)
    send(desk, "First question")
    qtbot.waitUntil(lambda: desk.page.streaming_view() is not None)
    qtbot.waitUntil(lambda: desk.page.streaming_view().shown_text() == "Slow")
    desk.page.composer.setPlainText("Second question")
    qtbot.keyClick(desk.page.composer, Qt.Key.Key_Return)
    # Not swallowed, not run into the next prompt: it waits, said so, and the box is free.
    assert desk.page.queued() == ["Second question"] and desk.page.prompt() == ""
    assert desk.page.composer_box.queue_label.isVisible()
    assert "Second question" in desk.page.composer_box.queue_label.text()
    fault_server.route("POST", "/api/chat", lines=[chunk("Second answer."), FINAL], delay=0.01)
    conv_id = desk.chat.current.id
    qtbot.waitUntil(lambda: len(desk.store.messages(conv_id)) == 4 and reply_is(desk, "complete"))
    contents = [m.content for m in desk.store.messages(conv_id)]
    assert contents == ["First question", "Slow answer.", "Second question", "Second answer."]
    assert not desk.page.composer_box.queue_label.isVisible()
    # The view paints the last piece on its next frame, which a loaded machine may delay.
    qtbot.waitUntil(lambda: desk.page.shown_text() == "\n".join(contents), timeout=5000)
    # Only the newest message offers its actions without hovering.
    shown = [desk.page.view_for(m.id) for m in desk.store.messages(conv_id)]
    assert [v.actions_shown() for v in shown] == [False, False, False, True]


def test_stop_brings_a_queued_message_back_into_the_box(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    fault_server.route("POST", "/api/chat", lines=[chunk("Never ending")], stall_after=1)
    send(desk, "Tell me everything")
    view_ready = lambda: desk.page.streaming_view() is not None  # noqa: E731
    qtbot.waitUntil(lambda: view_ready() and desk.page.streaming_view().shown_text() == "Never ending")
    desk.page.composer.setPlainText("A follow-up")
    qtbot.keyClick(desk.page.composer, Qt.Key.Key_Return)
    assert desk.page.queued() == ["A follow-up"]
    qtbot.keyClick(desk.page.composer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: reply_is(desk, "stopped"))
    qtbot.waitUntil(lambda: desk.page.prompt() == "A follow-up")
    assert desk.page.queued() == [] and not desk.chat.generating
    stored = [m.content for m in desk.store.messages(desk.chat.current.id)]
    assert stored == ["Tell me everything", "Never ending"]


def test_a_long_conversation_opens_at_its_end_and_grows_upward_in_place(qtbot: Any) -> None:
    import time

    from desktop.core.store import Conversation, Message
    from desktop.ui.widgets.chat_page import EAGER_VIEWS, PAGE_SIZE, ChatPage

    messages = [
        Message(
            id=i + 1, conversation_id=1, role="user" if i % 2 == 0 else "assistant",  # type: ignore[arg-type]
            content=f"Message number {i + 1}.", status="complete", model="m",  # type: ignore[arg-type]
            created_at=time.time(), metrics={}, error="",
        )
        for i in range(3 * PAGE_SIZE)
    ]
    conversation = Conversation(
        id=1, title="Long", model="m", system="", options={}, created_at=0.0, updated_at=0.0
    )
    page = ChatPage()
    qtbot.addWidget(page)
    page.resize(800, 600)
    page.show()
    page.show_conversation(conversation, messages)
    # The newest are rendered at once, the rest right after, newest first.
    views = [page.view_for(m.id) for m in messages[-PAGE_SIZE:]]
    assert all(v.is_rendered() for v in views[-EAGER_VIEWS:]) and not views[0].is_rendered()
    qtbot.waitUntil(lambda: not page.rendering())
    assert [v.body.toPlainText() for v in views] == [m.content for m in messages[-PAGE_SIZE:]]
    bar = page.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    last = page.view_for(len(messages))
    assert last is not None and last.shown_text() == f"Message number {len(messages)}."
    assert page.view_for(len(messages) - PAGE_SIZE) is None and page.more_button.isVisible()
    first_shown = page.view_for(len(messages) - PAGE_SIZE + 1)
    bar.setValue(0)  # the user scrolls to the top: the earlier messages come, the view stays put
    qtbot.waitUntil(lambda: page.view_for(len(messages) - PAGE_SIZE) is not None)
    qtbot.wait(400)
    assert first_shown.visibleRegion().boundingRect().height() > 0
    assert 0 < bar.value() < bar.maximum()


@pytest.mark.engine
def test_a_real_model_reply_is_on_screen_and_matches_its_reload(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, engine_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded engine and SmolLM2 behind the whole app: what the model wrote is what the
    screen shows, streamed and reloaded alike."""
    with running_desk(
        qtbot, qloop, monkeypatch, engine_url, model="smollm2:135m", timeout=30000, no_binaries=False
    ) as real:
        real.chat.set_model("smollm2:135m")
        real.chat.set_options("", {"num_predict": 32, "seed": 7, "temperature": 0})
        send(real, "Name the capital city of Germany.")
        qtbot.waitUntil(lambda: reply_is(real, "complete"), timeout=60000)
        reply = last_message(real)
        view = real.page.view_for(reply.id)
        qtbot.waitUntil(lambda: view.message.status == "complete")
        qtbot.wait(50)
        shown = view.shown_text()
        assert shown.strip() and view.isVisible() and view.body.height() > 0
        assert all(ink(w) > 20 for w in view.body.segment_widgets())
        at = 0
        for word in re.findall(r"[\w<>]+", re.sub(r"```\w*", " ", reply.content)):
            at = shown.find(word, at) + len(word)
            assert at >= len(word), (word, shown)
        streamed = signature(view)
        reloaded = reopened(qtbot, real, reply.id)
        assert reloaded.shown_text() == shown and signature(reloaded) == streamed


def test_while_it_streams_a_reply_is_laid_out_as_it_will_be(
    qtbot: Any, desk: Any, fault_server: FaultServer
) -> None:
    pieces = ["The ocean's clear,", "\nthe sky is wide.", "\n\n", "A token", " at the end"]
    fault_server.route("POST", "/api/chat", lines=[chunk(p) for p in pieces], stall_after=len(pieces))
    send(desk, "A poem")
    qtbot.waitUntil(lambda: desk.page.streaming_view() is not None)
    view = desk.page.streaming_view()
    expected = "The ocean's clear,\nthe sky is wide.\nA token at the end"
    qtbot.waitUntil(lambda: view.shown_text() == expected)
    assert view.status_label.text() == "Writing…"
    qtbot.wait(50)
    assert_on_screen(view, expected)
    # Two paragraphs, the first with its line break, in one document: as it will be reloaded.
    (kind, _text, blocks), = signature(view)
    assert kind == "ProseView"
    assert [b[0] for b in blocks] == ["The ocean's clear,\u2028the sky is wide.", "A token at the end"]
    qtbot.keyClick(desk.page.composer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: reply_is(desk, "stopped"))


def test_a_half_typed_fence_shown_as_text_goes_once_the_block_is_code(qtbot: Any) -> None:
    """The growing tail '``' sat in the heading's document; when the finished reply turned it
    into a code block, the stray '``' stayed on screen under the heading."""
    view = MessageView(stored("", "streaming"))
    qtbot.addWidget(view)
    view.append_delta("## Su")
    view.append_delta("b `x`\n\n``")
    view.flush()
    assert view.shown_text() == "Sub x\n``"
    view.append_delta("`js\nunc")
    view.append_delta("losed")
    view.set_message(stored("## Sub `x`\n\n```js\nunclosed", "complete"))
    assert view.shown_text() == "Sub x\nunclosed"
