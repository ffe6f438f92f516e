"""Schema 6 (#15): a conversation remembers its server; older databases upgrade with a backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.core.store import Store, schema


def test_a_conversation_remembers_its_server(tmp_path: Path) -> None:
    with Store(tmp_path / "desk.sqlite3") as store:
        remote = store.create_conversation("office", model="qwen", server="abc123")
        local = store.create_conversation("laptop", model="smollm2:135m")
        assert store.conversation(remote.id).server == "abc123" and remote.server == "abc123"
        assert store.conversation(local.id).server == ""
        store.update_conversation(local.id, server="def456", model="m")
        assert store.conversation(local.id).server == "def456"
        store.update_conversation(local.id, server="")
        assert store.conversation(local.id).server == ""
        assert store.conversation(local.id).model == "m"


def test_a_version_5_database_upgrades_with_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    with Store(path) as store:
        store.create_conversation("before", model="llama3")
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE conversations DROP COLUMN server")
    for later in ("kb_terms", "kb_chunks", "kb_files", "kb_sources", "kb_collections"):  # schema 7
        conn.execute(f"DROP TABLE IF EXISTS {later}")
    for index in ("messages_cjk", "parts_cjk"):  # schema 8
        for event in ("insert", "update", "delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS {index}_{event}")
        conn.execute(f"DROP TABLE IF EXISTS {index}")
    conn.execute("DROP TABLE IF EXISTS search_pending")
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.migration_backup is not None and store.migration_backup.exists()
        [old] = store.conversations()
        assert old.title == "before" and old.model == "llama3" and old.server == ""
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION >= 6
