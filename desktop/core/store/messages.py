"""Messages of a conversation: the active thread, versions, parts, the tail, import.

A conversation is a tree: each message has a parent (the message before it; none for
the first turn) and its siblings are its versions. Regenerate adds a sibling to a
reply, Edit a sibling to a user message; one sibling of each turn is `active`, and
the active thread (root to leaf, following the active child) is the conversation as
shown and as sent to the model.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from desktop.core.messages import (
    ROLES,
    STATUSES,
    ImagePart,
    Message,
    Part,
    Role,
    Status,
    part_from_record,
    part_record,
    part_text,
)
from desktop.core.store.conversations import conversation_missing, set_columns
from desktop.core.store.database import Database
from desktop.core.store.errors import NotFound
from desktop.core.store.rows import MESSAGE_COLUMNS, as_text, dumps, json_dict, message_from_row

_TREE_COLUMNS = "id, parent_id, active"


def message_missing(message_id: int) -> str:
    return f"Message {message_id} does not exist (it may have been deleted)."


def _children(tree: Iterable[Sequence[Any]]) -> dict[int, list[tuple[int, bool]]]:
    """parent id (0: none) -> [(child id, active)], oldest first."""
    children: dict[int, list[tuple[int, bool]]] = {}
    for mid, parent, active in tree:
        children.setdefault(int(parent or 0), []).append((int(mid), bool(active)))
    return children


def _active_thread(children: Mapping[int, list[tuple[int, bool]]]) -> list[int]:
    thread: list[int] = []
    seen: set[int] = set()
    parent = 0
    while parent in children:
        siblings = children[parent]
        # Damage (no active sibling, or several): the newest active one, else the newest.
        active = [mid for mid, on in siblings if on]
        chosen = active[-1] if active else siblings[-1][0]
        if chosen in seen:
            break
        seen.add(chosen)
        thread.append(chosen)
        parent = chosen
    return thread


def _part_row(message_id: int, position: int, part: Part) -> tuple[Any, ...]:
    record = part_record(part)
    blob = None
    if isinstance(part, ImagePart):
        record.pop("data")
        blob = part.data
    kind = record.pop("kind")
    return (message_id, position, kind, part_text(part), dumps(record), blob)


def _part_from_row(kind: object, data: object, blob: object) -> Part | None:
    try:
        record = json_dict(data)
        record["kind"] = as_text(kind)
        if record["kind"] == "image":
            # The bytes live in the blob column, not base64 in the JSON.
            record["data"] = ""
            image = part_from_record(record)
            assert isinstance(image, ImagePart)
            return ImagePart(image.media_type, bytes(blob) if isinstance(blob, bytes) else b"", image.name)
        return part_from_record(record)
    except (ValueError, TypeError):
        return None  # a damaged part is left out; the message and its text still show


class MessagesMixin(Database):
    # -- reading -----------------------------------------------------------------------------

    def messages(self, conversation_id: int) -> list[Message]:
        """The active thread of a conversation, first turn first, each with its parts."""
        with self._lock:
            tree = self._query(
                f"SELECT {_TREE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
                (conversation_id,),
            )
            children = _children(tree)
            thread = _active_thread(children)
            if not thread:
                return []
            rows = self._query(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
                (conversation_id,),
            )
            parts = self._parts_of(
                "SELECT p.message_id, p.kind, p.data, p.blob FROM message_parts p"
                " JOIN messages m ON m.id = p.message_id WHERE m.conversation_id = ?"
                " ORDER BY p.message_id, p.position",
                (conversation_id,),
            )
        by_id = {int(row[0]): row for row in rows}
        parent_of = {int(mid): int(parent or 0) for mid, parent, _ in tree}
        result = []
        for mid in thread:
            siblings = [s for s, _ in children[parent_of[mid]]]
            result.append(
                self._with_tree(
                    message_from_row(by_id[mid]), parts.get(mid, ()), parent_of[mid], siblings
                )
            )
        return result

    def message(self, message_id: int) -> Message:
        with self._lock:
            rows = self._query(
                f"SELECT {MESSAGE_COLUMNS}, parent_id FROM messages WHERE id = ?", (message_id,)
            )
            if not rows:
                raise NotFound(message_missing(message_id))
            row = rows[0]
            parent = int(row[9] or 0)
            siblings = self._sibling_ids(int(row[1]), parent)
            parts = self._parts_of(
                "SELECT message_id, kind, data, blob FROM message_parts WHERE message_id = ?"
                " ORDER BY position",
                (message_id,),
            )
        return self._with_tree(message_from_row(row), parts.get(message_id, ()), parent, siblings)

    def versions(self, message_id: int) -> list[Message]:
        """Every version of this message (its siblings and itself), oldest first."""
        first = self.message(message_id)
        ids = self._sibling_ids(first.conversation_id, first.parent_id)
        return [first if mid == message_id else self.message(mid) for mid in ids]

    def _sibling_ids(self, conversation_id: int, parent_id: int) -> list[int]:
        rows = self._query(
            "SELECT id FROM messages WHERE conversation_id = ? AND coalesce(parent_id, 0) = ? ORDER BY id",
            (conversation_id, parent_id),
        )
        return [int(r[0]) for r in rows]

    def _parts_of(self, sql: str, params: Sequence[Any]) -> dict[int, tuple[Part, ...]]:
        found: dict[int, list[Part]] = {}
        for mid, kind, data, blob in self._query(sql, params):
            part = _part_from_row(kind, data, blob)
            if part is not None:
                found.setdefault(int(mid), []).append(part)
        return {mid: tuple(parts) for mid, parts in found.items()}

    @staticmethod
    def _with_tree(message: Message, parts: tuple[Part, ...], parent: int, siblings: list[int]) -> Message:
        version = siblings.index(message.id) + 1 if message.id in siblings else 1
        return Message(
            message.id,
            message.conversation_id,
            message.role,
            message.content,
            message.status,
            message.model,
            message.created_at,
            message.metrics,
            message.error,
            parts,
            parent,
            version,
            max(len(siblings), 1),
        )

    # -- writing -----------------------------------------------------------------------------

    def add_message(
        self,
        conversation_id: int,
        role: Role | str,
        content: str,
        *,
        status: Status | str = Status.COMPLETE,
        model: str = "",
        parts: Sequence[Part] = (),
    ) -> Message:
        """Append a message to the end of the conversation's active thread."""
        role, status = self._checked(role, status)
        now = time.time()
        with self._write() as conn:
            touched = conn.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id)
            ).rowcount
            if touched == 0:
                raise NotFound(conversation_missing(conversation_id))
            tree = conn.execute(
                f"SELECT {_TREE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
                (conversation_id,),
            ).fetchall()
            thread = _active_thread(_children(tree))
            parent = thread[-1] if thread else 0
            new_id = self._insert(conn, conversation_id, parent, role, content, status, model, now, parts)
        return Message(
            new_id, conversation_id, role, content, status, model, now, {}, "", tuple(parts), parent
        )

    def add_version(
        self,
        message_id: int,
        content: str,
        *,
        status: Status | str = Status.COMPLETE,
        model: str = "",
        parts: Sequence[Part] = (),
    ) -> Message:
        """A new version of `message_id` (same turn, same role), made the active one.

        The earlier versions and what followed them are kept; the new version starts a
        new branch with nothing after it yet.
        """
        _, status = self._checked(Role.USER, status)
        now = time.time()
        with self._write() as conn:
            row = conn.execute(
                "SELECT conversation_id, coalesce(parent_id, 0), role FROM messages WHERE id = ?",
                (message_id,),
            ).fetchone()
            if row is None:
                raise NotFound(message_missing(message_id))
            conversation_id, parent, stored_role = int(row[0]), int(row[1]), Role(row[2])
            conn.execute(
                "UPDATE messages SET active = 0 WHERE conversation_id = ? AND coalesce(parent_id, 0) = ?",
                (conversation_id, parent),
            )
            new_id = self._insert(
                conn, conversation_id, parent, stored_role, content, status, model, now, parts
            )
            conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
        return self.message(new_id)

    def select_version(self, message_id: int) -> None:
        """Show this version: it and every message above it become the active ones of their turns."""
        with self._write() as conn:
            row = conn.execute("SELECT conversation_id FROM messages WHERE id = ?", (message_id,)).fetchone()
            if row is None:
                raise NotFound(message_missing(message_id))
            conn.execute(
                "WITH RECURSIVE up(id, parent_id) AS ("
                " SELECT id, parent_id FROM messages WHERE id = ?"
                " UNION SELECT m.id, m.parent_id FROM messages m JOIN up ON m.id = up.parent_id)"
                " UPDATE messages SET active = (id IN (SELECT id FROM up))"
                " WHERE conversation_id = ? AND coalesce(parent_id, 0) IN"
                " (SELECT coalesce(parent_id, 0) FROM up)",
                (message_id, int(row[0])),
            )

    def set_parts(self, message_id: int, parts: Sequence[Part]) -> None:
        """Replace the parts of a message (a streaming reply rewrites them as they grow)."""
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM messages WHERE id = ?", (message_id,)).fetchone() is None:
                raise NotFound(message_missing(message_id))
            conn.execute("DELETE FROM message_parts WHERE message_id = ?", (message_id,))
            self._insert_parts(conn, message_id, parts)

    @staticmethod
    def _checked(role: Role | str, status: Status | str) -> tuple[Role, Status]:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        return Role(role), Status(status)

    def _insert(
        self,
        conn: sqlite3.Connection,
        conversation_id: int,
        parent: int,
        role: Role,
        content: str,
        status: Status,
        model: str,
        now: float,
        parts: Sequence[Part],
        metrics: str = "{}",
        error: str = "",
    ) -> int:
        cur = conn.execute(
            "INSERT INTO messages"
            " (conversation_id, role, content, status, model, created_at, metrics, error, parent_id, active)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            (conversation_id, role.value, content, status.value, model, now, metrics, error, parent or None),
        )
        assert cur.lastrowid is not None
        self._insert_parts(conn, cur.lastrowid, parts)
        return cur.lastrowid

    @staticmethod
    def _insert_parts(conn: sqlite3.Connection, message_id: int, parts: Sequence[Part]) -> None:
        if parts:
            conn.executemany(
                "INSERT INTO message_parts (message_id, position, kind, text, data, blob)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [_part_row(message_id, i, part) for i, part in enumerate(parts)],
            )

    def update_message(
        self,
        message_id: int,
        *,
        content: str | None = None,
        status: Status | str | None = None,
        metrics: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        fields: dict[str, Any] = {"content": content, "error": error}
        fields["status"] = None if status is None else Status(status).value
        fields["metrics"] = None if metrics is None else dumps(metrics)
        changes = {k: v for k, v in fields.items() if v is not None}
        if not changes:
            return
        with self._write() as conn:
            set_columns(conn, "messages", message_id, changes, message_missing(message_id))
            conn.execute(
                "UPDATE conversations SET updated_at = ? WHERE id ="
                " (SELECT conversation_id FROM messages WHERE id = ?)",
                (time.time(), message_id),
            )

    def delete_messages_from(self, message_id: int) -> None:
        """Delete this message and everything that followed it (its branch of the conversation).

        When it was the version shown, the newest remaining version of its turn is shown.
        """
        with self._write() as conn:
            row = conn.execute(
                "SELECT conversation_id, coalesce(parent_id, 0), active FROM messages WHERE id = ?",
                (message_id,),
            ).fetchone()
            if row is None:
                return
            conversation_id, parent, was_active = int(row[0]), int(row[1]), bool(row[2])
            conn.execute(
                "WITH RECURSIVE down(id) AS (SELECT ? UNION SELECT m.id FROM messages m JOIN down"
                " ON m.parent_id = down.id) DELETE FROM messages WHERE id IN (SELECT id FROM down)",
                (message_id,),
            )
            if was_active:
                conn.execute(
                    "UPDATE messages SET active = 1 WHERE id = (SELECT max(id) FROM messages"
                    " WHERE conversation_id = ? AND coalesce(parent_id, 0) = ?)",
                    (conversation_id, parent),
                )

    def mark_unfinished_replies(self, error: str = "The app closed before the reply finished.") -> int:
        """At startup: replies left "streaming" by a crash become "interrupted" (continuable).

        Not done in __init__, because a second connection (a CLI, a test) must not
        interrupt a reply that a running app is still streaming.
        """
        with self._write() as conn:
            return conn.execute(
                "UPDATE messages SET status = ?, error = ? WHERE status = ?",
                (Status.INTERRUPTED.value, error, Status.STREAMING.value),
            ).rowcount
