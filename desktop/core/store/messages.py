"""Messages of a conversation: the thread shown, versions, parts, deleting a branch.

A conversation is a tree: each message has a parent (the message before it; none for
the first turn) and its siblings are its versions. Regenerate adds a sibling to a
reply, Edit a sibling to a user message. The thread shown (thread.py) is the
conversation on screen and as sent to the model.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
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
from desktop.core.store import thread
from desktop.core.store.conversations import conversation_missing, set_columns
from desktop.core.store.database import Database
from desktop.core.store.errors import NotFound
from desktop.core.store.rows import MESSAGE_COLUMNS, as_text, dumps, json_dict, message_from_row


def message_missing(message_id: int) -> str:
    return f"Message {message_id} does not exist (it may have been deleted)."


_QUALIFIED = ", ".join(f"m.{column.strip()}" for column in MESSAGE_COLUMNS.split(","))
# The thread shown (see thread.py), each message with its version number and count.
_THREAD_ROWS = (
    f"SELECT {_QUALIFIED}, coalesce(m.parent_id, 0),"
    " (SELECT count(*) FROM messages s WHERE s.conversation_id = ?1 AND s.parent_id IS m.parent_id"
    "  AND s.id <= m.id),"
    " (SELECT count(*) FROM messages s WHERE s.conversation_id = ?1 AND s.parent_id IS m.parent_id)"
    " FROM messages m WHERE m.conversation_id = ?1 AND m.active = 1 ORDER BY m.id"
)


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
            rows = thread.chained(self._query(_THREAD_ROWS, (conversation_id,)), 9)
            if not rows:
                return []
            parts = self._parts_of(
                "SELECT p.message_id, p.kind, p.data, p.blob FROM message_parts p"
                " JOIN messages m ON m.id = p.message_id WHERE m.conversation_id = ?"
                " ORDER BY p.message_id, p.position",
                (conversation_id,),
            )
        return [
            self._with_tree(message_from_row(row), parts.get(int(row[0]), ()), int(row[9]), row[10], row[11])
            for row in rows
        ]

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
        version = siblings.index(message_id) + 1 if message_id in siblings else 1
        return self._with_tree(
            message_from_row(row), parts.get(message_id, ()), parent, version, len(siblings)
        )

    def versions(self, message_id: int) -> list[Message]:
        """Every version of this message (its siblings and itself), oldest first."""
        first = self.message(message_id)
        ids = self._sibling_ids(first.conversation_id, first.parent_id)
        return [first if mid == message_id else self.message(mid) for mid in ids]

    def _sibling_ids(self, conversation_id: int, parent_id: int) -> list[int]:
        rows = self._query(
            "SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS ? ORDER BY id",
            (conversation_id, parent_id or None),
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
    def _with_tree(
        message: Message, parts: tuple[Part, ...], parent: int, version: int, count: int
    ) -> Message:
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
            max(int(version), 1),
            max(int(count), 1),
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
            parent = thread.tail(conn, conversation_id)
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
                "SELECT conversation_id, coalesce(parent_id, 0), role, active FROM messages WHERE id = ?",
                (message_id,),
            ).fetchone()
            if row is None:
                raise NotFound(message_missing(message_id))
            conversation_id, parent, stored_role = int(row[0]), int(row[1]), Role(row[2])
            if row[3]:
                thread.leave_from(conn, conversation_id, parent)  # the usual case: a turn shown
            else:
                thread.show_through(conn, conversation_id, parent, below=False)
            new_id = self._insert(
                conn, conversation_id, parent, stored_role, content, status, model, now, parts
            )
            conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
        return self.message(new_id)

    def select_version(self, message_id: int) -> None:
        """Show this version: the thread runs through it, then follows the newest replies below it."""
        with self._write() as conn:
            row = conn.execute("SELECT conversation_id FROM messages WHERE id = ?", (message_id,)).fetchone()
            if row is None:
                raise NotFound(message_missing(message_id))
            thread.show_through(conn, int(row[0]), message_id, below=True)

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
        parts: Sequence[Part] | None = None,
    ) -> None:
        """parts (when given) replace the message's parts in the same transaction as the text."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        fields: dict[str, Any] = {"content": content, "error": error}
        fields["status"] = None if status is None else Status(status).value
        fields["metrics"] = None if metrics is None else dumps(metrics)
        changes = {k: v for k, v in fields.items() if v is not None}
        if not changes and parts is None:
            return
        with self._write() as conn:
            if changes:
                set_columns(conn, "messages", message_id, changes, message_missing(message_id))
            if parts is not None:
                if conn.execute("SELECT 1 FROM messages WHERE id = ?", (message_id,)).fetchone() is None:
                    raise NotFound(message_missing(message_id))
                conn.execute("DELETE FROM message_parts WHERE message_id = ?", (message_id,))
                self._insert_parts(conn, message_id, parts)
            conn.execute(
                "UPDATE conversations SET updated_at = ? WHERE id ="
                " (SELECT conversation_id FROM messages WHERE id = ?)",
                (time.time(), message_id),
            )

    def delete_messages_from(self, message_id: int) -> None:
        """Delete this message and everything that followed it (its branch of the conversation).

        When it was shown, the thread continues with the newest remaining version of its turn.
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
                "WITH RECURSIVE down(id) AS (SELECT ?1 UNION SELECT m.id FROM messages m JOIN down"
                " ON m.conversation_id = ?2 AND m.parent_id = down.id)"
                " DELETE FROM messages WHERE id IN (SELECT id FROM down)",
                (message_id, conversation_id),
            )
            if was_active:
                thread.extend_down(conn, conversation_id, parent)

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
