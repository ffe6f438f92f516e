"""The tools of the app: built-ins, connected MCP servers, and the loop for each reply.

`ToolsService.loop_for` is ChatService's tool-loop factory: for a conversation whose tools
are on, a ToolLoop with the tools it enabled and that conversation's approval policy.
MCP servers are connected on request; one that fails leaves a plain message in
`mcp_errors` and its tools simply are not offered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from desktop.core.messages import Part
from desktop.core.tools.approval import ApprovalPolicy, AskCallback, Decision
from desktop.core.tools.builtins import BUILTIN_NAMES, builtin_tools
from desktop.core.tools.choices import ToolChoice, load_choice, save_choice
from desktop.core.tools.loop import ChatStreamer, ToolLoop
from desktop.core.tools.mcp_client import McpConnection, McpError
from desktop.core.tools.mcp_config import (
    SETTING_KEY,
    McpServerConfig,
    SecretStore,
    load_configs,
    secret_values,
)
from desktop.core.tools.spec import Tool

if TYPE_CHECKING:
    from desktop.core.documents.retrieve import EmbedFn
    from desktop.core.store import Conversation, Store


class ToolsService:
    def __init__(
        self,
        store: Store,
        client_for: Callable[[Conversation], ChatStreamer],
        *,
        ask: AskCallback | None = None,
        secrets: SecretStore | None = None,
    ) -> None:
        self._store = store
        self._client_for = client_for
        self.ask = ask
        self.secrets = secrets
        #: model -> embedding function, set by the app: search_documents then retrieves by
        #: meaning too (hybrid); without it, keywords only.
        self.embed_for: Callable[[str], EmbedFn] | None = None
        self._policies: dict[int, ApprovalPolicy] = {}
        self.connections: dict[str, McpConnection] = {}
        self.mcp_errors: dict[str, str] = {}
        # Each reply's loop tells these about its parts (the UI draws the cards from them).
        self.part_listeners: list[Callable[[int, tuple[Part, ...]], None]] = []

    # -- choices ---------------------------------------------------------------------------

    def choice(self, conversation_id: int) -> ToolChoice:
        return load_choice(self._store, conversation_id)

    def set_choice(self, conversation_id: int, choice: ToolChoice) -> None:
        save_choice(self._store, conversation_id, choice)
        policy = self._policies.get(conversation_id)
        if policy is not None:  # "Always" withdrawn in the options dialog ends here too
            policy.always = set(choice.always)

    # -- tools -----------------------------------------------------------------------------

    def builtins(self, conversation_id: int) -> dict[str, Tool]:
        choice = self.choice(conversation_id)
        return builtin_tools(
            self._store, lambda: choice.picked, conversation_id=conversation_id, embed_for=self.embed_for
        )

    def mcp_tools(self) -> dict[str, list[Tool]]:
        """The connected servers' tools, less those switched off in their settings."""
        out: dict[str, list[Tool]] = {}
        for name, connection in self.connections.items():
            if connection.alive:
                skip = set(connection.config.disabled_tools)
                out[name] = [tool for tool in connection.tools if tool.name not in skip]
        return out

    def tools_for(self, conversation_id: int) -> list[Tool]:
        choice = self.choice(conversation_id)
        if not choice.on:
            return []
        builtins = self.builtins(conversation_id)
        tools = [builtins[name] for name in BUILTIN_NAMES if name in choice.enabled and name in builtins]
        taken = {tool.name for tool in tools}
        for server, server_tools in self.mcp_tools().items():
            if server in choice.enabled:
                for tool in server_tools:
                    if tool.name not in taken:  # a built-in keeps its name; a clash is left out
                        tools.append(tool)
                        taken.add(tool.name)
        return tools

    def policy(self, conversation_id: int) -> ApprovalPolicy:
        policy = self._policies.get(conversation_id)
        if policy is None:
            always = self.choice(conversation_id).always

            async def ask(tool: Tool, arguments: dict[str, Any]) -> Decision:
                # Looked up at each call: the app sets `ask` once its window exists.
                if self.ask is None:
                    return Decision.DENY
                decision = await self.ask(tool, arguments)
                if decision is Decision.ALWAYS:  # kept with the conversation, across restarts
                    choice = self.choice(conversation_id)
                    self.set_choice(conversation_id, replace(choice, always=choice.always | {tool.name}))
                return decision

            policy = self._policies[conversation_id] = ApprovalPolicy(ask, always=always)
        return policy

    def loop_for(self, conversation: Conversation) -> ToolLoop | None:
        tools = self.tools_for(conversation.id)
        if not tools:
            return None
        loop = ToolLoop(self._client_for(conversation), tools, self.policy(conversation.id))
        conversation_id = conversation.id

        def tell(parts: tuple[Part, ...]) -> None:
            for listener in list(self.part_listeners):
                listener(conversation_id, parts)

        loop.listeners.append(tell)
        return loop

    # -- MCP -------------------------------------------------------------------------------

    def mcp_configs(self) -> list[McpServerConfig]:
        return load_configs(self._store.get_setting(SETTING_KEY, []))

    def save_mcp_configs(self, configs: Sequence[McpServerConfig]) -> None:
        self._store.set_setting(SETTING_KEY, [config.record() for config in configs])

    async def connect(self, config: McpServerConfig) -> list[Tool]:
        """Connect (or reconnect) one server; McpError with a plain message on failure."""
        await self.disconnect(config.name)
        env: dict[str, str] = {}
        headers: dict[str, str] = {}
        if self.secrets is not None and (config.env_keys or config.header_keys):
            env, headers = await asyncio.to_thread(secret_values, config, self.secrets)
        connection = McpConnection(config, env=env, headers=headers)
        try:
            tools = await connection.start()
        except McpError as err:
            self.mcp_errors[config.name] = str(err)
            raise
        self.mcp_errors.pop(config.name, None)
        self.connections[config.name] = connection
        return tools

    async def connect_all(self) -> None:
        configs = [c for c in self.mcp_configs() if c.enabled]
        results = await asyncio.gather(*(self.connect(c) for c in configs), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, McpError):
                raise result

    async def disconnect(self, name: str) -> None:
        connection = self.connections.pop(name, None)
        if connection is not None:
            await connection.close()

    async def aclose(self) -> None:
        for name in list(self.connections):
            await self.disconnect(name)
