"""Quick Ask when the reply has no answer: a reasoning model that spent its tokens thinking, or a
reply that ends with no text. The popup shows the thought (folded, "Thought for N s", opened with
a click) and says plainly what happened, with Retry and Retry without thinking.

Read from the screen: the popup's visible widgets and their text. The thinking-only reply comes
from the real engine (the starter model under a template that opens <think>, with too few tokens
to close it); the empty one from the loopback fault server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.core.ollama.client import OllamaClient
from desktop.core.store import Store
from desktop.engine.starter import starter_gguf
from desktop.ui.controllers.quick_ask_controller import QuickAskController
from desktop.ui.quick_ask import QuickAskWindow
from tests.engine.test_thinking import THINKING_TEMPLATE, create
from tests.support.fault_server import FaultServer
from tests.support.gguf_forge import STRING, forge
from tests.ui.quick_ask_support import FINAL, PopupFactory, closing_client, piece, type_and_press_enter

THOUGHT_ONLY = "The model only thought and gave no answer. Try again with more tokens or thinking off."
EMPTY = "The model gave an empty answer."
# Measured on the starter model under the <think> template: to "Hello" it thinks "Hello" and ends
# there, and 8 tokens would cut a longer thought before any answer anyway.
ONLY_THINKS = {"num_predict": 8, "seed": 7, "temperature": 0}


def on_screen(popup: QuickAskWindow) -> str:
    """The popup's visible text below the question: thinking, answer, notice, hint."""
    out = [popup.thinking.shown_text()]
    if popup.answer_view.isVisibleTo(popup):
        out.append(popup.answer_view.toPlainText())
    out += [popup.notice.shown_text(), popup.hint.text()]
    return "\n".join(x for x in out if x)


def ask(qtbot: Any, popup: QuickAskWindow, question: str) -> None:
    popup.open()
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=60000):
        type_and_press_enter(qtbot, popup, question)


