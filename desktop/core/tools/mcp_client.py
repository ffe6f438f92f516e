"""A connection to one MCP server (stdio command or streamable HTTP), with the official SDK.

The SDK's transports are anyio context managers that must be entered and left in one
task, so each connection owns a task that holds them open until `close()`; calls are
sent from any task. Every step has a timeout, and every failure (a command that is not
found, a server that crashes, hangs or answers garbage) becomes `McpError` or `ToolError`
with a plain sentence: the chat never waits longer than the server's timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import Callable
from typing import Any

from desktop.core.tools.mcp_config import McpServerConfig
from desktop.core.tools.spec import Tool, ToolError, clip

_TOOL_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class McpError(Exception):
    """A server that could not be used: a plain sentence naming it."""


def _text_of(result: Any) -> str:
    pieces: list[str] = []
    for item in getattr(result, "content", None) or []:
        kind = getattr(item, "type", "")
        if kind == "text":
            pieces.append(str(getattr(item, "text", "")))
        elif kind in ("image", "audio"):
            pieces.append(f"[{kind} {getattr(item, 'mime_type', '')}]")
        elif kind == "resource":
            resource = getattr(item, "resource", None)
            pieces.append(str(getattr(resource, "text", "") or getattr(resource, "uri", "")))
        else:
            pieces.append(f"[{kind or 'unknown content'}]")
    structured = getattr(result, "structured_content", None)
    if not pieces and structured is not None:
        pieces.append(str(structured))
    return "\n".join(pieces)


class McpConnection:
    def __init__(
        self,
        config: McpServerConfig,
        *,
        env: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        errlog: Any = None,
    ) -> None:
        self.config = config
        self._env = env or {}
        self._headers = headers or {}
        self._errlog = errlog
        self._session: Any = None
        self._task: asyncio.Task[None] | None = None
        self._ready: asyncio.Future[list[Any]] | None = None
        self._stop = asyncio.Event()
        self.tools: list[Tool] = []

    @property
    def alive(self) -> bool:
        return self._task is not None and not self._task.done() and self._session is not None

    async def start(self) -> list[Tool]:
        """Connect, initialize and list the tools, within the server's timeout."""
        loop = asyncio.get_running_loop()
        self._ready = loop.create_future()
        self._task = asyncio.create_task(self._hold(), name=f"mcp:{self.config.name}")
        try:
            listed = await asyncio.wait_for(asyncio.shield(self._ready), self.config.start_timeout)
        except TimeoutError:
            await self.close(grace=0)
            seconds = f"{self.config.start_timeout:g}"
            raise McpError(
                f"The MCP server {self.config.name} did not answer within {seconds} seconds."
            ) from None
        except McpError:
            await self.close(grace=0)
            raise
        self.tools = [
            self._tool(entry) for entry in listed if _TOOL_NAME.match(getattr(entry, "name", "") or "")
        ]
        return self.tools

    async def _hold(self) -> None:
        assert self._ready is not None
        try:
            from mcp.client.session import ClientSession

            async with contextlib.AsyncExitStack() as stack:
                streams = await stack.enter_async_context(self._transport(stack))
                read, write = streams[0], streams[1]
                session = await stack.enter_async_context(ClientSession(read, write))
                await session.initialize()
                listed = await session.list_tools()
                self._session = session
                if not self._ready.done():
                    self._ready.set_result(list(listed.tools))
                await self._stop.wait()
        except asyncio.CancelledError:
            raise
        except BaseException as err:  # noqa: BLE001 - the SDK raises groups and OS errors alike
            if not self._ready.done():
                self._ready.set_exception(McpError(self._describe(err)))
        finally:
            self._session = None

    def _transport(self, stack: contextlib.AsyncExitStack) -> Any:
        if self.config.url:
            import httpx2
            from mcp.client.streamable_http import streamable_http_client

            client = httpx2.AsyncClient(headers=self._headers, timeout=self.config.timeout)
            # The SDK leaves a client it was given open: closed here, after the session.
            stack.push_async_callback(client.aclose)
            return streamable_http_client(self.config.url, http_client=client)
        from mcp.client.stdio import StdioServerParameters, stdio_client

        params = StdioServerParameters(
            command=self.config.command, args=list(self.config.args), env=self._env
        )
        # The server's stderr is its own log, not the app's output.
        errlog = self._errlog if self._errlog is not None else stack.enter_context(open(os.devnull, "w"))
        return stdio_client(params, errlog=errlog)

    def _describe(self, err: BaseException) -> str:
        name = self.config.name
        leaves = list(_leaves(err))
        first = leaves[0] if leaves else err
        if isinstance(first, FileNotFoundError):
            return f"The MCP server {name} could not be started: {self.config.command!r} was not found."
        if isinstance(first, OSError):
            return f"The MCP server {name} could not be started ({first.strerror or first})."
        text = str(first) or type(first).__name__
        return f"The MCP server {name} failed: {clip(text, 300)}"

    def _tool(self, entry: Any) -> Tool:
        annotations = getattr(entry, "annotations", None)
        read_only = bool(annotations is not None and annotations.read_only_hint is True)
        # Per the MCP spec a tool may reach the outside world unless it says it does not.
        network = not (annotations is not None and annotations.open_world_hint is False)
        schema = getattr(entry, "input_schema", None)
        parameters = schema if isinstance(schema, dict) else {"type": "object", "properties": {}}
        remote_name: str = entry.name
        return Tool(
            name=remote_name,
            description=clip(str(getattr(entry, "description", "") or ""), 1_000),
            parameters=parameters,
            run=self._runner(remote_name),
            read_only=read_only,
            network=network,
            source=self.config.name,
            timeout=self.config.timeout,
        )

    def _runner(self, remote_name: str) -> Callable[[dict[str, Any]], Any]:
        async def run(arguments: dict[str, Any]) -> str:
            return await self.call(remote_name, arguments)

        return run

    async def call(self, name: str, arguments: dict[str, Any]) -> str:
        session = self._session
        if session is None or not self.alive:
            raise ToolError(f"The MCP server {self.config.name} is not running; reconnect it in Settings.")
        try:
            result = await asyncio.wait_for(session.call_tool(name, arguments), self.config.timeout)
        except TimeoutError:
            raise ToolError(
                f"The MCP server {self.config.name} did not answer within {self.config.timeout:g} seconds."
            ) from None
        except asyncio.CancelledError:
            raise
        except Exception as err:  # noqa: BLE001 - a dead or confused server
            if not self.alive:
                raise ToolError(f"The MCP server {self.config.name} stopped while running {name}.") from err
            raise ToolError(
                f"The MCP server {self.config.name} failed: {clip(str(err) or type(err).__name__, 300)}"
            ) from err
        text = _text_of(result)
        if getattr(result, "is_error", False):
            raise ToolError(text or f"The tool {name} reported an error.")
        return text

    async def close(self, grace: float = 5.0) -> None:
        """Leave the session (the SDK stops a stdio server's process); cancel it after `grace` s."""
        self._stop.set()
        task = self._task
        if task is None or task.done():
            return
        try:
            if grace <= 0:
                raise TimeoutError
            await asyncio.wait_for(asyncio.shield(task), grace)
        except (TimeoutError, Exception):  # noqa: BLE001 - closing never raises
            task.cancel()
            with contextlib.suppress(BaseException):
                await task


def _leaves(err: BaseException) -> list[BaseException]:
    inner = getattr(err, "exceptions", None)  # an ExceptionGroup from anyio's task groups
    if isinstance(inner, tuple) and inner:
        out: list[BaseException] = []
        for item in inner:
            if isinstance(item, BaseException):
                out.extend(_leaves(item))
        return out
    return [err]
