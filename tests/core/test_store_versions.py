"""Messages with versions and parts: the store, the migration to them, search, export, chat."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core import export
from desktop.core.chat import ChatService
from desktop.core.messages import (
    CitationPart,
    ImagePart,
    Role,
    Status,
    TextPart,
    ThinkingPart,
    ToolCallPart,
    ToolResultPart,
    part_from_record,
    part_record,
)
from desktop.core.ollama.client import OllamaClient, Timeouts
from desktop.core.store import DB_NAME, Store
from desktop.core.store import schema as store_schema
from tests.support.fault_server import FaultServer

MODEL = "smollm2:135m"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
ALL_PARTS = (
    ThinkingPart("The user wants a haiku about otters."),
    ToolCallPart("call-1", "weather", {"city": "北京", "days": 2}),
    ToolResultPart("call-1", "weather", "sunny, 21 °C"),
    ToolResultPart("call-2", "files", "permission denied", is_error=True),
    ImagePart("image/png", PNG, "otter.png"),
    CitationPart("/docs/otters.pdf", "Otters of Asia", "Otters hold hands while sleeping.", "p. 4"),
    TextPart("A second paragraph after the tool call."),
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / DB_NAME)
    yield s
    s.close()


def chunk(text: str) -> dict[str, Any]:
    return {"model": MODEL, "message": {"role": "assistant", "content": text}, "done": False}


FINAL: dict[str, Any] = {"model": MODEL, "message": {"role": "assistant", "content": ""}, "done": True}


def test_every_part_kind_round_trips_through_the_store(store: Store) -> None:
    c = store.create_conversation("parts", MODEL)
    m = store.add_message(c.id, Role.ASSISTANT, "Here is the answer.", parts=ALL_PARTS)
    assert m.parts == ALL_PARTS
    assert store.message(m.id).parts == ALL_PARTS
    [shown] = store.messages(c.id)
    assert shown.parts == ALL_PARTS and shown.content == "Here is the answer."
    image = shown.parts[4]
    assert isinstance(image, ImagePart) and image.data == PNG
    store.set_parts(m.id, (ThinkingPart("shorter"),))
    assert store.message(m.id).parts == (ThinkingPart("shorter"),)
    for part in ALL_PARTS:
        assert part_from_record(part_record(part)) == part
    with pytest.raises(ValueError, match="unknown part kind"):
        part_from_record({"kind": "hologram"})


def test_a_damaged_part_is_left_out_and_the_message_still_shows(store: Store) -> None:
    c = store.create_conversation()
    m = store.add_message(c.id, Role.ASSISTANT, "text", parts=(ThinkingPart("a"), ThinkingPart("b")))
    store._conn.execute("UPDATE message_parts SET data = '{broken' WHERE position = 0")
    assert store.message(m.id).parts == (ThinkingPart("b"),)
    assert store.messages(c.id)[0].content == "text"


def test_regenerate_keeps_every_version_and_switching_changes_the_thread(store: Store) -> None:
    c = store.create_conversation("v", MODEL)
    q = store.add_message(c.id, Role.USER, "question")
    a1 = store.add_message(c.id, Role.ASSISTANT, "first answer")
    follow = store.add_message(c.id, Role.USER, "follow-up to the first answer")
    a2 = store.add_version(a1.id, "second answer", model=MODEL)
    assert (a2.version, a2.version_count, a2.parent_id, a2.role) == (2, 2, q.id, Role.ASSISTANT)
    # The new version is shown; what followed the first one stays with it.
    assert [m.content for m in store.messages(c.id)] == ["question", "second answer"]
    versions = [(m.id, m.version, m.version_count) for m in store.versions(a1.id)]
    assert versions == [(a1.id, 1, 2), (a2.id, 2, 2)]
    store.select_version(a1.id)
    shown = store.messages(c.id)
    assert [m.id for m in shown] == [q.id, a1.id, follow.id]
    assert (shown[1].version, shown[1].version_count) == (1, 2)
    # Selecting a message deep in another branch shows its whole branch.
    store.select_version(a2.id)
    reply_to_second = store.add_message(c.id, Role.USER, "follow-up to the second")
    store.select_version(follow.id)
    assert [m.id for m in store.messages(c.id)] == [q.id, a1.id, follow.id]
    store.select_version(reply_to_second.id)
    assert [m.id for m in store.messages(c.id)] == [q.id, a2.id, reply_to_second.id]


def test_edit_makes_a_new_user_version_and_keeps_the_old_branch(store: Store) -> None:
    c = store.create_conversation("e", MODEL)
    q1 = store.add_message(c.id, Role.USER, "what is 2+2")
    store.add_message(c.id, Role.ASSISTANT, "4")
    q2 = store.add_version(q1.id, "what is 3+3")
    assert q2.role == Role.USER and (q2.version, q2.version_count) == (2, 2)
    assert [m.content for m in store.messages(c.id)] == ["what is 3+3"]
    store.add_message(c.id, Role.ASSISTANT, "6")
    assert [m.content for m in store.messages(c.id)] == ["what is 3+3", "6"]
    store.select_version(q1.id)
    assert [m.content for m in store.messages(c.id)] == ["what is 2+2", "4"]


def test_delete_messages_from_removes_one_branch_and_shows_the_newest_left(store: Store) -> None:
    c = store.create_conversation()
    q = store.add_message(c.id, Role.USER, "q", parts=(ThinkingPart("x"),))
    a1 = store.add_message(c.id, Role.ASSISTANT, "a1")
    store.add_message(c.id, Role.USER, "after a1")
    a2 = store.add_version(a1.id, "a2")
    a3 = store.add_version(a1.id, "a3")
    store.select_version(a2.id)
    store.delete_messages_from(a2.id)
    assert [m.content for m in store.messages(c.id)] == ["q", "a3"]
    assert [m.id for m in store.versions(a1.id)] == [a1.id, a3.id]
    store.delete_messages_from(a1.id)  # not shown: the shown version stays
    assert [m.content for m in store.messages(c.id)] == ["q", "a3"]
    store.delete_messages_from(q.id)
    assert store.messages(c.id) == []
    assert store._conn.execute("SELECT count(*) FROM message_parts").fetchone()[0] == 0


def test_search_covers_parts_and_every_version(store: Store) -> None:
    c = store.create_conversation("search", MODEL)
    store.add_message(c.id, Role.USER, "tell me")
    a = store.add_message(c.id, Role.ASSISTANT, "visible", parts=ALL_PARTS)
    old = a
    new = store.add_version(old.id, "the replacement answer")
    assert [h.message_id for h in store.search("haiku about otters")] == [a.id]  # thinking
    assert [h.message_id for h in store.search("weather")] == [a.id]  # tool call name
    assert [h.message_id for h in store.search("北京")] == [a.id]  # tool arguments, Chinese
    assert [h.message_id for h in store.search("sleeping")] == [a.id]  # citation quote
    assert "permission denied" in store.search("permission denied")[0].snippet
    assert [h.message_id for h in store.search("replacement")] == [new.id]
    assert [h.message_id for h in store.search("visible")] == [old.id]  # an earlier version


def test_deleting_a_conversation_leaves_no_part_text_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    with Store(path) as s:
        c = s.create_conversation()
        s.add_message(c.id, Role.ASSISTANT, "x", parts=(ThinkingPart("zanzibar-secret-thought " * 20),))
        s.delete_conversation(c.id)
        assert s._conn.execute("SELECT count(*) FROM message_parts").fetchone()[0] == 0
        assert s.search("zanzibar") == []
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"zanzibar" not in data


def _make_v3_database(path: Path) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    for migration in store_schema.MIGRATIONS[:3]:
        migration(conn)
    conn.executescript(
        """
        INSERT INTO conversations VALUES (1, 'Old', 'llama2', '', '{}', 1, 2, 'u-1');
        INSERT INTO conversations VALUES (2, 'Other', 'llama2', '', '{}', 1, 3, 'u-2');
        INSERT INTO messages VALUES (1, 1, 'user', 'q1', 'complete', '', 1, '{}', '');
        INSERT INTO messages VALUES (2, 2, 'user', 'other q', 'complete', '', 1, '{}', '');
        INSERT INTO messages VALUES (3, 1, 'assistant', 'a1', 'complete', 'llama2', 1, '{}', '');
        INSERT INTO messages VALUES (4, 1, 'user', 'q2', 'complete', '', 1, '{}', '');
        PRAGMA user_version = 3;
        """
    )
    conn.close()


def test_the_migration_to_versions_backs_up_first_and_keeps_each_thread_in_order(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    _make_v3_database(path)
    with Store(path) as s:
        assert s.migration_backup is not None and s.migration_backup.exists()
        thread = s.messages(1)
        assert [m.content for m in thread] == ["q1", "a1", "q2"]
        assert [m.parent_id for m in thread] == [0, 1, 3]
        assert all(m.version_count == 1 and m.parts == () for m in thread)
        assert [m.content for m in s.messages(2)] == ["other q"]
        assert [h.message_id for h in s.search("other q")] == [2]
        s.add_version(3, "a1 again")
        assert [m.content for m in s.messages(1)] == ["q1", "a1 again"]
    conn = sqlite3.connect(str(tmp_path / next(p.name for p in tmp_path.glob("*.backup.sqlite3"))))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()


def test_json_export_keeps_versions_and_parts_and_format_1_still_imports(tmp_path: Path) -> None:
    with Store(tmp_path / "a.sqlite3") as source:
        c = source.create_conversation("versions", MODEL)
        q = source.add_message(c.id, Role.USER, "question")
        a1 = source.add_message(c.id, Role.ASSISTANT, "first", parts=ALL_PARTS)
        source.add_version(a1.id, "second", parts=(ThinkingPart("again"),))
        source.select_version(a1.id)
        source.add_message(c.id, Role.USER, "after first")
        source.add_version(q.id, "edited question")
        source.select_version(a1.id)
        expected = [(m.content, m.parts, m.version, m.version_count) for m in source.messages(c.id)]
        export.export_json(source, tmp_path / "out.json")
        markdown = export.conversation_markdown(source.conversation(c.id), source.messages(c.id))
    with Store(tmp_path / "b.sqlite3") as target:
        assert export.import_json(target, tmp_path / "out.json").imported == 1
        [copy] = target.conversations()
        got = target.messages(copy.id)
        assert [(m.content, m.parts, m.version, m.version_count) for m in got] == expected
        assert len(target.message_tree(copy.id)) == 5
        assert [m.content for m in target.versions(got[0].id)] == ["question", "edited question"]
        v1 = {
            "format": export.FORMAT,
            "version": 1,
            "conversations": [
                {
                    "uuid": "old-file",
                    "messages": [
                        {"role": "user", "content": "one"},
                        {"role": "assistant", "content": "two"},
                        {"role": "user", "content": "three"},
                    ],
                }
            ],
        }
        assert export.import_data(target, v1).imported == 1
        old = target.conversation_by_uuid("old-file")
        assert old is not None
        assert [m.content for m in target.messages(old.id)] == ["one", "two", "three"]
        bad = {**v1, "version": 2}
        bad["conversations"] = [{"uuid": "x", "messages": [{"role": "user", "key": 1, "parent": 9}]}]
        assert export.import_data(target, bad).failed
    assert "**Thinking:**" in markdown and "> The user wants a haiku about otters." in markdown
    assert "**Tool call:** `weather`" in markdown and "sunny, 21 °C" in markdown
    assert "**Tool error** (`files`)" in markdown and "otter.png" in markdown
    assert "Otters of Asia" in markdown and "version 1 of 2" in markdown


async def _service_call(server: FaultServer, store: Store, name: str, *args: Any, **kw: Any) -> Any:
    client = OllamaClient(server.url, timeouts=Timeouts(first_token=10, idle=10))
    try:
        service = ChatService(client, store)
        deltas: list[str] = []
        outcome = await getattr(service, name)(*args, on_delta=deltas.append, **kw)
    finally:
        await client.aclose()
    return outcome, deltas


def test_chat_regenerate_adds_a_version_and_sends_the_history_before_it(
    fault_server: FaultServer, store: Store
) -> None:
    c = store.create_conversation("r", MODEL)
    store.add_message(c.id, Role.USER, "q1")
    a1 = store.add_message(c.id, Role.ASSISTANT, "old answer")
    fault_server.route("POST", "/api/chat", lines=[chunk("new "), chunk("answer"), FINAL])
    outcome, deltas = asyncio.run(_service_call(fault_server, store, "regenerate", a1.id))
    assert outcome.status == Status.COMPLETE and "".join(deltas) == "new answer"
    assert fault_server.requests[-1].json()["messages"] == [{"role": "user", "content": "q1"}]
    shown = store.messages(c.id)
    assert [m.content for m in shown] == ["q1", "new answer"]
    assert (shown[1].id, shown[1].version, shown[1].version_count) == (outcome.message_id, 2, 2)
    assert store.message(a1.id).content == "old answer"  # kept
    with pytest.raises(ValueError, match="Only a reply"):
        asyncio.run(_service_call(fault_server, store, "regenerate", shown[0].id))


def test_chat_edit_adds_a_user_version_and_answers_it_keeping_the_old_turns(
    fault_server: FaultServer, store: Store
) -> None:
    c = store.create_conversation("e", MODEL)
    q1 = store.add_message(c.id, Role.USER, "first wording")
    store.add_message(c.id, Role.ASSISTANT, "answer to the first wording")
    edited: list[Any] = []
    fault_server.route("POST", "/api/chat", lines=[chunk("answer to the second"), FINAL])
    outcome, _ = asyncio.run(
        _service_call(fault_server, store, "edit", q1.id, "second wording", on_edited=edited.append)
    )
    assert [m.content for m in edited] == ["second wording"]
    assert fault_server.requests[-1].json()["messages"] == [{"role": "user", "content": "second wording"}]
    assert [m.content for m in store.messages(c.id)] == ["second wording", "answer to the second"]
    store.select_version(q1.id)
    assert [m.content for m in store.messages(c.id)] == ["first wording", "answer to the first wording"]
    with pytest.raises(ValueError, match="Type the new text"):
        asyncio.run(_service_call(fault_server, store, "edit", q1.id, "  "))
    assert outcome.status == Status.COMPLETE


def test_switch_version_steps_through_the_versions_and_stops_at_the_ends(store: Store) -> None:
    from desktop.core.chat import switch_version

    c = store.create_conversation()
    store.add_message(c.id, Role.USER, "q")
    a1 = store.add_message(c.id, Role.ASSISTANT, "one")
    a2 = store.add_version(a1.id, "two")
    a3 = store.add_version(a1.id, "three")
    assert switch_version(store, a3.id, -1).id == a2.id
    assert store.messages(c.id)[-1].content == "two"
    assert switch_version(store, a2.id, -1).id == a1.id
    assert switch_version(store, a1.id, -1).id == a1.id  # the oldest: stays
    assert switch_version(store, a1.id, +2).id == a3.id
    assert switch_version(store, a3.id, +1).id == a3.id
    assert [(m.content, m.version, m.version_count) for m in store.messages(c.id)][-1] == ("three", 3, 3)


def test_backup_and_restore_keep_versions_and_parts_and_an_old_backup_is_upgraded(tmp_path: Path) -> None:
    with Store(tmp_path / "live.sqlite3") as s:
        c = s.create_conversation("kept", MODEL)
        s.add_message(c.id, Role.USER, "q")
        a = s.add_message(c.id, Role.ASSISTANT, "a1", parts=ALL_PARTS)
        s.add_version(a.id, "a2")
        backup = s.backup_to(tmp_path / "copy.sqlite3")
        s.delete_conversation(c.id)
        s.restore_from(backup)
        [restored] = s.conversations()
        thread = s.messages(restored.id)
        assert [(m.content, m.version, m.version_count) for m in thread] == [("q", 1, 1), ("a2", 2, 2)]
        assert s.versions(thread[1].id)[0].parts == ALL_PARTS
        # A backup made before versions existed (schema 3) comes back upgraded.
        _make_v3_database(tmp_path / "old.sqlite3")
        s.restore_from(tmp_path / "old.sqlite3")
        assert [m.content for m in s.messages(1)] == ["q1", "a1", "q2"]
        s.add_version(3, "a1, regenerated after the restore")
        assert [m.content for m in s.messages(1)] == ["q1", "a1, regenerated after the restore"]


def test_the_schema_4_flags_become_the_thread_shown(tmp_path: Path) -> None:
    """Schema 4 marked the active version of every turn, also in branches not shown."""
    path = tmp_path / DB_NAME
    conn = sqlite3.connect(str(path), isolation_level=None)
    for migration in store_schema.MIGRATIONS[:4]:
        migration(conn)
    conn.executescript(
        """
        INSERT INTO conversations VALUES (1, 'tree', 'm', '', '{}', 1, 2, 'u-1');
        INSERT INTO messages (id, conversation_id, role, content, created_at, parent_id, active)
            VALUES (1, 1, 'user', 'q', 1, NULL, 1),
                   (2, 1, 'assistant', 'a1', 1, 1, 0),
                   (3, 1, 'user', 'after a1', 1, 2, 1),
                   (4, 1, 'assistant', 'a2', 1, 1, 1),
                   (5, 1, 'user', 'after a2', 1, 4, 1),
                   (6, 1, 'assistant', 'reply 1', 1, 5, 0),
                   (7, 1, 'assistant', 'reply 2', 1, 5, 1);
        PRAGMA user_version = 4;
        """
    )
    conn.close()
    with Store(path) as s:
        assert [m.content for m in s.messages(1)] == ["q", "a2", "after a2", "reply 2"]
        s.select_version(2)
        assert [m.content for m in s.messages(1)] == ["q", "a1", "after a1"]
        s.add_message(1, Role.ASSISTANT, "answer after a1")
        assert [m.content for m in s.messages(1)][-1] == "answer after a1"