@pytest.fixture(scope="module")
def thinker(engine_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    source = starter_gguf()
    assert source is not None
    path = forge(source, tmp_path_factory.mktemp("qa-thinker") / "thinker.gguf",
                 changes={"tokenizer.chat_template": (STRING, THINKING_TEMPLATE)})
    create(engine_url, "quickthinker:1", path)  # deleted when the module ends (tests/conftest.py)
    return "quickthinker:1"


@pytest.fixture
def engine_client(engine_url: str, event_loop_qt: Any, qtbot: Any) -> Iterator[OllamaClient]:
    yield from closing_client(engine_url, qtbot, wait=120)  # a model's first load, on a busy machine


@pytest.mark.engine
@pytest.mark.parametrize("history", [True, False])
def test_a_real_thinking_only_reply_shows_the_thought_and_a_way_out(
    qtbot: Any, engine_client: OllamaClient, thinker: str, store: Store, history: bool
) -> None:
    controller = QuickAskController(engine_client, store, default_model=thinker, save_history=history)
    controller.options = dict(ONLY_THINKS)
    popup = QuickAskWindow(controller)
    qtbot.addWidget(popup)
    ask(qtbot, popup, "Hello")
    assert controller.status == "complete" and controller.answer == "", popup.hint.text()
    thought = controller.thinking.strip()
    assert thought and "<think>" not in thought

    shown = on_screen(popup)
    assert THOUGHT_ONLY in shown
    assert popup.thinking.isVisible() and popup.thinking.toggle.text().startswith("Thought for")
    assert not popup.thinking.body.isVisible()  # folded
    assert not popup.answer_view.isVisible()  # no empty box
    assert popup.notice.retry_button.isVisible() and popup.notice.think_off_button.isVisible()
    assert not popup.copy_button.isVisible()  # nothing to copy
    assert popup.notice.geometry().height() > 0 and popup.notice.label.height() > 0
    qtbot.mouseClick(popup.thinking.toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(popup.thinking.body.isVisible, timeout=3000)
    assert thought in on_screen(popup)

    # The way out: the same question without thinking gets an answer.
    with qtbot.waitSignal(controller.answer_finished, timeout=60000) as done:
        qtbot.mouseClick(popup.notice.think_off_button, Qt.MouseButton.LeftButton)
    assert done.args == ["complete", ""]
    assert controller.answer.strip() and controller.thinking == ""
    qtbot.waitUntil(lambda: popup.answer_view.isVisible(), timeout=3000)
    assert controller.answer.strip() in popup.answer_view.toPlainText()
    assert not popup.notice.isVisible() and not popup.thinking.isVisible()
    assert THOUGHT_ONLY not in on_screen(popup)
    if history:
        first, second = sorted(store.conversations(), key=lambda c: c.id)
        assert "think" not in first.options and second.options["think"] is False
        assert second.options["num_predict"] == ONLY_THINKS["num_predict"]
        (reply,) = [m for m in store.messages(first.id) if m.role == "assistant"]
        assert reply.content == "" and reply.status == "complete"


def test_an_empty_reply_says_so_and_retry_asks_again(
    qtbot: Any, make_popup: PopupFactory, fault_server: FaultServer
) -> None:
    fault_server.route("POST", "/api/chat", lines=[FINAL])
    popup = make_popup()
    ask(qtbot, popup, "Say something")
    assert popup.controller.answer == "" and popup.controller.thinking == ""
    shown = on_screen(popup)
    assert EMPTY in shown and "Retry" in shown and "without thinking" not in shown
    assert not popup.thinking.isVisible() and not popup.answer_view.isVisible()
    assert popup.notice.retry_button.isVisible() and not popup.notice.think_off_button.isVisible()

    fault_server.route("POST", "/api/chat", lines=[piece("Now "), piece("an answer."), FINAL])
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        qtbot.mouseClick(popup.notice.retry_button, Qt.MouseButton.LeftButton)
    chats = [r.json() for r in fault_server.requests if r.path == "/api/chat"]
    assert len(chats) == 2 and chats[1]["messages"] == chats[0]["messages"]
    assert "think" not in chats[1]  # a plain retry leaves thinking as it was
    assert "Now an answer." in on_screen(popup) and EMPTY not in on_screen(popup)
    assert not popup.notice.isVisible()


def test_thinking_in_the_content_is_split_out_without_history(
    qtbot: Any, make_popup: PopupFactory, fault_server: FaultServer
) -> None:
    """A server that does not split thinking: `<think>` in the content, cut across chunks."""
    lines = [piece("<thi"), piece("nk>Let me weigh "), piece("both sides…"), FINAL]
    fault_server.route("POST", "/api/chat", lines=lines, delay=0.05)
    popup = make_popup(save_history=False)
    ask(qtbot, popup, "Tea or coffee?")
    assert popup.controller.answer == ""
    assert popup.controller.thinking == "Let me weigh both sides…"
    shown = on_screen(popup)
    assert THOUGHT_ONLY in shown and "<think>" not in shown
    qtbot.mouseClick(popup.thinking.toggle, Qt.MouseButton.LeftButton)
    assert "Let me weigh both sides…" in on_screen(popup)

    fault_server.route("POST", "/api/chat", lines=[piece("Tea."), FINAL])
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        qtbot.mouseClick(popup.notice.think_off_button, Qt.MouseButton.LeftButton)
    assert fault_server.requests[-1].json()["think"] is False
    assert "Tea." in on_screen(popup) and not popup.thinking.isVisible()


def test_a_thought_then_an_answer_shows_both_and_no_notice(
    qtbot: Any, make_popup: PopupFactory, fault_server: FaultServer
) -> None:
    lines = [piece("", thinking="Paris is "), piece("", thinking="the capital. "), piece("Paris."), FINAL]
    fault_server.route("POST", "/api/chat", lines=lines, delay=0.4)
    popup = make_popup()
    popup.open()
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        type_and_press_enter(qtbot, popup, "Capital of France?")
        # While it thinks: the live line, before any answer.
        qtbot.waitUntil(lambda: popup.thinking.isVisible()
                        and popup.thinking.toggle.text().startswith("Thinking…"), timeout=5000)
        assert popup.controller.answer == ""
    assert popup.thinking.toggle.text().startswith("Thought for")
    assert popup.controller.answer == "Paris."
    assert popup.thinking.isVisible() and popup.thinking.text() == "Paris is the capital. "
    assert "Paris." in popup.answer_view.toPlainText() and popup.answer_view.isVisible()
    assert not popup.notice.isVisible()
    assert "Paris is the capital" not in popup.answer_view.toPlainText()


def test_the_notice_in_chinese(
    qtbot: Any, make_popup: PopupFactory, fault_server: FaultServer, chinese: None
) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("", thinking="想一想"), FINAL])
    popup = make_popup()  # built under the translator, as the app builds it
    popup.open("你好")  # typed by an input method: QTest cannot key in CJK text
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        qtbot.keyClick(popup.input, Qt.Key.Key_Return)
    shown = on_screen(popup)
    assert "模型只思考了，没有给出回答。请增加令牌数或关闭思考后重试。" in shown
    assert popup.notice.retry_button.text() == "重试"
    assert popup.notice.think_off_button.text() == "关闭思考后重试"
    assert THOUGHT_ONLY not in shown
