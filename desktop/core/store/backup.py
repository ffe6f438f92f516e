"""Whole-database restore and checks (the copy itself, backup_to, is in database.py:
migrations take one before they run)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.core.store.database import Database
from desktop.core.store.errors import DB_ERRORS, StoreError
from desktop.core.store.schema import SCHEMA_VERSION


class BackupMixin(Database):
    def restore_from(self, source: Path) -> Path:
        """Replace every conversation and setting with those of a backup file.

        The current contents are first copied next to the database; returns that copy.
        """
        source = Path(source)
        try:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        except DB_ERRORS as err:
            raise StoreError(f"The backup {source} cannot be opened: {err}.") from err
        try:
            try:
                check = src.execute("PRAGMA integrity_check").fetchone()[0]
                tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                version = int(src.execute("PRAGMA user_version").fetchone()[0])
            except DB_ERRORS as err:
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
