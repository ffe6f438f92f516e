"""Conversations, messages and settings, kept in one SQLite file.

Durability rules (measured, see ARCHITECTURE.md): WAL with synchronous=NORMAL survives
kill -9 with every committed write intact, so every write is one short transaction.
Deleting a conversation really deletes it: secure_delete zeroes freed space, the
full-text index is merged so no stale segment keeps the text, and the WAL is
checkpointed and truncated so no old page image lingers there.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
import uuid as uuidlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop import paths
from desktop.core.store_migrations import MIGRATIONS, SCHEMA_VERSION

DB_NAME = "desk.sqlite3"
ROLES = frozenset({"system", "user", "assistant", "tool"})
STATUSES = frozenset({"complete", "streaming", "interrupted", "stopped", "error"})

_CONVERSATION_COLUMNS = "id, title, model, system, options, created_at, updated_at, uuid"
_MESSAGE_COLUMNS = "id, conversation_id, role, content, status, model, created_at, metrics, error"
# Han, kana, hangul and CJK punctuation: scripts that unicode61 does not split into words.
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")


class StoreError(Exception):
    """A store failure, with a plain sentence for the user in str()."""


class NotFound(StoreError, LookupError):
    """The conversation or message does not exist (deleted meanwhile, or a wrong id)."""


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
    role: str
    content: str
    status: str
    model: str
    created_at: float
    metrics: dict[str, Any]
    error: str


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    message_id: int  # 0 when the conversation's title matched
    title: str
    snippet: str


def _json_dict(text: object) -> dict[str, Any]:
    if not isinstance(text, (str, bytes)):
        raise ValueError("not JSON text")
    value = json.loads(_text(text))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _conversation_from_row(row: Sequence[Any]) -> Conversation:
    """A row as a Conversation; a damaged one as a placeholder that is still listed."""
    cid = int(row[0])
    try:
        return Conversation(
            id=cid,
            title=_text(row[1]),
            model=_text(row[2]),
            system=_text(row[3]),
            options=_json_dict(row[4]),
            created_at=float(row[5]),
            updated_at=float(row[6]),
            uuid=_text(row[7]),
        )
    except (ValueError, TypeError):
        title = row[1].decode("utf-8", "replace") if isinstance(row[1], bytes) else row[1]
        title = title if isinstance(title, str) else ""
        return Conversation(
            id=cid,
            title=f"Could not load: {title}" if title else f"Could not load conversation {cid}",
            model="",
            system="",
            options={},
            created_at=_float_or_zero(row[5]),
            updated_at=_float_or_zero(row[6]),
            loadable=False,
            uuid=_text(row[7]) if isinstance(row[7], (str, bytes)) else "",
        )


def _message_from_row(row: Sequence[Any]) -> Message:
    mid, cid, role, content, status, model, created_at, metrics_text, error = row
    if (
        type(content) is str
        and type(role) is str
        and type(status) is str
        and type(model) is str
        and type(error) is str
        and type(created_at) is float
        and status
    ):
        # The common case, kept lean: opening a 2,000-message conversation builds every row.
        try:
            metrics = {} if metrics_text == "{}" else _json_dict(metrics_text)
        except ValueError:
            metrics = {}
        return Message(mid, cid, role, content, status, model, created_at, metrics, error)
    # A message is always shown: a damaged field falls back rather than hiding the text.
    try:
        metrics = _json_dict(row[7])
    except ValueError:
        metrics = {}
    return Message(
        id=int(row[0]),
        conversation_id=int(row[1]),
        role=_text(row[2]),
        content=_text(row[3]),
        status=_text(row[4]) or "complete",
        model=_text(row[5]),
        created_at=_float_or_zero(row[6]),
        metrics=metrics,
        error=_text(row[8]),
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    raise TypeError("not text")


def _float_or_zero(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_phrase(term: str) -> str:
    # Inside double quotes FTS5 treats everything (AND, *, NEAR, :, ^) as text; a quote
    # is written twice.
    return '"' + term.replace('"', '""') + '"'


def _snippet(content: str, terms: Sequence[str], width: int = 120) -> str:
    flat = " ".join(content.split())
    start = 0
    for term in terms:
        found = re.search(re.escape(term), flat, re.IGNORECASE)
        if found:
            start = max(0, found.start() - width // 3)
            break
    piece = flat[start : start + width]
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(flat) else "")


def _set_columns(
    conn: sqlite3.Connection, table: str, row_id: int, changes: dict[str, Any], missing: str
) -> None:
    """UPDATE the given columns of one row; NotFound(missing) when the row is gone.

    Table and column names come from this module only, never from user input.
    """
    assignments = ", ".join(f"{k} = ?" for k in changes)
    cur = conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row_id))
    if cur.rowcount == 0:
        raise NotFound(missing)


def _timestamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


class Store:
    """The app's conversation database. Thread-safe: one connection behind a lock."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        #: Where the copy taken before the last migration went (None: nothing migrated).
        self.migration_backup: Path | None = None
        try:
            self._conn = self._connect(self.path)
        except sqlite3.DatabaseError as err:
            raise self._damaged(err) from err
        try:
            self._tokenizer = "trigram"
            self._migrate()
            self._tokenizer = self._read_tokenizer()
        except sqlite3.DatabaseError as err:
            self._conn.close()
            raise self._damaged(err) from err
        except BaseException:
            self._conn.close()
            raise

    def _damaged(self, err: Exception) -> StoreError:
        return StoreError(
            f"The conversation database {self.path} is damaged or not a database ({err}). "
            "Move it aside to start with an empty history, or restore a backup."
        )

    @classmethod
    def open_default(cls) -> Store:
        return cls(paths.data_dir() / DB_NAME)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            try:
                self._conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
            self._conn.close()

    # -- connection, transactions, migrations -------------------------------------------

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10.0)
        try:
            conn.execute("PRAGMA journal_mode=WAL").fetchone()
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA secure_delete=ON")
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; IMMEDIATE so a second process waits instead of failing mid-way."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as err:
                if "decode" not in str(err):
                    raise
                # Text that is not UTF-8 (written by another tool, or damage): read it
                # with replacement characters rather than failing the whole list.
                self._conn.text_factory = bytes
                try:
                    return self._conn.execute(sql, params).fetchall()
                finally:
                    self._conn.text_factory = str

    def _user_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self._lock:
            version = self._user_version()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"The conversation database {self.path} was written by a newer version of "
                    f"Ollama Desk (schema {version}; this version knows up to {SCHEMA_VERSION}). "
                    "Update Ollama Desk to open it."
                )
            if version == SCHEMA_VERSION:
                return
            has_tables = self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
            if version > 0 or has_tables:
                self.migration_backup = self.backup_to(self._sibling(f"before-v{SCHEMA_VERSION}"))
            for target in range(version + 1, SCHEMA_VERSION + 1):
                try:
                    with self._write() as conn:
                        # Another process may have migrated while this one waited for the lock.
                        if self._user_version() >= target:
                            continue
                        MIGRATIONS[target - 1](conn)
                        conn.execute(f"PRAGMA user_version = {target}")
                except Exception as err:
                    kept = (
                        f" A copy taken before the update is at {self.migration_backup}."
                        if (self.migration_backup)
                        else ""
                    )
                    raise StoreError(
                        f"Updating the conversation database {self.path} to schema {target} failed ({err}); "
                        f"nothing was changed by that step.{kept}"
                    ) from err

    def _read_tokenizer(self) -> str:
        row = self._conn.execute("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").fetchone()
        return "trigram" if row and "trigram" in str(row[0]) else "unicode61"

    def _sibling(self, label: str) -> Path:
        stamp = _timestamp()
        for n in range(1000):
            suffix = f"-{n}" if n else ""
            candidate = self.path.with_name(
                f"{self.path.stem}.{label}-{stamp}{suffix}.backup{self.path.suffix}"
            )
            if not candidate.exists():
                return candidate
        raise StoreError(f"Too many backups next to {self.path}.")

    # -- whole-database backup ------------------------------------------------------------

    def backup_to(self, destination: Path) -> Path:
        """A consistent copy of the whole database (SQLite backup API), written atomically."""
        destination = Path(destination)
        partial = destination.with_name(destination.name + ".partial")
        partial.unlink(missing_ok=True)
        target = sqlite3.connect(str(partial))
        try:
            with self._lock:
                self._conn.backup(target)
        finally:
            target.close()
        os.replace(partial, destination)
        return destination

    def restore_from(self, source: Path) -> Path:
        """Replace every conversation and setting with those of a backup file.

        The current contents are first copied next to the database; returns that copy.
        """
        source = Path(source)
        try:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        except sqlite3.Error as err:
            raise StoreError(f"The backup {source} cannot be opened: {err}.") from err
        try:
            try:
                check = src.execute("PRAGMA integrity_check").fetchone()[0]
                tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                version = int(src.execute("PRAGMA user_version").fetchone()[0])
            except sqlite3.DatabaseError as err:
                raise StoreError(f"{source} is not an Ollama Desk backup ({err}).") from err
            if check != "ok":
                raise StoreError(f"The backup {source} is damaged ({check}).")
            if not {"conversations", "messages"} <= tables or version < 1:
                raise StoreError(f"{source} is not an Ollama Desk backup.")
            if version > SCHEMA_VERSION:
                raise StoreError(f"The backup {source} was made by a newer version of Ollama Desk.")
            with self._lock:
                safety = self.backup_to(self._sibling("before-restore"))
                src.backup(self._conn)
                self._migrate()
                self._tokenizer = self._read_tokenizer()
        finally:
            src.close()
        return safety

    def integrity_check(self) -> str:
        return str(self._query("PRAGMA integrity_check")[0][0])

    # -- conversations ------------------------------------------------------------------------

    def conversations(self) -> list[Conversation]:
        """Every conversation, most recently active first; damaged rows as loadable=False."""
        rows = self._query(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations ORDER BY updated_at DESC, id DESC"
        )
        return [_conversation_from_row(row) for row in rows]

    def conversation(self, conversation_id: int) -> Conversation:
        rows = self._query(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
        )
        if not rows:
            raise NotFound(f"Conversation {conversation_id} does not exist (it may have been deleted).")
        return _conversation_from_row(rows[0])

    def conversation_by_uuid(self, conversation_uuid: str) -> Conversation | None:
        rows = self._query(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations WHERE uuid = ?", (conversation_uuid,)
        )
        return _conversation_from_row(rows[0]) if rows else None

    def create_conversation(
        self, title: str = "", model: str = "", system: str = "", options: dict[str, Any] | None = None
    ) -> Conversation:
        now = time.time()
        opts = dict(options or {})
        new_uuid = str(uuidlib.uuid4())
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO conversations (title, model, system, options, created_at, updated_at, uuid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (title, model, system, _dumps(opts), now, now, new_uuid),
            )
        assert cur.lastrowid is not None
        return Conversation(cur.lastrowid, title, model, system, opts, now, now, True, new_uuid)

    def update_conversation(
        self,
        conversation_id: int,
        *,
        title: str | None = None,
        model: str | None = None,
        system: str | None = None,
        options: dict[str, Any] | None = None,
    ) -> None:
        # Renaming or switching the model is not activity: the list order stays put.
        fields: dict[str, Any] = {"title": title, "model": model, "system": system}
        fields["options"] = None if options is None else _dumps(options)
        changes = {k: v for k, v in fields.items() if v is not None}
        if not changes:
            return
        with self._write() as conn:
            _set_columns(
                conn,
                "conversations",
                conversation_id,
                changes,
                f"Conversation {conversation_id} does not exist (it may have been deleted).",
            )

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
        conn = self._connect(self.path)
        try:
            conn.execute("BEGIN IMMEDIATE")
            # FTS5 records a delete as a tombstone in a new segment; 'optimize' merges
            # the segments so the old doclists (terms with positions, enough to rebuild
            # the text) are rewritten away, and secure_delete zeroes the freed pages.
            conn.execute("INSERT INTO messages_fts(messages_fts) VALUES ('optimize')")
            conn.execute("INSERT INTO conversations_fts(conversations_fts) VALUES ('optimize')")
            conn.execute("COMMIT")
            # Best effort: a reader in another process can hold the WAL open; the next
            # checkpoint (SQLite runs one every 1000 pages) finishes the job.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            conn.close()

    # -- messages -----------------------------------------------------------------------------

    def messages(self, conversation_id: int) -> list[Message]:
        rows = self._query(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        )
        return [_message_from_row(row) for row in rows]

    def message(self, message_id: int) -> Message:
        rows = self._query(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,))
        if not rows:
            raise NotFound(f"Message {message_id} does not exist (it may have been deleted).")
        return _message_from_row(rows[0])

    def add_message(
        self, conversation_id: int, role: str, content: str, *, status: str = "complete", model: str = ""
    ) -> Message:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        now = time.time()
        with self._write() as conn:
            touched = conn.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id)
            ).rowcount
            if touched == 0:
                raise NotFound(f"Conversation {conversation_id} does not exist (it may have been deleted).")
            cur = conn.execute(
                "INSERT INTO messages (conversation_id, role, content, status, model, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, role, content, status, model, now),
            )
        assert cur.lastrowid is not None
        return Message(cur.lastrowid, conversation_id, role, content, status, model, now, {}, "")

    def update_message(
        self,
        message_id: int,
        *,
        content: str | None = None,
        status: str | None = None,
        metrics: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        fields: dict[str, Any] = {"content": content, "status": status, "error": error}
        fields["metrics"] = None if metrics is None else _dumps(metrics)
        changes = {k: v for k, v in fields.items() if v is not None}
        if not changes:
            return
        with self._write() as conn:
            _set_columns(
                conn,
                "messages",
                message_id,
                changes,
                f"Message {message_id} does not exist (it may have been deleted).",
            )
            conn.execute(
                "UPDATE conversations SET updated_at = ? WHERE id ="
                " (SELECT conversation_id FROM messages WHERE id = ?)",
                (time.time(), message_id),
            )

    def delete_messages_from(self, message_id: int) -> None:
        """Delete this message and every later one of its conversation (edit, regenerate)."""
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
                "UPDATE messages SET status = 'interrupted', error = ? WHERE status = 'streaming'", (error,)
            ).rowcount

    # -- import (used by desktop.core.export) ---------------------------------------------------

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
            if m.get("role") not in ROLES or m.get("status", "complete") not in STATUSES:
                raise ValueError(f"bad message role/status: {m.get('role')!r}/{m.get('status')!r}")
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM conversations WHERE uuid = ?", (conversation_uuid,)).fetchone():
                return None
            cur = conn.execute(
                "INSERT INTO conversations (title, model, system, options, created_at, updated_at, uuid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (title, model, system, _dumps(dict(options)), created_at, updated_at, conversation_uuid),
            )
            new_id = cur.lastrowid
            conn.executemany(
                "INSERT INTO messages"
                " (conversation_id, role, content, status, model, created_at, metrics, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        new_id,
                        m["role"],
                        str(m.get("content", "")),
                        m.get("status", "complete"),
                        str(m.get("model", "")),
                        float(m.get("created_at", created_at)),
                        _dumps(dict(m.get("metrics") or {})),
                        str(m.get("error", "")),
                    )
                    for m in messages
                ],
            )
        assert new_id is not None
        return new_id

    # -- search -------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Conversations whose title, and messages whose text, contain every word of `query`.

        Any text is accepted (quotes, `*`, `AND`, Chinese): it is matched as plain text,
        never parsed as FTS5 syntax, and never raises.
        """
        terms = query.replace("\x00", " ").split()
        if not terms or limit <= 0:
            return []
        try:
            return self._search(terms, limit, use_fts=True)
        except sqlite3.OperationalError:
            return self._search(terms, limit, use_fts=False)

    def _split_terms(self, terms: Sequence[str], use_fts: bool) -> tuple[list[str], list[str]]:
        fts: list[str] = []
        like: list[str] = []
        for term in terms:
            if not use_fts:
                like.append(term)
            elif self._tokenizer == "trigram":
                # A trigram index cannot match fewer than three characters.
                (fts if len(term) >= 3 else like).append(term)
            else:
                (like if _CJK.search(term) else fts).append(term)
        return fts, like

    def _search(self, terms: Sequence[str], limit: int, *, use_fts: bool) -> list[SearchHit]:
        fts_terms, like_terms = self._split_terms(terms, use_fts)
        prefix = "*" if self._tokenizer != "trigram" else ""
        match = " ".join(_fts_phrase(t) + prefix for t in fts_terms)

        def where(table: str, column: str, alias: str) -> tuple[str, list[Any]]:
            clauses: list[str] = []
            params: list[Any] = []
            if match:
                clauses.append(f"{alias}.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)")
                params.append(match)
            for term in like_terms:
                clauses.append(f"{alias}.{column} LIKE ? ESCAPE '\\'")
                params.append(_like_pattern(term))
            return " AND ".join(clauses), params

        title_where, title_params = where("conversations_fts", "title", "c")
        title_rows = self._query(
            f"SELECT c.id, c.title FROM conversations c WHERE {title_where}"
            " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?",
            (*title_params, limit),
        )
        hits = [SearchHit(int(r[0]), 0, _text(r[1]), _text(r[1])) for r in title_rows]
        if len(hits) >= limit:
            return hits
        message_where, message_params = where("messages_fts", "content", "m")
        message_rows = self._query(
            "SELECT m.conversation_id, m.id, c.title, m.content FROM messages m"
            f" JOIN conversations c ON c.id = m.conversation_id WHERE {message_where}"
            " ORDER BY c.updated_at DESC, m.id DESC LIMIT ?",
            (*message_params, limit - len(hits)),
        )
        hits.extend(
            SearchHit(int(r[0]), int(r[1]), _text(r[2]), _snippet(_text(r[3]), terms)) for r in message_rows
        )
        return hits

    # -- settings -----------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        if not rows:
            return default
        try:
            return json.loads(rows[0][0])
        except (ValueError, TypeError):
            return default

    def set_setting(self, key: str, value: Any) -> None:
        encoded = _dumps(value)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, encoded),
            )
