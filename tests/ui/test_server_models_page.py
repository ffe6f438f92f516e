"""The model manager on a saved Ollama server (#15): installed and in-memory models of that
server (the real engine here), OpenAI-compatible servers not offered, the local list untouched."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from keyring.backends import fail

from desktop.core.backends import BackendKind
from desktop.core.fleet import Fleet
from desktop.core.secrets import Secrets
from desktop.core.servers import ServerBook
from desktop.core.session import Session
from desktop.core.settings import Settings
from desktop.ui.widgets.server_models_page import ServerModelsPage


def test_models_of_a_saved_ollama_server(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, engine_url: str
) -> None:
    session = Session(Settings())
    session.fleet = Fleet(ServerBook(session.settings, Secrets(fail.Keyring())))
    page = ServerModelsPage(session)
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    assert page.note.isVisible() and not page.server_combo.isEnabled()  # nothing saved yet

    book = session.fleet.book
    book.add("Team", BackendKind.OLLAMA, engine_url)
    book.add("vLLM box", BackendKind.OPENAI, "http://127.0.0.1:9")
    task = asyncio.ensure_future(session.fleet.reload(), loop=qloop)
    qtbot.waitUntil(task.done, timeout=20000)
    assert [page.server_combo.itemText(i).split(" (")[0] for i in range(page.server_combo.count())] == [
        "Team"
    ]
    assert not page.note.isVisible() and page.controller is not None and page.manager is not None
    qtbot.waitUntil(lambda: "smollm2:135m" in [m.name for m in page.controller.models], timeout=20000)
    assert page.controller.client.base_url == engine_url
    # What is loaded on that server shows in its "In memory" view.
    httpx.post(
        f"{engine_url}/api/generate",
        json={"model": "smollm2:135m", "prompt": "", "keep_alive": "1m"},
        timeout=60,
    )
    page.controller.refresh_running()
    qtbot.waitUntil(lambda: any(r.name == "smollm2:135m" for r in page.controller.running), timeout=20000)
    assert session.models == ()  # the local server's list is not fed from here
    shot = page.grab()
    assert not shot.toImage().isNull()
    done = asyncio.ensure_future(page.aclose(), loop=qloop)
    qtbot.waitUntil(done.done, timeout=10000)
    closing = asyncio.ensure_future(session.aclose(), loop=qloop)
    qtbot.waitUntil(closing.done, timeout=10000)
