"""The conversation store: durability settings, deletion, search, damage, migrations."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.store import DB_NAME, NotFound, Store, StoreError
from desktop.core.store import schema as store_migrations


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "t.sqlite3")
    yield s
    s.close()


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), isolation_level=None)


def test_open_default_lives_in_the_desk_home(desk_home: Path) -> None:
    with Store.open_default() as s:
        s.create_conversation("hello")
    assert (desk_home / DB_NAME).exists()
    with Store.open_default() as s:
        assert [c.title for c in s.conversations()] == ["hello"]


def test_connection_settings(store: Store, tmp_path: Path) -> None:
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store_migrations.SCHEMA_VERSION
    # A fresh database is not "migrated": no backup file is made for it.
    assert store.migration_backup is None
    assert not list(tmp_path.glob("*.backup*"))


def test_conversations_and_messages_round_trip(store: Store) -> None:
    a = store.create_conversation("first", "llama3.2:3b", "Be brief.", {"temperature": 0.2, "seed": 7})
    b = store.create_conversation("second", "qwen2.5:7b")
    assert a.uuid and b.uuid and a.uuid != b.uuid
    store.add_message(a.id, "user", "hi 你好")
    reply = store.add_message(a.id, "assistant", "", status="streaming", model="llama3.2:3b")
    store.update_message(reply.id, content="partial")
    store.update_message(
        reply.id,
        content="full answer",
        status="complete",
        metrics={"eval_count": 12, "tokens_per_second": 3.5},
    )
    # Activity moves a conversation to the top; renaming does not.
    assert [c.id for c in store.conversations()] == [a.id, b.id]
    store.update_conversation(b.id, title="renamed", options={"num_ctx": 8192})
    assert [c.id for c in store.conversations()] == [a.id, b.id]
    got_b = store.conversation(b.id)
    assert (got_b.title, got_b.model, got_b.options) == ("renamed", "qwen2.5:7b", {"num_ctx": 8192})
    got_a = store.conversation(a.id)
    assert got_a.system == "Be brief." and got_a.options == {"temperature": 0.2, "seed": 7}
    msgs = store.messages(a.id)
    assert [(m.role, m.content, m.status) for m in msgs] == [
        ("user", "hi 你好", "complete"),
        ("assistant", "full answer", "complete"),
    ]
    assert msgs[1].metrics == {"eval_count": 12, "tokens_per_second": 3.5}
    assert msgs[1].model == "llama3.2:3b" and msgs[1].error == ""
    assert store.message(reply.id) == msgs[1]


def test_unknown_ids_and_values_are_refused(store: Store) -> None:
    with pytest.raises(NotFound):
        store.conversation(999)
    with pytest.raises(NotFound):
        store.add_message(999, "user", "x")
    with pytest.raises(NotFound):
        store.update_message(999, content="x")
    with pytest.raises(NotFound):
        store.update_conversation(999, title="x")
    c = store.create_conversation()
    with pytest.raises(ValueError):
        store.add_message(c.id, "robot", "x")
    with pytest.raises(ValueError):
        store.add_message(c.id, "user", "x", status="done")
    # A refused write left nothing behind.
    assert store.messages(c.id) == []


def test_delete_messages_from_removes_the_tail(store: Store) -> None:
    c = store.create_conversation()
    other = store.create_conversation()
    ids = [store.add_message(c.id, "user" if i % 2 == 0 else "assistant", f"m{i}").id for i in range(6)]
    keep = store.add_message(other.id, "user", "other")
    store.delete_messages_from(ids[3])
    assert [m.content for m in store.messages(c.id)] == ["m0", "m1", "m2"]
    assert store.messages(other.id) == [keep]
    store.delete_messages_from(123456)  # gone already: nothing to do


@pytest.mark.parametrize("scrub_in_thread", [False, True])
def test_deleting_a_conversation_leaves_no_trace_in_the_files(tmp_path: Path, scrub_in_thread: bool) -> None:
    path = tmp_path / "secret.sqlite3"
    secret = "SECRET-PASSPHRASE-correct-horse-battery-staple-4711"
    secret_zh = "这是一段绝对不能留在磁盘上的秘密文字"
    keep = "KEEP-THIS-TEXT-still-here-0815"
    with Store(path) as s:
        gone = s.create_conversation(f"title {secret}")
        kept = s.create_conversation("kept")
        s.add_message(kept.id, "user", keep)
        for i in range(30):
            s.add_message(gone.id, "user", f"{secret} {i} " + "x" * 500)
            s.add_message(gone.id, "assistant", f"{secret_zh} {i}\n" + "y" * 3000)  # overflow pages
        s._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = _file_bytes(path)
        assert secret.encode() in before and secret_zh.encode() in before  # the check can see it

        if scrub_in_thread:
            s.delete_conversation(gone.id, scrub=False)
            worker = threading.Thread(target=s.scrub_deleted)
            worker.start()
            assert [m.content for m in s.messages(kept.id)] == [keep]  # the store stays usable meanwhile
            worker.join()
        else:
            s.delete_conversation(gone.id)
        after = _file_bytes(path)
        assert secret.encode() not in after
        assert secret_zh.encode() not in after
        assert keep.encode() in after
        assert [c.id for c in s.conversations()] == [kept.id]
        assert s.search("SECRET-PASSPHRASE") == [] and s.search("秘密文字") == []
        assert s.integrity_check() == "ok"


def _file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    for extra in (Path(f"{path}-wal"), Path(f"{path}-journal")):
        if extra.exists():
            data += extra.read_bytes()
    return data


def test_search_finds_words_titles_and_quotes_hostile_input(store: Store) -> None:
    a = store.create_conversation("Rust lifetimes")
    b = store.create_conversation("Cooking")
    m1 = store.add_message(a.id, "user", "Why does Vec<String> need a lifetime here?")
    m2 = store.add_message(b.id, "assistant", 'Use "double quotes" AND a pinch of salt * 2')
    store.add_message(b.id, "user", "Nothing relevant")

    hits = store.search("lifetime")
    assert (a.id, 0) in {(h.conversation_id, h.message_id) for h in hits}  # title match
    assert any(h.message_id == m1.id and "lifetime" in h.snippet for h in hits)
    assert [h.message_id for h in store.search("VEC<string>")] == [m1.id]  # case-insensitive
    assert [h.message_id for h in store.search("pinch salt")] == [m2.id]  # every word, any order
    assert [h.message_id for h in store.search('"double quotes"')] == [m2.id]
    assert store.search("pinch nonexistentword") == []
    hostile = [
        '"',
        '""',
        'unbalanced "quote',
        "*",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        "a:b",
        "^",
        "salt*",
        "-",
        "'",
        "\\",
        "%",
        "_",
        "()",
        "\x00",
        "   ",
        "",
        "🙂",
        "AND OR NOT",
        "col:salt",
        "{x}",
    ]
    for query in hostile:
        store.search(query)  # never raises
    assert [h.message_id for h in store.search("AND")] == [m2.id]
    assert [h.message_id for h in store.search("* 2")] == [m2.id]
    assert store.search("%") == [] and store.search("_") == []  # LIKE wildcards are literal


def test_search_chinese(store: Store) -> None:
    c = store.create_conversation("周末计划")
    m = store.add_message(c.id, "user", "今天天气很好，我们下午去公园散步，然后吃火锅。")
    store.add_message(c.id, "assistant", "好的，祝你玩得开心！")
    assert [h.message_id for h in store.search("公园散步")] == [m.id]  # trigram match
    assert [h.message_id for h in store.search("公园")] == [m.id]  # two characters: LIKE
    assert [h.message_id for h in store.search("火锅 公园")] == [m.id]
    assert store.search("北京") == []
    title_hits = store.search("周末")
    assert [(h.conversation_id, h.message_id, h.title) for h in title_hits] == [(c.id, 0, "周末计划")]
    assert "公园散步" in store.search("散步")[0].snippet


def test_search_without_trigram_falls_back_to_like_for_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_migrations, "fts_tokenizer", lambda conn: "unicode61")
    with Store(tmp_path / "old-sqlite.sqlite3") as s:
        assert s._tokenizer == "unicode61"
        c = s.create_conversation("notes")
        zh = s.add_message(c.id, "user", "我们下午去公园散步")
        en = s.add_message(c.id, "user", "Lifetimes in Rust")
        assert [h.message_id for h in s.search("公园")] == [zh.id]
        assert [h.message_id for h in s.search("lifetime")] == [en.id]  # prefix match
        for query in ['"', "AND", "*", 'x "y']:
            s.search(query)


def test_a_damaged_row_never_hides_the_others(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    with Store(path) as s:
        good1 = s.create_conversation("good one")
        bad = s.create_conversation("bad options")
        good2 = s.create_conversation("good two")
        s.add_message(good1.id, "user", "fine")
        m = s.add_message(good2.id, "assistant", "will be damaged")
    conn = raw(path)
    conn.execute("UPDATE conversations SET options = '{not json' WHERE id = ?", (bad.id,))
    conn.execute("UPDATE messages SET metrics = '[1,' WHERE id = ?", (m.id,))
    conn.execute("UPDATE messages SET content = CAST(x'48e9ff6c6c6f' AS TEXT) WHERE id = ?", (m.id,))
    conn.close()
    with Store(path) as s:
        listed = {c.id: c for c in s.conversations()}
        assert set(listed) == {good1.id, bad.id, good2.id}
        assert listed[bad.id].loadable is False and "Could not load" in listed[bad.id].title
        assert listed[good1.id].loadable and listed[good1.id].title == "good one"
        assert listed[good2.id].loadable
        assert s.conversation(bad.id).loadable is False
        [damaged] = s.messages(good2.id)
        assert damaged.content.startswith("H") and "\ufffd" in damaged.content
        assert damaged.metrics == {}
        assert [x.content for x in s.messages(good1.id)] == ["fine"]
        # The rest of the store still works around the damage.
        s.add_message(good1.id, "assistant", "still writable")
        assert len(s.messages(good1.id)) == 2


def test_settings_are_json(store: Store) -> None:
    assert store.get_setting("missing", 5) == 5
    values = {"theme": "dark", "font": 13, "ratio": 0.5, "on": True, "list": [1, "二"], "obj": {"a": None}}
    for key, value in values.items():
        store.set_setting(key, value)
    store.set_setting("theme", "light")
    values["theme"] = "light"
    for key, value in values.items():
        assert store.get_setting(key) == value
    store._conn.execute("UPDATE settings SET value = 'nope{' WHERE key = 'font'")
    assert store.get_setting("font", 12) == 12


def test_unfinished_replies_are_marked_interrupted_on_request(store: Store) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, "assistant", "half a repl", status="streaming")
    assert store.mark_unfinished_replies() == 1
    got = store.message(m.id)
    assert got.status == "interrupted" and got.content == "half a repl" and got.error


def _make_v1_database(path: Path) -> None:
    """The schema as version 1 shipped it, written out by hand (not via the migrations)."""
    conn = raw(path)
    conn.executescript(
        """
        PRAGMA journal_mode=WAL;
        CREATE TABLE conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '', system TEXT NOT NULL DEFAULT '',
            options TEXT NOT NULL DEFAULT '{}', created_at REAL NOT NULL, updated_at REAL NOT NULL);
        CREATE TABLE messages (id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL, content TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'complete',
            model TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL, metrics TEXT NOT NULL DEFAULT '{}',
            error TEXT NOT NULL DEFAULT '');
        CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO conversations VALUES (1, 'Old chat', 'llama2', 'sys', '{"temperature":0.7}', 100, 200);
        INSERT INTO conversations VALUES (2, '旧的对话', 'qwen', '', '{}', 50, 60);
        INSERT INTO messages VALUES (1, 1, 'user', 'remember the capybara', 'complete', '', 101, '{}', '');
        INSERT INTO messages VALUES (2, 1, 'assistant', 'Capybaras are large rodents.', 'complete',
            'llama2', 102, '{"eval_count":5}', '');
        INSERT INTO messages VALUES (3, 2, 'user', '水豚是最大的啮齿动物吗？', 'complete', '', 51, '{}', '');
        INSERT INTO settings VALUES ('theme', '"dark"');
        PRAGMA user_version = 1;
        """
    )
    conn.close()


def test_upgrade_from_version_1_backs_up_first_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    _make_v1_database(path)
    with Store(path) as s:
        backup = s.migration_backup
        assert backup is not None and backup.exists() and backup.parent == tmp_path
        assert backup.name.startswith("desk.before-v") and backup.name.endswith(".backup.sqlite3")
        convs = {c.id: c for c in s.conversations()}
        assert [c.id for c in s.conversations()] == [1, 2]
        assert convs[1].title == "Old chat" and convs[1].options == {"temperature": 0.7}
        assert convs[1].uuid and convs[2].uuid and convs[1].uuid != convs[2].uuid
        assert [m.content for m in s.messages(1)] == ["remember the capybara", "Capybaras are large rodents."]
        assert s.messages(1)[1].metrics == {"eval_count": 5}
        assert s.get_setting("theme") == "dark"
        # The full-text index was built over the rows that existed before it.
        assert {h.message_id for h in s.search("capybara")} == {1, 2}
        assert [h.message_id for h in s.search("啮齿动物")] == [3]
        assert [h.conversation_id for h in s.search("旧的对话")] == [2]
        assert s._conn.execute("PRAGMA user_version").fetchone()[0] == store_migrations.SCHEMA_VERSION
        uuid_before = convs[1].uuid
    # The backup is the untouched version-1 database.
    conn = raw(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 3
    assert "uuid" not in [r[1] for r in conn.execute("PRAGMA table_info(conversations)")]
    conn.close()
    # Opening again migrates nothing and keeps the uuids.
    with Store(path) as s:
        assert s.migration_backup is None
        assert s.conversation(1).uuid == uuid_before
    assert len(list(tmp_path.glob("*.backup.sqlite3"))) == 1


def test_a_failed_migration_rolls_back_and_keeps_the_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / DB_NAME
    _make_v1_database(path)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE conversations ADD COLUMN uuid TEXT")
        raise RuntimeError("migration bug")

    monkeypatch.setattr("desktop.core.store.database.MIGRATIONS", (store_migrations.MIGRATIONS[0], broken))
    monkeypatch.setattr("desktop.core.store.database.SCHEMA_VERSION", 2)
    with pytest.raises(StoreError, match="nothing was changed") as caught:
        Store(path)
    assert "migration bug" in str(caught.value)
    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "uuid" not in [r[1] for r in conn.execute("PRAGMA table_info(conversations)")]
    conn.close()
    assert len(list(tmp_path.glob("*.backup.sqlite3"))) == 1


def test_a_newer_schema_is_refused_with_a_plain_message(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    conn = raw(path)
    conn.execute("CREATE TABLE x (y)")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)


def test_a_file_that_is_not_a_database_gives_a_plain_error(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="damaged or not a database"):
        Store(path)


def test_a_second_connection_sees_committed_writes(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    with Store(path) as writer, Store(path) as reader:
        c = writer.create_conversation("shared")
        writer.add_message(c.id, "user", "visible at once")
        assert [m.content for m in reader.messages(c.id)] == ["visible at once"]
        assert json.loads(json.dumps(reader.conversation(c.id).options)) == {}
