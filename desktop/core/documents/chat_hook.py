"""Documents in a conversation: which knowledge bases and files are attached, and the turn's
sources for ChatService (its `documents` hook).

Attachments are kept in the settings table under `documents.conversation.<id>` (JSON), not in
the conversation's options: those are sent to the model server as model options.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.documents.context import citations, gather, system_text
from desktop.core.documents.kb import KnowledgeStore
from desktop.core.documents.retrieve import EmbedFn, Retriever
from desktop.core.messages import CitationPart, Conversation, Message, Part, Role, ToolResultPart
from desktop.core.ollama.types import ChatMessage
from desktop.core.store import Store, StoreError

_KEY = "documents.conversation.{}"

# (database, conversation) -> how many sources its current reply's system message numbered: the
# search_documents tool numbers its passages after them, so every [n] the model sees in one reply
# stands for one source, in the order the answer lists them (cite_tools).
_numbered: dict[tuple[str, int], int] = {}


def sources_given(database: Path | str, conversation_id: int) -> int:
    return _numbered.get((str(database), conversation_id), 0)


@dataclass(frozen=True)
class Attachments:
    knowledge_bases: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.knowledge_bases and not self.files


@dataclass(frozen=True)
class DocumentTurn:
    history: list[ChatMessage]
    citations: list[CitationPart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # attached files that could not be read


def attachments(store: KnowledgeStore, conversation_id: int) -> Attachments:
    rows = store._query("SELECT value FROM settings WHERE key = ?", (_KEY.format(conversation_id),))
    if not rows:
        return Attachments()
    try:
        data = json.loads(str(rows[0][0]))
        kbs = tuple(str(x) for x in data.get("knowledge_bases", []) if isinstance(x, str))
        files = tuple(str(x) for x in data.get("files", []) if isinstance(x, str))
    except (ValueError, AttributeError, TypeError):
        return Attachments()  # a damaged value attaches nothing rather than failing the chat
    return Attachments(kbs, files)


def attach(store: KnowledgeStore, conversation_id: int, value: Attachments) -> None:
    key = _KEY.format(conversation_id)
    with store._write() as conn:
        if value.empty:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        else:
            data = {"knowledge_bases": list(value.knowledge_bases), "files": list(value.files)}
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(data, ensure_ascii=False)),
            )


def rename_attached(store: KnowledgeStore, name: str, new_name: str | None) -> None:
    """A knowledge base renamed (or deleted: None) is renamed (or dropped) in every
    conversation's attachments, so a chat keeps the one it had, and never a later namesake."""
    pattern = _KEY.format("%")
    with store._write() as conn:
        rows = conn.execute("SELECT key, value FROM settings WHERE key LIKE ?", (pattern,)).fetchall()
        for key, value in rows:
            try:
                data = json.loads(str(value))
                names = [str(n) for n in data.get("knowledge_bases", [])]
            except (ValueError, AttributeError, TypeError):
                continue  # a damaged value attaches nothing anyway
            if name not in names:
                continue
            if new_name is None:
                kept = [n for n in names if n != name]
            else:
                kept = [new_name if n == name else n for n in names]
            data["knowledge_bases"] = list(dict.fromkeys(kept))
            text = json.dumps(data, ensure_ascii=False)
            conn.execute("UPDATE settings SET value = ? WHERE key = ?", (text, key))


def with_sources(history: Sequence[ChatMessage], text: str) -> list[ChatMessage]:
    """The history with the sources as a system message just before the last user turn, so a
    conversation's own system prompt stays first."""
    out = list(history)
    last_user = max((i for i, m in enumerate(out) if m.role == Role.USER), default=len(out))
    out.insert(last_user, ChatMessage(Role.SYSTEM, text))
    return out


def tool_citations(parts: Sequence[Part]) -> list[CitationPart]:
    """The passages the search_documents tool gave the model in this reply, as CitationParts,
    in the order of the numbers it gave them."""
    from desktop.core.tools.documents_tool import SEARCH_DOCUMENTS, first_number, passages_for

    results = [
        part.content
        for part in parts
        if isinstance(part, ToolResultPart) and part.name == SEARCH_DOCUMENTS and not part.is_error
    ]
    found: list[CitationPart] = []
    for result in sorted(results, key=first_number):  # in the numbers the model saw
        found += citations(passages_for(result))
    return found


class DocumentsForChat:
    """Called by ChatService before each reply; None when nothing is attached. When the reply
    has ended, `cite_tools` gives it the sources the search_documents tool found too."""

    def __init__(
        self, store: KnowledgeStore, embed_for: Callable[[str], EmbedFn], context_tokens: int = 4096
    ):
        self.store = store
        self.retriever = Retriever(store)
        self.embed_for = embed_for
        self.context_tokens = context_tokens
        # The sources each conversation's current reply started with: the tool loop's parts
        # replace a reply's other parts as they change, so cite_tools puts these back.
        self._started: dict[int, list[CitationPart]] = {}

    async def __call__(self, conversation: Conversation, history: list[ChatMessage]) -> DocumentTurn | None:
        self._started.pop(conversation.id, None)
        _numbered.pop((str(self.store.path), conversation.id), None)
        attached = attachments(self.store, conversation.id)
        if attached.empty:
            return None
        query = next((m.content for m in reversed(history) if m.role == Role.USER), "")
        if not query.strip():
            return None
        known = {c.name: c for c in self.store.collections()}
        kbs = [n for n in attached.knowledge_bases if n in known]
        model = next((known[n].embed_model for n in kbs if known[n].embed_model), "")
        embed = self.embed_for(model) if model else None
        found = await gather(
            self.retriever,
            kbs,
            [Path(f) for f in attached.files],
            query,
            embed,
            context_tokens=self.context_tokens,
        )
        notes = [f"{Path(p).name}: {why}" for p, why in found.unreadable]
        if found.empty:
            return DocumentTurn(list(history), [], notes)
        cited = citations(found.passages)
        self._started[conversation.id] = cited
        _numbered[(str(self.store.path), conversation.id)] = len(cited)
        return DocumentTurn(with_sources(history, system_text(found.passages)), cited, notes)

    def cite_tools(self, store: Store, message: Message) -> Message:
        """The ended reply `message` with every source it used as CitationParts: the ones
        retrieved before it (numbered first, as the model saw them), then the search_documents
        results. Saved when that adds any; the message as it is otherwise."""
        started = self._started.pop(message.conversation_id, [])
        _numbered.pop((str(self.store.path), message.conversation_id), None)
        have = [p for p in message.parts if isinstance(p, CitationPart)]
        tools = tool_citations(message.parts)
        if not started and (not tools or have[len(have) - len(tools) :] == tools):
            return message  # nothing came from the tool, or it is cited already
        # Not merged with the first ones even where a passage repeats: the numbers stay the model's.
        wanted = [*(started or have), *tools]
        if wanted == have:
            return message
        parts = [*(p for p in message.parts if not isinstance(p, CitationPart)), *wanted]
        try:
            store.set_parts(message.id, parts)
            return store.message(message.id)
        except StoreError:  # the conversation went meanwhile: nothing to show it in
            return message
