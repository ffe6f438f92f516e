"""MessageView: figures and unfinished-reply chrome, coalesced streaming, exact source text."""

from __future__ import annotations

import time

from pytestqt.qtbot import QtBot

from desktop.core.store import Message
from desktop.ui.widgets.message_view import MessageView


def _msg(role: str = "assistant", content: str = "", status: str = "done", **kw: object) -> Message:
    base: dict[str, object] = dict(
        id=7, conversation_id=1, role=role, content=content, status=status, model="smollm2",
        created_at=time.time(), metrics={}, error="",
    )
    base.update(kw)
    return Message(**base)  # type: ignore[arg-type]


def test_finished_reply_shows_figures_and_regenerate(qtbot: QtBot) -> None:
    metrics = {"tokens_per_second": 42.5, "eval_count": 120, "load_seconds": 1.25}
    view = MessageView(_msg(content="Hello **world**", metrics=metrics))
    qtbot.addWidget(view)
    view.show()
    text = view.status_label.text()
    assert "42.5" in text and "120" in text and "1.25" in text
    assert view.regenerate_button.isVisible() and view.copy_button.isVisible()
    assert not view.edit_button.isVisible() and not view.continue_button.isVisible()
    assert "Hello world" in view.body.toPlainText()
    with qtbot.waitSignal(view.regenerate_requested) as blocker:
        view.regenerate_button.click()
    assert blocker.args == [7]


def test_user_message_has_edit_not_regenerate(qtbot: QtBot) -> None:
    view = MessageView(_msg(role="user", content="Vec<String> & 中文 😀"))
    qtbot.addWidget(view)
    view.show()
    assert view.edit_button.isVisible() and not view.regenerate_button.isVisible()
    assert "Vec<String> & 中文 😀" in view.body.toPlainText()
    with qtbot.waitSignal(view.edit_requested) as blocker:
        view.edit_button.click()
    assert blocker.args == [7]


def test_interrupted_reply_offers_continue_with_the_error(qtbot: QtBot) -> None:
    view = MessageView(_msg(content="partial", status="interrupted", error="connection reset"))
    qtbot.addWidget(view)
    view.show()
    assert "connection reset" in view.status_label.text()
    assert view.continue_button.isVisible() and view.regenerate_button.isVisible()
    with qtbot.waitSignal(view.continue_requested) as blocker:
        view.continue_button.click()
    assert blocker.args == [7]


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
    view.set_message(_msg(content=source, status="done"))
    plain = view.body.toPlainText()
    assert plain.count("Vec<String> done") == 20
