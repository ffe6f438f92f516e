"""Hybrid retrieval: vector similarity and keyword search, merged by reciprocal-rank fusion.

RRF (score = sum of 1 / (60 + rank) over the lists a passage appears in) needs no calibration
between cosine and bm25 scores, and a passage that only one half finds still ranks: Chinese
questions against an English-only embedder are answered by the keyword half.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Literal

from desktop.core.documents.kb import Collection, KnowledgeStore, Passage
from desktop.core.documents.vectors import VectorIndex

EmbedFn = Callable[[list[str]], Awaitable[list[list[float]]]]
Mode = Literal["hybrid", "vector", "keyword"]
RRF_K = 60
# How many of each half's best are fused (at least k). Measured by benchmarks/retrieval_eval.py
# (57 questions, hybrid recall@5 / MRR): 50 -> 0.737 / 0.614, 30 -> 0.702 / 0.606, 15 -> 0.772 /
# 0.632, 12 and 10 -> 0.772 / 0.645, 8 -> 0.772 / 0.640, 5 -> 0.789 / 0.648. Deep in a list, a
# passage that one half ranks poorly still outvoted the other half's top hits: with an English
# embedder on a Chinese question the vector list is noise, and its 50 diluted the keyword half's.
# 10 sits on the plateau rather than at its edge.
CANDIDATES = 10


class _IndexCache:
    """The vector index of each collection, shared by every Retriever of the process (the
    search tool makes one per call), keyed by database file and collection, and reloaded when
    the collection's signature changes. Indexes beyond MAX_BYTES are dropped, least recently
    used first (the one just used always stays)."""

    MAX_BYTES = 256 * 2**20

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loading: dict[tuple[str, int], threading.Lock] = {}
        self._entries: OrderedDict[tuple[str, int], tuple[object, VectorIndex]] = OrderedDict()

    def get(self, store: KnowledgeStore, collection: Collection) -> VectorIndex:
        key = (str(store.path.resolve()), collection.id)
        with self._lock:
            loading = self._loading.setdefault(key, threading.Lock())
        # One load per collection at a time: two searches arriving together must not build
        # two copies (twice the memory) of the same index.
        with loading:
            signature = (collection.dimension, *store.signature(collection.id))
            with self._lock:
                cached = self._entries.get(key)
                if cached is not None and cached[0] == signature:
                    self._entries.move_to_end(key)
                    return cached[1]
                self._entries.pop(key, None)  # the stale copy goes before the new one is built
            index = VectorIndex.load(
                collection.dimension, store.vector_pages(collection.id), store.vector_capacity(collection.id)
            )
            with self._lock:
                self._entries[key] = (signature, index)
                total = sum(entry[1].nbytes for entry in self._entries.values())
                while total > self.MAX_BYTES and len(self._entries) > 1:
                    _, (_, dropped) = self._entries.popitem(last=False)
                    total -= dropped.nbytes
            return index

    def prune(self, store: KnowledgeStore, existing: set[int]) -> None:
        """Drop the indexes of this database's collections that were deleted."""
        path = str(store.path.resolve())
        with self._lock:
            for key in [k for k in self._entries if k[0] == path and k[1] not in existing]:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


INDEXES = _IndexCache()


class Retriever:
    """Hybrid search over the named knowledge bases of one store; vector indexes are cached in
    INDEXES across Retrievers."""

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store

    def index_for(self, collection: Collection) -> VectorIndex:
        return INDEXES.get(self.store, collection)

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
        every = self.store.collections()
        INDEXES.prune(self.store, {c.id for c in every})
        collections = [c for c in every if c.name in names]
        if not collections or not query.strip():
            return []
        limit = max(k, CANDIDATES)
        keyword_task: asyncio.Future[list[tuple[int, float]]] | None = None
        if mode != "vector":
            # Started first, in its own thread: it runs while the query is embedded and while
            # the vector half scores (SQLite and numpy both release the GIL).
            keyword_task = asyncio.ensure_future(
                asyncio.to_thread(self.keyword_ranked, collections, query, limit)
            )
        vector_hits: list[tuple[int, float]] = []
        try:
            if mode != "keyword" and embed is not None and any(c.dimension for c in collections):
                [query_vector] = await embed([query])
                vector_hits = await asyncio.to_thread(
                    self.vector_ranked, collections, query_vector, limit
                )
        except BaseException:
            if keyword_task is not None:
                keyword_task.cancel()
                await asyncio.gather(keyword_task, return_exceptions=True)
            raise
        keyword_hits = await keyword_task if keyword_task is not None else []
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
