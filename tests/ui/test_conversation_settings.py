"""Conversation options: each box maps to an Ollama option, its lowest value to the model's default."""

from __future__ import annotations

from typing import Any

from desktop.ui.widgets.conversation_settings import ConversationSettingsDialog


def test_defaults_send_no_options(qtbot: Any) -> None:
    dialog = ConversationSettingsDialog("", {})
    qtbot.addWidget(dialog)
    assert dialog.num_predict.text() == "No limit"
    assert dialog.values() == ("", {})


def test_every_option_round_trips_including_the_longest_reply(qtbot: Any) -> None:
    options = {"temperature": 0.3, "num_ctx": 4096, "num_predict": 256, "seed": 42}
    dialog = ConversationSettingsDialog("  Be brief.  ", options)
    qtbot.addWidget(dialog)
    assert dialog.values() == ("Be brief.", options)
    dialog.num_predict.setValue(0)
    assert "num_predict" not in dialog.values()[1]
