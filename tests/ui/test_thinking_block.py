"""The thinking block on its own: a long streamed thought is not re-laid out per token, shows in
full once opened, and keeps its text plain (markup from the model is shown as typed)."""

from __future__ import annotations

import time
from typing import Any

from desktop.core.messages import Message, Role, Status, ThinkingPart
from desktop.ui.widgets.thinking_block import ThinkingBlock


def reply(status: Status, thinking: str, content: str = "", seconds: float = 0.0) -> Message:
    metrics = {"thinking_seconds": seconds} if seconds else {}
    parts = (ThinkingPart(thinking),) if thinking else ()
    return Message(1, 1, Role.ASSISTANT, content, status, "m", time.time(), metrics, "", parts)


def test_streamed_thought_shows_in_full_and_as_plain_text(qtbot: Any) -> None:
    block = ThinkingBlock()
    qtbot.addWidget(block)
    block.set_message(reply(Status.STREAMING, ""))
    assert block.isHidden()  # nothing thought yet: no block
    block.show()
    for index in range(2000):
        block.append(f"<b>step {index}</b> ")
    assert block.isVisible() and block.toggle.text().startswith("Thinking…")
    assert block.body.text() != block.text().strip()  # closed: not laid out per token
    block.set_open(True)
    assert block.body.isVisible()
    assert block.body.text() == block.text().strip()
    assert "<b>step 1999</b>" in block.shown_text()  # markup shown as typed
    block.append("more")
    qtbot.waitUntil(lambda: block.body.text().endswith("more"), timeout=2000)
    block.answer_started()
    assert block.toggle.text().startswith("Thought for")


def test_stored_thought_reads_its_time(qtbot: Any) -> None:
    block = ThinkingBlock()
    qtbot.addWidget(block)
    block.set_message(reply(Status.COMPLETE, "Because.", "Yes.", seconds=12.4))
    block.show()
    assert block.toggle.text() == "Thought for 12 s"
    assert block.shown_text() == "Thought for 12 s"
    block.set_message(reply(Status.COMPLETE, "", "Yes."))
    assert block.isHidden()
