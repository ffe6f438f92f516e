"""Messages of a conversation: add, update, delete the tail, import."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from desktop.core.messages import ROLES, STATUSES, Message, Role, Status
from desktop.core.store.conversations import conversation_missing, set_columns
from desktop.core.store.database import Database
from desktop.core.store.errors import NotFound
from desktop.core.store.rows import MESSAGE_COLUMNS, dumps, message_from_row


def message_missing(message_id: int) -> str:
    return f"Message {message_id} does not exist (it may have been deleted)."


class MessagesMixin(Database):
    def messages(self, conversation_id: int) -> list[Message]:
        rows = self._query(
            f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        )
        return [message_from_row(row) for row in rows]

    def message(self, message_id: int) -> Message:
        rows = self._query(f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,))
        if not rows:
            raise NotFound(message_missing(message_id))
        return message_from_row(rows[0])

    def add_message(
        self,
        conversation_id: int,
        role: Role | str,
        content: str,
        *,
        status: Status | str = Status.COMPLETE,
        model: str = "",
    ) -> Message:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        role, status = Role(role), Status(status)
        now = time.time()
        with self._write() as conn:
            touched = conn.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id)
            ).rowcount
            if touched == 0:
                raise NotFound(conversation_missing(conversation_id))
            cur = conn.execute(
                "INSERT INTO messages (conversation_id, role, content, status, model, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, role.value, content, status.value, model, now),
            )
        assert cur.lastrowid is not None
        return Message(cur.lastrowid, conversation_id, role, content, status, model, now, {}, "")

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
        """Delete this message and every later one of its conversation."""
        with self._write() as conn:
            row = conn.execute("SELECT conversation_id FROM messages WHERE id = ?", (message_id,)).fetchone()
            if row is None:
                return
            conn.execute("DELETE FROM messages WHERE conversation_id = ? AND id >= ?", (row[0], message_id))

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

    def import_conversation(
        self,
        *,
        conversation_uuid: str,
        title: str,
        model: str,
        system: str,
        options: Mapping[str, Any],
        created_at: float,
        updated_at: float,
        messages: Sequence[Mapping[str, Any]],
    ) -> int | None:
        """Insert a whole conversation in one transaction, keeping its timestamps.

        Returns the new id, or None when a conversation with this uuid is already here
        (so importing the same file twice adds nothing).
        """
        for m in messages:
            if m.get("role") not in ROLES or m.get("status", Status.COMPLETE) not in STATUSES:
                raise ValueError(f"bad message role/status: {m.get('role')!r}/{m.get('status')!r}")
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM conversations WHERE uuid = ?", (conversation_uuid,)).fetchone():
                return None
            cur = conn.execute(
                "INSERT INTO conversations (title, model, system, options, created_at, updated_at, uuid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (title, model, system, dumps(dict(options)), created_at, updated_at, conversation_uuid),
            )
            new_id = cur.lastrowid
            conn.executemany(
                "INSERT INTO messages"
                " (conversation_id, role, content, status, model, created_at, metrics, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        new_id,
                        Role(m["role"]).value,
                        str(m.get("content", "")),
                        Status(m.get("status", Status.COMPLETE)).value,
                        str(m.get("model", "")),
                        float(m.get("created_at", created_at)),
                        dumps(dict(m.get("metrics") or {})),
                        str(m.get("error", "")),
                    )
                    for m in messages
                ],
            )
        assert new_id is not None
        return new_id
