"""The composer: Enter sends, Enter during a reply queues, nothing typed is ever lost."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.ui.widgets.composer import ComposerBox


def test_enter_sends_and_while_a_reply_streams_queues_each_message(qtbot: Any) -> None:
    box = ComposerBox()
    qtbot.addWidget(box)
    box.show()
    sent: list[str] = []
    box.send_requested.connect(sent.append)
    box.composer.setPlainText("first")
    qtbot.keyClick(box.composer, Qt.Key.Key_Return)
    assert sent == ["first"] and box.composer.toPlainText() == ""
    box.set_generating(True)
    assert box.send_button.text() == "Stop"
    for text in ("second", "third"):
        box.composer.setPlainText(text)
        qtbot.keyClick(box.composer, Qt.Key.Key_Return)
    assert sent == ["first"] and box.queued() == ["second", "third"]
    assert box.queue_label.text() == "2 messages wait for this reply to end, the first: second"
    box.set_generating(False)
    qtbot.waitUntil(lambda: sent == ["first", "second"])
    assert box.queued() == ["third"]
    box.set_generating(True)
    box.set_generating(False)
    qtbot.waitUntil(lambda: sent == ["first", "second", "third"])
    assert not box.queue_label.isVisible()


def test_a_prompt_put_back_keeps_what_was_typed_meanwhile(qtbot: Any) -> None:
    box = ComposerBox()
    qtbot.addWidget(box)
    box.composer.setPlainText("typed while waiting")
    box.set_text("the message that was not sent")
    assert box.composer.toPlainText() == "the message that was not sent\n\ntyped while waiting"
    box.set_text("the message that was not sent\n\ntyped while waiting")  # said twice: once
    assert box.composer.toPlainText() == "the message that was not sent\n\ntyped while waiting"


def test_stop_puts_queued_messages_back_in_order(qtbot: Any) -> None:
    box = ComposerBox()
    qtbot.addWidget(box)
    sent: list[str] = []
    box.send_requested.connect(sent.append)
    stops: list[bool] = []
    box.stop_requested.connect(lambda: stops.append(True))
    box.set_generating(True)
    box.composer.setPlainText("queued one")
    box.send()
    box.composer.setPlainText("still typing")
    qtbot.keyClick(box.composer, Qt.Key.Key_Escape)
    assert stops == [True]
    box.set_generating(False)
    qtbot.waitUntil(lambda: box.queued() == [])
    assert sent == [] and box.composer.toPlainText() == "still typing\n\nqueued one"
