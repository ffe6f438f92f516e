"""Message search in Chinese (schema 8, #17 leftover): CJK text is also indexed as single
characters + bigrams (documents/terms.py), so 西湖, 茶 and 杭州龙井 are found through FTS."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.core.messages import ThinkingPart
from desktop.core.store import Store, schema


def _ids(store: Store, query: str) -> list[int]:
    return [h.message_id for h in store.search(query)]


def _fts_rows(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_short_and_unspaced_chinese_words_are_found(tmp_path: Path) -> None:
    with Store(tmp_path / "desk.sqlite3") as store:
        c = store.create_conversation("周末")
        lake = store.add_message(c.id, "user", "我们明天去西湖喝茶，好吗？")
        tea = store.add_message(c.id, "assistant", "好的。我最喜欢杭州龙井茶，清香。")
        en = store.add_message(c.id, "user", "Explain Rust lifetimes briefly")
        assert sorted(_ids(store, "茶")) == sorted([lake.id, tea.id])
        assert _ids(store, "西湖") == [lake.id]
        assert _ids(store, "杭州龙井") == [tea.id]  # no space, four characters: bigram phrase
        assert _ids(store, "龙井 清香") == [tea.id]  # each word must match
        assert _ids(store, "州龙") == [tea.id]  # any substring, as before
        assert _ids(store, "杭州西湖") == []  # the bigrams must be in a row, not scattered
        assert _ids(store, "龙井 西湖") == []
        assert _ids(store, "lifetimes") == [en.id] and _ids(store, "Rust 西湖") == []
        assert "杭州龙井茶" in store.search("杭州龙井")[0].snippet
        for hostile in ['"西湖', "茶 AND", "西*", "NEAR(茶)", "，", "茶\x00"]:
            store.search(hostile)  # plain text, never FTS5 syntax, never raises
        assert set(_ids(store, "，")) == {lake.id, tea.id}  # punctuation only: matched as text


def test_the_index_follows_edits_deletes_and_parts(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    with Store(path) as store:
        c = store.create_conversation("notes")
        m = store.add_message(c.id, "assistant", "第一稿", parts=[ThinkingPart("用户想去苏州园林")])
        assert _ids(store, "苏州") == [m.id]  # found through its thinking part
        store.update_message(m.id, content="改写后的回答：去黄山看日出")
        assert _ids(store, "黄山") == [m.id] and _ids(store, "第一稿") == []
        other = store.create_conversation("other")
        store.add_message(other.id, "user", "黄山很高")
        assert len(_ids(store, "黄山")) == 2
        store.delete_conversation(other.id)
        assert _ids(store, "黄山") == [m.id]
        store.delete_conversation(c.id)
        assert store.search("黄山") == [] and store.search("苏州") == []
    assert _fts_rows(path, "messages_cjk") == 0 and _fts_rows(path, "parts_cjk") == 0


def test_a_conversation_written_before_schema_8_is_found_after_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    with Store(path) as store:
        c = store.create_conversation("旧对话")
        old = store.add_message(c.id, "user", "去年在杭州龙井村买了茶叶", parts=[ThinkingPart("想起西湖")])
    conn = sqlite3.connect(path)
    for index in ("messages_cjk", "parts_cjk"):
        for event in ("insert", "update", "delete"):
            conn.execute(f"DROP TRIGGER {index}_{event}")
        conn.execute(f"DROP TABLE {index}")
    conn.execute("DROP TABLE search_pending")
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.migration_backup is not None and store.migration_backup.exists()
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 8
        assert _ids(store, "杭州龙井") == [old.id] and _ids(store, "茶") == [old.id]
        assert _ids(store, "西湖") == [old.id]  # its part
        assert [m.content for m in store.messages(c.id)] == ["去年在杭州龙井村买了茶叶"]


def test_another_program_can_still_write_and_its_text_is_found(tmp_path: Path) -> None:
    # The triggers are plain SQL: the sqlite3 shell (no app function) can write messages; the
    # store indexes what it wrote at the next search.
    path = tmp_path / "desk.sqlite3"
    with Store(path) as store:
        c = store.create_conversation("shell")
        m = store.add_message(c.id, "user", "原文")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE messages SET content = '外部程序写的西湖游记' WHERE id = ?", (m.id,))
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert _ids(store, "西湖") == [m.id] and _ids(store, "原文") == []
        assert store._conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
