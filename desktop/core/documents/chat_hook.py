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
from desktop.core.messages import CitationPart, Conversation, Role
from desktop.core.ollama.types import ChatMessage

_KEY = "documents.conversation.{}"


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


def with_sources(history: Sequence[ChatMessage], text: str) -> list[ChatMessage]:
    """The history with the sources as a system message just before the last user turn, so a
    conversation's own system prompt stays first."""
    out = list(history)
    last_user = max((i for i, m in enumerate(out) if m.role == Role.USER), default=len(out))
    out.insert(last_user, ChatMessage(Role.SYSTEM, text))
    return out


class DocumentsForChat:
    """Called by ChatService before each reply; None when nothing is attached."""

    def __init__(
        self, store: KnowledgeStore, embed_for: Callable[[str], EmbedFn], context_tokens: int = 4096
    ):
        self.store = store
        self.retriever = Retriever(store)
        self.embed_for = embed_for
        self.context_tokens = context_tokens

    async def __call__(self, conversation: Conversation, history: list[ChatMessage]) -> DocumentTurn | None:
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
        return DocumentTurn(
            with_sources(history, system_text(found.passages)), citations(found.passages), notes
        )
