"""Conversations: list, create, update, delete (really: secure_delete, FTS merge, checkpoint).

Deleting a conversation really deletes it: secure_delete zeroes freed space, the
full-text index is merged so no stale segment keeps the text, and the WAL is
checkpointed and truncated so no old page image lingers there.
"""

from __future__ import annotations

import sqlite3
import time
import uuid as uuidlib
from typing import Any

from desktop.core.messages import Conversation
from desktop.core.store.database import Database, connect
from desktop.core.store.errors import DB_ERRORS, NotFound, translated
from desktop.core.store.rows import CONVERSATION_COLUMNS, conversation_from_row, dumps


def set_columns(
    conn: sqlite3.Connection, table: str, row_id: int, changes: dict[str, Any], missing: str
) -> None:
    """UPDATE the given columns of one row; NotFound(missing) when the row is gone.

    Table and column names come from this package only, never from user input.
    """
    assignments = ", ".join(f"{k} = ?" for k in changes)
    cur = conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row_id))
    if cur.rowcount == 0:
        raise NotFound(missing)


def conversation_missing(conversation_id: int) -> str:
    return f"Conversation {conversation_id} does not exist (it may have been deleted)."


class ConversationsMixin(Database):
    def conversations(self) -> list[Conversation]:
        """Every conversation, most recently active first; damaged rows as loadable=False."""
        rows = self._query(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations ORDER BY updated_at DESC, id DESC"
        )
        return [conversation_from_row(row) for row in rows]

    def conversation(self, conversation_id: int) -> Conversation:
        rows = self._query(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
        )
        if not rows:
            raise NotFound(conversation_missing(conversation_id))
        return conversation_from_row(rows[0])

    def conversation_by_uuid(self, conversation_uuid: str) -> Conversation | None:
        rows = self._query(
            f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE uuid = ?", (conversation_uuid,)
        )
        return conversation_from_row(rows[0]) if rows else None

    def create_conversation(
        self,
        title: str = "",
        model: str = "",
        system: str = "",
        options: dict[str, Any] | None = None,
        server: str = "",
    ) -> Conversation:
        now = time.time()
        opts = dict(options or {})
        new_uuid = str(uuidlib.uuid4())
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO conversations (title, model, system, options, created_at, updated_at, uuid,"
                " server) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (title, model, system, dumps(opts), now, now, new_uuid, server),
            )
        assert cur.lastrowid is not None
        return Conversation(cur.lastrowid, title, model, system, opts, now, now, True, new_uuid, server)

    def update_conversation(
        self,
        conversation_id: int,
        *,
        title: str | None = None,
        model: str | None = None,
        system: str | None = None,
        options: dict[str, Any] | None = None,
        server: str | None = None,
    ) -> None:
        # Renaming or switching the model is not activity: the list order stays put.
        fields: dict[str, Any] = {"title": title, "model": model, "system": system, "server": server}
        fields["options"] = None if options is None else dumps(options)
        changes = {k: v for k, v in fields.items() if v is not None}
        if not changes:
            return
        with self._write() as conn:
            missing = conversation_missing(conversation_id)
            set_columns(conn, "conversations", conversation_id, changes, missing)

    def delete_conversation(self, conversation_id: int, *, scrub: bool = True) -> None:
        """Delete a conversation and its messages; by default also scrub every trace.

        The scrub merges the whole full-text index (about 1 s per 20,000 messages on a
        slow laptop). A UI can pass scrub=False and then run scrub_deleted() in a
        worker thread (asyncio.to_thread), which uses its own connection.
        """
        with self._write() as conn:
            conn.execute("DELETE FROM messages WHERE conversation_id = ?", (conversation_id,))
            conn.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        if scrub:
            self.scrub_deleted()

    def scrub_deleted(self) -> None:
        """Leave no copy of deleted text: in old full-text segments or in the WAL.

        Safe to call from any thread: it opens its own connection, so it does not hold
        the store's lock (readers carry on; a writer waits at most for the commit).
        """
        try:
            conn = connect(self.path)
        except DB_ERRORS as err:
            raise translated(err, self.path) from err
        try:
            conn.execute("BEGIN IMMEDIATE")
            # FTS5 records a delete as a tombstone in a new segment; 'optimize' merges
            # the segments so the old doclists (terms with positions, enough to rebuild
            # the text) are rewritten away, and secure_delete zeroes the freed pages.
            for table in self._fts_tables():
                conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            conn.execute("COMMIT")
            # Best effort: a reader in another process can hold the WAL open; the next
            # checkpoint (SQLite runs one every 1000 pages) finishes the job.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except DB_ERRORS as err:
            raise translated(err, self.path) from err
        finally:
            conn.close()

    @staticmethod
    def _fts_tables() -> tuple[str, ...]:
        return ("messages_fts", "conversations_fts", "parts_fts")
