"""kill -9 while a reasoning model's thinking streams: the partial thinking and answer are kept.

The child runs the real chat service against a replayed Ollama stream on a loopback
server (thinking, then answer text, then silence); the parent waits until both were
saved, kills the child with SIGKILL, then opens the store as the app would at start.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core.messages import Status, ThinkingPart
from desktop.core.store import Store
from tests.support.fault_server import FaultServer

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import asyncio, sys
from pathlib import Path
from desktop.core.chat import ChatService
from desktop.core.ollama.client import OllamaClient, Timeouts
from desktop.core.store import Store

async def main():
    store = Store(Path(sys.argv[1]))
    conv = store.conversations()[0]
    client = OllamaClient(sys.argv[2], timeouts=Timeouts(first_token=30, idle=60))
    await ChatService(client, store, save_interval=0.1).reply(conv.id, on_delta=lambda _: None)

asyncio.run(main())
"""


def piece(content: str = "", thinking: str = "") -> dict[str, object]:
    return {
        "model": "qwen3:0.6b",
        "message": {"role": "assistant", "content": content, "thinking": thinking},
        "done": False,
    }


def _saved(db: Path) -> tuple[str, str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT m.content, COALESCE((SELECT text FROM message_parts p WHERE p.message_id = m.id"
            " AND p.kind = 'thinking'), '') FROM messages m WHERE m.role = 'assistant'"
        ).fetchone()
    except sqlite3.Error:
        return "", ""
    finally:
        conn.close()
    return (row[0], row[1]) if row else ("", "")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill9_while_thinking_keeps_partial_thinking_and_answer(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    db = tmp_path / "kill9.sqlite3"
    with Store(db) as store:
        conv = store.create_conversation("k", model="qwen3:0.6b")
        store.add_message(conv.id, "user", "Think, then answer.")
    lines = [
        piece(thinking="First I consider 中文 "),
        piece(thinking="and more. "),
        piece("Partial ans"),
        piece("wer"),
    ]
    fault_server.route("POST", "/api/chat", lines=lines, delay=0.05, stall_after=len(lines))
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), fault_server.url], env=env, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while (
            _saved(db) != ("Partial answer", "First I consider 中文 and more. ")
            and time.monotonic() < deadline
        ):
            assert child.poll() is None, child.stderr.read().decode(errors="replace") if child.stderr else ""
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    with Store(db) as store:
        assert store.mark_unfinished_replies() == 1
        reply = store.messages(conv.id)[-1]
    assert reply.content == "Partial answer"
    assert reply.parts == (ThinkingPart("First I consider 中文 and more. "),)
    assert reply.status == Status.INTERRUPTED
