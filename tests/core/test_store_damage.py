"""The store under damage: corrupt, empty, read-only, full and locked databases.

Each failure is a StoreError subclass with a plain sentence, what was saved before is
kept, and a database that cannot be used is moved aside, never silently replaced.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.core.messages import Role
from desktop.core.store import (
    DB_NAME,
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DiskFull,
    Store,
    StoreError,
)
from tests.support.fault_server import FaultServer


def _filled(path: Path, n: int = 40) -> tuple[int, int]:
    with Store(path) as s:
        keep = s.create_conversation("kept conversation")
        s.add_message(keep.id, Role.USER, "saved before the damage")
        c = s.create_conversation("bulk")
        for i in range(n):
            s.add_message(c.id, Role.ASSISTANT, f"message {i} " + "x" * 2000)
    return keep.id, c.id


def test_a_zero_byte_database_is_moved_aside_and_reported(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    path.write_bytes(b"")
    with Store(path) as s:
        assert s.moved_aside is not None and s.moved_aside.exists()
        assert s.moved_aside.name.startswith(f"{DB_NAME}.broken-")
        assert s.moved_aside.read_bytes() == b""
        assert "0 bytes" in s.notice and str(s.moved_aside) in s.notice
        c = s.create_conversation("new start")
        assert [x.title for x in s.conversations()] == [c.title]
    with Store(path) as again:  # the new database is a real one now: nothing more is moved
        assert again.moved_aside is None and again.notice == ""
        assert [x.title for x in again.conversations()] == ["new start"]


def test_a_fresh_path_is_not_reported(tmp_path: Path) -> None:
    with Store(tmp_path / DB_NAME) as s:
        assert s.moved_aside is None and s.notice == ""
    assert not list(tmp_path.glob("*.broken-*"))


def test_an_unreadable_database_is_moved_aside_when_the_app_opens_it(desk_home: Path) -> None:
    path = desk_home / DB_NAME
    garbage = b"this is not sqlite at all" * 100
    path.write_bytes(garbage)
    with pytest.raises(DatabaseCorrupt, match="damaged or not a database"):
        Store(path)  # a tool opening someone's file: refused, left alone
    assert path.read_bytes() == garbage
    with Store.open_default() as s:
        assert s.moved_aside is not None and s.moved_aside.read_bytes() == garbage
        assert "could not be read" in s.notice and str(s.moved_aside) in s.notice
        assert s.conversations() == []
        s.create_conversation("works")


def test_a_damaged_table_fails_with_a_plain_error_and_the_rest_is_kept(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    keep_id, bulk_id = _filled(path)
    conn = sqlite3.connect(str(path))
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'messages'").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xa5" * page_size)
    with Store(path) as s:
        assert [c.title for c in s.conversations()] == ["bulk", "kept conversation"]
        with pytest.raises(DatabaseCorrupt) as caught:
            s.messages(bulk_id)
        message = str(caught.value)
        assert "damaged" in message and "restore a backup" in message
        assert not isinstance(caught.value.__cause__, StoreError)  # the raw error is kept as the cause
        # Reading again fails the same plain way; nothing was moved or replaced.
        with pytest.raises(DatabaseCorrupt):
            s.message(1)
        assert s.moved_aside is None
    assert path.exists()


def test_a_full_disk_fails_the_write_with_a_plain_error_and_keeps_what_was_saved(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    with Store(path) as s:
        c = s.create_conversation("full")
        saved = s.add_message(c.id, Role.USER, "saved before the disk filled")
        pages = s._conn.execute("PRAGMA page_count").fetchone()[0]
        # SQLite's own size limit gives the same SQLITE_FULL as a full disk.
        s._conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(DiskFull, match="full") as caught:
            s.add_message(c.id, Role.ASSISTANT, "y" * 200_000)
        assert "everything saved before is kept" in str(caught.value)
        with pytest.raises(DiskFull):
            s.update_message(saved.id, content="z" * 200_000)
        assert not s._conn.in_transaction
        assert [m.content for m in s.messages(c.id)] == ["saved before the disk filled"]
        s._conn.execute(f"PRAGMA max_page_count = {pages * 1000}")
        s.add_message(c.id, Role.ASSISTANT, "space again")  # the store carries on once space is back
        assert len(s.messages(c.id)) == 2


def test_a_read_only_database_fails_writes_with_a_plain_error_and_still_reads(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    keep_id, _ = _filled(path, n=1)
    with Store(path) as s:
        # As root, file modes do not stop writes; query_only gives SQLite's SQLITE_READONLY.
        s._conn.execute("PRAGMA query_only = ON")
        with pytest.raises(DatabaseReadOnly, match="cannot be written") as caught:
            s.set_setting("theme", "dark")
        assert "writable" in str(caught.value)
        with pytest.raises(DatabaseReadOnly):
            s.create_conversation("nope")
        assert [m.content for m in s.messages(keep_id)] == ["saved before the damage"]
    ro = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as raw:
            ro.execute("DELETE FROM settings")
        from desktop.core.store.errors import translated

        assert isinstance(translated(raw.value, path), DatabaseReadOnly)
    finally:
        ro.close()


def test_a_locked_database_fails_with_a_plain_error(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    with Store(path) as s:
        s._conn.execute("PRAGMA busy_timeout = 50")
        holder = sqlite3.connect(str(path), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(DatabaseLocked, match="busy in another program"):
                s.set_setting("a", 1)
            assert not s._conn.in_transaction
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        s.set_setting("a", 1)
        assert s.get_setting("a") == 1


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database disk image is malformed", DatabaseCorrupt),
        ("file is not a database", DatabaseCorrupt),
        ("database or disk is full", DiskFull),
        ("attempt to write a readonly database", DatabaseReadOnly),
        ("database is locked", DatabaseLocked),
        ("something else entirely", StoreError),
    ],
)
def test_errors_are_mapped_by_message_where_no_code_is_given(
    tmp_path: Path, message: str, kind: type[StoreError]
) -> None:
    from desktop.core.store.errors import translated

    got = translated(sqlite3.OperationalError(message), tmp_path / DB_NAME)
    assert type(got) is kind and str(tmp_path / DB_NAME) in str(got)


def test_a_reply_outlives_a_disk_that_is_full_for_a_moment(fault_server: FaultServer, tmp_path: Path) -> None:
    import asyncio

    from desktop.core.chat import ChatService, ReplyOutcome
    from desktop.core.messages import Status
    from desktop.core.ollama.client import OllamaClient, Timeouts

    model = "tiny:latest"
    pieces = [f"piece {i} " + "w" * 3000 for i in range(6)]
    lines: list[dict[str, object]] = [
        {"model": model, "message": {"role": "assistant", "content": p}, "done": False} for p in pieces
    ]
    lines.append({"model": model, "message": {"role": "assistant", "content": ""}, "done": True})
    fault_server.route("POST", "/api/chat", lines=lines, delay=0.01)
    with Store(tmp_path / DB_NAME) as s:
        c = s.create_conversation("full for a moment", model)
        s.add_message(c.id, Role.USER, "write a lot")
        pages = s._conn.execute("PRAGMA page_count").fetchone()[0]
        seen: list[str] = []

        def on_delta(text: str) -> None:
            seen.append(text)
            if len(seen) == 1:
                s._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk fills up
            elif len(seen) == 4:
                s._conn.execute(f"PRAGMA max_page_count = {pages * 1000}")  # and is freed again

        async def main() -> ReplyOutcome:
            async with OllamaClient(fault_server.url, timeouts=Timeouts(first_token=10, idle=10)) as client:
                return await ChatService(client, s, save_interval=0.0).reply(c.id, on_delta=on_delta)

        outcome = asyncio.run(main())
        assert outcome.status == Status.COMPLETE
        assert s.messages(c.id)[-1].content == "".join(pieces)
