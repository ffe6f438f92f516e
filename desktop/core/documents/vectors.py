"""Vectors: float16 blobs in the database, an int8 matrix in memory, exact search by blocks.

Measured in benchmarks/retrieval_speed.py (384 dimensions, this machine): numpy brute force
over int8 rows with a float32 scale per row answers a query over 100k chunks well inside the
50 ms goal with 37 MiB of vectors, exact (no recall lost to an approximate graph), and needs no
index to rebuild or keep in step with the database. usearch's HNSW was measured there too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

BLOCK_ROWS = 16384  # rows turned to float32 at a time: 24 MiB of temporary at 384 dimensions
# From this many rows on, a first pass over a 64-dimension projection (the collection's own
# principal directions) picks candidates that are then scored exactly on the int8 rows: turning
# every int8 row to float32 per query cost 139 ms at 100k on this loaded machine.
COARSE_FROM = 20000
COARSE_DIMS = 64
COARSE_CANDIDATES = 1000


def to_blob(vector: Sequence[float]) -> bytes:
    return np.asarray(vector, dtype="<f2").tobytes()


def from_blob(blob: bytes, dimension: int) -> NDArray[np.float32] | None:
    if len(blob) != 2 * dimension:
        return None
    return np.frombuffer(blob, dtype="<f2").astype(np.float32)


def normalised(vector: Sequence[float]) -> NDArray[np.float32]:
    array = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array))
    return array / norm if norm > 0 else array


class VectorIndex:
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
