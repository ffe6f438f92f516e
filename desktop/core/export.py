"""Take conversations out of the app and back in.

- JSON: every conversation with every field, versioned (`format`, `version`), lossless:
  every version of every message (`key`, `parent`, `active`) and their parts (images as
  base64). Importing gives new ids but keeps each conversation's uuid, so importing the
  same file twice (or into the store it came from) adds nothing. Format 1 files (one
  line of messages, no parts) still import.
- Markdown: one readable file per conversation, the versions shown, with their parts,
  for people rather than programs.
- Whole-database backup and restore (SQLite backup API), via the store.
"""

from __future__ import annotations

import json
import os
import re
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.messages import (
    ROLES,
    STATUSES,
    UNFINISHED,
    CitationPart,
    ImagePart,
    Part,
    Role,
    Status,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
    part_from_record,
    part_record,
)
from desktop.core.store import Conversation, Message, Store

FORMAT = "ollama-desk-conversations"
VERSION = 2
ROLE_LABELS = {Role.USER: "You", Role.ASSISTANT: "Assistant", Role.SYSTEM: "System", Role.TOOL: "Tool"}
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


class ExportError(Exception):
    """An export or import failure, with a plain sentence for the user in str()."""


@dataclass
class ImportResult:
    imported: int = 0
    skipped: int = 0  # already in the store (same uuid)
    failed: list[str] = field(default_factory=list)  # one plain sentence per unreadable conversation


# -- JSON -------------------------------------------------------------------------------------


def _message_record(message: Message, active: bool) -> dict[str, Any]:
    return {
        "key": message.id,
        "parent": message.parent_id or None,
        "active": active,
        "parts": [part_record(p) for p in message.parts],
        "role": str(message.role),
        "content": message.content,
        "status": str(message.status),
        "model": message.model,
        "created_at": message.created_at,
        "metrics": message.metrics,
        "error": message.error,
    }


def _conversation_record(conversation: Conversation, messages: list[tuple[Message, bool]]) -> dict[str, Any]:
    return {
        "uuid": conversation.uuid,
        "title": conversation.title,
        "model": conversation.model,
        "system": conversation.system,
        "options": conversation.options,
        "created_at": conversation.created_at,
        "updated_at": conversation.updated_at,
        "messages": [_message_record(m, active) for m, active in messages],
    }


def export_data(store: Store) -> dict[str, Any]:
    """Every conversation, oldest first, as plain JSON-ready data."""
    conversations = sorted(store.conversations(), key=lambda c: (c.created_at, c.id))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": time.time(),
        "conversations": [_conversation_record(c, store.message_tree(c.id)) for c in conversations],
    }


