"""The conversation model shared by the store, the chat service, export and the UI.

Roles and statuses are str-valued enums: the stored values and every comparison with
a plain string ("assistant", "complete") keep working, and a typo becomes a type error.

A message is its main text (`content`, what the model said or the user typed) plus
`parts`: the structured pieces around it, in order (thinking, tool calls and their
results, images, citations, more text). A message also has versions: Regenerate and
Edit add a sibling instead of overwriting, and `version`/`version_count` say which one
is shown (the store returns the active one of each turn).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Literal


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


# -- parts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextPart:
    """More answer text, for a reply whose text is interleaved with tool calls."""

    text: str
    kind: Literal["text"] = "text"


@dataclass(frozen=True)
class ThinkingPart:
    """A reasoning model's thinking, shown folded; never sent back as the answer."""

    text: str
    kind: Literal["thinking"] = "thinking"


@dataclass(frozen=True)
class ToolCallPart:
    call_id: str
    name: str
    arguments: dict[str, Any] = field(default_factory=dict)
    kind: Literal["tool_call"] = "tool_call"


@dataclass(frozen=True)
class ToolResultPart:
    call_id: str
    name: str
    content: str
    is_error: bool = False
    kind: Literal["tool_result"] = "tool_result"
    duration_ms: int = 0  # how long the tool ran (shown on its card)


@dataclass(frozen=True)
class ImagePart:
    """An image the user attached (or a tool returned): the bytes themselves, kept in the store."""

    media_type: str
    data: bytes
    name: str = ""
    kind: Literal["image"] = "image"


@dataclass(frozen=True)
class CitationPart:
    """Where an answer's claim came from: a document (path or URL), its title and the quoted text."""

    source: str
    title: str = ""
    quote: str = ""
    locator: str = ""  # page, section or chunk, as the retriever names it
    kind: Literal["citation"] = "citation"


Part = TextPart | ThinkingPart | ToolCallPart | ToolResultPart | ImagePart | CitationPart
PART_KINDS = ("text", "thinking", "tool_call", "tool_result", "image", "citation")


def part_text(part: Part) -> str:
    """The searchable text of a part (what search matches and Markdown export shows)."""
    if isinstance(part, (TextPart, ThinkingPart)):
        return part.text
    if isinstance(part, ToolCallPart):
        return f"{part.name} {json.dumps(part.arguments, ensure_ascii=False)}"
    if isinstance(part, ToolResultPart):
        return part.content
    if isinstance(part, ImagePart):
        return part.name
    return " ".join(x for x in (part.title, part.quote, part.source) if x)


def part_record(part: Part) -> dict[str, Any]:
    """A part as JSON-ready data (images as base64), the form export and the store use."""
    if isinstance(part, ImagePart):
        encoded = base64.b64encode(part.data).decode("ascii")
        return {"kind": part.kind, "media_type": part.media_type, "name": part.name, "data": encoded}
    return asdict(part)


def part_from_record(record: Mapping[str, Any]) -> Part:
    """The inverse of part_record; ValueError naming what is wrong for anything else."""
    kind = record.get("kind")

    def text(key: str) -> str:
        value = record.get(key, "")
        if not isinstance(value, str):
            raise ValueError(f"{kind} part: {key} is not text")
        return value

    if kind == "text":
        return TextPart(text("text"))
    if kind == "thinking":
        return ThinkingPart(text("text"))
    if kind == "tool_call":
        arguments = record.get("arguments", {})
        if not isinstance(arguments, dict):
            raise ValueError("tool_call part: arguments is not an object")
        return ToolCallPart(text("call_id"), text("name"), dict(arguments))
    if kind == "tool_result":
        duration = record.get("duration_ms", 0)
        duration = (
            duration if isinstance(duration, int) and not isinstance(duration, bool) and duration >= 0 else 0
        )
        return ToolResultPart(
            text("call_id"), text("name"), text("content"), bool(record.get("is_error")), duration_ms=duration
        )
    if kind == "image":
        try:
            data = base64.b64decode(text("data"), validate=True)
        except (binascii.Error, ValueError) as err:
            raise ValueError("image part: data is not base64") from err
        return ImagePart(text("media_type"), data, text("name"))
    if kind == "citation":
        return CitationPart(text("source"), text("title"), text("quote"), text("locator"))
    raise ValueError(f"unknown part kind {kind!r}")


# -- conversations and messages ---------------------------------------------------------------


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
    server: str = ""  # the saved server's id (desktop.core.servers); "" = the local server


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
    parts: tuple[Part, ...] = ()
    # Versions: siblings share a parent (the message before them); 0 = the first turn.
    parent_id: int = 0
    version: int = 1  # 1-based position among its siblings, oldest first
    version_count: int = 1
