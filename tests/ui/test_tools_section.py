"""The Tools part of the conversation options: off by default, boxes follow the switch, the
choice (with picked files) comes back as a ToolChoice."""

from __future__ import annotations

from typing import Any

from desktop.core.tools.choices import ToolChoice
from desktop.ui.widgets.conversation_settings import ConversationSettingsDialog
from desktop.ui.widgets.tools_section import ToolsSection


def test_the_tools_section_in_the_options_dialog(qtbot: Any) -> None:
    section = ToolsSection(ToolChoice(), ["files-server"])
    dialog = ConversationSettingsDialog("", {}, tools=section)
    qtbot.addWidget(dialog)
    dialog.show()
    assert section.isVisible() and not section.switch.isChecked()
    assert not section.boxes["calculator"].isEnabled() and not section.pick_button.isEnabled()
    assert section.boxes["calculator"].isChecked() and not section.boxes["fetch_web_page"].isChecked()
    assert section.boxes["files-server"].text() == "Tools of the MCP server files-server"
    section.switch.setChecked(True)
    assert section.boxes["calculator"].isEnabled() and section.pick_button.isEnabled()
    section.boxes["search_conversations"].setChecked(False)
    section.boxes["files-server"].setChecked(True)
    section.set_files(["/home/me/notes.txt"])
    assert section.files_label.text() == "notes.txt"
    choice = section.choice()
    assert choice.on and choice.files == ("/home/me/notes.txt",)
    assert choice.enabled == {"calculator", "current_time", "search_documents", "read_file", "files-server"}
    assert dialog.values() == ("", {})  # the model options are not touched by the tools
