"""Concurrency limits reach the server the app starts: the built-in engine and `ollama serve`."""

from __future__ import annotations

import asyncio
import json
import socket
import stat
import sys
import textwrap
import time
from pathlib import Path

import httpx
import psutil
import pytest

from desktop.core.serve_limits import ServeLimits, kv_cache_cost
from desktop.core.server_manager import ServerKind, ServerManager

pytestmark = pytest.mark.engine


@pytest.fixture
def nothing_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_only_sane_values_become_variables() -> None:
    assert ServeLimits().env() == {}
    assert ServeLimits(2, 3, "10m").env() == {
        "OLLAMA_NUM_PARALLEL": "2",
        "OLLAMA_MAX_LOADED_MODELS": "3",
        "OLLAMA_KEEP_ALIVE": "10m",
    }
    assert ServeLimits(-1, 999, "ten minutes").env() == {}
    assert ServeLimits(keep_alive="-1").env() == {"OLLAMA_KEEP_ALIVE": "-1"}
    # SmolLM2-135M: 30 layers, 3 KV heads of 64; 4 slots of 4096 tokens.
    assert kv_cache_cost(4096, 4, layers=30, kv_heads=3, head_dim=64) == 377_487_360


def test_the_built_in_engine_gets_them(desk_home: Path, nothing_url: str) -> None:
    limits = ServeLimits(num_parallel=2, max_loaded_models=1, keep_alive="1s")
    manager = ServerManager(
        nothing_url, data_dir=desk_home, ollama_binary=None, preferred_port=0, limits=limits
    )

    async def scenario() -> None:
        info = await manager.start()
        try:
            assert info.kind is ServerKind.ENGINE and info.pid
            env = psutil.Process(info.pid).environ()
            assert env["OLLAMA_NUM_PARALLEL"] == "2" and env["OLLAMA_MAX_LOADED_MODELS"] == "1"
            async with httpx.AsyncClient(timeout=60) as client:
                body = {"model": "smollm2:135m", "prompt": "Hi", "stream": False}
                assert (await client.post(info.url + "/api/generate", json=body)).status_code == 200
                # No keep_alive in the request: the engine's OLLAMA_KEEP_ALIVE (1 s) applies.
                deadline = time.monotonic() + 10
                while (await client.get(info.url + "/api/ps")).json()["models"]:
                    assert time.monotonic() < deadline
                    await asyncio.sleep(0.2)
        finally:
            await manager.stop()

    asyncio.run(scenario())


def test_a_managed_ollama_gets_them(desk_home: Path, tmp_path: Path, nothing_url: str) -> None:
    script = tmp_path / "ollama"
    script.write_text(
        textwrap.dedent(f"""\
        #!{sys.executable}
        import json, os
        from http.server import BaseHTTPRequestHandler, HTTPServer
        host, port = os.environ["OLLAMA_HOST"].rsplit(":", 1)
        seen = {{k: v for k, v in os.environ.items() if k.startswith("OLLAMA_")}}
        class H(BaseHTTPRequestHandler):
            def log_message(self, *a): pass
            def do_GET(self):
                body = json.dumps({{"version": "0.9.9", "env": seen}}).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        HTTPServer((host, int(port)), H).serve_forever()
    """)
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    limits = ServeLimits(num_parallel=3, max_loaded_models=2, keep_alive="30m")
    manager = ServerManager(nothing_url, data_dir=desk_home, ollama_binary=str(script), limits=limits)
    info = asyncio.run(manager.start())
    try:
        assert info.kind is ServerKind.MANAGED_OLLAMA
        seen = json.loads(httpx.get(info.url + "/api/version", timeout=5).text)["env"]
        assert seen["OLLAMA_NUM_PARALLEL"] == "3"
        assert seen["OLLAMA_MAX_LOADED_MODELS"] == "2"
        assert seen["OLLAMA_KEEP_ALIVE"] == "30m"
    finally:
        asyncio.run(manager.stop())
