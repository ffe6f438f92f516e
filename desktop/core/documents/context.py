"""What the model is given from the documents, and the sources an answer carries.

Attached knowledge bases are searched (the top passages); an attached single file goes in
whole when it fits the budget, else its best chunks are chosen in memory the same hybrid way.
The passages are numbered [1], [2] ... in a system message that asks the model to cite them
with those markers; the answer's CitationParts are built from exactly those passages (what
was retrieved), in the same order, whether or not the model wrote the markers.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop.core.documents.chunk import chunk_blocks, weight
from desktop.core.documents.kb import Passage
from desktop.core.documents.parse import UnreadableFile, parse
from desktop.core.documents.retrieve import EmbedFn, Retriever, fuse
from desktop.core.messages import CitationPart

TOP_K = 5
WHOLE_FILE_SHARE = 0.5  # of the context a whole attached file may take
MAX_IN_MEMORY_CHUNKS = 512  # a larger attached file is ranked on its first chunks only
_MARKER = re.compile(r"\[(\d{1,3})\]")

INSTRUCTION = (
    "Answer the question using the numbered sources below. After each claim taken from a "
    "source, write its number in square brackets, like [1]. If the sources do not contain the "
    "answer, say so."
)


@dataclass(frozen=True)
class DocumentContext:
    passages: list[Passage]
    unreadable: list[tuple[str, str]]  # attached files that could not be read, with the reason

    @property
    def empty(self) -> bool:
        return not self.passages


def locator(passage: Passage) -> str:
    bits = []
    if passage.page:
        bits.append(f"p. {passage.page}")
    if passage.heading:
        bits.append(passage.heading)
    return ", ".join(bits)


def system_text(passages: Sequence[Passage]) -> str:
    lines = [INSTRUCTION, ""]
    for number, passage in enumerate(passages, start=1):
        where = Path(passage.path).name + (f" ({locator(passage)})" if locator(passage) else "")
        lines.append(f"[{number}] {where}:\n{passage.text.strip()}\n")
    return "\n".join(lines).rstrip() + "\n"


def citations(passages: Sequence[Passage]) -> list[CitationPart]:
    return [
        CitationPart(source=p.path, title=Path(p.path).name, quote=p.text, locator=locator(p))
        for p in passages
    ]


def cited_numbers(answer: str, count: int) -> list[int]:
    """The source numbers the model wrote, in first-seen order, ignoring ones out of range."""
    seen: list[int] = []
    for match in _MARKER.finditer(answer):
        n = int(match.group(1))
        if 1 <= n <= count and n not in seen:
            seen.append(n)
    return seen


async def _rank_file(
    path: Path, query: str, embed: EmbedFn | None, k: int, budget_tokens: int
) -> list[Passage]:
    # Reading a PDF or Word file takes a while: off the loop, which is the UI's in the app.
    chunks = await asyncio.to_thread(lambda: chunk_blocks(parse(path)))
    if sum(weight(c.text) for c in chunks) <= budget_tokens:
        text = "\n\n".join(c.text for c in chunks)
        first = chunks[0] if chunks else None
        return [Passage(0, "", str(path), first.page if first else 0, "", 0, len(text), text, 1.0)]
    chunks = chunks[:MAX_IN_MEMORY_CHUNKS]
    words = {w.lower() for w in re.findall(r"\w+", query)}
    keyword = sorted(
        (
            (i, float(len(words & {w.lower() for w in re.findall(r"\w+", c.text)})))
            for i, c in enumerate(chunks)
        ),
        key=lambda item: -item[1],
    )
    keyword = [hit for hit in keyword if hit[1] > 0]
    vector: list[tuple[int, float]] = []
    if embed is not None:
        matrix = np.asarray(await embed([query] + [c.text for c in chunks]), dtype=np.float32)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
        scores = matrix[1:] @ matrix[0]
        vector = [(int(i), float(scores[i])) for i in np.argsort(-scores)]
    ranked = fuse([vector, keyword])[:k]
    picked = sorted(i for i, _ in ranked)  # reading order reads better than score order
    return [
        Passage(
            0,
            "",
            str(path),
            chunks[i].page,
            chunks[i].heading,
            chunks[i].start,
            chunks[i].end,
            chunks[i].text,
            dict(ranked)[i],
        )
        for i in picked
    ]


async def gather(
    retriever: Retriever | None,
    knowledge_bases: Sequence[str],
    files: Sequence[Path],
    query: str,
    embed: EmbedFn | None,
    *,
    context_tokens: int = 4096,
    k: int = TOP_K,
) -> DocumentContext:
    passages: list[Passage] = []
    unreadable: list[tuple[str, str]] = []
    budget = int(context_tokens * WHOLE_FILE_SHARE)
    for path in files:
        try:
            found = await _rank_file(Path(path), query, embed, k, budget)
        except UnreadableFile as err:
            unreadable.append((str(path), str(err)))
            continue
        passages += found
        budget -= int(sum(weight(p.text) for p in found))
    if retriever is not None and knowledge_bases:
        passages += await retriever.search(list(knowledge_bases), query, embed, k=k)
    return DocumentContext(passages, unreadable)
