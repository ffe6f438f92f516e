"""search_documents: the user's knowledge bases (desktop.core.documents), as a read-only tool.

Keyword search over every knowledge base (the documents' own full-text index), so it
needs no embedding model; the passages come back with where they are from.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from desktop.core.tools.spec import Tool, ToolError, clip, object_schema

SEARCH_DOCUMENTS = "search_documents"
PASSAGES = 5


def documents_tool(database: Path) -> Tool:
    opened: list[Any] = []
    lock = threading.Lock()

    def knowledge() -> Any:
        # Opened on first use, in a worker thread: the same database file as the conversations.
        from desktop.core.documents.kb import KnowledgeStore

        with lock:
            if not opened:
                opened.append(KnowledgeStore(database))
            return opened[0]

    async def run(args: dict[str, Any]) -> str:
        from desktop.core.documents.retrieve import Retriever

        query = args.get("query")
        if not isinstance(query, str) or not query.strip():
            raise ToolError("The argument 'query' must be given as text.")
        kb = await asyncio.to_thread(knowledge)
        names = [c.name for c in await asyncio.to_thread(kb.collections)]
        if not names:
            raise ToolError(
                "There are no knowledge bases yet; the user can add documents on the Knowledge page."
            )
        passages = await Retriever(kb).search(names, query, None, k=PASSAGES, mode="keyword")
        if not passages:
            return f"No passage in the knowledge bases mentions {query!r}."
        lines = []
        for number, passage in enumerate(passages, 1):
            where = Path(passage.path).name + (f", page {passage.page}" if passage.page else "")
            lines.append(f"[{number}] {passage.collection} — {where}:\n{clip(passage.text, 800)}")
        return clip("\n\n".join(lines), 6_000)

    return Tool(
        SEARCH_DOCUMENTS,
        "Search the user's documents (knowledge bases) for words; returns matching passages and their files.",
        object_schema({"query": {"type": "string", "description": "words to look for"}}, ("query",)),
        run,
    )
