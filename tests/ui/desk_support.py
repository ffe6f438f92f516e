"""The whole app (Desk) in a UI test: the Ollama stream lines the fault server replays, the routes
every start needs, the app running on a server, and reading its conversation."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from desktop.core.store import Store
from tests.support.fault_server import FaultServer

MODEL = "tiny:latest"
WORDS = ["Hello", " there", ",", " `Vec<String>`", " and", " 中文", "!"]


def chunk(text: str) -> dict[str, Any]:
    return {
        "model": MODEL,
        "created_at": "2026-11-22T00:00:00Z",
        "message": {"role": "assistant", "content": text},
        "done": False,
    }


FINAL = {
    "model": MODEL,
    "created_at": "2026-11-22T00:00:01Z",
    "message": {"role": "assistant", "content": ""},
    "done": True,
    "done_reason": "stop",
    "total_duration": 900_000_000,
    "load_duration": 250_000_000,
    "prompt_eval_count": 5,
    "prompt_eval_duration": 10_000_000,
    "eval_count": 7,
    "eval_duration": 100_000_000,
}


def serve_basics(server: FaultServer) -> None:
    server.route("GET", "/api/version", body={"version": "0.33.0"})
    server.route("GET", "/", body="Ollama is running")
    details = {"format": "gguf", "family": "llama", "parameter_size": "135M", "quantization_level": "Q4_1"}
    server.route(
        "GET",
        "/api/tags",
        body={
            "models": [
                {
                    "name": MODEL,
                    "model": MODEL,
                    "size": 1000,
                    "digest": "ab" * 32,
                    "modified_at": "2026-11-22T00:00:00Z",
                    "details": details,
                }
            ]
        },
    )
    server.route(
        "POST", "/api/show", body={"capabilities": ["completion"], "model_info": {}, "details": details}
    )
    server.route("GET", "/api/ps", body={"models": []})


@contextmanager
def running_desk(
    qtbot: Any,
    qloop: asyncio.AbstractEventLoop,
    monkeypatch: pytest.MonkeyPatch,
    host: str,
    *,
    model: str = MODEL,
    timeout: int = 10000,
    no_binaries: bool = True,
) -> Iterator[Any]:
    """The app on the server at `host`, started once `model` is in its picker; closed on the loop after."""
    from desktop.app import Desk

    monkeypatch.setenv("OLLAMA_HOST", host)
    if no_binaries:
        monkeypatch.setenv("PATH", "/nonexistent")  # no `ollama` binary may be started
    store = Store.open_default()
    store.set_setting("welcome.shown", True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    desk = Desk(app, store, [])
    desk.start(argparse.Namespace(quick_ask=None))
    try:
        qtbot.waitUntil(lambda: desk.page.model_picker.findData(model) >= 0, timeout=timeout)
        yield desk
    finally:
        task = asyncio.ensure_future(desk.aclose(), loop=qloop)
        qtbot.waitUntil(task.done, timeout=10000)
        desk.window.close()
        desk.window.deleteLater()


def send(desk: Any, text: str) -> None:
    desk.page.composer.setPlainText(text)
    desk.page.composer.setFocus()
    desk.page._on_send()


def last_message(desk: Any) -> Any:
    conv = desk.chat.current
    assert conv is not None
    messages = desk.store.messages(conv.id)
    return messages[-1] if messages else None


def reply_is(desk: Any, status: str) -> bool:
    last = last_message(desk)
    return last is not None and last.role == "assistant" and last.status == status
