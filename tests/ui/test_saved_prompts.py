"""Saved prompts: the library (defaults in English and Chinese, damaged entries skipped), and the
picker on an empty chat that starts the conversation from one (system prompt on the wire)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.core.prompts_library import DEFAULTS, SETTING_KEY, Persona, PromptLibrary
from desktop.core.store import Store
from tests.support.fault_server import FaultServer
from tests.ui.test_chat_window import desk, reply_is, send  # noqa: F401


def test_library_defaults_edits_and_damage(tmp_path: Path) -> None:
    with Store(tmp_path / "p.sqlite3") as store:
        library = PromptLibrary(store)
        names = [p.name for p in library.all()]
        assert {"Translator", "Coder", "中文助手"} <= set(names)
        library.save(Persona("Poet", "Answer in verse.", "tiny:latest", {"temperature": 1.0}))
        library.save(Persona("Poet 2", "Answer in haiku."), replacing="Poet")
        assert library.find("Poet") is None and library.find("Poet 2") is not None
        library.delete("Coder")
        assert library.find("Coder") is None
        library.restore_defaults()
        assert library.find("Coder") == next(p for p in DEFAULTS if p.name == "Coder")
        with pytest.raises(ValueError, match="name"):
            library.save(Persona(" ", "x"))
        stored = store.get_setting(SETTING_KEY)
        store.set_setting(SETTING_KEY, [*stored, {"name": 3}, "junk", {"name": "Ok", "system": "Fine."}])
    with Store(tmp_path / "p.sqlite3") as store:
        names = [p.name for p in PromptLibrary(store).all()]
        assert "Ok" in names and "Poet 2" in names and len(names) == len(stored) + 1


def test_an_empty_chat_starts_from_a_saved_prompt(
    qtbot: Any,
    desk: Any,  # noqa: F811 - the fixture imported above
    fault_server: FaultServer,
) -> None:
    desk.window.show()
    picker = desk.prompt_choice.picker
    assert picker.isVisibleTo(desk.window)
    items = [picker.itemText(i) for i in range(picker.count())]
    assert "中文助手" in items and items[-1] == "Manage saved prompts…"
    picker.activated.emit(picker.findText("中文助手"))
    assert picker.currentText() == "中文助手"
    send(desk, "你好")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    chats = [r.json() for r in fault_server.requests if r.path == "/api/chat"]
    assert chats[0]["messages"][0]["role"] == "system"
    assert chats[0]["messages"][0]["content"].startswith("你是一个乐于助人的中文助手")
    assert not picker.isVisibleTo(desk.window)  # only while the conversation is empty
    desk.chat.new_conversation()
    qtbot.waitUntil(lambda: picker.isVisibleTo(desk.window), timeout=3000)
