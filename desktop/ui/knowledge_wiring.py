"""Knowledge bases in the app (#17): the store beside the conversations, the controller, the
Knowledge page, the chat's documents hook, and the conversation's documents by the composer;
embeddings go to the session's model server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.core.documents import DEFAULT_EMBED_MODEL
from desktop.core.documents.chat_hook import DocumentsForChat
from desktop.core.documents.kb import KnowledgeStore
from desktop.core.documents.retrieve import EmbedFn
from desktop.ui.controllers.knowledge_controller import KnowledgeController
from desktop.ui.widgets.conversation_documents import ConversationDocuments
from desktop.ui.widgets.knowledge_page import KnowledgePage


def install_knowledge(
    store_path: Any, session: Any, chat: Any, page: Any = None
) -> tuple[KnowledgeController, KnowledgePage]:
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

    knowledge_page = KnowledgePage(controller, current_conversation)
    if page is not None:
        documents = install_conversation_documents(controller, chat, page)
        knowledge_page.use_in_chat = lambda name: documents.set_knowledge_base(name, True)
    controller.resume_all()
    return controller, knowledge_page


def install_conversation_documents(
    controller: KnowledgeController, chat: Any, page: Any
) -> ConversationDocuments:
    """The chips row above the composer's attachments and Documents ▾ on their row; a file too
    large for one message is offered as a document instead."""
    documents = ConversationDocuments(controller)
    box = page.composer_box
    box.add_row(documents)
    box.attachments.add_leading(documents.button)
    box.attachments.knowledge_offered = True
    box.attachments.knowledge_requested.connect(lambda path: documents.attach_files([Path(path)]))
    page.documents = documents

    def opened(conversation: Any, messages: list[Any], _focus: int) -> None:
        documents.set_conversation(int(conversation.id), fresh=not messages)

    def added(_message: Any) -> None:
        # A conversation created without being opened (its options set first) gets the draft.
        current = chat.current
        if current is not None and current.id and documents.conversation_id != current.id:
            documents.set_conversation(int(current.id), fresh=True)

    chat.conversation_opened.connect(opened)
    chat.message_added.connect(added)
    chat.reply_finished.connect(lambda _message: documents.refresh())  # a file gone meanwhile shows so
    return documents
