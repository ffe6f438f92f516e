"""The connection under the store: durability settings, transactions, migrations, damage.

Durability rules (measured, see ARCHITECTURE.md): WAL with synchronous=NORMAL survives
kill -9 with every committed write intact, so every write is one short transaction.
Every sqlite3 error leaves this layer as a StoreError with a plain sentence.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from desktop.core.store.errors import DB_ERRORS, DatabaseCorrupt, DatabaseReadOnly, StoreError, translated
from desktop.core.store.schema import MIGRATIONS, SCHEMA_VERSION


def timestamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10.0)
    try:
        conn.execute("PRAGMA journal_mode=WAL").fetchone()
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA secure_delete=ON")
    except DB_ERRORS:
        conn.close()
        raise
    return conn


class Database:
    """One connection behind a lock (thread-safe), migrated to the current schema on open."""

    def __init__(self, path: Path, *, recover: bool = False) -> None:
        """Open (creating or migrating) the database at `path`.

        A 0-byte file (a truncated database) is moved aside, never silently reused as an
        empty store. With `recover` (the app's own database), an unreadable file, damaged
        or not a database, is moved aside too and a new one started; without it (tools,
        imports) that raises DatabaseCorrupt. Either way `moved_aside` and `notice` say
        what happened, for the app to tell the user.
        """
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        #: Where the copy taken before the last migration went (None: nothing migrated).
        self.migration_backup: Path | None = None
        #: Where an unusable database file was moved on opening (None: nothing moved).
        self.moved_aside: Path | None = None
        #: A plain sentence for the user about what opening did ("" when nothing to say).
        self.notice = ""
        if self._is_truncated():
            self._move_aside("was empty (0 bytes)")
        try:
            self._open()
        except DatabaseCorrupt as err:
            if not recover or not self.path.exists():
                raise
            self._move_aside(f"could not be read ({err.__cause__ or err})")
            self._open()

    def _is_truncated(self) -> bool:
        try:
            size = self.path.stat().st_size
        except OSError:
            return False
        wal = self.path.with_name(self.path.name + "-wal")
        # A 0-byte file with a WAL is not empty: SQLite replays the WAL's committed pages.
        return size == 0 and not (wal.exists() and wal.stat().st_size > 0)

    def _move_aside(self, why: str) -> None:
        target = self.path.with_name(f"{self.path.name}.broken-{timestamp()}")
        n = 1
        while target.exists():
            target = self.path.with_name(f"{self.path.name}.broken-{timestamp()}-{n}")
            n += 1
        try:
            os.replace(self.path, target)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    os.replace(side, target.with_name(target.name + suffix))
        except OSError as err:
            raise DatabaseReadOnly(
                f"The conversation database {self.path} {why}, and it could not be moved aside "
                f"({err.strerror or err}). Move it yourself to start with an empty history."
            ) from err
        self.moved_aside = target
        self.notice = (
            f"The conversation database {self.path} {why}. It was moved to {target} "
            "and a new, empty history was started. Restore a backup to get your conversations back."
        )

    def _open(self) -> None:
        try:
            self._conn = connect(self.path)
        except DB_ERRORS as err:
            raise translated(err, self.path) from err
        try:
            self._tokenizer = "trigram"
            self._migrate()
            self._tokenizer = self._read_tokenizer()
        except DB_ERRORS as err:
            self._conn.close()
            raise translated(err, self.path) from err
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        with self._lock:
            try:
                self._conn.execute("PRAGMA optimize")
            except DB_ERRORS:
                pass
            self._conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; IMMEDIATE so a second process waits instead of failing mid-way."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except DB_ERRORS as err:
                # A failed COMMIT (disk full) can leave the transaction open: end it, so
                # the connection stays usable and what was saved before is kept.
                if self._conn.in_transaction:
                    try:
                        self._conn.execute("ROLLBACK")
                    except DB_ERRORS:
                        pass
                raise translated(err, self.path) from err

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._query_raw(sql, params)
        except DB_ERRORS as err:
            raise translated(err, self.path) from err

    def _query_raw(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
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
            if version < 0:
                raise DatabaseCorrupt(
                    f"The conversation database {self.path} is damaged (its schema version reads "
                    f"{version}). Move it aside to start with an empty history, or restore a backup."
                )
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
                    # A step that finds its own tables already there: the file's version
                    # field is damaged, not the code (a code bug stays a plain StoreError).
                    damaged = isinstance(err, DatabaseCorrupt) or any(
                        sign in str(err) for sign in ("already exists", "duplicate column")
                    )
                    raise (DatabaseCorrupt if damaged else StoreError)(
                        f"Updating the conversation database {self.path} to schema {target} failed ({err}); "
                        f"nothing was changed by that step.{kept}"
                    ) from err

    def _read_tokenizer(self) -> str:
        row = self._conn.execute("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").fetchone()
        return "trigram" if row and "trigram" in str(row[0]) else "unicode61"

    def _sibling(self, label: str) -> Path:
        stamp = timestamp()
        for n in range(1000):
            suffix = f"-{n}" if n else ""
            candidate = self.path.with_name(
                f"{self.path.stem}.{label}-{stamp}{suffix}.backup{self.path.suffix}"
            )
            if not candidate.exists():
                return candidate
        raise StoreError(f"Too many backups next to {self.path}.")

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
