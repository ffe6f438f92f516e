"""Which tools a conversation uses: a switch, the tools on, and the files the user picked.

Kept in the store's settings table under the conversation's id (not in its model options,
which go to the server as they are). Tools start off in every conversation: the user turns
them on, and then the read-only local built-ins are on; fetching a web page stays off
until chosen, since it reaches the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from desktop.core.tools.builtins import BUILTIN_NAMES, DEFAULT_ON


class SettingsStore(Protocol):
    def get_setting(self, key: str, default: Any = None) -> Any: ...
    def set_setting(self, key: str, value: Any) -> None: ...


def _key(conversation_id: int) -> str:
    return f"tools.conversation.{conversation_id}"


@dataclass(frozen=True)
class ToolChoice:
    on: bool = False
    enabled: frozenset[str] = DEFAULT_ON  # built-in names and MCP server names
    files: tuple[str, ...] = ()  # paths the user picked for read_file
    always: frozenset[str] = field(default=frozenset())  # "Always in this conversation"

    def record(self) -> dict[str, Any]:
        return {
            "on": self.on,
            "enabled": sorted(self.enabled),
            "files": list(self.files),
            "always": sorted(self.always),
        }

    @property
    def picked(self) -> tuple[Path, ...]:
        return tuple(Path(p) for p in self.files)


def _names(value: Any, default: frozenset[str]) -> frozenset[str]:
    if not isinstance(value, list):
        return default
    return frozenset(v for v in value if isinstance(v, str) and len(v) <= 200)


def load_choice(store: SettingsStore, conversation_id: int) -> ToolChoice:
    raw = store.get_setting(_key(conversation_id), None)
    if not isinstance(raw, dict):
        return ToolChoice()
    files = raw.get("files")
    return ToolChoice(
        on=raw.get("on") is True,
        enabled=_names(raw.get("enabled"), DEFAULT_ON),
        files=tuple(f for f in files if isinstance(f, str)) if isinstance(files, list) else (),
        always=_names(raw.get("always"), frozenset()),
    )


def save_choice(store: SettingsStore, conversation_id: int, choice: ToolChoice) -> None:
    store.set_setting(_key(conversation_id), choice.record())


__all__ = ["BUILTIN_NAMES", "ToolChoice", "load_choice", "save_choice"]
