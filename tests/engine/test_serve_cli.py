"""`ollama-desk serve` as a user runs it: bind rules, --models, a busy port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from desktop.commands.serve import parse_listen
from tests.support.engine import REPO_ROOT, start_engine

pytestmark = pytest.mark.engine


def serve(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, OLLAMA_DESK_HOME=str(home), PYTHONPATH=str(REPO_ROOT))
    return subprocess.run(
        [sys.executable, "-m", "desktop", "serve", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(REPO_ROOT),
        timeout=60,
    )


def test_parse_listen() -> None:
    assert parse_listen(None) == ("127.0.0.1", 11434)
    assert parse_listen("127.0.0.1:8080") == ("127.0.0.1", 8080)
    assert parse_listen("http://localhost:0/") == ("localhost", 0)
    assert parse_listen("[::1]:9000") == ("::1", 9000)
    assert parse_listen(":7000") == ("127.0.0.1", 7000)


def test_refuses_a_public_address_without_allow_remote(tmp_path: Path) -> None:
    result = serve(["--host", "0.0.0.0:0"], tmp_path)
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr


def test_a_busy_port_fails_with_a_message(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        result = serve(["--host", f"127.0.0.1:{sock.getsockname()[1]}"], tmp_path)
    assert result.returncode != 0
    assert "address already in use" in result.stderr.lower()
    assert not (tmp_path / "engine" / "engine.json").exists()


def test_models_folder_option_and_allow_remote(tmp_path: Path) -> None:
    models = tmp_path / "elsewhere"
    engine = start_engine(tmp_path / "home", models=models)
    try:
        assert (models / "manifests" / "registry.ollama.ai" / "library" / "smollm2" / "135m").is_file()
    finally:
        engine.stop()
    env = {"OLLAMA_DESK_HOME": str(tmp_path / "home2")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "desktop",
            "serve",
            "--host",
            "0.0.0.0:0",
            "--allow-remote",
            "--models",
            str(models),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env, "PYTHONPATH": str(REPO_ROOT)},
        cwd=str(REPO_ROOT),
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline().decode().strip().rsplit(":", 1)[1])
        reply = httpx.get(
            f"http://127.0.0.1:{port}/api/version", headers={"Host": "my-server.lan"}, timeout=10
        )
        assert reply.status_code == 200  # opted in: the Host check is off, as with OLLAMA_HOST=0.0.0.0
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        if proc.stdout is not None:
            proc.stdout.close()
