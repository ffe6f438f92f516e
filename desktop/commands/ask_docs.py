"""`ollama-desk ask --docs KB`: the answer grounded in a knowledge base, its sources after it.

The passages retrieved for the prompt go in a system message, numbered; the sources printed
under the answer are exactly those passages (what was retrieved), marked where the model cited
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.documents import DEFAULT_EMBED_MODEL

if TYPE_CHECKING:
    from desktop.core.documents.kb import Passage
    from desktop.core.ollama.client import OllamaClient


class DocsUnknown(Exception):
    """A knowledge base named with --docs does not exist; str() says which and what to do."""


async def retrieve(client: OllamaClient, names: Sequence[str], prompt: str) -> list[Passage]:
    from desktop.commands.docs import embedder
    from desktop.core.documents.kb import KnowledgeStore
    from desktop.core.documents.retrieve import Retriever

    with KnowledgeStore.open_default() as store:
        known = {c.name: c for c in store.collections()}
        missing = [n for n in names if n not in known]
        if missing:
            raise DocsUnknown(
                f"There is no knowledge base called {', '.join(missing)}; "
                "`ollama-desk docs add NAME FILES...` makes one."
            )
        models = {known[n].embed_model or DEFAULT_EMBED_MODEL for n in names}
        embed = embedder(client, sorted(models)[0]) if any(known[n].dimension for n in names) else None
        return await Retriever(store).search(list(names), prompt, embed)


def system_message(passages: Sequence[Passage]) -> str:
    from desktop.core.documents.context import system_text

    return system_text(passages)


def sources_text(passages: Sequence[Passage], answer: str) -> str:
    from desktop.core.documents.context import cited_numbers, locator

    if not passages:
        return "Sources: nothing relevant was found in the knowledge base.\n"
    cited = set(cited_numbers(answer, len(passages)))
    lines = ["Sources:"]
    for number, passage in enumerate(passages, start=1):
        where = locator(passage)
        mark = " *" if number in cited else ""
        lines.append(
            f"[{number}]{mark} {Path(passage.path).name}"
            + (f", {where}" if where else "")
            + f" — {passage.path}"
        )
    return "\n".join(lines) + "\n"
