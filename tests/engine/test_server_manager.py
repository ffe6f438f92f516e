"""The server manager against real processes: an engine it starts, one it reuses, an Ollama
already answering, `ollama serve` from PATH, and no orphan when the app is killed."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from desktop.core.server_manager import ServerKind, ServerManager, ServerStartError, ServerState

pytestmark = pytest.mark.engine
REPO = Path(__file__).resolve().parents[2]


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if gone(pid):
            return True
        time.sleep(0.1)
    return False


class FakeOllama:
    """An Ollama stand-in on loopback: /api/version answers like Ollama's (no engine header)."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                body = json.dumps({"version": "0.12.3"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def nothing_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_starts_the_engine_when_nothing_answers_and_stops_it(desk_home: Path, nothing_url: str) -> None:
    states: list[ServerState] = []
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    taken = blocker.getsockname()[1]
    manager = ServerManager(
        nothing_url,
        data_dir=desk_home,
        ollama_binary=None,
        preferred_port=taken,
        on_state_changed=states.append,
    )

    async def scenario() -> None:
        info = await manager.start()
        assert info.kind is ServerKind.ENGINE and info.owned and info.pid
        assert info.url != f"http://127.0.0.1:{taken}"  # the preferred port was busy: another one
        assert manager.url == info.url
        async with httpx.AsyncClient() as client:
            tags = (await client.get(info.url + "/api/tags")).json()
        assert any(m["name"] == "smollm2:135m" for m in tags["models"])
        state = json.loads((desk_home / "engine" / "engine.json").read_text())
        assert state["pid"] == info.pid and state["url"] == info.url
        assert await manager.check() is True
        assert await manager.stop() is True
        assert wait_gone(info.pid, 10)
        assert not (desk_home / "engine" / "engine.json").exists()

    try:
        run(scenario())
    finally:
        blocker.close()
        run(manager.stop())
    assert states == [
        ServerState.CONNECTING,
        ServerState.ENGINE_STARTING,
        ServerState.ONLINE,
        ServerState.OFFLINE,
    ]


def test_a_second_start_reuses_a_healthy_engine(desk_home: Path, nothing_url: str) -> None:
    first = ServerManager(nothing_url, data_dir=desk_home, ollama_binary=None, preferred_port=0)
    second = ServerManager(nothing_url, data_dir=desk_home, ollama_binary=None, preferred_port=0)

    async def scenario() -> None:
        started = await first.start()
        reused = await second.start()
        assert reused.kind is ServerKind.ENGINE and not reused.owned
        assert reused.url == started.url and reused.pid == started.pid
        assert await second.stop() is False  # not its process
        assert not gone(started.pid)
        assert await first.stop() is True
        assert wait_gone(started.pid, 10)

    try:
        run(scenario())
    finally:
        run(first.stop())


def test_a_server_answering_at_ollama_host_is_used(desk_home: Path) -> None:
    fake = FakeOllama()
    try:
        manager = ServerManager(fake.url, data_dir=desk_home, ollama_binary=None)
        info = run(manager.start())
        assert info.kind is ServerKind.OLLAMA and info.version == "0.12.3" and not info.owned
        assert manager.state is ServerState.ONLINE
        assert run(manager.stop()) is False
    finally:
        fake.close()
    assert run(manager.check()) is False
    assert manager.state is ServerState.OFFLINE


def test_an_engine_at_ollama_host_is_recognised(engine_url: str, desk_home: Path) -> None:
    info = run(ServerManager(engine_url, data_dir=desk_home, ollama_binary=None).start())
    assert info.kind is ServerKind.ENGINE and not info.owned


def test_ollama_on_path_is_started_as_a_managed_child(
    desk_home: Path, tmp_path: Path, nothing_url: str
) -> None:
    """A stand-in `ollama` executable that serves /api/version on OLLAMA_HOST, like `ollama serve`."""
    script = tmp_path / "ollama"
    script.write_text(
        textwrap.dedent(f"""\
        #!{sys.executable}
        import json, os, sys
        from http.server import BaseHTTPRequestHandler, HTTPServer
        assert sys.argv[1:] == ["serve"], sys.argv
        host, port = os.environ["OLLAMA_HOST"].rsplit(":", 1)
        class H(BaseHTTPRequestHandler):
            def log_message(self, *a): pass
            def do_GET(self):
                body = json.dumps({{"version": "0.9.9"}}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        HTTPServer((host, int(port)), H).serve_forever()
    """)
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    manager = ServerManager(nothing_url, data_dir=desk_home, ollama_binary=str(script))
    info = run(manager.start())
    try:
        assert info.kind is ServerKind.MANAGED_OLLAMA and info.owned and info.version == "0.9.9"
        assert info.url == nothing_url
    finally:
        assert run(manager.stop()) is True
    assert info.pid is not None and wait_gone(info.pid, 10)


def test_a_broken_engine_gives_a_plain_error(
    desk_home: Path, nothing_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "desktop.core.server_manager.engine_command",
        lambda host: [sys.executable, "-c", "import sys; sys.stderr.write('no llama here\\n'); sys.exit(3)"],
    )
    manager = ServerManager(nothing_url, data_dir=desk_home, ollama_binary=None)
    with pytest.raises(ServerStartError) as info:
        run(manager.start())
    assert "exit code 3" in str(info.value) and "no llama here" in str(info.value)
    assert manager.state is ServerState.OFFLINE and manager.last_error


PARENT = """
import asyncio, sys
from pathlib import Path
from desktop.core.server_manager import ServerManager

async def main():
    manager = ServerManager(sys.argv[1], data_dir=Path(sys.argv[2]), ollama_binary=None, preferred_port=0)
    info = await manager.start()
    print(info.pid, flush=True)
    await asyncio.sleep(600)

asyncio.run(main())
"""


@pytest.mark.parametrize("pdeathsig", ["1", "0"], ids=["prctl", "watchdog-only"])
def test_no_orphan_engine_after_the_app_is_killed(desk_home: Path, nothing_url: str, pdeathsig: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO), OLLAMA_DESK_PDEATHSIG=pdeathsig)
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, nothing_url, str(desk_home)],
        stdout=subprocess.PIPE,
        env=env,
        cwd=str(REPO),
    )
    try:
        assert parent.stdout is not None
        engine_pid = int(parent.stdout.readline().decode().strip())
        assert not gone(engine_pid)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        assert wait_gone(engine_pid, 8), "the engine outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
        if parent.stdout is not None:
            parent.stdout.close()
