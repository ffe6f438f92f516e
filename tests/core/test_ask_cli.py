"""`python -m desktop ask` as a real subprocess against the fault server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.support.fault_server import FaultServer

ROOT = Path(__file__).resolve().parents[2]


def chat_line(text: str, *, done: bool = False) -> dict[str, Any]:
    return {"model": "m", "message": {"role": "assistant", "content": text}, "done": done}


HELLO = [chat_line("你好"), chat_line("，"), chat_line("world 🦙"), chat_line("", done=True)]


def ask(
    server_url: str, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "OLLAMA_HOST": server_url, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "desktop", "ask", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=full_env,
        timeout=60,
    )


def test_streams_the_answer(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=HELLO)
    result = ask(fault_server.url, "--model", "m", "--system", "Be brief.", "Say hello")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "你好，world 🦙\n"
    assert result.stderr == ""
    sent = fault_server.requests[0].json()
    assert sent["model"] == "m"
    assert sent["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Say hello"},
    ]
    assert sent["stream"] is True


def test_output_arrives_as_it_streams(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=[chat_line("first "), *HELLO], delay=0.4)
    env = {**os.environ, "OLLAMA_HOST": fault_server.url, "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "ask", "--model", "m", "hi"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    assert process.stdout is not None
    first = os.read(process.stdout.fileno(), 100)  # returns as soon as some bytes are there
    first_at = time.monotonic()
    rest, err = process.communicate(timeout=60)
    ended_at = time.monotonic()
    assert process.returncode == 0, err
    assert first.startswith(b"first")
    assert (first + rest).decode() == "first 你好，world 🦙\n"
    # 4 more lines, 0.4 s apart, were still to come when the first piece was shown.
    assert ended_at - first_at > 1.0


def test_prompt_from_stdin(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=HELLO)
    result = ask(fault_server.url, "--model", "m", "-", stdin="Summarise:\n第一行\nline two\n")
    assert result.returncode == 0, result.stderr
    assert fault_server.requests[0].json()["messages"] == [
        {"role": "user", "content": "Summarise:\n第一行\nline two"}
    ]


def test_default_model_is_the_first_installed(fault_server: FaultServer) -> None:
    fault_server.route("GET", "/api/tags", body={"models": [{"name": "qwen3:8b"}, {"name": "smollm2:135m"}]})
    fault_server.route("POST", "/api/chat", lines=HELLO)
    result = ask(fault_server.url, "hello")
    assert result.returncode == 0, result.stderr
    assert "Using model qwen3:8b" in result.stderr
    assert result.stdout == "你好，world 🦙\n"
    assert fault_server.requests[1].json()["model"] == "qwen3:8b"


def test_default_model_skips_embedding_only_models(fault_server: FaultServer) -> None:
    fault_server.route("GET", "/api/tags", body={"models": [
        {"name": "all-minilm:latest", "capabilities": ["embedding"]},
        {"name": "smollm2:135m", "capabilities": ["completion"]},
    ]})
    fault_server.route("POST", "/api/chat", lines=HELLO)
    result = ask(fault_server.url, "hello")
    assert result.returncode == 0, result.stderr
    assert "Using model smollm2:135m" in result.stderr
    assert fault_server.requests[1].json()["model"] == "smollm2:135m"


def test_no_model_installed(fault_server: FaultServer) -> None:
    fault_server.route("GET", "/api/tags", body={"models": []})
    result = ask(fault_server.url, "hello")
    assert result.returncode == 1
    assert "No model is installed" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_error_mid_stream(fault_server: FaultServer) -> None:
    lines = [chat_line("Partial"), {"error": "an error was encountered while running the model"}]
    fault_server.route("POST", "/api/chat", lines=lines)
    result = ask(fault_server.url, "--model", "m", "hello")
    assert result.returncode == 1
    assert result.stdout == "Partial\n"
    assert result.stderr.strip() == "an error was encountered while running the model"


def test_cut_mid_stream(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=HELLO, cut_after=60)
    result = ask(fault_server.url, "--model", "m", "hello")
    assert result.returncode == 1
    assert "lost in the middle of the reply" in result.stderr
    assert "Traceback" not in result.stderr


def test_model_not_found(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", status=404, body={"error": "model 'nope' not found"})
    result = ask(fault_server.url, "--model", "nope", "hello")
    assert result.returncode == 1
    assert result.stderr.strip() == "model 'nope' not found"
    assert result.stdout == ""


def test_server_down_and_host_option(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=HELLO)
    # OLLAMA_HOST points nowhere (conftest: port 9); --host wins over it.
    result = ask("http://127.0.0.1:9", "--host", fault_server.url, "--model", "m", "hi")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "你好，world 🦙\n"

    result = ask("http://127.0.0.1:9", "--model", "m", "hi")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Cannot reach the model server at http://127.0.0.1:9; is Ollama running?"
    )


def test_empty_prompt(fault_server: FaultServer) -> None:
    result = ask(fault_server.url, "--model", "m", "-", stdin="  \n")
    assert result.returncode == 1
    assert "prompt is empty" in result.stderr
    assert fault_server.requests == []


def test_ctrl_c_stops_quietly_and_hangs_up(fault_server: FaultServer) -> None:
    import signal

    fault_server.route("POST", "/api/chat", lines=HELLO, stall_after=1)
    env = {**os.environ, "OLLAMA_HOST": fault_server.url, "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "ask", "--model", "m", "hi"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )
    assert process.stdout is not None
    assert os.read(process.stdout.fileno(), 100).decode() == "你好"
    process.send_signal(signal.SIGINT)
    rest, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert rest == b"\n"
    assert b"Traceback" not in err
    assert fault_server.requests[0].client_closed.wait(5)
