"""search_documents: the user's knowledge bases (desktop.core.documents), as a read-only tool.

Hybrid retrieval (vectors + keywords, documents/retrieve.py) over the knowledge bases attached
to the conversation, or every one when none is attached; keyword-only where no embedding
function was given. The passages come back with their file and page.

What a call found is kept (in memory, the last few results) under the exact text it returned:
when the reply ends, documents/chat_hook.py turns each search_documents result of the answer
into its CitationParts, so the answer lists the same sources as retrieval before the reply.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.ollama.errors import OllamaError
from desktop.core.tools.spec import Tool, ToolError, clip, object_schema

if TYPE_CHECKING:
    from desktop.core.documents.kb import Passage
    from desktop.core.documents.retrieve import EmbedFn

SEARCH_DOCUMENTS = "search_documents"
PASSAGES = 5
REMEMBERED = 64  # results whose passages are kept for the answer's sources

_found: OrderedDict[str, tuple[int, tuple[Passage, ...]]] = OrderedDict()
_found_lock = threading.Lock()


def _remember(result: str, first: int, passages: Sequence[Passage]) -> None:
    with _found_lock:
        _found[result] = (first, tuple(passages))
        _found.move_to_end(result)
        while len(_found) > REMEMBERED:
            _found.popitem(last=False)


def passages_for(result: str) -> tuple[Passage, ...]:
    """The passages behind a search_documents result text (empty if it is not one of the recent
    ones: another process's, or older than the last REMEMBERED)."""
    with _found_lock:
        return _found.get(result, (0, ()))[1]


def first_number(result: str) -> int:
    """The number the result gave its first passage (0 if unknown): calls that ran together
    finish in any order, so their sources are listed by these numbers."""
    with _found_lock:
        return _found.get(result, (0, ()))[0]


def documents_tool(
    database: Path,
    conversation_id: int | None = None,
    embed_for: Callable[[str], EmbedFn] | None = None,
) -> Tool:
    opened: list[Any] = []
    lock = threading.Lock()
    returned = [0]  # passages this tool gave in this reply (a tool is made per reply): numbers go on

    def knowledge() -> Any:
        # Opened on first use, in a worker thread: the same database file as the conversations.
        from desktop.core.documents.kb import KnowledgeStore

        with lock:
            if not opened:
                opened.append(KnowledgeStore(database))
            return opened[0]

    async def run(args: dict[str, Any]) -> str:
        from desktop.core.documents.chat_hook import attachments, sources_given
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
        # After the sources the reply started with and this reply's earlier results: the answer
        # lists them in that order, so the model's [n] is the answer's [n].
        before = sources_given(database, conversation_id) if conversation_id is not None else 0
        first = 1 + before + returned[0]
        returned[0] += len(passages)
        lines = []
        for number, passage in enumerate(passages, first):
            where = Path(passage.path).name + (f", page {passage.page}" if passage.page else "")
            lines.append(f"[{number}] {passage.collection} — {where}:\n{clip(passage.text, 800)}")
        result = clip("\n\n".join(lines), 6_000)
        _remember(result, first, passages)
        return result

    return Tool(
        SEARCH_DOCUMENTS,
        "Search the user's documents (knowledge bases); returns the most relevant passages and their files.",
        object_schema(
            {"query": {"type": "string", "description": "what to look for, in words or a question"}},
            ("query",),
        ),
        run,
    )
