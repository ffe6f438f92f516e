"""search_documents: the user's knowledge bases (desktop.core.documents), as a read-only tool.

Hybrid retrieval (vectors + keywords, documents/retrieve.py) over the knowledge bases attached
to the conversation, or every one when none is attached; keyword-only where no embedding
function was given. The passages come back with their file and page.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.ollama.errors import OllamaError
from desktop.core.tools.spec import Tool, ToolError, clip, object_schema

if TYPE_CHECKING:
    from desktop.core.documents.retrieve import EmbedFn

SEARCH_DOCUMENTS = "search_documents"
PASSAGES = 5


def documents_tool(
    database: Path,
    conversation_id: int | None = None,
    embed_for: Callable[[str], EmbedFn] | None = None,
) -> Tool:
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
        from desktop.core.documents.chat_hook import attachments
        from desktop.core.documents.retrieve import Retriever

        query = args.get("query")
        if not isinstance(query, str) or not query.strip():
            raise ToolError("The argument 'query' must be given as text.")
        kb = await asyncio.to_thread(knowledge)
        known = {c.name: c for c in await asyncio.to_thread(kb.collections)}
        if not known:
            raise ToolError(
                "There are no knowledge bases yet; the user can add documents on the Knowledge page."
            )
        attached: tuple[str, ...] = ()
        if conversation_id is not None:
            attached = (await asyncio.to_thread(attachments, kb, conversation_id)).knowledge_bases
        names = [n for n in attached if n in known] or list(known)
        model = next((known[n].embed_model for n in names if known[n].embed_model), "")
        embed = embed_for(model) if embed_for is not None and model else None
        retriever = Retriever(kb)
        passages = None
        if embed is not None:
            try:
                passages = await retriever.search(names, query, embed, k=PASSAGES, mode="hybrid")
            except OllamaError:
                pass  # the embedding model is missing or its server is down: keywords still answer
        if passages is None:
            passages = await retriever.search(names, query, None, k=PASSAGES, mode="keyword")
        if not passages:
            return f"No passage in the knowledge bases mentions {query!r}."
        lines = []
        for number, passage in enumerate(passages, 1):
            where = Path(passage.path).name + (f", page {passage.page}" if passage.page else "")
            lines.append(f"[{number}] {passage.collection} — {where}:\n{clip(passage.text, 800)}")
        return clip("\n\n".join(lines), 6_000)

    return Tool(
        SEARCH_DOCUMENTS,
        "Search the user's documents (knowledge bases); returns the most relevant passages and their files.",
        object_schema(
            {"query": {"type": "string", "description": "what to look for, in words or a question"}},
            ("query",),
        ),
        run,
    )
