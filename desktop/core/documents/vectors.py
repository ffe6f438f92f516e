"""Vectors: float16 blobs in the database, an int8 matrix in memory, exact search by blocks.

Measured in benchmarks/retrieval_speed.py (384 dimensions, this machine): numpy brute force
over int8 rows with a float32 scale per row, exact (no recall lost to an approximate graph),
needing no index to rebuild or keep in step with the database. usearch's HNSW is measured there
too. From COARSE_FROM rows on, a first pass over a 64-dimension projection picks candidates
that are then scored on the int8 rows.

The arrays are allocated once at their final size and filled page by page (`load`): growing
them with np.concatenate per page copied the whole matrix each time (26 s and a 139 MiB peak
to load 100k chunks); now the peak is the index plus one page.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

BLOCK_ROWS = 4096  # rows turned to float32 at a time: 6 MiB of temporary at 384 dimensions
# From this many rows on, a first pass over a 64-dimension projection (the collection's own
# principal directions) picks candidates that are then scored exactly on the int8 rows: turning
# every int8 row to float32 per query cost 139 ms at 100k on this loaded machine.
COARSE_FROM = 20000
COARSE_DIMS = 64
COARSE_CANDIDATES = 1000


_blas: list[ThreadpoolController] = []
_blas_lock = threading.Lock()


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """numpy's BLAS on one thread while an index is built: OpenBLAS's threads spin against a
    busy machine, where the 384x384 eigh of the projection took 4 s instead of 0.2 s."""
    with _blas_lock:
        if not _blas:
            _blas.append(ThreadpoolController())
    with _blas[0].limit(limits=1, user_api="blas"):
        yield


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


def _quantised(rows: NDArray[np.float32]) -> tuple[NDArray[np.int8], NDArray[np.float32]]:
    """Unit rows as int8 codes and a scale per row (in place on `rows`, a temporary)."""
    norms = np.linalg.norm(rows, axis=1)
    rows /= np.where(norms > 0, norms, 1.0)[:, None]
    peak = np.abs(rows).max(axis=1)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    rows /= scales[:, None]
    return np.rint(rows).astype(np.int8), scales


class VectorIndex:
    """Chunk ids and their unit vectors, quantised to int8 with a scale per row."""

    def __init__(self, dimension: int, capacity: int = 0) -> None:
        self.dimension = dimension
        self._n = 0
        self._ids: NDArray[np.int64] = np.zeros(capacity, dtype=np.int64)
        self._codes: NDArray[np.int8] = np.zeros((capacity, dimension), dtype=np.int8)
        self._scales: NDArray[np.float32] = np.zeros(capacity, dtype=np.float32)
        self._basis: NDArray[np.float32] | None = None
        self._coarse: NDArray[np.float32] = np.zeros((0, COARSE_DIMS), dtype=np.float32)

    @classmethod
    def load(cls, dimension: int, pages: Iterable[Sequence[tuple[int, bytes]]], capacity: int) -> VectorIndex:
        """An index filled from pages of (chunk id, float16 blob); blobs of another size are
        skipped. `capacity` is an upper bound of the rows (more still fit, by growing)."""
        index = cls(dimension, capacity)
        width = 2 * dimension
        with _one_blas_thread():
            for page in pages:
                kept = [(chunk_id, blob) for chunk_id, blob in page if len(blob) == width]
                if kept:
                    raw = np.frombuffer(b"".join(blob for _, blob in kept), dtype="<f2")
                    index._append([chunk_id for chunk_id, _ in kept], raw.reshape(len(kept), dimension))
            index._fit_or_project(0)
        return index

    def __len__(self) -> int:
        return self._n

    @property
    def ids(self) -> NDArray[np.int64]:
        return self._ids[: self._n]

    @property
    def nbytes(self) -> int:
        return int(self._ids.nbytes + self._codes.nbytes + self._scales.nbytes + self._coarse.nbytes)

    def _reserve(self, rows: int) -> None:
        if self._n + rows <= self._ids.shape[0]:
            return
        size = max(self._n + rows, int(self._ids.shape[0] * 1.5))
        self._ids = np.resize(self._ids, size)
        self._codes = np.resize(self._codes, (size, self.dimension))
        self._scales = np.resize(self._scales, size)

    def _append(self, ids: Sequence[int], matrix: NDArray[np.floating]) -> None:
        self._reserve(len(ids))
        start = self._n
        for offset in range(0, len(ids), BLOCK_ROWS):
            block = np.array(matrix[offset : offset + BLOCK_ROWS], dtype=np.float32)
            codes, scales = _quantised(block)
            stop = start + offset + len(block)
            self._codes[start + offset : stop] = codes
            self._scales[start + offset : stop] = scales
        self._ids[start : start + len(ids)] = np.asarray(ids, dtype=np.int64)
        self._n += len(ids)

    def add(self, ids: Sequence[int], matrix: NDArray[np.float32]) -> None:
        if len(ids) == 0:
            return
        before = self._n
        with _one_blas_thread():
            self._append(ids, np.asarray(matrix, dtype=np.float32).reshape(len(ids), self.dimension))
            self._fit_or_project(before)

    def _rows(self, start: int, stop: int) -> NDArray[np.float32]:
        rows = self._codes[start:stop].astype(np.float32)
        rows *= self._scales[start:stop, None]
        return rows

    def _fit_or_project(self, first_new: int) -> None:
        if self._basis is None:
            if self._n >= COARSE_FROM and self.dimension > COARSE_DIMS:
                self._fit_coarse()
            return
        self._coarse = np.resize(self._coarse, (self._n, COARSE_DIMS))
        for start in range(first_new, self._n, BLOCK_ROWS):
            stop = min(self._n, start + BLOCK_ROWS)
            self._coarse[start:stop] = self._rows(start, stop) @ self._basis

    def _fit_coarse(self) -> None:
        step = max(1, self._n // 8192)
        picked = np.arange(0, self._n, step)
        sample = self._codes[picked].astype(np.float32) * self._scales[picked, None]
        # Uncentred: the directions that carry most of the inner products, which is what is ranked.
        # The top eigenvectors of the 384x384 Gram matrix: an SVD of the sample itself took 14 s
        # on this busy machine, this takes milliseconds.
        _, vectors = np.linalg.eigh((sample.T @ sample).astype(np.float64))
        del sample
        self._basis = np.ascontiguousarray(vectors[:, ::-1][:, :COARSE_DIMS], dtype=np.float32)
        self._coarse = np.empty((0, COARSE_DIMS), dtype=np.float32)
        self._fit_or_project(0)

    def remove(self, ids: Sequence[int]) -> None:
        if len(ids) == 0 or self._n == 0:
            return
        keep = ~np.isin(self.ids, np.asarray(ids, dtype=np.int64))
        self._ids, self._codes = self.ids[keep], self._codes[: self._n][keep]
        self._scales = self._scales[: self._n][keep]
        if self._basis is not None:
            self._coarse = self._coarse[keep]
        self._n = int(self._ids.shape[0])

    def search(self, query: Sequence[float], k: int) -> list[tuple[int, float]]:
        """(chunk id, cosine) of the k nearest, best first."""
        n = self._n
        if n == 0 or k <= 0:
            return []
        q = normalised(query)
        if q.shape[0] != self.dimension:
            return []
        if self._basis is not None and n > COARSE_CANDIDATES:
            # einsum, not BLAS, even for the 384x64 projection of the query: OpenBLAS's threads
            # spin against a busy machine (q @ basis alone took 40 ms here, the einsums 1 ms).
            rough = np.einsum("ij,j->i", self._coarse, np.einsum("j,jk->k", q, self._basis))
            wanted = min(n, max(COARSE_CANDIDATES, 20 * k))
            candidates = np.argpartition(rough, n - wanted)[n - wanted :]
            rows = self._codes[candidates].astype(np.float32)
            exact = np.einsum("ij,j->i", rows, q) * self._scales[candidates]
            return self._best(self._ids[candidates], exact, k)
        scores = np.empty(n, dtype=np.float32)
        for start in range(0, n, BLOCK_ROWS):
            stop = min(n, start + BLOCK_ROWS)
            scores[start:stop] = np.einsum("ij,j->i", self._codes[start:stop].astype(np.float32), q)
        scores *= self._scales[:n]
        return self._best(self._ids[:n], scores, k)

    @staticmethod
    def _best(ids: NDArray[np.int64], scores: NDArray[np.float32], k: int) -> list[tuple[int, float]]:
        k = min(k, len(scores))
        top = np.argpartition(scores, len(scores) - k)[len(scores) - k :]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(ids[i]), float(scores[i])) for i in top]
