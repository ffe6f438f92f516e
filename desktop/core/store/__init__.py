"""Conversations, messages and settings, kept in one SQLite file.

The package, by responsibility: `schema` (migrations), `database` (connection,
transactions, damage), `conversations`, `messages` (versions, parts), `thread`,
`transfer` (import), `search`, `backup`, `settings`, `errors`. `Store` puts them
together; import everything from here.
"""

from __future__ import annotations

from pathlib import Path

from desktop import paths
from desktop.core.messages import ROLES, STATUSES, Conversation, Message, Role, Status
from desktop.core.store.backup import BackupMixin
from desktop.core.store.conversations import ConversationsMixin
from desktop.core.store.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DiskFull,
    NotFound,
    StoreError,
)
from desktop.core.store.schema import MIGRATIONS, SCHEMA_VERSION
from desktop.core.store.search import SearchHit, SearchMixin
from desktop.core.store.settings import SettingsMixin
from desktop.core.store.transfer import TransferMixin

DB_NAME = "desk.sqlite3"

__all__ = [
    "DB_NAME",
    "MIGRATIONS",
    "ROLES",
    "SCHEMA_VERSION",
    "STATUSES",
    "Conversation",
    "DatabaseCorrupt",
    "DatabaseLocked",
    "DatabaseReadOnly",
    "DiskFull",
    "Message",
    "NotFound",
    "Role",
    "SearchHit",
    "Status",
    "Store",
    "StoreError",
]


class Store(ConversationsMixin, TransferMixin, SearchMixin, BackupMixin, SettingsMixin):
    """The app's conversation database. Thread-safe: one connection behind a lock."""

    @classmethod
    def open_default(cls) -> Store:
        """The app's database; an unreadable one is moved aside (see `notice`), not fatal."""
        return cls(paths.data_dir() / DB_NAME, recover=True)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __init__(self, path: Path, *, recover: bool = False) -> None:
        super().__init__(path, recover=recover)
