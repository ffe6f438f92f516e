"""Settings > MCP servers: import a Claude Desktop mcpServers file (its token to the keyring
only), connect a real SDK server (stdio), untick one of its tools, and a server that fails to
start shows why; then the conversation's tools include the server's tools."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from desktop.core.store import Store
from desktop.core.tools.choices import ToolChoice
from desktop.core.tools.mcp_config import SETTING_KEY, secret_account
from desktop.core.tools.service import ToolsService
from desktop.ui.settings.mcp_page import McpServersPage
from tests.core.tools.test_mcp import SERVER, MemorySecrets


def test_import_connect_untick_and_a_failing_server(qtbot: Any, tmp_path: Path, qloop: Any) -> None:
    store = Store(tmp_path / "s.db")
    secrets = MemorySecrets()
    service = ToolsService(store, lambda conv: None, secrets=secrets)  # type: ignore[arg-type, return-value]
    page = McpServersPage(service)
    qtbot.addWidget(page)
    config_file = tmp_path / "claude_desktop_config.json"
    config_file.write_text(
        json.dumps(
            {
                "mcpServers": {
                    "desk-test": {
                        "command": sys.executable,
                        "args": [SERVER, "stdio"],
                        "env": {"API_TOKEN": "tok-SECRET"},
                    },
                    "broken": {"command": "/nonexistent/mcp-xyz"},
                }
            }
        ),
        encoding="utf-8",
    )
    page.import_file(config_file)
    assert page.status.text() == "Imported 2 MCP servers."
    assert page.servers.count() == 2 and "not connected" in page.servers.item(0).text()
    assert "SECRET" not in json.dumps(store.get_setting(SETTING_KEY))
    assert secrets.values[secret_account("desk-test", "env", "API_TOKEN")] == "tok-SECRET"

    page.servers.setCurrentRow(0)
    page.connect_button.click()
    qtbot.waitUntil(lambda: "desk-test is connected." == page.status.text(), timeout=30000)
    assert "connected, 3 tools" in page.servers.item(0).text()
    names = [page.tools.item(i).text().split(" — ")[0] for i in range(page.tools.count())]
    assert sorted(names) == ["add", "fail", "shout"]
    shout = next(
        page.tools.item(i) for i in range(page.tools.count()) if page.tools.item(i).text().startswith("shout")
    )
    shout.setCheckState(shout.checkState().__class__.Unchecked)
    assert service.mcp_configs()[0].disabled_tools == ("shout",)

    conversation = store.create_conversation("c", model="m")
    service.set_choice(conversation.id, ToolChoice(on=True, enabled=frozenset({"calculator", "desk-test"})))
    assert [t.name for t in service.tools_for(conversation.id)] == ["calculator", "add", "fail"]

    page.servers.setCurrentRow(1)
    page.connect_button.click()
    qtbot.waitUntil(lambda: "could not be started" in page.status.text(), timeout=10000)
    assert "could not be started" in page.servers.item(1).text()

    page.servers.setCurrentRow(0)
    page.remove_button.click()
    qtbot.waitUntil(lambda: "desk-test" not in service.connections, timeout=10000)
    qtbot.waitUntil(lambda: not secrets.values, timeout=5000)
    assert [c.name for c in service.mcp_configs()] == ["broken"]


def test_a_bad_file_is_refused_plainly(qtbot: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    page = McpServersPage(ToolsService(store, lambda conv: None, secrets=MemorySecrets()))  # type: ignore[arg-type, return-value]
    qtbot.addWidget(page)
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    page.import_file(bad)
    assert page.status.text().startswith("Could not import x.json: This is not a JSON file")
    assert page.servers.count() == 0