def export_json(store: Store, path: Path) -> int:
    """Write every conversation to `path` (atomically); returns how many."""
    data = export_data(store)
    _write_atomically(Path(path), json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return len(data["conversations"])


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise ExportError(f"Could not write {path}: {err.strerror or err}.") from err


def import_json(store: Store, path: Path) -> ImportResult:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ExportError(f"Could not read {path}: {err}.") from err
    try:
        data = json.loads(text)
    except ValueError as err:
        raise ExportError(f"{path} is not an Ollama Desk export (not JSON: {err}).") from err
    return import_data(store, data)


def import_data(store: Store, data: Any) -> ImportResult:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportError("This file is not an Ollama Desk conversation export.")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise ExportError("This export has no valid format version.")
    if version > VERSION:
        raise ExportError(
            f"This export was written by a newer version of Ollama Desk (format {version}). "
            "Update Ollama Desk to import it."
        )
    conversations = data.get("conversations")
    if not isinstance(conversations, list):
        raise ExportError("This export contains no list of conversations.")
    result = ImportResult()
    for index, record in enumerate(conversations, start=1):
        try:
            fields = _checked_conversation(record)
        except (TypeError, ValueError, KeyError) as err:
            result.failed.append(f"Conversation {index} could not be read ({err}).")
            continue
        if store.import_conversation(**fields) is None:
            result.skipped += 1
        else:
            result.imported += 1
    return result


def _checked_conversation(record: Any) -> dict[str, Any]:
    """The arguments of Store.import_conversation, or ValueError naming what is wrong."""
    if not isinstance(record, dict):
        raise ValueError("not an object")
    conversation_uuid = _string(record, "uuid")
    if not conversation_uuid:
        raise ValueError("no uuid")
    options = record.get("options", {})
    if not isinstance(options, dict):
        raise ValueError("options is not an object")
    raw_messages = record.get("messages", [])
    if not isinstance(raw_messages, list):
        raise ValueError("messages is not a list")
    created_at = _number(record, "created_at", time.time())
    messages: list[dict[str, Any]] = []
    keys: set[Any] = set()
    for raw in raw_messages:
        if not isinstance(raw, dict):
            raise ValueError("a message is not an object")
        role, status = _string(raw, "role"), _string(raw, "status", Status.COMPLETE)
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        metrics = raw.get("metrics", {})
        if not isinstance(metrics, dict):
            raise ValueError("metrics is not an object")
        tree = _tree_fields(raw, index=len(messages), keys=keys)
        messages.append(
            {
                **tree,
                "role": Role(role),
                "content": _string(raw, "content"),
                # A reply that was streaming when exported cannot resume: it is interrupted.
                "status": Status.INTERRUPTED if status == Status.STREAMING else Status(status),
                "model": _string(raw, "model"),
                "created_at": _number(raw, "created_at", created_at),
                "metrics": metrics,
                "error": _string(raw, "error"),
            }
        )
    return {
        "conversation_uuid": conversation_uuid,
        "title": _string(record, "title"),
        "model": _string(record, "model"),
        "system": _string(record, "system"),
        "options": options,
        "created_at": created_at,
        "updated_at": _number(record, "updated_at", created_at),
        "messages": messages,
    }


def _tree_fields(raw: Mapping[str, Any], *, index: int, keys: set[Any]) -> dict[str, Any]:
    """A message's place among the versions, and its parts (format 2; format 1 has neither)."""
    raw_parts = raw.get("parts", [])
    if not isinstance(raw_parts, list):
        raise ValueError("parts is not a list")
    parts = tuple(part_from_record(p) if isinstance(p, dict) else _not_a_part() for p in raw_parts)
    if "key" not in raw:
        return {"parts": parts} if parts else {}
    key, parent = raw.get("key"), raw.get("parent")
    if isinstance(key, (dict, list)) or key in keys:
        raise ValueError("a message key is missing or repeated")
    if parent is not None and parent not in keys:
        raise ValueError("a message refers to a parent that comes after it or does not exist")
    keys.add(key)
    return {"key": key, "parent": parent, "active": bool(raw.get("active", True)), "parts": parts}


def _not_a_part() -> Part:
    raise ValueError("a part is not an object")


def _string(record: Mapping[str, Any], key: str, default: str = "") -> str:
    value = record.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    return value


def _number(record: Mapping[str, Any], key: str, default: float) -> float:
    value = record.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{key} is not a number")
    return float(value)


# -- Markdown ---------------------------------------------------------------------------------


def safe_filename(title: str, fallback: str = "untitled", limit: int = 60) -> str:
    """A file name stem that is valid on Windows, macOS and Linux; keeps Chinese and other letters."""
    text = unicodedata.normalize("NFC", title)
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f\x7f]+', " ", text)
    text = re.sub(r"\s+", "-", text.strip()).strip(".-")
    text = text[:limit].rstrip(".-")
    if not text or text.lower().split(".")[0] in _WINDOWS_RESERVED:
        text = f"{fallback}-{text}" if text else fallback
    return text


