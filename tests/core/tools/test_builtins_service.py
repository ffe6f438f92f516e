"""Built-in tools (time zones, search, picked files, size caps) and the per-conversation
choice of tools in ToolsService."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from pathlib import Path

import pytest

from desktop.core.messages import Role
from desktop.core.store import Store
from desktop.core.tools.builtins import MAX_FILE_BYTES, read_file_tool, resolve_names, search_tool, time_tool
from desktop.core.tools.choices import ToolChoice
from desktop.core.tools.service import ToolsService
from desktop.core.tools.spec import ToolError

NOON_UTC = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


def test_time_in_time_zones() -> None:
    tool = time_tool(lambda: NOON_UTC)
    assert (
        asyncio.run(tool.run({"timezone": "Asia/Shanghai"})) == "Tuesday 2026-12-01 20:00:00 (CST, UTC+0800)"
    )
    assert "UTC-0500" in asyncio.run(tool.run({"timezone": "America/New_York"}))
    with pytest.raises(ToolError, match="Unknown time zone"):
        asyncio.run(tool.run({"timezone": "../../etc/passwd"}))


def test_search_finds_earlier_conversations(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    conversation = store.create_conversation("Trip", model="m")
    store.add_message(conversation.id, Role.USER, "We booked the hotel in 北京 for March")
    tool = search_tool(store)
    assert "北京" in asyncio.run(tool.run({"query": "hotel"}))
    assert asyncio.run(tool.run({"query": "zebra"})) == "No conversation mentions 'zebra'."


def test_read_file_reads_only_picked_files_and_caps_the_size(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("line one\n", encoding="utf-8")
    big = tmp_path / "big.log"
    big.write_bytes(b"x" * (MAX_FILE_BYTES + 10))
    other = tmp_path / "secret.txt"
    other.write_text("do not read", encoding="utf-8")
    tool = read_file_tool(lambda: (notes, big))
    assert asyncio.run(tool.run({"name": "notes.txt"})) == "line one\n"
    assert asyncio.run(tool.run({"name": "big.log"})).endswith("only the first 256 KiB are shown]")
    with pytest.raises(ToolError, match="No picked file is called"):
        asyncio.run(tool.run({"name": str(other)}))
    with pytest.raises(ToolError, match="not picked a file"):
        asyncio.run(read_file_tool(lambda: ()).run({"name": "x"}))


def test_a_picked_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ToolError, match="not a regular file"):
        asyncio.run(read_file_tool(lambda: (fifo,)).run({"name": "pipe"}))


def test_names_and_aliases() -> None:
    assert resolve_names(["calc", "time", "calculator"]) == ["calculator", "current_time"]
    with pytest.raises(ValueError, match="Unknown tool 'shell'"):
        resolve_names(["shell"])


def test_tools_are_off_until_switched_on_per_conversation(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    a = store.create_conversation("a", model="m")
    b = store.create_conversation("b", model="m")
    service = ToolsService(store, lambda conv: None)  # type: ignore[arg-type, return-value]
    assert service.tools_for(a.id) == [] and service.loop_for(a) is None
    service.set_choice(a.id, ToolChoice(on=True))
    names = [t.name for t in service.tools_for(a.id)]
    # fetch_web_page is off by default
    assert names == ["calculator", "current_time", "search_conversations", "search_documents", "read_file"]
    assert service.tools_for(b.id) == []
    service.set_choice(a.id, ToolChoice(on=True, enabled=frozenset({"calculator", "fetch_web_page"})))
    tools = service.tools_for(a.id)
    assert [t.name for t in tools] == ["calculator", "fetch_web_page"]
    assert tools[1].asks
    assert ToolsService(store, lambda conv: None).choice(a.id).enabled == {"calculator", "fetch_web_page"}  # type: ignore[arg-type, return-value]


def test_always_in_this_conversation_is_kept_with_the_conversation(tmp_path: Path) -> None:
    from desktop.core.tools import Decision
    from desktop.core.tools.builtins import fetch_tool

    store = Store(tmp_path / "s.db")
    conversation = store.create_conversation("a", model="m")
    asked: list[str] = []

    async def ask(tool: object, arguments: dict[str, object]) -> Decision:
        asked.append(getattr(tool, "name", ""))
        return Decision.ALWAYS

    service = ToolsService(store, lambda conv: None, ask=ask)  # type: ignore[arg-type, return-value]
    tool = fetch_tool()
    assert asyncio.run(service.policy(conversation.id).permit(tool, {"url": "http://x"}))
    assert service.choice(conversation.id).always == {"fetch_web_page"}
    later = ToolsService(store, lambda conv: None, ask=ask)  # type: ignore[arg-type, return-value]
    assert asyncio.run(later.policy(conversation.id).permit(tool, {"url": "http://y"}))
    assert asked == ["fetch_web_page"]  # asked once, then remembered
    later.set_choice(conversation.id, ToolChoice(on=True))  # withdrawn in the dialog
    assert later.policy(conversation.id).needs_asking(tool)


def test_search_documents_reads_the_knowledge_bases(tmp_path: Path) -> None:
    from desktop.core.documents.chunk import Chunk
    from desktop.core.documents.kb import KnowledgeStore
    from desktop.core.tools.builtins import DOCUMENTS, builtin_tools

    store = Store(tmp_path / "s.db")
    tool = builtin_tools(store)[DOCUMENTS]
    with pytest.raises(ToolError, match="no knowledge bases yet"):
        asyncio.run(tool.run({"query": "invoice"}))
    kb = KnowledgeStore(store.path)
    collection = kb.create("Work", "all-minilm")
    file_id, first = kb.begin_file(collection.id, "/home/me/docs/invoice-2026.pdf", 10, 0.0, "abc")
    text = "The invoice total for March is 1,240 EUR, due on 15 April."
    kb.write_chunks(file_id, first, [Chunk(text, 2, "March", 0, len(text))], [[0.0, 1.0]], last=True)
    kb.close()
    found = asyncio.run(tool.run({"query": "invoice total"}))
    assert found.startswith("[1] Work — invoice-2026.pdf, page 2:") and "1,240 EUR" in found
    assert asyncio.run(tool.run({"query": "zebra"})) == "No passage in the knowledge bases mentions 'zebra'."
    assert not tool.asks
