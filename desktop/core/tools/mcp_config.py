"""MCP server settings, and the `mcpServers` JSON that Claude Desktop, LM Studio and Jan use.

A server is either a command (stdio) or a URL (streamable HTTP). The values of its `env`
and `headers` are secrets (API keys, bearer tokens): on import they go to the OS keyring
(`desktop.core.secrets`), and the stored config keeps only their names, so neither the
database nor an export ever holds them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

SETTING_KEY = "tools.mcp_servers"
_NAME = re.compile(r"^[\w .-]{1,64}$")


class SecretStore(Protocol):
    def get(self, account: str) -> str: ...
    def set(self, account: str, secret: str) -> None: ...
    def delete(self, account: str) -> None: ...


@dataclass(frozen=True)
class McpServerConfig:
    name: str
    command: str = ""
    args: tuple[str, ...] = ()
    url: str = ""
    env_keys: tuple[str, ...] = ()  # values in the keyring
    header_keys: tuple[str, ...] = ()  # values in the keyring
    enabled: bool = True
    disabled_tools: tuple[str, ...] = field(default=())
    timeout: float = 20.0  # one tool call
    start_timeout: float = 30.0  # start, handshake and tool list (npx may download first)

    @property
    def transport(self) -> str:
        return "http" if self.url else "stdio"

    def record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "command": self.command,
            "args": list(self.args),
            "url": self.url,
            "env_keys": list(self.env_keys),
            "header_keys": list(self.header_keys),
            "enabled": self.enabled,
            "disabled_tools": list(self.disabled_tools),
            "timeout": self.timeout,
        }


def secret_account(server: str, kind: str, key: str) -> str:
    return f"mcp:{server}:{kind}:{key}"


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{what} must be a list of text.")
    return tuple(value)


def _secret_map(value: Any, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError(f"{what} must map names to text.")
    return dict(value)


def config_from_record(record: Mapping[str, Any]) -> McpServerConfig:
    """A stored config (the app's own form); ValueError naming what is wrong."""
    name = record.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError("An MCP server needs a short name (letters, digits, spaces, . _ -).")
    timeout = record.get("timeout", 20.0)
    return McpServerConfig(
        name=name,
        command=str(record.get("command") or ""),
        args=_strings(record.get("args"), "args"),
        url=str(record.get("url") or ""),
        env_keys=_strings(record.get("env_keys"), "env_keys"),
        header_keys=_strings(record.get("header_keys"), "header_keys"),
        enabled=record.get("enabled", True) is not False,
        disabled_tools=_strings(record.get("disabled_tools"), "disabled_tools"),
        timeout=float(timeout) if isinstance(timeout, (int, float)) and 1 <= timeout <= 600 else 20.0,
    )


def import_mcp_servers(text: str, secrets: SecretStore) -> list[McpServerConfig]:
    """Read a `{"mcpServers": {...}}` file; its env and header values go to `secrets`.

    ValueError (a plain sentence) for anything that is not such a file.
    """
    try:
        data = json.loads(text)
    except ValueError as err:
        raise ValueError(f"This is not a JSON file ({err.args[0]}).") from err
    servers = data.get("mcpServers", data.get("servers")) if isinstance(data, dict) else None
    if not isinstance(servers, dict) or not servers:
        raise ValueError('The file has no "mcpServers" section.')
    configs: list[McpServerConfig] = []
    for name, entry in servers.items():
        if not isinstance(entry, dict):
            raise ValueError(f"The server {name!r} is not an object.")
        command = entry.get("command", "")
        url = entry.get("url", entry.get("serverUrl", ""))
        if not isinstance(command, str) or not isinstance(url, str) or not (command or url):
            raise ValueError(f"The server {name!r} has neither a command nor a url.")
        if url and not re.match(r"https?://", url):
            raise ValueError(f"The server {name!r} has a url that is not http(s).")
        env = _secret_map(entry.get("env"), f"{name}: env")
        headers = _secret_map(entry.get("headers"), f"{name}: headers")
        config = config_from_record(
            {
                "name": name,
                "command": command,
                "args": entry.get("args") or [],
                "url": url,
                "env_keys": list(env),
                "header_keys": list(headers),
                "enabled": entry.get("disabled") is not True,
            }
        )
        for key, value in env.items():
            secrets.set(secret_account(name, "env", key), value)
        for key, value in headers.items():
            secrets.set(secret_account(name, "header", key), value)
        configs.append(config)
    return configs


def load_configs(raw: Any) -> list[McpServerConfig]:
    """The saved list (a setting); a damaged entry is left out, never fatal."""
    configs: list[McpServerConfig] = []
    for record in raw if isinstance(raw, list) else []:
        try:
            configs.append(config_from_record(record if isinstance(record, dict) else {}))
        except (ValueError, TypeError):
            continue
    return configs


def secret_values(config: McpServerConfig, secrets: SecretStore) -> tuple[dict[str, str], dict[str, str]]:
    """(env, headers) with their values read back from the keyring (call off the UI thread)."""
    env = {key: secrets.get(secret_account(config.name, "env", key)) for key in config.env_keys}
    headers = {key: secrets.get(secret_account(config.name, "header", key)) for key in config.header_keys}
    return env, headers


def forget_secrets(config: McpServerConfig, secrets: SecretStore) -> None:
    for key in config.env_keys:
        secrets.delete(secret_account(config.name, "env", key))
    for key in config.header_keys:
        secrets.delete(secret_account(config.name, "header", key))