def conversation_markdown(conversation: Conversation, messages: list[Message]) -> str:
    title = conversation.title.strip() or "Untitled conversation"
    lines = [f"# {title}", ""]
    created = time.strftime("%Y-%m-%d %H:%M", time.localtime(conversation.created_at))
    if conversation.model:
        lines.append(f"- Model: `{conversation.model}`")
    lines.append(f"- Started: {created}")
    if conversation.options:
        shown = ", ".join(
            f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in conversation.options.items()
        )
        lines.append(f"- Options: {shown}")
    lines.append("")
    if conversation.system.strip():
        lines += ["**System prompt:**", "", *(f"> {line}" for line in conversation.system.splitlines()), ""]
    for message in messages:
        label = ROLE_LABELS.get(message.role, message.role.capitalize())
        if message.role == Role.ASSISTANT and message.model:
            label += f" ({message.model})"
        if message.version_count > 1:
            label += f" · version {message.version} of {message.version_count}"
        body = _closed_fences(message.content)
        lines += ["---", "", f"### {label}", "", *_parts_markdown(message.parts, before=True)]
        lines += [body or ("" if message.parts else "*(empty)*"), ""]
        lines += _parts_markdown(message.parts, before=False)
        if message.status in UNFINISHED:
            note = {
                Status.INTERRUPTED: "Reply interrupted",
                Status.STOPPED: "Reply stopped",
                Status.ERROR: "Reply failed",
            }
            detail = f": {message.error}" if message.error else ""
            lines += [f"*({note[message.status]}{detail})*", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _parts_markdown(parts: tuple[Part, ...], *, before: bool) -> list[str]:
    """Thinking and tool calls read before the answer; results, images and citations after."""
    lines: list[str] = []
    for part in parts:
        if before and isinstance(part, ThinkingPart):
            lines += ["**Thinking:**", "", *(f"> {line}" for line in part.text.splitlines()), ""]
        elif before and isinstance(part, ToolCallPart):
            arguments = json.dumps(part.arguments, ensure_ascii=False)
            lines += [f"**Tool call:** `{part.name}` {arguments}", ""]
        elif not before and isinstance(part, ToolResultPart):
            label = "Tool error" if part.is_error else "Tool result"
            lines += [f"**{label}** (`{part.name}`):", "", _closed_fences(part.content), ""]
        elif not before and isinstance(part, TextPart):
            lines += [_closed_fences(part.text), ""]
        elif not before and isinstance(part, ImagePart):
            lines += [f"*(image: {part.name or part.media_type}, {len(part.data)} bytes)*", ""]
        elif not before and isinstance(part, CitationPart):
            where = f", {part.locator}" if part.locator else ""
            quote = f": “{part.quote}”" if part.quote else ""
            lines += [f"- Source: {part.title or part.source} ({part.source}{where}){quote}", ""]
    return lines


def _closed_fences(text: str) -> str:
    # An unclosed ``` (a reply cut mid-code) would swallow every later turn when rendered.
    fences = sum(1 for line in text.splitlines() if line.lstrip().startswith("```"))
    return text + "\n```" if fences % 2 else text


def export_markdown(store: Store, folder: Path) -> list[Path]:
    """One `<date>-<title>-<id>.md` per conversation in `folder`; returns the files written."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"Could not create the folder {folder}: {err.strerror or err}.") from err
    written = []
    for conversation in store.conversations():
        day = time.strftime("%Y-%m-%d", time.localtime(conversation.created_at))
        path = folder / f"{day}-{safe_filename(conversation.title)}-{conversation.id}.md"
        _write_atomically(path, conversation_markdown(conversation, store.messages(conversation.id)))
        written.append(path)
    return written


# -- whole database ------------------------------------------------------------------------------


def backup_database(store: Store, destination: Path) -> Path:
    """A consistent copy of the whole database file, safe to take while the app runs."""
    try:
        return store.backup_to(Path(destination))
    except OSError as err:
        raise ExportError(f"Could not write the backup {destination}: {err.strerror or err}.") from err


def restore_database(store: Store, source: Path) -> Path:
    """Replace the whole history with a backup; returns where the replaced data was saved.

    Raises StoreError (plain message) for a file that is not a valid backup; then
    nothing was changed.
    """
    return store.restore_from(Path(source))
