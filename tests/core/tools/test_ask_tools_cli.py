"""`python -m desktop ask --tools ...` as a real subprocess: the same loop headless, tool
activity on stderr, the answer alone on stdout; a tool that asks runs only with --yes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.core.tools.test_tool_loop import call, line
from tests.support.fault_server import FaultServer
from tests.support.sse_server import DONE_EVENT, SSE, chunk, event, finish, reply

ROOT = Path(__file__).resolve().parents[3]


def ask(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OLLAMA_HOST": url, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", "ask", "--model", "qwen3:latest", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_ask_with_tools_runs_the_calls_and_prints_only_the_answer(fault_server: FaultServer) -> None:
    calls = [
        call("calculator", {"expression": "23*19"}, 0),
        call("current_time", {"timezone": "Asia/Shanghai"}, 1),
    ]
    fault_server.route("POST", "/api/chat", once=True, lines=[line(calls=calls), line(done=True)])
    fault_server.route("POST", "/api/chat", once=True, lines=[line("23*19 = 437"), line(done=True)])
    done = ask(fault_server.url, "--tools", "calc,time", "What is 23*19?")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "23*19 = 437\n"
    assert '[tool] calculator {"expression": "23*19"}' in done.stderr
    assert "[tool] calculator result: 437" in done.stderr
    assert "[tool] current_time result:" in done.stderr and "UTC+0800" in done.stderr
    sent = fault_server.requests[0].json()
    assert [t["function"]["name"] for t in sent["tools"]] == ["calculator", "current_time"]


def test_a_tool_that_asks_is_denied_without_yes(fault_server: FaultServer) -> None:
    fetch = call("fetch_web_page", {"url": fault_server.url + "/page"})
    fault_server.route("POST", "/api/chat", lines=[line(calls=[fetch]), line(done=True)])
    fault_server.route("POST", "/api/chat", once=True, lines=[line(calls=[fetch]), line(done=True)])
    fault_server.route("POST", "/api/chat", once=True, lines=[line("I could not fetch it."), line(done=True)])
    fault_server.route("GET", "/page", body="<html><body><p>secret page</p></body></html>")
    done = ask(fault_server.url, "--tools", "fetch", "Read the page")
    assert done.returncode == 0, done.stderr
    assert "Not running fetch_web_page" in done.stderr
    assert not any(r.route_path == "/page" for r in fault_server.requests)


def test_with_yes_fetch_reads_a_loopback_page(fault_server: FaultServer) -> None:
    fetch = call("fetch_web_page", {"url": fault_server.url + "/page"})
    fault_server.route("POST", "/api/chat", once=True, lines=[line(calls=[fetch]), line(done=True)])
    fault_server.route("POST", "/api/chat", once=True, lines=[line("It says hello."), line(done=True)])
    fault_server.route(
        "GET",
        "/page",
        body="<html><head><script>evil()</script></head>"
        "<body><h1>Hello</h1><p>page &amp; text</p></body></html>",
    )
    done = ask(fault_server.url, "--tools", "fetch", "--yes", "Read the page")
    assert done.returncode == 0, done.stderr
    assert "[tool] fetch_web_page result: Hello\npage & text" in done.stderr
    tool_turn = fault_server.requests[-1].json()["messages"][-1]
    assert tool_turn["role"] == "tool" and "evil" not in tool_turn["content"]


def test_an_unknown_tool_is_a_plain_error(fault_server: FaultServer) -> None:
    done = ask(fault_server.url, "--tools", "shell", "hi")
    assert done.returncode == 1
    assert done.stderr.startswith("Unknown tool 'shell'")


def test_ask_with_tools_sends_think_and_format_in_every_round(fault_server: FaultServer) -> None:
    calc = [call("calculator", {"expression": "23*19"}, 0)]
    fault_server.route("POST", "/api/chat", once=True, lines=[line(calls=calc), line(done=True)])
    fault_server.route("POST", "/api/chat", once=True, lines=[line('{"answer": 437}'), line(done=True)])
    done = ask(fault_server.url, "--tools", "calc", "--think", "on", "--format", "json", "What is 23*19?")
    assert done.returncode == 0, done.stderr
    assert done.stdout == '{"answer": 437}\n'
    bodies = [request.json() for request in fault_server.requests]
    assert len(bodies) == 2
    assert all(body["think"] is True and body["format"] == "json" and "tools" in body for body in bodies)


def test_tools_on_another_ollama_server(fault_server: FaultServer) -> None:
    # OLLAMA_HOST points nowhere: the calls and results can only go through --server.
    calc = [call("calculator", {"expression": "23*19"}, 0)]
    fault_server.route("POST", "/api/chat", once=True, lines=[line(calls=calc), line(done=True)])
    fault_server.route("POST", "/api/chat", once=True, lines=[line("It is 437."), line(done=True)])
    done = ask("http://127.0.0.1:9", "--server", fault_server.url, "--tools", "calc", "What is 23*19?")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "It is 437.\n"
    assert "[tool] calculator result: 437" in done.stderr
    first, second = (request.json() for request in fault_server.requests)
    assert [t["function"]["name"] for t in first["tools"]] == ["calculator"]
    assert second["messages"][-1] == {"role": "tool", "content": "437", "tool_name": "calculator"}


def test_tools_on_an_openai_compatible_server(fault_server: FaultServer) -> None:
    path = "/v1/chat/completions"
    wire = {
        "index": 0,
        "id": "call_7",
        "type": "function",
        "function": {"name": "calculator", "arguments": '{"expression": "23*19"}'},
    }
    first = [event(chunk({"tool_calls": [wire]})), finish("tool_calls"), DONE_EVENT]
    fault_server.route("POST", path, once=True, raw=True, content_type=SSE, lines=first)
    fault_server.route("POST", path, once=True, raw=True, content_type=SSE, lines=reply("It is ", "437."))
    done = ask(
        "http://127.0.0.1:9",
        "--server",
        fault_server.url,
        "--openai",
        "--tools",
        "calculator",
        "What is 23*19?",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "It is 437.\n"
    assert "[tool] calculator result: 437" in done.stderr
    first_body, second_body = (request.json() for request in fault_server.requests)
    assert first_body["tools"][0]["function"]["name"] == "calculator"
    tool_turn = second_body["messages"][-1]
    assert (
        tool_turn["role"] == "tool"
        and tool_turn["tool_call_id"] == "call_7"
        and tool_turn["content"] == "437"
    )


def test_an_unknown_tool_on_another_server_is_a_plain_error(fault_server: FaultServer) -> None:
    done = ask("http://127.0.0.1:9", "--server", fault_server.url, "--tools", "shell", "hi")
    assert done.returncode == 1 and done.stderr.startswith("Unknown tool 'shell'")
    assert not fault_server.requests  # refused before anything is sent
