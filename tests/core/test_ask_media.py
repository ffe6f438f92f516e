"""`ollama-desk ask` with thinking, images and structured output, as a real subprocess
against replayed Ollama streams on the loopback fault server."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from tests.core.test_ask_cli import ask
from tests.support.fault_server import FaultServer


def line(content: str = "", thinking: str = "", done: bool = False) -> dict[str, Any]:
    return {
        "model": "m",
        "message": {"role": "assistant", "content": content, "thinking": thinking},
        "done": done,
    }


def test_stdout_has_only_the_answer_and_thinking_goes_to_stderr(fault_server: FaultServer) -> None:
    lines = [
        line(thinking="Hmm, "),
        line(thinking="Paris."),
        line("<think>inner</think>Paris"),
        line(done=True),
    ]
    fault_server.route("POST", "/api/chat", lines=lines)
    quiet = ask(fault_server.url, "--model", "m", "Capital of France?")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == "Paris\n" and quiet.stderr == ""
    loud = ask(fault_server.url, "--model", "m", "--thinking", "--think", "high", "Capital of France?")
    assert loud.stdout == "Paris\n"
    assert loud.stderr == "Hmm, Paris.inner\n"
    assert fault_server.requests[-1].json()["think"] == "high"
    off = ask(fault_server.url, "--model", "m", "--think", "off", "x")
    assert off.returncode == 0 and fault_server.requests[-1].json()["think"] is False


def test_images_go_as_plain_base64_and_formats_as_asked(fault_server: FaultServer, tmp_path: Path) -> None:
    fault_server.route("POST", "/api/show", body={"capabilities": ["completion", "vision"]})
    fault_server.route("POST", "/api/chat", lines=[line('{"a": 1}'), line(done=True)])
    first, second = tmp_path / "a.png", tmp_path / "b.jpg"
    first.write_bytes(b"\x89PNG\r\n\x1a\nfirst")
    second.write_bytes(b"\xff\xd8\xffsecond")
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object", "required": ["a"]}), "utf-8")
    result = ask(
        fault_server.url,
        "-m",
        "m",
        "--image",
        str(first),
        "-i",
        str(second),
        "--format",
        str(schema),
        "What?",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == '{"a": 1}\n'
    sent = [r.json() for r in fault_server.requests if r.path == "/api/chat"][-1]
    assert sent["messages"] == [
        {
            "role": "user",
            "content": "What?",
            "images": [base64.b64encode(p.read_bytes()).decode("ascii") for p in (first, second)],
        }
    ]
    assert sent["format"] == {"type": "object", "required": ["a"]}
    assert ask(fault_server.url, "-m", "m", "--format", "json", "x").returncode == 0
    assert fault_server.requests[-1].json()["format"] == "json"


def test_refusals_are_one_plain_line_before_any_chat_request(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    fault_server.route("POST", "/api/show", body={"capabilities": ["completion"]})
    fault_server.route("POST", "/api/chat", lines=[line("no"), line(done=True)])
    picture = tmp_path / "p.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    blind = ask(fault_server.url, "-m", "tiny", "--image", str(picture), "What?")
    assert blind.returncode == 1
    assert blind.stderr == "tiny cannot read images. Choose a vision model with --model.\n"
    notes = tmp_path / "notes.txt"
    notes.write_text("x", "utf-8")
    wrong = ask(fault_server.url, "-m", "m", "--image", str(notes), "What?")
    assert wrong.returncode == 1 and wrong.stderr == "notes.txt is not a PNG, JPEG or WebP image.\n"
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", "utf-8")
    broken = ask(fault_server.url, "-m", "m", "--format", str(bad), "x")
    assert (
        broken.returncode == 1 and "is not valid JSON" in broken.stderr and "Traceback" not in broken.stderr
    )
    assert not [r for r in fault_server.requests if r.path == "/api/chat"]
