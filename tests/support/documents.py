"""Helpers for the knowledge-base tests: a deterministic embedder for the logic tests (the real
engine's embedder is exercised in tests/engine/test_embedder.py and test_documents_engine.py)."""

from __future__ import annotations

import hashlib
import re

import numpy as np

DIM = 64


def hashed_vector(text: str, dim: int = DIM) -> list[float]:
    """A bag of words hashed into `dim` buckets: equal words -> near vectors."""
    vector = np.zeros(dim, dtype=np.float32)
    for word in re.findall(r"\w+", text.lower()):
        bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
        vector[bucket % dim] += 1.0
    if not vector.any():
        vector[0] = 1.0
    return [float(x) for x in vector / np.linalg.norm(vector)]


class HashEmbedder:
    def __init__(self, dim: int = DIM) -> None:
        self.dim = dim
        self.calls = 0
        self.texts = 0

    async def __call__(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        self.texts += len(texts)
        return [hashed_vector(t, self.dim) for t in texts]
