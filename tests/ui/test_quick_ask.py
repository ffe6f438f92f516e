"""The Quick Ask popup and its controller against a real loopback server."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage

from desktop.core.ollama.client import OllamaClient, Timeouts
from desktop.core.store import Store
from desktop.ui import theme
from desktop.ui.controllers.quick_ask_controller import QuickAskController, title_for
from desktop.ui.quick_ask import QuickAskWindow
from tests.support.fault_server import FaultServer
from tests.ui.quick_ask_support import FINAL, MODEL, PopupFactory, piece, type_and_press_enter
from tests.ui.theming import use_theme  # noqa: F401 - a fixture


@pytest.fixture
def popup(make_popup: PopupFactory) -> QuickAskWindow:
    return make_popup()


def test_enter_asks_the_default_model_and_streams_the_answer(
    qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer, store: Store
) -> None:
    lines = [piece("Vec<String> "), piece("is a "), piece("向量"), FINAL]
    fault_server.route("POST", "/api/chat", lines=lines, delay=0.05)
    popup.open()
    assert popup.windowTitle() == "Quick Ask"
    assert popup.isVisible()
    qtbot.waitUntil(popup.input.hasFocus)
    deltas: list[str] = []
    popup.controller.answer_delta.connect(deltas.append)
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000) as done:
        type_and_press_enter(qtbot, popup, "What is Vec<String>?")
        qtbot.waitUntil(lambda: popup.stop_button.isVisible())  # streaming: Stop is offered
    assert done.args == ["complete", ""]
    assert deltas == ["Vec<String> ", "is a ", "向量"]  # it arrived in pieces
    assert popup.controller.answer == "Vec<String> is a 向量"
    assert "Vec<String> is a 向量" in popup.answer_view.toPlainText()  # nothing lost in rendering
    assert not popup.stop_button.isVisible() and popup.copy_button.isEnabled()

    sent = fault_server.requests[-1].json()
    assert sent["model"] == MODEL
    assert sent["messages"][-1] == {"role": "user", "content": "What is Vec<String>?"}
    # Saved as a normal conversation (history on by default).
    conversation = store.conversations()[0]
    assert conversation.title == "What is Vec<String>?"
    assert [(m.role, m.content, m.status) for m in store.messages(conversation.id)] == [
        ("user", "What is Vec<String>?", "complete"),
        ("assistant", "Vec<String> is a 向量", "complete"),
    ]


def test_shift_enter_is_a_new_line_not_a_question(qtbot: Any, popup: QuickAskWindow,
                                                 fault_server: FaultServer) -> None:
    popup.open()
    qtbot.keyClicks(popup.input, "line one")
    qtbot.keyClick(popup.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(popup.input, "line two")
    assert popup.input.toPlainText() == "line one\nline two"
    assert not popup.controller.busy and fault_server.requests == []


def test_esc_stops_the_stream_and_hides(qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer,
                                        store: Store) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("partial "), piece("answer"), FINAL], stall_after=1)
    popup.open()
    with qtbot.waitSignal(popup.controller.answer_delta, timeout=10000):
        type_and_press_enter(qtbot, popup, "Tell me a long story")
    assert popup.controller.busy
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000) as done:
        qtbot.keyClick(popup.input, Qt.Key.Key_Escape)
    assert done.args == ["stopped", ""]
    assert not popup.isVisible()
    assert popup.controller.answer == "partial "
    messages = store.messages(store.conversations()[0].id)
    assert (messages[-1].content, messages[-1].status) == ("partial ", "stopped")


def test_ctrl_enter_continues_in_the_main_window_as_a_saved_conversation(
    qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer, store: Store
) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("Paris."), FINAL])
    popup.open()
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        type_and_press_enter(qtbot, popup, "Capital of France?")
    with qtbot.waitSignal(popup.controller.continue_requested, timeout=5000) as handed:
        qtbot.keyClick(popup.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (conversation_id,) = handed.args
    assert not popup.isVisible()
    assert [(m.role, m.content) for m in store.messages(conversation_id)] == [
        ("user", "Capital of France?"), ("assistant", "Paris.")]


def test_continue_while_streaming_stops_then_hands_over(
    qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer, store: Store
) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("First "), piece("never"), FINAL], stall_after=1)
    popup.open()
    with qtbot.waitSignal(popup.controller.answer_delta, timeout=10000):
        type_and_press_enter(qtbot, popup, "Slow question")
    with qtbot.waitSignal(popup.controller.continue_requested, timeout=10000) as handed:
        popup.continue_button.click()
    messages = store.messages(handed.args[0])
    assert [(m.role, m.content, m.status) for m in messages] == [
        ("user", "Slow question", "complete"), ("assistant", "First ", "stopped")]


def test_history_off_saves_nothing_until_continued(
    qtbot: Any, client: OllamaClient, store: Store, fault_server: FaultServer
) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("42"), FINAL])
    controller = QuickAskController(client, store, default_model=MODEL, save_history=False)
    with qtbot.waitSignal(controller.answer_finished, timeout=10000) as done:
        assert controller.ask("The answer?")
    assert done.args == ["complete", ""]
    assert store.conversations() == []
    with qtbot.waitSignal(controller.continue_requested) as handed:
        assert controller.continue_in_main_window()
    messages = store.messages(handed.args[0])
    assert [(m.role, m.content, m.status) for m in messages] == [
        ("user", "The answer?", "complete"), ("assistant", "42", "complete")]
    assert messages[-1].metrics["eval_count"] == 20


def test_continue_before_asking_opens_the_draft_in_the_main_window(
    qtbot: Any, popup: QuickAskWindow, store: Store, fault_server: FaultServer
) -> None:
    popup.open()
    qtbot.keyClicks(popup.input, "Draft question")
    with qtbot.waitSignal(popup.controller.continue_requested) as handed:
        qtbot.keyClick(popup.input, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    assert [(m.role, m.content) for m in store.messages(handed.args[0])] == [("user", "Draft question")]
    assert fault_server.requests == []  # the main window answers it


def test_server_down_is_a_plain_message(qtbot: Any, store: Store, event_loop_qt: Any) -> None:
    dead = OllamaClient("http://127.0.0.1:9", timeouts=Timeouts(connect=2))
    controller = QuickAskController(dead, store, default_model=MODEL, save_history=False)
    window = QuickAskWindow(controller)
    qtbot.addWidget(window)
    window.open("Anyone there?", ask=True)
    with qtbot.waitSignal(controller.answer_finished, timeout=10000) as done:
        pass
    status, message = done.args
    assert status == "error" and message and "Traceback" not in message
    assert window.hint.text() == message
    closing = asyncio.ensure_future(dead.aclose())
    qtbot.waitUntil(closing.done)


def test_missing_model_is_a_plain_message(
    qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer
) -> None:
    fault_server.route("POST", "/api/chat", status=404, body={"error": f"model '{MODEL}' not found"})
    popup.open("Hi", ask=True)
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000) as done:
        pass
    assert done.args[0] == "error" and MODEL in done.args[1]


def test_without_a_default_the_first_installed_model_answers(
    qtbot: Any, client: OllamaClient, fault_server: FaultServer
) -> None:
    fault_server.route("GET", "/api/tags", body={"models": [{"name": "first:1b", "model": "first:1b"}]})
    fault_server.route("POST", "/api/chat", lines=[piece("hi"), FINAL])
    controller = QuickAskController(client, None, default_model="")
    with qtbot.waitSignal(controller.answer_finished, timeout=10000) as done:
        controller.ask("Hello")
    assert done.args == ["complete", ""] and controller.model == "first:1b"
    assert fault_server.requests[-1].json()["model"] == "first:1b"


def test_no_model_installed_is_a_plain_message(
    qtbot: Any, client: OllamaClient, fault_server: FaultServer
) -> None:
    fault_server.route("GET", "/api/tags", body={"models": []})
    controller = QuickAskController(client, None, default_model="")
    window = QuickAskWindow(controller)
    qtbot.addWidget(window)
    with qtbot.waitSignal(controller.answer_finished, timeout=10000) as done:
        window.open("Hello", ask=True)
    assert done.args == ["error", "No model is installed yet. Open Ollama Desk to download one."]
    assert window.hint.text() == done.args[1]
    assert [r.path for r in fault_server.requests] == ["/api/tags"]


def test_copy_answer(qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("**bold** `code`"), FINAL])
    popup.open()
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        type_and_press_enter(qtbot, popup, "Format?")
    popup.copy_button.click()
    # The Markdown source, as the model wrote it.
    assert QGuiApplication.clipboard().text() == "**bold** `code`"


def test_prefill_from_the_clipboard(qtbot: Any, popup: QuickAskWindow) -> None:
    QGuiApplication.clipboard().setText("  selected text  ")
    popup.prefill_mode = "clipboard"
    popup.open()
    # A quote above the box (tests/ui/test_quick_ask_quote.py has the rest), the box left for the question.
    assert popup.quote_bar.isVisible() and popup.quote_bar.text_label.text() == "selected text"
    assert popup.input.toPlainText() == ""
    popup.hide()
    popup.prefill_mode = "off"
    popup.open()
    assert not popup.quote_bar.isVisible() and popup.input.toPlainText() == ""


def test_answers_are_rendered_as_markdown_with_copyable_code(
    qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer
) -> None:
    answer = "Use **`Vec<String>`**:\n\n```rust\nlet v: Vec<String> = Vec::new();\n```\n![x](/dev/zero)"
    fault_server.route("POST", "/api/chat", lines=[piece(answer[:20]), piece(answer[20:]), FINAL])
    popup.open()
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        type_and_press_enter(qtbot, popup, "Rust strings?")
    shown = popup.answer_view.toPlainText()
    assert "Vec<String>" in shown and "let v: Vec<String> = Vec::new();" in shown
    assert "**" not in shown and "```" not in shown  # rendered, not raw
    assert "<b>" in popup.answer_view.toHtml() or "font-weight" in popup.answer_view.toHtml()
    popup.answer_view.copy_code_requested.emit(0)
    assert QGuiApplication.clipboard().text().strip() == "let v: Vec<String> = Vec::new();"


def test_local_images_in_answers_are_never_read(qtbot: Any, popup: QuickAskWindow) -> None:
    image = popup.answer_view.loadResource(2, __import__("PySide6.QtCore").QtCore.QUrl("file:///dev/zero"))
    assert image.width() == 1 and image.height() == 1


def test_popup_is_centred_on_the_screen(qtbot: Any, popup: QuickAskWindow) -> None:
    popup.open()
    area = popup.screen().availableGeometry()
    assert abs(popup.geometry().center().x() - area.center().x()) <= 1
    assert area.contains(popup.geometry())
    assert popup.windowFlags() & Qt.WindowType.FramelessWindowHint


def test_long_titles_are_cut() -> None:
    assert title_for("  a\n b ") == "a b"
    assert len(title_for("x" * 200)) == 60 and title_for("x" * 200).endswith("…")


def _share(image: QImage, colour: str) -> float:
    """How much of the image is this colour (exactly), sampled on a grid."""
    target = QColor(colour).rgb() & 0xFFFFFF
    hits = total = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            total += 1
            hits += (image.pixel(x, y) & 0xFFFFFF) == target
    return hits / total


@pytest.mark.parametrize("name", ["dark", "light"])
def test_the_popup_opens_in_the_theme_in_use(
    qtbot: Any, client: OllamaClient, store: Store, use_theme: Any, name: str  # noqa: F811
) -> None:
    colours = theme.DARK if name == "dark" else theme.LIGHT
    use_theme(name)
    popup = QuickAskWindow(QuickAskController(client, store, default_model=MODEL))
    qtbot.addWidget(popup)
    popup.open("Hello")
    qtbot.waitExposed(popup)
    shot = popup.grab().toImage()
    assert _share(shot, colours.base) > 0.6  # the popup's face, at its first opening
    # The other theme chosen while it exists: the next opening follows.
    popup.hide()
    other = theme.LIGHT if name == "dark" else theme.DARK
    use_theme("light" if name == "dark" else "dark")
    popup.open("Hello")
    qtbot.waitExposed(popup)
    assert _share(popup.grab().toImage(), other.base) > 0.6


def test_the_one_line_box_has_no_scroll_arrows(qtbot: Any, popup: QuickAskWindow) -> None:
    popup.open()
    qtbot.waitExposed(popup)
    popup.input.setPlainText("A short question")
    assert not popup.input.verticalScrollBar().isVisible()
    assert popup.input.document().documentLayout().documentSize().height() == 1
    popup.input.setPlainText("\n".join(f"line {i}" for i in range(3)))
    assert not popup.input.verticalScrollBar().isVisible()
    one_line = popup._input_height(1)
    assert popup.input.height() == popup._input_height(3) > one_line
    # Past four lines the box stops growing and only then scrolls.
    popup.input.setPlainText("\n".join(f"line {i}" for i in range(9)))
    qtbot.waitUntil(popup.input.verticalScrollBar().isVisible)
    assert popup.input.height() == popup._input_height(4)


def test_built_under_one_theme_it_first_opens_in_the_one_chosen_since(
    qtbot: Any, client: OllamaClient, store: Store, use_theme: Any  # noqa: F811
) -> None:
    # The app builds Quick Ask at start; the user picks the dark theme later, then opens it.
    use_theme("light")
    popup = QuickAskWindow(QuickAskController(client, store, default_model=MODEL))
    qtbot.addWidget(popup)
    use_theme("dark")
    popup.open("Hello")
    qtbot.waitExposed(popup)
    assert _share(popup.grab().toImage(), theme.DARK.base) > 0.6
