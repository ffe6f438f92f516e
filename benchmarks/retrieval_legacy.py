"""The retrieval path as it was at ae943eb, kept only to be measured beside the current one in
benchmarks/retrieval_speed.py (same run, same machine load): the int8 index grown by
np.concatenate per page, the per-query signature counting every chunk, the keyword query
joining every hit before ranking, and the two halves run one after the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from desktop.core.documents.kb import KnowledgeStore, Passage
from desktop.core.documents.retrieve import fuse
from desktop.core.documents.terms import match_any
from desktop.core.documents.vectors import COARSE_CANDIDATES, COARSE_DIMS, COARSE_FROM, from_blob, normalised

BLOCK_ROWS = 16384
CANDIDATES = 50  # each half's list fused then


class LegacyVectorIndex:
    """Chunk ids and their unit vectors, quantised to int8 with a scale per row."""

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self.ids: NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._codes: NDArray[np.int8] = np.zeros((0, dimension), dtype=np.int8)
        self._scales: NDArray[np.float32] = np.zeros(0, dtype=np.float32)
        self._basis: NDArray[np.float32] | None = None
        self._coarse: NDArray[np.float32] = np.zeros((0, COARSE_DIMS), dtype=np.float32)

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    @property
    def nbytes(self) -> int:
        return int(self.ids.nbytes + self._codes.nbytes + self._scales.nbytes + self._coarse.nbytes)

    def add(self, ids: Sequence[int], matrix: NDArray[np.float32]) -> None:
        if len(ids) == 0:
            return
        rows = np.asarray(matrix, dtype=np.float32).reshape(len(ids), self.dimension)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        matrix = (rows / np.where(norms > 0, norms, 1.0)).astype(np.float32)
        peak = np.abs(matrix).max(axis=1)
        scales: NDArray[np.float32] = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
        codes = np.round(matrix / scales[:, None]).astype(np.int8)
        self.ids = np.concatenate([self.ids, np.asarray(ids, dtype=np.int64)])
        self._codes = np.concatenate([self._codes, codes])
        self._scales = np.concatenate([self._scales, scales])
        if self._basis is not None:
            self._coarse = np.concatenate([self._coarse, (matrix @ self._basis).astype(np.float32)])
        elif len(self) >= COARSE_FROM and self.dimension > COARSE_DIMS:
            self._fit_coarse()

    def _rows(self, start: int, stop: int) -> NDArray[np.float32]:
        rows = self._codes[start:stop].astype(np.float32) * self._scales[start:stop, None]
        return rows.astype(np.float32)

    def _fit_coarse(self) -> None:
        step = max(1, len(self) // 8192)
        picked = np.arange(0, len(self), step)
        sample = (self._codes[picked].astype(np.float32) * self._scales[picked, None]).astype(np.float32)
        # Uncentred: the directions that carry most of the inner products, which is what is ranked.
        # The top eigenvectors of the 384x384 Gram matrix: an SVD of the sample itself took 14 s
        # on this busy machine, this takes milliseconds.
        _, vectors = np.linalg.eigh((sample.T @ sample).astype(np.float64))
        self._basis = np.ascontiguousarray(vectors[:, ::-1][:, :COARSE_DIMS], dtype=np.float32)
        self._coarse = np.concatenate(
            [self._rows(i, i + BLOCK_ROWS) @ self._basis for i in range(0, len(self), BLOCK_ROWS)]
        ).astype(np.float32)

    def remove(self, ids: Sequence[int]) -> None:
        if len(ids) == 0 or len(self) == 0:
            return
        keep = ~np.isin(self.ids, np.asarray(ids, dtype=np.int64))
        self.ids, self._codes, self._scales = self.ids[keep], self._codes[keep], self._scales[keep]
        if self._basis is not None:
            self._coarse = self._coarse[keep]

    def search(self, query: Sequence[float], k: int) -> list[tuple[int, float]]:
        """(chunk id, cosine) of the k nearest, best first."""
        if len(self) == 0 or k <= 0:
            return []
        q = normalised(query)
        if q.shape[0] != self.dimension:
            return []
        if self._basis is not None and len(self) > COARSE_CANDIDATES:
            # einsum, not BLAS: OpenBLAS's threads spin against a busy machine (66 ms vs 1 ms here).
            rough = np.einsum("ij,j->i", self._coarse, q @ self._basis)
            wanted = max(COARSE_CANDIDATES, 20 * k)
            candidates = np.argpartition(-rough, wanted - 1)[:wanted]
            rows = self._codes[candidates].astype(np.float32)
            exact = np.einsum("ij,j->i", rows, q) * self._scales[candidates]
            k = min(k, len(candidates))
            best = np.argpartition(-exact, k - 1)[:k]
            best = best[np.argsort(-exact[best])]
            return [(int(self.ids[candidates[i]]), float(exact[i])) for i in best]
        scores = np.empty(len(self), dtype=np.float32)
        for start in range(0, len(self), BLOCK_ROWS):
            block = self._codes[start : start + BLOCK_ROWS]
            scores[start : start + BLOCK_ROWS] = np.einsum("ij,j->i", block.astype(np.float32), q)
        scores *= self._scales
        k = min(k, len(self))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(self.ids[i]), float(scores[i])) for i in top]



def signature(store: KnowledgeStore, collection_id: int) -> tuple[int, int]:
    row = store._query(
        "SELECT count(*), coalesce(max(k.id), 0) FROM kb_chunks k JOIN kb_files f ON f.id = k.file_id"
        " WHERE f.collection_id = ?",
        (collection_id,),
    )[0]
    return int(row[0]), int(row[1])


def load(store: KnowledgeStore, collection_id: int, dimension: int) -> LegacyVectorIndex:
    index = LegacyVectorIndex(dimension)
    after = 0
    while True:
        page = [(int(r[0]), bytes(r[1])) for r in store._query(
            "SELECT k.id, k.vector FROM kb_chunks k JOIN kb_files f ON f.id = k.file_id"
            " WHERE f.collection_id = ? AND k.vector IS NOT NULL AND k.id > ? ORDER BY k.id LIMIT ?",
            (collection_id, after, 8192),
        )]
        if not page:
            return index
        ids: list[int] = []
        rows: list[NDArray[np.float32]] = []
        for chunk_id, blob in page:
            vector = from_blob(blob, dimension)
            if vector is not None:
                ids.append(chunk_id)
                rows.append(vector)
        if rows:
            index.add(ids, np.stack(rows))
        after = page[-1][0]


def keyword(
    store: KnowledgeStore, collection_ids: Sequence[int], query: str, limit: int
) -> list[tuple[int, float]]:
    marks = ",".join("?" * len(collection_ids))
    rows = store._query(
        "SELECT t.rowid, bm25(kb_terms) FROM kb_terms t JOIN kb_chunks k ON k.id = t.rowid"
        " JOIN kb_files f ON f.id = k.file_id"
        f" WHERE kb_terms MATCH ? AND f.collection_id IN ({marks})"
        " ORDER BY bm25(kb_terms) LIMIT ?",
        (match_any(query), *collection_ids, limit),
    )
    return [(int(r[0]), -float(r[1])) for r in rows]


async def search(
    store: KnowledgeStore, cache: dict[int, tuple[tuple[int, int], LegacyVectorIndex]],
    collection_id: int, dimension: int, query: str, query_vector: Sequence[float], k: int = 5,
) -> list[Passage]:
    def vector_half() -> list[tuple[int, float]]:
        sig = signature(store, collection_id)
        cached = cache.get(collection_id)
        if cached is None or cached[0] != sig:
            cached = (sig, load(store, collection_id, dimension))
            cache[collection_id] = cached
        return cached[1].search(query_vector, CANDIDATES)

    store.collections()
    vector_hits = await asyncio.to_thread(vector_half)
    keyword_hits = await asyncio.to_thread(keyword, store, [collection_id], query, CANDIDATES)
    top = fuse([vector_hits, keyword_hits])[:k]
    passages = store.passages([chunk_id for chunk_id, _ in top])
    return [passages[cid] for cid, _ in top if cid in passages]
