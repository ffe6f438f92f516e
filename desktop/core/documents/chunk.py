"""Blocks of text -> chunks small enough for an embedding model, each knowing where it came from.

Splitting prefers the largest unit that fits: the block (a heading's section or a PDF page),
then paragraphs, then sentences (English .!? and Chinese 。！？；), then a window of characters.
Consecutive pieces are packed up to the budget, and each chunk starts with the end of the one
before (overlap), so a fact split across the boundary is whole in one of them.

The budget is in estimated tokens, not characters: a Chinese character is about one token of a
BERT vocabulary, an English letter about a third of one, and a 600-character chunk of Chinese
would otherwise be cut off at the model's context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.documents.parse import Block

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
# After an English sentence end followed by space, after a Chinese one (no space needed), or a
# line break: the places a sentence may end.
_SENTENCE = re.compile(r"(?<=[.!?])\s+|(?<=[。！？；])\s*|\n+")

MAX_TOKENS = 200
OVERLAP_TOKENS = 30


@dataclass(frozen=True)
class Chunk:
    text: str
    page: int
    heading: str
    start: int  # character offsets into the file's text (its blocks joined by "\n\n")
    end: int


def weight(text: str) -> float:
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk) * 0.3


def _spans(text: str, pattern: re.Pattern[str], start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    last = start
    for match in pattern.finditer(text, start, end):
        if match.end() > last and match.start() >= last:
            if match.start() > last:
                spans.append((last, match.start()))
            last = match.end()
    if last < end:
        spans.append((last, end))
    return spans


def _window(text: str, start: int, end: int, budget: float) -> list[tuple[int, int]]:
    """A run with no sentence end: cut at the last space before the budget, else anywhere."""
    pieces: list[tuple[int, int]] = []
    while start < end:
        stop = start
        used = 0.0
        while stop < end and used < budget:
            used += 1.0 if _CJK.match(text[stop]) else 0.3
            stop += 1
        if stop < end:
            space = text.rfind(" ", start + 1, stop)
            if space > start + (stop - start) // 2:
                stop = space + 1
        pieces.append((start, stop))
        start = stop
    return pieces


def _atoms(text: str, budget: float) -> list[tuple[int, int, bool]]:
    """(start, end, starts_paragraph) pieces, none heavier than the budget."""
    atoms: list[tuple[int, int, bool]] = []
    for p_start, p_end in _spans(text, _PARAGRAPH, 0, len(text)):
        first = True
        if weight(text[p_start:p_end]) <= budget:
            atoms.append((p_start, p_end, True))
            continue
        for s_start, s_end in _spans(text, _SENTENCE, p_start, p_end):
            pieces = (
                [(s_start, s_end)]
                if weight(text[s_start:s_end]) <= budget
                else _window(text, s_start, s_end, budget)
            )
            for a, b in pieces:
                atoms.append((a, b, first))
                first = False
    return atoms


def chunk_blocks(
    blocks: Iterable[Block], max_tokens: int = MAX_TOKENS, overlap_tokens: int = OVERLAP_TOKENS
) -> list[Chunk]:
    chunks: list[Chunk] = []
    offset = 0
    for block in blocks:
        text = block.text
        atoms = [a for a in _atoms(text, max_tokens) if text[a[0] : a[1]].strip()]
        i = 0
        while i < len(atoms):
            j = i
            used = 0.0
            while j < len(atoms):
                # The span's own weight, separators included, is what the model will see.
                w = weight(text[atoms[i][0] : atoms[j][1]])
                if j > i and w > max_tokens:
                    break
                # A paragraph that begins once the chunk is well filled starts the next chunk.
                if j > i and atoms[j][2] and used >= 0.6 * max_tokens:
                    break
                used = w
                j += 1
            start, end = atoms[i][0], atoms[j - 1][1]
            chunks.append(
                Chunk(text[start:end].strip(), block.page, block.heading, offset + start, offset + end)
            )
            if j >= len(atoms):
                break
            if atoms[j][2]:
                i = j  # a new paragraph needs no overlap with the one before
                continue
            # Step back over whole atoms worth at most the overlap, never to the same start.
            back = j
            kept = 0.0
            while back - 1 > i:
                w = weight(text[atoms[back - 1][0] : atoms[back - 1][1]])
                if kept + w > overlap_tokens:
                    break
                kept += w
                back -= 1
            i = back
        offset += len(text) + 2
    return chunks
