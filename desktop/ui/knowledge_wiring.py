"""Knowledge bases in the app (#17): the store beside the conversations, the controller, the
Knowledge page, and the chat's documents hook; embeddings go to the session's model server."""

from __future__ import annotations

from typing import Any

from desktop.core.documents import DEFAULT_EMBED_MODEL
from desktop.core.documents.chat_hook import DocumentsForChat
from desktop.core.documents.kb import KnowledgeStore
from desktop.core.documents.retrieve import EmbedFn
from desktop.ui.controllers.knowledge_controller import KnowledgeController
from desktop.ui.widgets.knowledge_page import KnowledgePage


def install_knowledge(store_path: Any, session: Any, chat: Any) -> tuple[KnowledgeController, KnowledgePage]:
    kb = KnowledgeStore(store_path, recover=True)

    def embed_for(model: str) -> EmbedFn:
        async def embed(texts: list[str]) -> list[list[float]]:
            # The client in use when the batch is sent: a server switch reaches the next batch.
            result: list[list[float]] = await session.client.embed(model, texts)
            return result

        return embed

    controller = KnowledgeController(kb, embed_for, DEFAULT_EMBED_MODEL)
    chat.documents = DocumentsForChat(kb, embed_for)
    if getattr(chat, "tools", None) is not None:  # search_documents then retrieves by meaning too
        chat.tools.embed_for = embed_for

    def current_conversation() -> int | None:
        conversation = chat.current
        return int(conversation.id) if conversation is not None else None

    page = KnowledgePage(controller, current_conversation)
    controller.resume_all()
    return controller, page
