"""The conversation model shared by the store, the chat service, export and the UI.

Roles and statuses are str-valued enums: the stored values and every comparison with
a plain string ("assistant", "complete") keep working, and a typo becomes a type error.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Role(str, Enum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"

    # Python 3.10 and 3.12 disagree on str()/format() of a str-mixin enum: pin the value.
    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


class Status(str, Enum):
    COMPLETE = "complete"
    STREAMING = "streaming"
    INTERRUPTED = "interrupted"  # the stream died or the app closed: the text can be continued
    STOPPED = "stopped"  # the user stopped it
    ERROR = "error"  # failed before any text arrived

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


ROLES = frozenset(Role)
STATUSES = frozenset(Status)
# A reply in one of these states has ended without finishing its answer.
UNFINISHED = frozenset({Status.INTERRUPTED, Status.STOPPED, Status.ERROR})


def role_of(value: object, default: Role = Role.ASSISTANT) -> Role:
    """The Role for a stored value; `default` for anything unknown (a damaged row is still shown)."""
    try:
        return Role(value)
    except ValueError:
        return default


def status_of(value: object, default: Status = Status.COMPLETE) -> Status:
    try:
        return Status(value)
    except ValueError:
        return default


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    model: str
    system: str
    options: dict[str, Any]
    created_at: float
    updated_at: float
    loadable: bool = True
    # Stable across export/import; empty only for a row too damaged to read.
    uuid: str = ""


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: Role
    content: str
    status: Status
    model: str
    created_at: float
    metrics: dict[str, Any]
    error: str
