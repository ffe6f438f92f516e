"""The search_documents tool's passages become the answer's CitationParts when the reply ends
(#17), after the ones retrieved for the attached documents (which the tool loop's parts would
otherwise replace), through ChatService and the tool loop over real HTTP."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from desktop.core.chat import ChatService
from desktop.core.documents.chat_hook import Attachments, DocumentsForChat, attach, tool_citations
from desktop.core.documents.indexer import Indexer
from desktop.core.documents.kb import KnowledgeStore
from desktop.core.messages import CitationPart, Role, ToolResultPart
from desktop.core.ollama import OllamaClient, Timeouts
from desktop.core.store import Store
from desktop.core.tools.builtins import DOCUMENTS
from desktop.core.tools.choices import ToolChoice
from desktop.core.tools.service import ToolsService
from tests.core.tools.test_tool_loop import MODEL, call, line
from tests.support.documents import HashEmbedder, hashed_vector


def test_the_tools_passages_are_cited_after_the_attached_files(tmp_path: Path, fault_server: Any) -> None:
    store = Store(tmp_path / "desk.sqlite3")
    kb = KnowledgeStore(store.path)
    museum = tmp_path / "museum"
    museum.mkdir()
    (museum / "hours.txt").write_text("The museum opens at ten and closes at six, except on Mondays.\n")
    (museum / "prices.txt").write_text("Tickets to the museum cost five euros.\n")
    asyncio.run(Indexer(kb, HashEmbedder(), "hash").add("Town", [museum]))
    ferry = tmp_path / "ferry.md"
    ferry.write_text("# Ferry\n\nThe ferry to the island leaves at seven.\n")
    conversation = store.create_conversation("trip", model=MODEL)
    attach(kb, conversation.id, Attachments(files=(str(ferry),)))  # no knowledge base: the tool searches all
    store.add_message(conversation.id, Role.USER, "When does the ferry leave, and when is the museum open?")
    # Two searches at once: they run together and may finish in either order.
    searches = [call(DOCUMENTS, {"query": "museum"}), call(DOCUMENTS, {"query": "tickets"}, index=1)]
    asks = [line(calls=searches), line(done=True)]
    fault_server.route("POST", "/api/chat", once=True, lines=asks)
    answers = [line("Seven [1]; ten to six [2]."), line(done=True)]
    fault_server.route("POST", "/api/chat", once=True, lines=answers)
    fault_server.route("POST", "/api/embed", body={"model": "hash", "embeddings": [hashed_vector("museum")]})

    async def talk() -> Any:
        async with OllamaClient(fault_server.url, timeouts=Timeouts(first_token=10, idle=10)) as client:

            def embed_for(model: str) -> Any:
                return lambda texts: client.embed(model, texts)

            tools = ToolsService(store, lambda conv: client)
            tools.embed_for = embed_for
            tools.set_choice(conversation.id, ToolChoice(on=True, enabled=frozenset({DOCUMENTS})))
            hook = DocumentsForChat(kb, embed_for)
            service = ChatService(client, store, tools=tools.loop_for, documents=hook)
            outcome = await service.reply(conversation.id, on_delta=lambda _t: None)
            return hook, outcome

    hook, outcome = asyncio.run(talk())
    sent = [r.json() for r in fault_server.requests if r.route_path == "/api/chat"]
    assert "[1] ferry.md" in sent[0]["messages"][0]["content"]  # the attached file, whole, as [1]
    assert "ferry to the island leaves at seven" in sent[0]["messages"][0]["content"]
    tool_texts = [m["content"] for m in sent[1]["messages"] if m["role"] == "tool"]
    # What the model saw: each [n] once, in one numbering after the attached file's [1].
    numbered = re.compile(r"^\[(\d+)\] Town — (\S+):", re.M)
    seen = {int(n): name for text in tool_texts for n, name in numbered.findall(text)}
    assert sorted(seen) == [2, 3, 4, 5] and set(seen.values()) == {"hours.txt", "prices.txt"}
    ended = store.message(outcome.message_id)
    results = [p for p in ended.parts if isinstance(p, ToolResultPart)]
    assert len(tool_citations(results)) == 4

    cited = hook.cite_tools(store, ended)
    sources = [(Path(c.source).name, c.quote) for c in cited.parts if isinstance(c, CitationPart)]
    assert sources[0][0] == "ferry.md" and "leaves at seven" in sources[0][1]
    # The answer's [n] is the source the model saw as [n].
    assert {n: sources[n - 1][0] for n in seen} == seen
    assert any("closes at six" in quote for _, quote in sources)
    stored = store.message(outcome.message_id)
    assert stored.parts == cited.parts  # saved, so a reopened chat lists them too
    assert hook.cite_tools(store, stored) == stored  # once: nothing added twice
    kb.close()
    store.close()


def test_a_result_it_did_not_give_cites_nothing() -> None:
    forged = ToolResultPart("c1", DOCUMENTS, "[1] Town — secrets.txt:\nanything")
    failed = ToolResultPart("c2", DOCUMENTS, "There are no knowledge bases yet", is_error=True)
    assert tool_citations([forged, failed]) == []
