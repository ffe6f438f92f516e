"""The store's errors: one type, StoreError, with a plain sentence for the user in str().

Raw sqlite3 errors never leave the store: `translated` maps them by SQLite's result code
(and, for older Pythons without `sqlite_errorcode`, by the message) to a subclass that
says what happened and what the user can do.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """A store failure, with a plain sentence for the user in str()."""


class NotFound(StoreError, LookupError):
    """The conversation or message does not exist (deleted meanwhile, or a wrong id)."""


class DatabaseCorrupt(StoreError):
    """The file is damaged or is not an SQLite database."""


class DatabaseReadOnly(StoreError):
    """The file (or its folder) cannot be written: nothing new can be saved."""


class DiskFull(StoreError):
    """The disk (or the database's size limit) is full: the last change was not saved."""


class DatabaseLocked(StoreError):
    """Another program holds the database and did not let go in time."""


# What a damaged file can raise from sqlite3: its own errors, and a UnicodeDecodeError when
# SQLite's message quotes a broken schema's bytes ("malformed database schema (...)").
DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, UnicodeDecodeError)

# Damage that SQLite reports with a generic code (a bad header byte: "unsupported file format").
_CORRUPT_SIGNS = ("malformed", "not a database", "unsupported file format", "file is encrypted")
_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_READONLY_CODES = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM}
_FULL_CODES = {sqlite3.SQLITE_FULL}
_LOCKED_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def _primary_code(err: Exception) -> int:
    code = getattr(err, "sqlite_errorcode", None)
    return int(code) & 0xFF if isinstance(code, int) else -1


def _kind(err: Exception) -> type[StoreError] | None:
    if isinstance(err, UnicodeDecodeError):
        return DatabaseCorrupt
    code = _primary_code(err)
    text = str(err).lower()
    if code in _CORRUPT_CODES or any(sign in text for sign in _CORRUPT_SIGNS):
        return DatabaseCorrupt
    if code in _FULL_CODES or "database or disk is full" in text:
        return DiskFull
    if code in _READONLY_CODES or "readonly" in text or "unable to open" in text:
        return DatabaseReadOnly
    if code in _LOCKED_CODES or "database is locked" in text:
        return DatabaseLocked
    return None


def translated(err: Exception, path: Path) -> StoreError:
    """The StoreError for a raw sqlite3 error, naming the file and the way out."""
    kind = _kind(err)
    if kind is DatabaseCorrupt:
        return DatabaseCorrupt(
            f"The conversation database {path} is damaged or not a database ({err}). "
            "Move it aside to start with an empty history, or restore a backup."
        )
    if kind is DiskFull:
        return DiskFull(
            f"The disk holding {path} is full, so the last change was not saved. "
            "Free some space; everything saved before is kept."
        )
    if kind is DatabaseReadOnly:
        return DatabaseReadOnly(
            f"The conversation database {path} cannot be written ({err}). "
            "Check that the file and its folder are writable; nothing new is saved until then."
        )
    if kind is DatabaseLocked:
        return DatabaseLocked(
            f"The conversation database {path} is busy in another program. "
            "Close the other copy of Ollama Desk (or the tool holding the file) and try again."
        )
    return StoreError(f"The conversation database {path} failed: {err}.")
