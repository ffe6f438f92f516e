"""Export/import of conversations (JSON, Markdown) and whole-database backup/restore."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from desktop.core.export import (
    FORMAT,
    VERSION,
    ExportError,
    backup_database,
    export_json,
    export_markdown,
    import_data,
    import_json,
    restore_database,
    safe_filename,
)
from desktop.core.store import Store, StoreError

SAMPLES = [
    "",
    "Hello, world.",
    "你好！请用中文解释一下量子纠缠。",
    "量子纠缠是一种物理现象：两个粒子的状态相互关联，即使相隔很远。",
    "```python\ndef f(x: int) -> int:\n    return x * 2  # \"quoted\" and 'single'\n```",
    "```rust\nfn main() { let v: Vec<String> = vec![]; }\n",  # unclosed fence
    "Emoji 🙂🚀👩‍💻 and combining e\u0301 and RTL שלום and zero\u200bwidth",
    "Line one\r\nline two\ttabbed\n\n\n trailing spaces   ",
    "<script>alert(1)</script> & &amp; < > \\ backslash \x01 control",
    "# Not a heading of the export\n---\n### nor this",
    "x" * 20000,
]
OPTIONS = [
    {},
    {"temperature": 0.2},
    {"temperature": 1.3, "num_ctx": 8192, "seed": 42},
    {"top_p": 0.9, "stop": ["\n\n"]},
]


def _fill(store: Store, count: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    for i in range(count):
        conv = store.create_conversation(
            title=rnd.choice(
                ["", "Plan 周末", f"Chat {i}", 'Quotes "and" / slashes \\ : * ?', "CON", "../../etc"]
            ),
            model=rnd.choice(["", "llama3.2:3b", "qwen2.5:7b-instruct-q4_K_M", "smollm2:135m"]),
            system=rnd.choice(["", "You are terse.", "用中文回答。\nSecond line."]),
            options=rnd.choice(OPTIONS),
        )
        for j in range(rnd.randrange(0, 12)):
            role = "user" if j % 2 == 0 else "assistant"
            if rnd.random() < 0.05:
                role = rnd.choice(["system", "tool"])
            message = store.add_message(conv.id, role, rnd.choice(SAMPLES), model=rnd.choice(["", "m:1"]))
            if role == "assistant":
                status = rnd.choice(["complete", "complete", "interrupted", "stopped", "error"])
                metrics: dict[str, Any] = {}
                if status == "complete":
                    metrics = {
                        "eval_count": rnd.randrange(1, 900),
                        "tokens_per_second": rnd.random() * 80,
                        "load_duration": rnd.randrange(10**9),
                        "done_reason": "stop",
                    }
                store.update_message(
                    message.id,
                    status=status,
                    metrics=metrics,
                    error="" if status == "complete" else "The connection to the model server was cut.",
                )


def _snapshot(store: Store) -> dict[str, Any]:
    """Everything but the row ids, keyed by uuid."""
    return {
        c.uuid: (
            (c.title, c.model, c.system, c.options, c.created_at, c.updated_at, c.loadable),
            [
                (m.role, m.content, m.status, m.model, m.created_at, m.metrics, m.error)
                for m in store.messages(c.id)
            ],
        )
        for c in store.conversations()
    }


def test_hundred_conversations_round_trip_through_json(tmp_path: Path) -> None:
    source = Store(tmp_path / "source.sqlite3")
    _fill(source, 100)
    expected = _snapshot(source)
    assert len(expected) == 100
    assert sum(len(msgs) for _, msgs in expected.values()) > 300
    out = tmp_path / "export.json"
    assert export_json(source, out) == 100
    data = json.loads(out.read_text("utf-8"))
    assert data["format"] == FORMAT and data["version"] == VERSION
    assert "你好" in out.read_text("utf-8")  # readable, not \u-escaped

    target = Store(tmp_path / "target.sqlite3")
    result = import_json(target, out)
    assert (result.imported, result.skipped, result.failed) == (100, 0, [])
    assert _snapshot(target) == expected
    assert [c.uuid for c in target.conversations()] == [c.uuid for c in source.conversations()]

    # Importing again, or into the store it came from, duplicates nothing.
    again = import_json(target, out)
    assert (again.imported, again.skipped) == (0, 100)
    assert (import_json(source, out).imported, len(source.conversations())) == (0, 100)
    assert _snapshot(target) == expected
    # The imported text is searchable like any other.
    assert target.search("量子纠缠")
    source.close()
    target.close()


def test_import_into_an_existing_store_gets_new_ids_and_keeps_the_rest(tmp_path: Path) -> None:
    source = Store(tmp_path / "a.sqlite3")
    _fill(source, 5, seed=2)
    out = tmp_path / "a.json"
    export_json(source, out)
    target = Store(tmp_path / "b.sqlite3")
    mine = target.create_conversation("mine", "m")
    target.add_message(mine.id, "user", "my own words")
    before_ids = {c.id for c in target.conversations()}
    assert import_json(target, out).imported == 5
    new = [c for c in target.conversations() if c.id not in before_ids]
    assert len(new) == 5 and mine.id not in {c.id for c in new}
    assert [m.content for m in target.messages(mine.id)] == ["my own words"]
    assert _snapshot(target) == {**_snapshot(source), mine.uuid: _snapshot(target)[mine.uuid]}
    source.close()
    target.close()


def test_bad_import_files_give_plain_errors_and_bad_entries_do_not_block_good_ones(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", "utf-8")
    with pytest.raises(ExportError, match="not an Ollama Desk export"):
        import_json(store, bad)
    with pytest.raises(ExportError, match="Could not read"):
        import_json(store, tmp_path / "missing.json")
    with pytest.raises(ExportError, match="not an Ollama Desk conversation export"):
        import_data(store, {"format": "something else"})
    with pytest.raises(ExportError, match="newer version"):
        import_data(store, {"format": FORMAT, "version": VERSION + 1, "conversations": []})
    good = {
        "uuid": "11111111-2222-3333-4444-555555555555",
        "title": "ok",
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "half", "status": "streaming"},
        ],
    }
    result = import_data(
        store,
        {
            "format": FORMAT,
            "version": 1,
            "conversations": [
                "not an object",
                {"title": "no uuid"},
                {"uuid": "x", "messages": [{"role": "wizard", "content": "?"}]},
                {"uuid": "y", "options": [1, 2]},
                {"uuid": "z", "created_at": "yesterday"},
                good,
            ],
        },
    )
    assert result.imported == 1 and len(result.failed) == 5
    assert all(f.startswith("Conversation ") for f in result.failed)
    [conv] = store.conversations()
    assert conv.uuid == good["uuid"]
    # A reply that was streaming at export time comes back interrupted (continuable).
    assert [(m.content, m.status) for m in store.messages(conv.id)] == [
        ("hi", "complete"),
        ("half", "interrupted"),
    ]
    store.close()


def test_markdown_export_is_one_readable_file_per_conversation(tmp_path: Path) -> None:
    store = Store(tmp_path / "m.sqlite3")
    c1 = store.create_conversation("周末计划: 去哪儿?", "qwen2.5:7b", "用中文回答。", {"temperature": 0.2})
    store.add_message(c1.id, "user", "我们去公园吗？")
    reply = store.add_message(c1.id, "assistant", "```python\nprint('hi')\n", model="qwen2.5:7b")
    store.update_message(reply.id, status="interrupted", error="The connection was cut.")
    c2 = store.create_conversation("../../etc/passwd")
    c3 = store.create_conversation("CON")
    store.add_message(c3.id, "user", "")
    folder = tmp_path / "md"
    files = export_markdown(store, folder)
    assert len(files) == 3 and all(f.parent == folder and f.suffix == ".md" for f in files)
    assert {f.name for f in folder.iterdir()} == {f.name for f in files}
    by_id = {int(f.stem.rsplit("-", 1)[1]): f for f in files}
    text = by_id[c1.id].read_text("utf-8")
    assert text.startswith("# 周末计划: 去哪儿?\n")
    assert "周末计划" in by_id[c1.id].name and ":" not in by_id[c1.id].name and "?" not in by_id[c1.id].name
    assert "- Model: `qwen2.5:7b`" in text and "temperature = 0.2" in text
    assert "> 用中文回答。" in text
    assert "### You\n\n我们去公园吗？" in text
    assert "### Assistant (qwen2.5:7b)\n\n```python\nprint('hi')\n\n```" in text  # fence closed
    assert "*(Reply interrupted: The connection was cut.)*" in text
    assert "/" not in by_id[c2.id].name[:-3] and by_id[c2.id].name.count("..") == 0
    assert not by_id[c3.id].name.lower().startswith("con.")
    assert "*(empty)*" in by_id[c3.id].read_text("utf-8")
    store.close()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Hello world", "Hello-world"),
        ('a/b\\c:d*e?f"g<h>i|j', "a-b-c-d-e-f-g-h-i-j"),
        ("", "untitled"),
        ("...", "untitled"),
        ("NUL", "untitled-NUL"),
        ("com1.txt", "untitled-com1.txt"),
        ("你好 世界", "你好-世界"),
    ],
)
def test_safe_filename(title: str, expected: str) -> None:
    assert safe_filename(title) == expected


def test_backup_and_restore_the_whole_database(tmp_path: Path) -> None:
    store = Store(tmp_path / "live.sqlite3")
    _fill(store, 10, seed=3)
    store.set_setting("theme", "dark")
    backup = backup_database(store, tmp_path / "backup.sqlite3")
    saved = _snapshot(store)

    extra = store.create_conversation("after the backup")
    store.add_message(extra.id, "user", "this will be rolled back")
    store.delete_conversation(store.conversations()[-1].id)
    store.set_setting("theme", "light")
    assert _snapshot(store) != saved

    safety = restore_database(store, backup)
    assert _snapshot(store) == saved
    assert store.get_setting("theme") == "dark"
    assert store.integrity_check() == "ok"
    assert store.search("this will be rolled back") == []
    # What was replaced is kept next to the database.
    with Store(safety) as replaced:
        assert "after the backup" in [c.title for c in replaced.conversations()]
    # The live store keeps working after a restore.
    c = store.create_conversation("new")
    store.add_message(c.id, "user", "fresh 新的")
    assert [h.conversation_id for h in store.search("新的")] == [c.id]

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"nope" * 1000)
    with pytest.raises(StoreError):
        restore_database(store, garbage)
    with pytest.raises(StoreError):
        restore_database(store, tmp_path / "missing.sqlite3")
    assert "new" in [c.title for c in store.conversations()]
    store.close()


def _json_values() -> Any:
    from hypothesis import strategies as st

    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=20,
    )


def test_generated_hostile_exports_import_or_fail_plainly(tmp_path: Path) -> None:
    """Any JSON in a format-2 export's fields: imported, skipped or listed as failed, never a crash."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from desktop.core.export import FORMAT, ExportError

    keys = st.sampled_from(["role", "content", "status", "key", "parent", "active", "parts", "metrics"])
    message = st.dictionaries(keys, _json_values(), max_size=8) | _json_values()
    part = st.fixed_dictionaries(
        {"kind": st.sampled_from(["text", "thinking", "tool_call", "tool_result", "image", "citation", "x"])},
        optional={k: _json_values() for k in ("text", "name", "arguments", "data", "content", "source")},
    )
    with Store(tmp_path / "fuzz.sqlite3") as store:

        @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
        @given(messages=st.lists(message, max_size=5), parts=st.lists(part, max_size=3))
        def check(messages: list[Any], parts: list[Any]) -> None:
            if messages and isinstance(messages[0], dict):
                messages[0] = {**messages[0], "role": "user", "parts": parts}
            uuid = str(random.random())
            data = {"format": FORMAT, "version": 2, "conversations": [{"uuid": uuid, "messages": messages}]}
            try:
                result = import_data(store, data)
            except ExportError:
                return
            assert result.imported + result.skipped + len(result.failed) == 1
            if result.imported:
                [conversation] = [c for c in store.conversations() if c.uuid == uuid]
                store.messages(conversation.id)  # readable as a thread

        check()
