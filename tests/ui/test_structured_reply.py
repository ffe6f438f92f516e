"""Structured output: the conversation options ask for JSON or a schema (`format` on the wire),
the reply is shown as highlighted, indented JSON with a line saying whether it is valid."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtWidgets import QTextBrowser

from desktop.core.capabilities import ModelAbilities
from desktop.ui.widgets.conversation_settings import ConversationSettingsDialog
from desktop.ui.widgets.message_body import CodeView
from tests.support.fault_server import FaultServer
from tests.ui.test_chat_window import FINAL, chunk, desk, last_message, reply_is, send  # noqa: F401

SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}


def test_the_options_dialog_offers_think_levels_only_where_the_model_takes_them(qtbot: Any) -> None:
    plain = ModelAbilities("smollm2", True, False, False, False, False)
    dialog = ConversationSettingsDialog("", {}, abilities=plain)
    qtbot.addWidget(dialog)
    assert "does not think" in dialog.think.toolTip() and not dialog.think.isEnabled()
    levels = ModelAbilities("gpt-oss:20b", True, False, True, True, True)
    dialog = ConversationSettingsDialog("", {"think": "high"}, abilities=levels)
    qtbot.addWidget(dialog)
    items = [dialog.think.itemText(i) for i in range(dialog.think.count())]
    assert items == ["Model default", "On", "Off", "Low", "Medium", "High"]
    assert dialog.think.currentText() == "High"
    dialog.reply_format.kind.setCurrentIndex(2)
    dialog.reply_format.schema.setPlainText("{not json")
    dialog.show()
    assert dialog.reply_format.error.isVisible() and "not valid JSON" in dialog.reply_format.error.text()
    dialog.reply_format.schema.setPlainText(json.dumps(SCHEMA))
    assert not dialog.reply_format.error.isVisible()
    assert dialog.values()[1] == {"think": "high", "format": SCHEMA}


@pytest.mark.parametrize(
    ("answer", "note"),
    [('{"city": "Paris"}', "Valid JSON, follows the schema"), ('{"city": 3}', "$.city should be string")],
)
def test_a_schema_reply_is_shown_as_checked_json(
    qtbot: Any,
    desk: Any,  # noqa: F811 - the fixture imported above
    fault_server: FaultServer,
    answer: str,
    note: str,  # noqa: F811
) -> None:
    fault_server.route("POST", "/api/chat", lines=[chunk(answer[:5]), chunk(answer[5:]), FINAL])
    dialog = ConversationSettingsDialog("", {})
    qtbot.addWidget(dialog)
    dialog.reply_format.kind.setCurrentIndex(2)
    dialog.reply_format.schema.setPlainText(json.dumps(SCHEMA))
    desk.chat.set_options(*dialog.values())
    send(desk, "Which city is the capital of France? Answer in JSON.")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    chats = [r.json() for r in fault_server.requests if r.path == "/api/chat"]
    assert chats[-1]["format"] == SCHEMA and "format" not in chats[-1].get("options", {})
    reply = last_message(desk)
    view = desk.page.view_for(reply.id)
    assert view is not None
    qtbot.waitUntil(lambda: note in view.status_label.text(), timeout=5000)  # the finished reply is shown
    assert view.shown_text().strip() == json.dumps(json.loads(answer), indent=2)
    assert note in view.status_label.text() and view.status_label.isVisibleTo(view)
    # One code block, highlighted (coloured tokens in the rendered document).
    blocks = [w for w in view.body.segment_widgets() if isinstance(w, CodeView)]
    assert len(blocks) == 1 and blocks[0].isVisibleTo(view)
    html = blocks[0].findChildren(QTextBrowser)[0].document().toHtml()
    assert "color:" in html, "the JSON is not highlighted"
