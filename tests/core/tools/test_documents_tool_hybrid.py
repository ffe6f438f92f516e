"""search_documents as hybrid retrieval (#17 leftover): the conversation's attached knowledge
bases (all when none is attached), vectors + keywords when the app gave an embedding function."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from desktop.core.documents.chat_hook import Attachments, attach
from desktop.core.documents.indexer import Indexer
from desktop.core.documents.kb import KnowledgeStore
from desktop.core.documents.retrieve import EmbedFn
from desktop.core.store import Store
from desktop.core.tools.builtins import DOCUMENTS
from desktop.core.tools.service import ToolsService
from tests.support.documents import HashEmbedder


def _index(kb: KnowledgeStore, name: str, folder: Path, files: dict[str, str]) -> None:
    folder.mkdir()
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    asyncio.run(Indexer(kb, HashEmbedder(), "hash").add(name, [folder]))


def test_search_documents_is_hybrid_over_the_attached_knowledge_bases(tmp_path: Path) -> None:
    store = Store(tmp_path / "desk.sqlite3")
    kb = KnowledgeStore(store.path)
    _index(kb, "Tea", tmp_path / "tea", {"longjing.txt": "杭州龙井茶产于西湖一带，清明前采摘。"})
    _index(kb, "Ships", tmp_path / "ships", {"ferry.txt": "The ferry to the island leaves at nine."})
    attached = store.create_conversation("tea talk")
    loose = store.create_conversation("anything")
    attach(kb, attached.id, Attachments(knowledge_bases=("Tea", "gone")))
    kb.close()

    query_embedder = HashEmbedder()
    models: list[str] = []

    def embed_for(model: str) -> EmbedFn:
        models.append(model)
        return query_embedder

    service = ToolsService(store, lambda conv: None)  # type: ignore[arg-type, return-value]
    service.embed_for = embed_for
    tool = service.builtins(attached.id)[DOCUMENTS]
    found = asyncio.run(tool.run({"query": "西湖 ferry"}))
    assert found.startswith("[1] Tea — longjing.txt:") and "清明前采摘" in found
    assert "ferry" not in found.lower()  # Ships is not attached to this conversation
    assert models == ["hash"] and query_embedder.calls == 1  # the query was embedded: hybrid

    everything = asyncio.run(service.builtins(loose.id)[DOCUMENTS].run({"query": "ferry island"}))
    assert everything.startswith("[1] Ships — ferry.txt:") and "leaves at nine" in everything
    assert query_embedder.calls == 2

    service.embed_for = None  # no embedding function: keywords alone still answer
    keyword = asyncio.run(service.builtins(attached.id)[DOCUMENTS].run({"query": "龙井"}))
    assert "杭州龙井茶" in keyword and query_embedder.calls == 2
    store.close()


def test_an_embedding_server_that_fails_leaves_the_keywords(tmp_path: Path) -> None:
    from desktop.core.ollama.errors import OllamaError

    store = Store(tmp_path / "desk.sqlite3")
    kb = KnowledgeStore(store.path)
    _index(kb, "Tea", tmp_path / "tea", {"longjing.txt": "杭州龙井茶产于西湖一带。"})
    kb.close()

    async def broken(texts: list[str]) -> list[list[float]]:
        raise OllamaError("model 'hash' not found")

    service = ToolsService(store, lambda conv: None)  # type: ignore[arg-type, return-value]
    service.embed_for = lambda model: broken
    found = asyncio.run(service.builtins(store.create_conversation("x").id)[DOCUMENTS].run({"query": "西湖"}))
    assert found.startswith("[1] Tea — longjing.txt:")
    store.close()


def test_a_native_tool_call_over_http_gets_the_passages(tmp_path: Path, fault_server: Any) -> None:
    from desktop.core.ollama import ChatMessage, OllamaClient, Timeouts
    from desktop.core.tools import ToolLoop
    from tests.core.tools.test_tool_loop import MODEL, call, line
    from tests.support.documents import hashed_vector

    store = Store(tmp_path / "desk.sqlite3")
    kb = KnowledgeStore(store.path)
    _index(kb, "Tea", tmp_path / "tea", {"longjing.txt": "杭州龙井茶产于西湖一带，清明前采摘。"})
    kb.close()
    conversation = store.create_conversation("tea")
    fault_server.route(
        "POST",
        "/api/chat",
        once=True,
        lines=[line(calls=[call(DOCUMENTS, {"query": "西湖"})]), line(done=True)],
    )
    fault_server.route("POST", "/api/chat", once=True, lines=[line("清明前采摘。"), line(done=True)])
    fault_server.route("POST", "/api/embed", body={"model": "hash", "embeddings": [hashed_vector("西湖")]})

    async def talk() -> str:
        async with OllamaClient(fault_server.url, timeouts=Timeouts(first_token=10, idle=10)) as client:
            service = ToolsService(store, lambda conv: None)  # type: ignore[arg-type, return-value]
            service.embed_for = lambda model: lambda texts: client.embed(model, texts)
            loop = ToolLoop(client, [service.builtins(conversation.id)[DOCUMENTS]])
            chunks = [c async for c in loop.stream(MODEL, [ChatMessage("user", "龙井茶什么时候采？")])]
        return "".join(c.content for c in chunks)

    assert asyncio.run(talk()) == "清明前采摘。"
    paths = [r.path for r in fault_server.requests]
    assert paths == ["/api/chat", "/api/embed", "/api/chat"]  # the query was embedded: hybrid
    tool_message = fault_server.requests[2].json()["messages"][-1]
    assert tool_message["role"] == "tool" and tool_message["tool_name"] == DOCUMENTS
    assert (
        tool_message["content"].startswith("[1] Tea — longjing.txt:")
        and "清明前采摘" in tool_message["content"]
    )
    store.close()
