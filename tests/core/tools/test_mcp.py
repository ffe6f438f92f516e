"""MCP servers as tools: a real server written with the SDK, over stdio and streamable HTTP
on 127.0.0.1, used from the tool loop; hanging, crashing and garbage-speaking servers give a
plain message within their timeout; the mcpServers import keeps secrets out of the config."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.core.ollama import ChatMessage, OllamaClient, Timeouts
from desktop.core.tools import ApprovalPolicy, Decision, Tool, ToolLoop
from desktop.core.tools.mcp_client import McpConnection, McpError
from desktop.core.tools.mcp_config import McpServerConfig, import_mcp_servers, load_configs, secret_account
from desktop.core.tools.spec import ToolError
from tests.core.tools.test_tool_loop import MODEL, call, line
from tests.support.fault_server import FaultServer

SERVER = str(Path(__file__).with_name("mcp_test_server.py"))


def stdio(mode: str = "", timeout: float = 15, start_timeout: float = 30) -> McpServerConfig:
    args = (SERVER, "stdio", mode)
    return McpServerConfig(
        "test", command=sys.executable, args=args, timeout=timeout, start_timeout=start_timeout
    )


def test_stdio_server_lists_its_tools_and_runs_them() -> None:
    async def main() -> None:
        connection = McpConnection(stdio())
        try:
            tools = {t.name: t for t in await connection.start()}
            assert set(tools) == {"add", "shout", "fail"}
            assert not tools["add"].asks  # declared read-only and closed-world
            assert tools["shout"].asks  # no hints: may write or reach the network
            assert tools["add"].parameters["properties"].keys() == {"a", "b"}
            assert await tools["add"].run({"a": 2, "b": 40}) == "42"
            with pytest.raises(ToolError, match="Error executing tool fail"):
                await tools["fail"].run({})
        finally:
            await connection.close()
        assert not connection.alive

    asyncio.run(main())


def test_a_missing_command_is_a_plain_message() -> None:
    async def main() -> None:
        config = McpServerConfig("ghost", command="/nonexistent/mcp-server-xyz", timeout=5)
        with pytest.raises(McpError, match="could not be started"):
            await McpConnection(config).start()

    asyncio.run(main())


@pytest.mark.parametrize("mode", ["slowstart", "garbage"])
def test_a_server_that_never_answers_or_speaks_garbage_times_out(mode: str) -> None:
    async def main() -> None:
        start = time.monotonic()
        with pytest.raises(McpError, match="did not answer within 2 seconds|failed"):
            await McpConnection(stdio(mode, start_timeout=2)).start()
        assert time.monotonic() - start < 8

    asyncio.run(main())


def test_a_hanging_tool_times_out_and_a_crashing_one_says_it_stopped() -> None:
    async def main() -> None:
        for mode, message in (("hang", "did not answer within 2 seconds"), ("crash", "stopped|failed")):
            connection = McpConnection(stdio(mode, timeout=2))
            try:
                tools = {t.name: t for t in await connection.start()}
                start = time.monotonic()
                with pytest.raises(ToolError, match=message):
                    await tools["shout"].run({"text": "hi"})
                assert time.monotonic() - start < 5
            finally:
                await connection.close()

    asyncio.run(main())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def http_server() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, SERVER, "http", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def test_a_chat_uses_mcp_tools_over_http_with_approval(http_server: str, fault_server: FaultServer) -> None:
    calls = [call("add", {"a": 20, "b": 22}, 0), call("shout", {"text": "done"}, 1)]
    fault_server.route("POST", "/api/chat", once=True, lines=[line(calls=calls), line(done=True)])
    fault_server.route("POST", "/api/chat", once=True, lines=[line("42, DONE!"), line(done=True)])
    asked: list[tuple[str, dict[str, Any]]] = []

    async def ask(tool: Tool, args: dict[str, Any]) -> Decision:
        asked.append((tool.name, args))
        return Decision.ALLOW_ONCE

    async def main() -> list[str]:
        connection = McpConnection(McpServerConfig("web", url=http_server, timeout=10))
        try:
            tools = await connection.start()
            async with OllamaClient(fault_server.url, timeouts=Timeouts(first_token=10, idle=10)) as client:
                loop = ToolLoop(client, tools, ApprovalPolicy(ask))
                text = "".join([c.content async for c in loop.stream(MODEL, [ChatMessage("user", "go")])])
            return [text, *[getattr(p, "content", "") for p in loop.parts[2:]]]
        finally:
            await connection.close()

    text, added, shouted = asyncio.run(main())
    assert text == "42, DONE!" and added == "42" and shouted == "DONE!"
    assert asked == [("shout", {"text": "done"})]  # the read-only one ran without asking
    tool_turns = [m for m in fault_server.requests[1].json()["messages"] if m["role"] == "tool"]
    assert [m["content"] for m in tool_turns] == ["42", "DONE!"]


class MemorySecrets:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, account: str) -> str:
        return self.values.get(account, "")

    def set(self, account: str, secret: str) -> None:
        self.values[account] = secret

    def delete(self, account: str) -> None:
        self.values.pop(account, None)


CLAUDE_DESKTOP = {
    "mcpServers": {
        "filesystem": {
            "command": "npx",
            "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home/me/Desktop"],
        },
        "github": {
            "command": "docker",
            "args": ["run", "-i", "ghcr.io/github/github-mcp-server"],
            "env": {"GITHUB_TOKEN": "ghp_SECRET123"},
        },
        "remote": {"url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer sk-SECRET456"}},
    }
}


def test_importing_mcp_servers_json_puts_secrets_in_the_keyring_only() -> None:
    secrets = MemorySecrets()
    configs = import_mcp_servers(json.dumps(CLAUDE_DESKTOP), secrets)
    assert [(c.name, c.transport) for c in configs] == [
        ("filesystem", "stdio"),
        ("github", "stdio"),
        ("remote", "http"),
    ]
    stored = json.dumps([c.record() for c in configs])
    assert "SECRET" not in stored
    assert secrets.values[secret_account("github", "env", "GITHUB_TOKEN")] == "ghp_SECRET123"
    assert secrets.values[secret_account("remote", "header", "Authorization")] == "Bearer sk-SECRET456"
    assert load_configs(json.loads(stored)) == configs


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not a JSON file"),
        ("[]", 'no "mcpServers"'),
        ('{"mcpServers": {"x": 1}}', "not an object"),
        ('{"mcpServers": {"x": {}}}', "neither a command nor a url"),
        ('{"mcpServers": {"x": {"url": "file:///etc/passwd"}}}', "not http"),
        ('{"mcpServers": {"x": {"command": "a", "env": {"K": 1}}}}', "must map names to text"),
        ('{"mcpServers": {"../../etc": {"command": "a"}}}', "short name"),
    ],
)
def test_bad_mcp_files_are_refused_plainly(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        import_mcp_servers(text, MemorySecrets())


def test_damaged_saved_configs_are_skipped() -> None:
    assert load_configs([{"name": "ok", "command": "x"}, {"name": 5}, "junk", None]) == [
        McpServerConfig("ok", "x")
    ]
    assert load_configs("junk") == []
