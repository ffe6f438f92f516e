"""Quick Ask on a selection: the quote above the input, its one-key actions, Replace, the prefill setting.

The popup runs against a real loopback server (the fault server speaking Ollama's NDJSON);
assertions are on what is rendered (label text, visibility, button text) and on what the
server received.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from desktop.core.ollama.client import OllamaClient
from desktop.core.store import Store
from desktop.ui.quick_ask import QuickAskWindow
from tests.support.fault_server import FaultServer
from tests.ui.quick_ask_support import FINAL, PopupFactory, piece

ENGLISH = "The meeting moves to Thursday at three."
CHINESE = "会议改到星期四下午三点。"


@pytest.fixture
def popup(make_popup: PopupFactory) -> QuickAskWindow:
    window = make_popup(save_history=False)
    window.prefill_mode = "selection"  # offscreen has no selection: the clipboard stands in
    return window


def sent_prompt(fault_server: FaultServer) -> str:
    chats = [r for r in fault_server.requests if r.path == "/api/chat"]
    messages = chats[-1].json()["messages"]
    assert [m["role"] for m in messages] == ["user"]
    return str(messages[0]["content"])


def test_the_selection_is_quoted_with_its_actions(qtbot: Any, popup: QuickAskWindow) -> None:
    QGuiApplication.clipboard().setText(f"  {ENGLISH}\n")
    popup.open()
    bar = popup.quote_bar
    assert bar.isVisible() and bar.text_label.text() == ENGLISH
    assert popup.input.toPlainText() == ""  # the question box stays for the question
    shown = [b.text() for b in bar.buttons.values() if b.isVisible()]
    assert shown == ["Translate to Chinese  Alt+1", "Explain  Alt+2", "Summarize  Alt+3",
                     "Fix grammar  Alt+4"]
    qtbot.waitUntil(lambda: bar.height() > 40)  # laid out: quote line and the row of buttons
    assert popup.height() > bar.height() + popup.input.height()


def test_chinese_text_translates_to_english(qtbot: Any, popup: QuickAskWindow) -> None:
    QGuiApplication.clipboard().setText(CHINESE)
    popup.open()
    assert popup.quote_bar.buttons["translate"].text() == "Translate to English  Alt+1"


def test_markup_in_the_selection_is_shown_as_text(qtbot: Any, popup: QuickAskWindow) -> None:
    QGuiApplication.clipboard().setText("<b>bold</b> <img src=x>")
    popup.open()
    assert popup.quote_bar.text_label.text() == "<b>bold</b> <img src=x>"
    assert popup.quote_bar.text_label.textFormat() == Qt.TextFormat.PlainText


def test_alt_1_translates_and_the_answer_streams_in_the_popup(
    qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer
) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("会议"), piece("改到星期四。"), FINAL], delay=0.05)
    QGuiApplication.clipboard().setText(ENGLISH)
    popup.open()
    qtbot.waitUntil(popup.input.hasFocus)
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000) as done:
        qtbot.keyClick(popup.input, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert done.args == ["complete", ""]
    prompt = sent_prompt(fault_server)
    assert prompt.startswith("Translate the following text into Simplified Chinese.")
    assert f"```text\n{ENGLISH}\n```" in prompt
    assert popup.answer_view.isVisible() and "会议改到星期四。" in popup.answer_view.toPlainText()
    assert popup.controller.title == f"Translate to Chinese: {ENGLISH}"
    assert popup.replace_button.isVisible() and popup.replace_button.isEnabled()


def test_enter_sends_the_typed_question_with_the_quote(
    qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer
) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("Thursday."), FINAL])
    QGuiApplication.clipboard().setText(ENGLISH)
    popup.open()
    qtbot.keyClick(popup.input, Qt.Key.Key_Return)  # nothing typed: a plain hint, no request
    assert "Type a question about the quote" in popup.hint.text()
    assert fault_server.requests == []
    qtbot.keyClicks(popup.input, "Which day?")
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        qtbot.keyClick(popup.input, Qt.Key.Key_Return)
    assert sent_prompt(fault_server) == f"```text\n{ENGLISH}\n```\n\nWhich day?"


def test_removing_the_quote_sends_the_question_alone(
    qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer
) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("Hi."), FINAL])
    QGuiApplication.clipboard().setText(ENGLISH)
    popup.open()
    qtbot.waitUntil(popup.input.hasFocus)  # window shortcuts need the popup active
    popup.quote_bar.remove_button.click()
    assert not popup.quote_bar.isVisible()
    qtbot.keyClick(popup.input, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # no quote: no action
    assert fault_server.requests == []
    qtbot.keyClicks(popup.input, "Hello?")
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        qtbot.keyClick(popup.input, Qt.Key.Key_Return)
    assert sent_prompt(fault_server) == "Hello?"


def test_turned_off_reads_nothing(qtbot: Any, popup: QuickAskWindow) -> None:
    QGuiApplication.clipboard().setText(ENGLISH)
    popup.prefill_mode = "off"
    popup.open(selection=True)  # not even when a launch asks for the selection
    assert not popup.quote_bar.isVisible() and popup.quote_bar.quote is None
    assert popup.input.toPlainText() == ""


def test_replace_puts_the_answer_where_a_paste_finds_it(
    qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer
) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("The meeting moves to Thursday, at three."), FINAL])
    QGuiApplication.clipboard().setText(ENGLISH)
    popup.open()
    qtbot.waitUntil(popup.input.hasFocus)
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        qtbot.keyClick(popup.input, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert "Fix the grammar" in sent_prompt(fault_server)
    popup.replace_button.click()
    assert QGuiApplication.clipboard().text() == "The meeting moves to Thursday, at three."
    assert "paste it over the original" in popup.hint.text()


@dataclass
class Saved:
    name: str
    text: str


def test_saved_prompts_get_buttons_after_the_built_in_ones(
    qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer
) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("ok"), FINAL])
    popup.quote_bar.set_saved_prompts([Saved("Reply politely", "Write a polite reply to:\n{text}"),
                                       Saved("", "nameless prompts are not offered")])
    QGuiApplication.clipboard().setText(ENGLISH)
    popup.open()
    visible = [b.text() for b in popup.quote_bar.saved_buttons if b.isVisible()]
    assert visible == ["Reply politely  Alt+5"]
    qtbot.waitUntil(popup.input.hasFocus)
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        qtbot.keyClick(popup.input, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    assert sent_prompt(fault_server) == f"Write a polite reply to:\n```text\n{ENGLISH}\n```"


def test_nothing_is_saved_until_continued_then_the_exchange_is(
    qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer, store: Store
) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("It says the meeting moved."), FINAL])
    QGuiApplication.clipboard().setText(ENGLISH)
    popup.open()
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        popup.quote_bar.buttons["explain"].click()
    assert store.conversations() == []
    with qtbot.waitSignal(popup.controller.continue_requested) as handed:
        popup.continue_button.click()
    conversation = store.conversation(handed.args[0])
    assert conversation is not None and conversation.title.startswith("Explain: The meeting")
    roles = [(m.role, m.content) for m in store.messages(handed.args[0])]
    assert roles[0][0] == "user" and ENGLISH in roles[0][1]
    assert roles[1] == ("assistant", "It says the meeting moved.")


def test_the_tray_opens_with_the_quote_and_the_library_prompts_by_default(
    qtbot: Any, client: OllamaClient, store: Store
) -> None:
    from desktop.core.prompts_library import PromptLibrary
    from desktop.core.settings import DEFAULTS
    from desktop.ui.hotkeys import settings as hs
    from tests.ui.test_tray_integration import make

    assert (DEFAULTS.quick_ask_prefill, DEFAULTS.quick_ask_save_history) == ("selection", False)
    integration, _window = make(qtbot, client, store, tray=False)
    QGuiApplication.clipboard().setText(ENGLISH)
    integration.handle_argv(["--quick-ask", "--selection"])
    bar = integration.quick_ask.quote_bar
    assert bar.isVisible() and bar.text_label.text() == ENGLISH
    names = [p.name for p in PromptLibrary(store).all()][:4]
    assert [b.text().split("  ")[0] for b in bar.saved_buttons if b.isVisible()] == names
    assert not integration.controller.save_history
    integration.quick_ask.hide()

    store.set_setting(hs.KEY_PREFILL, "off")
    integration.handle_argv(["--quick-ask", "--selection"])
    assert integration.quick_ask.isVisible() and not bar.isVisible() and bar.quote is None
    integration.close()


def test_wants_selection_reads_the_flag_only_with_quick_ask() -> None:
    from desktop.argv import parse_forwarded, wants_selection

    assert wants_selection(["--quick-ask", "--selection"]) and wants_selection(["--selection", "--quick-ask"])
    assert parse_forwarded(["--quick-ask", "--selection"]) == (True, "")
    assert not wants_selection(["--selection"]) and not wants_selection(["--quick-ask", "hi"])


def test_the_settings_page_without_a_tray_can_turn_reading_off(
    store: Store, qtbot: Any, tmp_path: Path
) -> None:
    from desktop.ui.settings.dialog import SettingsDialog

    dialog = SettingsDialog(store, store=store, data_folder=tmp_path)
    qtbot.addWidget(dialog)
    page = dialog.quick_ask
    combo = page.prefill  # type: ignore[attr-defined]
    assert combo.currentData() == "clipboard"  # "selection" reads the clipboard where there is no selection
    assert not page.history_check.isChecked()  # type: ignore[attr-defined]
    combo.setCurrentIndex(combo.findData("off"))
    assert store.get_setting("quick_ask.prefill") == "off"
