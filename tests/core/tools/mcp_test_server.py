"""An MCP server for the tests, written with the official SDK.

python mcp_test_server.py stdio [hang|crash|garbage|slowstart]
python mcp_test_server.py http PORT
"""

from __future__ import annotations

import os
import sys
import time

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations

server = MCPServer("desk-test")
MODE = sys.argv[2] if len(sys.argv) > 2 else ""


@server.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
def add(a: int, b: int) -> str:
    """Add two whole numbers."""
    return str(a + b)


@server.tool()
def shout(text: str) -> str:
    """Say text loudly (writes nothing, but declares no hints, so it asks)."""
    if MODE == "hang":
        time.sleep(3600)
    if MODE == "crash":
        os._exit(3)
    return text.upper() + "!"


@server.tool(annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False))
def fail() -> str:
    """Always fails."""
    raise RuntimeError("the disk is on fire")


if __name__ == "__main__":
    if sys.argv[1] == "http":
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        if MODE == "garbage":
            sys.stdout.write("this is not JSON-RPC\n{{{\n")
            sys.stdout.flush()
            time.sleep(3600)
        if MODE == "slowstart":
            time.sleep(3600)
        server.run("stdio")
