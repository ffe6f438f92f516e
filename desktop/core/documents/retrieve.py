"""Hybrid retrieval: vector similarity and keyword search, merged by reciprocal-rank fusion.

RRF (score = sum of 1 / (60 + rank) over the lists a passage appears in) needs no calibration
between cosine and bm25 scores, and a passage that only one half finds still ranks: Chinese
questions against an English-only embedder are answered by the keyword half.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Literal

import numpy as np

from desktop.core.documents.kb import Collection, KnowledgeStore, Passage
from desktop.core.documents.vectors import VectorIndex, from_blob

EmbedFn = Callable[[list[str]], Awaitable[list[list[float]]]]
Mode = Literal["hybrid", "vector", "keyword"]
RRF_K = 60
CANDIDATES = 50


class Retriever:
    """Keeps one in-memory vector index per collection, reloaded when its chunks change."""

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store
        self._indexes: dict[int, tuple[tuple[int, int], VectorIndex]] = {}

    def index_for(self, collection: Collection) -> VectorIndex:
        signature = self.store.signature(collection.id)
        cached = self._indexes.get(collection.id)
        if cached is not None and cached[0] == signature:
            return cached[1]
        index = VectorIndex(collection.dimension)
        after = 0
        while page := self.store.vector_rows(collection.id, after):
            ids: list[int] = []
            rows: list[np.ndarray] = []
            for chunk_id, blob in page:
                vector = from_blob(blob, collection.dimension)
                if vector is not None:
                    ids.append(chunk_id)
                    rows.append(vector)
            if rows:
                index.add(ids, np.stack(rows))
            after = page[-1][0]
        self._indexes[collection.id] = (signature, index)
        return index

    def vector_ranked(
        self, collections: Sequence[Collection], query_vector: Sequence[float], limit: int
    ) -> list[tuple[int, float]]:
        found: list[tuple[int, float]] = []
        for collection in collections:
            if collection.dimension == len(query_vector):
                found += self.index_for(collection).search(query_vector, limit)
        return sorted(found, key=lambda hit: -hit[1])[:limit]

    def keyword_ranked(
        self, collections: Sequence[Collection], query: str, limit: int
    ) -> list[tuple[int, float]]:
        return self.store.keyword([c.id for c in collections], query, limit)

    async def search(
        self,
        names: Sequence[str],
        query: str,
        embed: EmbedFn | None,
        k: int = 5,
        mode: Mode = "hybrid",
    ) -> list[Passage]:
        """The k best passages of the named knowledge bases. Without `embed` (or when the
        collections have no vectors yet) the keyword half answers alone."""
        collections = [c for c in self.store.collections() if c.name in names]
        if not collections or not query.strip():
            return []
        vector_hits: list[tuple[int, float]] = []
        if mode != "keyword" and embed is not None and any(c.dimension for c in collections):
            [query_vector] = await embed([query])
            vector_hits = await asyncio.to_thread(self.vector_ranked, collections, query_vector, CANDIDATES)
        keyword_hits: list[tuple[int, float]] = []
        if mode != "vector":
            keyword_hits = await asyncio.to_thread(self.keyword_ranked, collections, query, CANDIDATES)
        ranked = fuse([vector_hits, keyword_hits]) if mode == "hybrid" else (vector_hits or keyword_hits)
        top = ranked[:k]
        passages = self.store.passages([chunk_id for chunk_id, _ in top])
        return [replace(passages[cid], score=score) for cid, score in top if cid in passages]


def fuse(rankings: Sequence[Sequence[tuple[int, float]]], k: int = RRF_K) -> list[tuple[int, float]]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, (chunk_id, _) in enumerate(ranking, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: -item[1])
