"""Whole conversations in, as desktop.core.export reads them from a file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from desktop.core.messages import ROLES, STATUSES, Message, Role, Status
from desktop.core.store.messages import MessagesMixin
from desktop.core.store.rows import MESSAGE_COLUMNS, dumps, message_from_row


class TransferMixin(MessagesMixin):
    def message_tree(self, conversation_id: int) -> list[tuple[Message, bool]]:
        """Every message of a conversation, every version, oldest first, each with whether
        it is on the thread shown (what an export needs to rebuild the tree and the view)."""
        with self._lock:
            rows = self._query(
                f"SELECT {MESSAGE_COLUMNS}, parent_id, active FROM messages WHERE conversation_id = ?"
                " ORDER BY id",
                (conversation_id,),
            )
            parts = self._parts_of(
                "SELECT p.message_id, p.kind, p.data, p.blob FROM message_parts p"
                " JOIN messages m ON m.id = p.message_id WHERE m.conversation_id = ?"
                " ORDER BY p.message_id, p.position",
                (conversation_id,),
            )
        siblings: dict[int, list[int]] = {}
        for row in rows:
            siblings.setdefault(int(row[9] or 0), []).append(int(row[0]))
        tree = []
        for row in rows:
            parent = int(row[9] or 0)
            message = message_from_row(row)
            versions = siblings[parent]
            shown = self._with_tree(
                message, parts.get(message.id, ()), parent, versions.index(message.id) + 1, len(versions)
            )
            tree.append((shown, bool(row[10])))
        return tree

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

        Each message is a mapping of role, content, status, model, created_at, metrics,
        error and, optionally, parts (Part objects) and the tree: `key` (any id unique
        in this list), `parent` (the key of the message before it; None for the first
        turn) and `active`. Without keys the messages form one line, in order.
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
            assert new_id is not None
            ids: dict[Any, int] = {}
            previous = 0
            for index, m in enumerate(messages):
                if "key" in m:
                    parent = ids.get(m.get("parent"), 0) if m.get("parent") is not None else 0
                else:
                    parent = previous
                message_id = self._insert(
                    conn,
                    new_id,
                    parent,
                    Role(m["role"]),
                    str(m.get("content", "")),
                    Status(m.get("status", Status.COMPLETE)),
                    str(m.get("model", "")),
                    float(m.get("created_at", created_at)),
                    tuple(m.get("parts", ())),
                    dumps(dict(m.get("metrics") or {})),
                    str(m.get("error", "")),
                )
                if not m.get("active", True):
                    conn.execute("UPDATE messages SET active = 0 WHERE id = ?", (message_id,))
                ids[m.get("key", index)] = message_id
                previous = message_id
        return new_id
