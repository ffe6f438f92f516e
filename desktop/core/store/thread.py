"""The thread shown: which messages of a conversation's tree are on screen and sent to the model.

`messages.active` is 1 exactly for the messages of the thread shown, root to leaf. Ids grow
along every path of the tree (a message is always added after its parent), so the thread's
last message is its largest active id, and reading the thread is one indexed range scan.
Switching to another version re-marks the path to it and follows the newest replies below.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any


def tail(conn: sqlite3.Connection, conversation_id: int) -> int:
    """The last message of the thread shown (0: the conversation is empty)."""
    row = conn.execute(
        "SELECT max(id) FROM messages WHERE conversation_id = ? AND active = 1", (conversation_id,)
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def leave_from(conn: sqlite3.Connection, conversation_id: int, parent_id: int) -> None:
    """Take the thread's messages after `parent_id` off the thread (a new version takes their place)."""
    conn.execute(
        "UPDATE messages SET active = 0 WHERE conversation_id = ? AND active = 1 AND id > ?",
        (conversation_id, parent_id),
    )


def show_through(conn: sqlite3.Connection, conversation_id: int, message_id: int, *, below: bool) -> None:
    """Make the thread run from the first turn to `message_id` (0: nothing) and, with `below`,
    on through the newest reply of each later turn. Only the rows whose flag changes are
    written: switching between the last two answers of a long chat touches two rows."""
    conn.execute(
        "WITH RECURSIVE"
        " up(id) AS (SELECT ?2 UNION SELECT m.parent_id FROM messages m JOIN up ON m.id = up.id"
        "  WHERE m.parent_id IS NOT NULL AND m.parent_id < m.id),"
        " down(id) AS (SELECT ?2 WHERE ?3 UNION ALL SELECT (SELECT max(m.id) FROM messages m"
        "  WHERE m.conversation_id = ?1 AND m.parent_id IS nullif(down.id, 0) AND m.id > down.id)"
        "  FROM down WHERE down.id IS NOT NULL),"
        " path(id) AS (SELECT id FROM up UNION SELECT id FROM down WHERE id IS NOT NULL)"
        " UPDATE messages SET active = 1 - active"
        " WHERE conversation_id = ?1 AND active != (id IN (SELECT id FROM path))",
        (conversation_id, message_id, int(below)),
    )


def extend_down(conn: sqlite3.Connection, conversation_id: int, from_id: int) -> None:
    """Continue the thread below `from_id` (0: from the start) with the newest reply of each turn."""
    current = from_id
    while True:
        row = conn.execute(
            "SELECT max(id) FROM messages WHERE conversation_id = ? AND parent_id IS ? AND id > ?",
            (conversation_id, current or None, current),
        ).fetchone()
        if row is None or row[0] is None:
            return
        current = int(row[0])
        conn.execute("UPDATE messages SET active = 1 WHERE id = ?", (current,))


def chained(rows: Sequence[Sequence[Any]], parent_column: int) -> list[Sequence[Any]]:
    """The rows (id order) that form one chain from the first turn; damaged flags drop out."""
    kept: list[Sequence[Any]] = []
    expected = 0
    for row in rows:
        if int(row[parent_column] or 0) == expected:
            kept.append(row)
            expected = int(row[0])
    return kept
