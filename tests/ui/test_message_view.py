"""MessageView: figures, hover actions, edit in place, loading state, code blocks, coalesced streaming."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.core.store import Message
from desktop.ui.widgets.message_body import CodeView, ProseView
from desktop.ui.widgets.message_view import MessageView


def _msg(role: str = "assistant", content: str = "", status: str = "complete", **kw: object) -> Message:
    base: dict[str, object] = dict(
        id=7, conversation_id=1, role=role, content=content, status=status, model="smollm2",
        created_at=time.time(), metrics={}, error="",
    )
    base.update(kw)
    return Message(**base)  # type: ignore[arg-type]


def _hover(view: MessageView, inside: bool) -> None:
    if inside:
        QApplication.sendEvent(view, QEnterEvent(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5)))
    else:
        QApplication.sendEvent(view, QEvent(QEvent.Type.Leave))


def test_actions_show_on_hover_focus_or_for_the_newest_message_only(qtbot: QtBot) -> None:
    metrics = {"tokens_per_second": 42.5, "eval_count": 120, "load_seconds": 1.25}
    view = MessageView(_msg(content="Hello **world**", metrics=metrics))
    qtbot.addWidget(view)
    view.show()
    text = view.status_label.text()
    assert "42.5" in text and "120" in text and "load 1.25 s" in text
    assert not view.actions_shown() and not view.regenerate_button.isVisible()
    height = view.height()
    _hover(view, True)
    assert view.regenerate_button.isVisible() and view.copy_button.isVisible()
    assert not view.edit_button.isVisible() and not view.continue_button.isVisible()
    assert view.height() == height  # no jump when the buttons appear
    _hover(view, False)
    assert not view.regenerate_button.isVisible()
    view.set_focused(True)
    assert view.regenerate_button.isVisible()
    view.set_focused(False)
    view.set_latest(True)
    assert view.regenerate_button.isVisible()
    assert view.shown_text() == "Hello world"
    with qtbot.waitSignal(view.regenerate_requested) as blocker:
        view.regenerate_button.click()
    assert blocker.args == [7]


def test_figures_leave_out_a_load_time_of_nothing(qtbot: QtBot) -> None:
    metrics = {"tokens_per_second": 9.0, "eval_count": 3, "load_seconds": 0.0}
    view = MessageView(_msg(content="x", metrics=metrics))
    qtbot.addWidget(view)
    assert view.status_label.text() == "9.0 tokens/s · 3 tokens"


def test_loading_then_writing(qtbot: QtBot) -> None:
    view = MessageView(_msg(status="streaming"))
    qtbot.addWidget(view)
    view.show()
    assert view.status_label.text() == "Loading the model…"
    assert not view.actions_shown()
    view.append_delta("Hi")
    assert view.status_label.text() == "Writing…"


def test_edit_in_place_changes_nothing_until_save(qtbot: QtBot) -> None:
    view = MessageView(_msg(role="user", content="Vec<String> & 中文 😀"))
    qtbot.addWidget(view)
    view.set_latest(True)
    view.show()
    assert view.edit_button.isVisible() and not view.regenerate_button.isVisible()
    assert view.shown_text() == "Vec<String> & 中文 😀"
    with qtbot.assertNotEmitted(view.edit_requested):
        view.edit_button.click()
        assert view.is_editing() and view.editor is not None and view.editor.isVisible()
        assert view.editor.toPlainText() == "Vec<String> & 中文 😀" and not view.body.isVisible()
        assert not view.actions_shown()
        view.editor.setPlainText("changed, then cancelled")
        qtbot.keyClick(view.editor, Qt.Key.Key_Escape)
    assert not view.is_editing() and view.body.isVisible()
    assert view.shown_text() == "Vec<String> & 中文 😀"
    view.edit_button.click()
    assert view.editor.toPlainText() == "Vec<String> & 中文 😀"  # the cancelled edit is gone
    view.set_busy(True)  # a reply is streaming: Save waits
    assert view.save_button is not None and not view.save_button.isEnabled()
    view.set_busy(False)
    view.editor.setPlainText("A better question")
    with qtbot.waitSignal(view.edit_requested) as blocker:
        qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert blocker.args == [7, "A better question"]
    assert not view.is_editing()


def test_interrupted_reply_offers_continue_with_the_error(qtbot: QtBot) -> None:
    view = MessageView(_msg(content="partial", status="interrupted", error="connection reset"))
    qtbot.addWidget(view)
    view.set_latest(True)
    view.show()
    assert "connection reset" in view.status_label.text()
    assert view.continue_button.isVisible() and view.regenerate_button.isVisible()
    with qtbot.waitSignal(view.continue_requested) as blocker:
        view.continue_button.click()
    assert blocker.args == [7]


def test_a_long_code_line_scrolls_its_block_only_and_wraps_on_request(qtbot: QtBot) -> None:
    long_line = "x = [" + ", ".join(str(i) for i in range(200)) + "]"
    view = MessageView(_msg(content=f"Before, a prose line.\n\n```python\n{long_line}\n```\n\nAfter."))
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    kinds = [type(w) for w in view.body.segment_widgets()]
    assert kinds == [ProseView, CodeView, ProseView]
    prose, code, _after = view.body.segment_widgets()
    assert isinstance(code, CodeView) and isinstance(prose, ProseView)
    bar = code.text.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    assert bar.isVisible()
    # The prose keeps its width: nothing else scrolls sideways.
    assert prose.horizontalScrollBar().maximum() == 0 and prose.width() <= view.width()
    assert code.width() <= view.width()
    assert view.shown_text() == f"Before, a prose line.\n{long_line}\nAfter."
    one_line = code.text.height()
    code.wrap_button.click()
    qtbot.waitUntil(lambda: code.text.height() > one_line + 20)
    assert bar.maximum() == 0
    code.wrap_button.click()
    qtbot.waitUntil(lambda: code.text.height() == one_line)


def test_streaming_deltas_are_coalesced_and_text_is_exact(qtbot: QtBot) -> None:
    view = MessageView(_msg(status="streaming"))
    qtbot.addWidget(view)
    view.show()
    renders = 0
    original = view._render

    def counting() -> None:
        nonlocal renders
        renders += 1
        original()

    view._timer.timeout.disconnect()
    view._timer.timeout.connect(counting)
    pieces = ["Para one.\n\n", "```py\n", "x = 1\n", "```\n\n", "Vec<String> ", "done"] * 20
    for piece in pieces:
        view.append_delta(piece)
    qtbot.wait(200)
    assert 1 <= renders <= 3, renders  # 120 deltas in one burst: a render or two, not 120
    source = "".join(pieces)
    assert view.text() == source
    view.set_message(_msg(content=source, status="complete"))
    plain = view.shown_text()
    assert plain.count("Vec<String> done") == 20 and plain.count("x = 1") == 20


def test_nothing_runs_off_the_right_edge_in_either_bubble(qtbot: QtBot) -> None:
    """An unbroken 300-character word, a code block nested in a list and a wide table wrap
    inside the bubble: no sideways scrolling, nothing cut off."""
    word = "https://example.org/" + "a" * 280
    nested = "1. Step one:\n\n   ```sh\n   " + "echo very-long-argument " * 20 + "\n   ```"
    table = "| name | value |\n|---|---|\n| " + "cell " * 40 + "| " + "x" * 120 + " |"
    for role in ("user", "assistant"):
        view = MessageView(_msg(role=role, content=f"{word}\n\n{nested}\n\n{table}"))
        qtbot.addWidget(view)
        view.resize(600, 400)
        view.show()
        qtbot.waitExposed(view)
        for widget in view.body.segment_widgets():
            assert isinstance(widget, ProseView)
            width = widget.viewport().width()
            used = widget.document().size().width()
            assert used <= width + 1, (role, used, width)
        shown = view.shown_text()
        assert word in shown and shown.count("echo very-long-argument") == 20 and "x" * 120 in shown


def test_code_colours_follow_a_theme_change(qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor, QPalette

    from desktop.ui import markdown

    view = MessageView(_msg(content="Code:\n\n```python\nprint(1)\n```"))
    qtbot.addWidget(view)
    view.show()
    code = view.body.segment_widgets()[1]
    assert isinstance(code, CodeView)
    light_bg = markdown.code_colors(False)[0]
    assert code.palette().color(QPalette.ColorRole.Window).name() == light_bg
    dark = view.palette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    view.setPalette(dark)
    qtbot.waitUntil(lambda: isinstance(view.body.segment_widgets()[1], CodeView))
    code = view.body.segment_widgets()[1]
    assert code.palette().color(QPalette.ColorRole.Window).name() == markdown.code_colors(True)[0]
    assert view.shown_text() == "Code:\nprint(1)"


def test_copy_puts_the_source_on_the_clipboard_and_says_so(qtbot: QtBot) -> None:
    from PySide6.QtGui import QGuiApplication

    from desktop.ui.widgets import message_body

    source = "Use **this**:\n\n```sh\nls -la\n```"
    view = MessageView(_msg(content=source))
    qtbot.addWidget(view)
    view.set_latest(True)
    view.show()
    code = view.body.segment_widgets()[1]
    assert isinstance(code, CodeView)
    code.copy_button.click()
    assert QGuiApplication.clipboard().text() == "ls -la\n" and code.copy_button.text() == "Copied"
    qtbot.waitUntil(lambda: code.copy_button.text() == "Copy", timeout=message_body.COPIED_MS + 2000)
    view.copy_button.click()
    assert QGuiApplication.clipboard().text() == source and view.copy_button.text() == "Copied"


def test_copy_of_code_nested_in_a_list_copies_that_code_while_streaming_and_after(qtbot: QtBot) -> None:
    from PySide6.QtGui import QGuiApplication

    first = "1. Install:\n\n   ```sh\n   pip install x\n   ```\n\n"
    second = "2. Run:\n\n   ```sh\n   x --go\n   ```"
    view = MessageView(_msg(status="streaming"))
    qtbot.addWidget(view)
    view.show()
    view.append_delta(first + second)
    view.flush()
    view.body._copy_nested(1)  # the anchor of the second block, still in the growing tail
    assert QGuiApplication.clipboard().text() == "x --go\n"
    view.set_message(_msg(content=first + second))
    view.body._copy_nested(0)
    assert QGuiApplication.clipboard().text() == "pip install x\n"
    view.body._copy_nested(1)
    assert QGuiApplication.clipboard().text() == "x --go\n"
