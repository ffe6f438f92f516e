"""Generated variants (hypothesis) for the store: damaged files never surface a raw sqlite3
error, and any sequence of sends, regenerations, edits, switches and deletions keeps the
conversation a well-formed thread."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.messages import Role, ThinkingPart
from desktop.core.store import DB_NAME, DatabaseCorrupt, NotFound, Store, StoreError

_TEMPLATE: dict[str, bytes] = {}


def _template() -> bytes:
    """A small real database (conversations, messages, parts), built once."""
    if "db" not in _TEMPLATE:
        folder = Path(tempfile.mkdtemp())
        try:
            with Store(folder / DB_NAME) as s:
                for n in range(3):
                    c = s.create_conversation(f"conversation {n}")
                    for i in range(6):
                        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
                        s.add_message(c.id, role, f"text {n}.{i} " * 30, parts=(ThinkingPart("why " * 20),))
            _TEMPLATE["db"] = (folder / DB_NAME).read_bytes()
        finally:
            shutil.rmtree(folder)
    return _TEMPLATE["db"]


def _exercise(path: Path, *, recover: bool) -> None:
    try:
        s = Store(path, recover=recover)
    except StoreError:
        return
    try:
        for action in (
            s.conversations,
            lambda: [s.messages(c.id) for c in s.conversations()],
            lambda: s.search("text"),
            lambda: s.search("why"),
            lambda: s.add_message(s.create_conversation("new").id, Role.USER, "after the damage"),
            lambda: s.get_setting("x"),
            s.integrity_check,
        ):
            try:
                action()
            except StoreError:
                pass
    finally:
        s.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    offset=st.integers(min_value=0, max_value=200_000),
    garbage=st.binary(min_size=1, max_size=4096),
    recover=st.booleans(),
)
def test_damaged_bytes_anywhere_give_store_errors_only(offset: int, garbage: bytes, recover: bool) -> None:
    data = bytearray(_template())
    offset %= len(data)
    data[offset : offset + len(garbage)] = garbage
    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / DB_NAME
        path.write_bytes(bytes(data[: max(len(data), offset + len(garbage))]))
        _exercise(path, recover=recover)  # no sqlite3.Error, no other exception
        if recover:
            # The app's open does not fail on a damaged file: one it cannot open is moved aside
            # and a new one started; one that opens is kept, and a damaged table then fails its
            # reads with DatabaseCorrupt. Only a version field that reads as a newer schema is
            # refused, and the file left alone.
            try:
                s = Store(path, recover=True)
            except StoreError as err:
                assert "newer version" in str(err) and path.exists()
            else:
                with s:
                    try:
                        assert isinstance(s.conversations(), list)
                    except DatabaseCorrupt as err:
                        assert "damaged" in str(err) and s.moved_aside is None
    finally:
        shutil.rmtree(folder)


@settings(max_examples=40, deadline=None)
@given(cut=st.integers(min_value=0, max_value=200_000))
def test_a_truncated_database_gives_store_errors_only(cut: int) -> None:
    data = _template()
    folder = Path(tempfile.mkdtemp())
    try:
        path = folder / DB_NAME
        path.write_bytes(data[: cut % (len(data) + 1)])
        _exercise(path, recover=False)
        with Store(path, recover=True) as s:  # a cut file never reads as a newer schema
            s.create_conversation("works")
        if cut % (len(data) + 1) == 0:
            assert list(folder.glob(f"{DB_NAME}.broken-*"))  # the empty file was kept aside
    finally:
        shutil.rmtree(folder)


_KINDS = st.sampled_from(["send", "reply", "regenerate", "edit", "switch", "delete"])
_OPS = st.lists(st.tuples(_KINDS, st.integers(0, 50)), max_size=40)


@settings(max_examples=80, deadline=None)
@given(ops=_OPS)
def test_any_sequence_of_turns_and_versions_keeps_a_well_formed_thread(ops: list[tuple[str, int]]) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        with Store(folder / DB_NAME) as s:
            c = s.create_conversation("tree")
            for op, pick in ops:
                thread = s.messages(c.id)
                target = thread[pick % len(thread)] if thread else None
                try:
                    if op == "send":
                        s.add_message(c.id, Role.USER, f"q{pick}")
                    elif op == "reply":
                        s.add_message(c.id, Role.ASSISTANT, f"a{pick}")
                    elif op == "regenerate" and target is not None:
                        new = s.add_version(target.id, f"v{pick}")
                        assert s.messages(c.id)[-1].id == new.id and new.role == target.role
                    elif op == "edit" and target is not None:
                        s.add_version(target.id, f"e{pick}")
                    elif op == "switch" and target is not None:
                        versions = s.versions(target.id)
                        chosen = versions[pick % len(versions)]
                        s.select_version(chosen.id)
                        assert chosen.id in [m.id for m in s.messages(c.id)]
                    elif op == "delete" and target is not None:
                        s.delete_messages_from(target.id)
                        assert target.id not in [m.id for m in s.messages(c.id)]
                except NotFound:
                    pass
                _check_thread(s, c.id)
    finally:
        shutil.rmtree(folder)


def _check_thread(s: Store, conversation_id: int) -> None:
    thread = s.messages(conversation_id)
    parent = 0
    for m in thread:
        assert m.parent_id == parent  # each turn follows the one before it
        versions = s.versions(m.id)
        assert [v.id for v in versions] == sorted(v.id for v in versions)
        assert 1 <= m.version <= m.version_count == len(versions)
        assert versions[m.version - 1].id == m.id
        parent = m.id
    # The leaf of the thread has no active continuation hidden: nothing hangs below it unshown.
    conn = sqlite3.connect(str(s.path))
    try:
        rows = conn.execute(
            "SELECT count(*) FROM messages WHERE conversation_id = ? AND coalesce(parent_id, 0) = ?",
            (conversation_id, parent),
        ).fetchone()
    finally:
        conn.close()
    assert rows[0] == 0
