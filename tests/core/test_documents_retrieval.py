"""Retrieval internals that its speed depends on (#17): the shared vector index and when it is
reloaded, the keyword half ranked and cut in SQL, paging the vectors, both halves at once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from desktop.core.documents.chunk import Chunk
from desktop.core.documents.kb import KnowledgeStore
from desktop.core.documents.retrieve import INDEXES, Retriever
from desktop.core.documents.terms import match_any
from desktop.core.documents.vectors import VectorIndex, to_blob

DIM = 8


@pytest.fixture
def kb(tmp_path: Path) -> Iterator[KnowledgeStore]:
    INDEXES.clear()
    store = KnowledgeStore(tmp_path / "desk.sqlite3")
    yield store
    store.close()
    INDEXES.clear()


def axis(i: int) -> list[float]:
    vector = [0.0] * DIM
    vector[i] = 1.0
    return vector


def put(kb: KnowledgeStore, name: str, path: str, texts: list[str], vectors: list[list[float]],
        *, sha: str = "1", last: bool = True) -> int:
    collection = kb.create(name, "m")
    kb.set_model(name, "m", DIM)
    file_id, first = kb.begin_file(collection.id, path, 0, 0, sha)
    kb.write_chunks(file_id, first, [Chunk(t, 0, "", 0, len(t)) for t in texts], vectors, last=last)
    return collection.id


def nearest(kb: KnowledgeStore, vector: list[float]) -> list[str]:
    async def embed(texts: list[str]) -> list[list[float]]:
        return [vector]

    return [p.text for p in asyncio.run(Retriever(kb).search(["docs"], "zzz", embed, k=3, mode="vector"))]


def test_the_index_is_shared_by_retrievers_and_follows_every_change(kb: KnowledgeStore) -> None:
    put(kb, "docs", "/a.txt", ["alpha", "beta"], [axis(0), axis(1)])
    [collection] = kb.collections()
    first = Retriever(kb).index_for(collection)
    assert Retriever(kb).index_for(collection) is first  # loaded once, not per Retriever
    assert nearest(kb, axis(1))[0] == "beta"
    # The last file re-indexed with new content: SQLite hands its chunks the same ids again,
    # so only the file's row can tell that the vectors changed.
    ids_before = sorted(int(i) for i in first.ids)
    put(kb, "docs", "/a.txt", ["gamma", "delta"], [axis(2), axis(3)], sha="2")
    assert sorted(int(i) for i in Retriever(kb).index_for(collection).ids) == ids_before
    assert nearest(kb, axis(3))[0] == "delta" and "beta" not in nearest(kb, axis(1))
    # A file still being written is searched too, batch by batch.
    put(kb, "docs", "/b.txt", ["epsilon"], [axis(4)], last=False)
    assert nearest(kb, axis(4))[0] == "epsilon"
    put(kb, "docs", "/b.txt", ["zeta"], [axis(5)], last=False)
    assert nearest(kb, axis(5))[0] == "zeta"
    # Removed, failed, re-embedded.
    kb.remove_path(collection.id, "/b.txt")
    assert "zeta" not in nearest(kb, axis(5))
    kb.fail_file(collection.id, "/a.txt", "gone")
    assert nearest(kb, axis(3)) == []
    put(kb, "docs", "/c.txt", ["eta"], [axis(6)])
    kb.set_model("docs", "other", DIM)
    assert nearest(kb, axis(6)) == []
    # A deleted knowledge base's index is let go at the next search.
    put(kb, "gone", "/g.txt", ["theta"], [axis(7)])
    Retriever(kb).index_for(kb.collection("gone"))  # type: ignore[arg-type]
    held = len(INDEXES._entries)
    kb.delete("gone")
    nearest(kb, axis(7))
    assert len(INDEXES._entries) == held - 1


def test_keyword_hits_stay_in_their_collections_and_match_a_join_before_ranking(kb: KnowledgeStore) -> None:
    # Many short chunks of "a" outrank the long ones of "b" for "valve": the list cut in FTS5
    # must grow until b's own five are found.
    a = put(kb, "a", "/a.txt", [f"valve {i}" for i in range(300)], [axis(0)] * 300)
    b = put(kb, "b", "/b.txt", [f"valve {i} " + "filler words " * 20 for i in range(5)], [axis(1)] * 5)
    hits = kb.keyword([b], "valve", 5)
    assert len(hits) == 5 and {p.collection for p in kb.passages([i for i, _ in hits]).values()} == {"b"}
    for ids, query, limit in (([a], "valve 7", 50), ([a, b], "valve filler", 20), ([b], "words 3", 3),
                              ([a], "nothing here", 5)):
        marks = ",".join("?" * len(ids))
        joined = kb._query(
            "SELECT t.rowid, bm25(kb_terms) FROM kb_terms t JOIN kb_chunks k ON k.id = t.rowid"
            f" JOIN kb_files f ON f.id = k.file_id WHERE kb_terms MATCH ? AND f.collection_id IN ({marks})"
            " ORDER BY bm25(kb_terms), t.rowid LIMIT ?",
            (match_any(query), *ids, limit),
        )
        got = kb.keyword(ids, query, limit)
        assert [round(s, 6) for _, s in got] == [round(-float(r[1]), 6) for r in joined], query
        assert {i for i, _ in got} <= {int(r[0]) for r in kb._query("SELECT rowid FROM kb_terms")}


def test_vectors_are_read_in_pages_within_and_across_files(kb: KnowledgeStore) -> None:
    put(kb, "docs", "/a.txt", [f"a{i}" for i in range(7)], [axis(i % DIM) for i in range(7)])
    put(kb, "docs", "/b.txt", [f"b{i}" for i in range(4)], [axis(i % DIM) for i in range(4)])
    [collection] = kb.collections()
    pages = list(kb.vector_pages(collection.id, size=3))
    assert [len(p) for p in pages] == [3, 3, 3, 2]
    ids = [chunk_id for page in pages for chunk_id, _ in page]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 11 == kb.vector_capacity(collection.id)


def test_an_index_loaded_in_pages_equals_one_built_at_once() -> None:
    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((30, DIM)).astype(np.float32)
    pages = [[(i, to_blob(vectors[i])) for i in range(s, min(30, s + 7))] for s in range(0, 30, 7)]
    pages[1].append((99, b"short"))  # a damaged blob is skipped, not fatal
    loaded = VectorIndex.load(DIM, pages, capacity=10)  # more rows than announced still fit
    built = VectorIndex(DIM)
    built.add(list(range(30)), vectors.astype(np.float16).astype(np.float32))
    assert len(loaded) == 30 and list(loaded.ids) == list(range(30))
    for q in vectors[:5]:
        assert loaded.search(q, 4) == built.search(q, 4)


def test_hybrid_runs_both_halves_and_a_failed_embedding_leaves_nothing_running(kb: KnowledgeStore) -> None:
    put(kb, "docs", "/a.txt", ["valve one", "harbour two", "valve harbour"], [axis(0), axis(1), axis(2)])

    async def embed(texts: list[str]) -> list[list[float]]:
        return [axis(1)]

    hits = asyncio.run(Retriever(kb).search(["docs"], "valve", embed, k=3))
    assert {h.text for h in hits} == {"valve one", "harbour two", "valve harbour"}
    assert hits[0].score >= hits[-1].score > 0 and all(h.collection == "docs" for h in hits)

    async def broken(texts: list[str]) -> list[list[float]]:
        raise ConnectionError("the embedding server is down")

    async def run() -> None:
        with pytest.raises(ConnectionError):
            await Retriever(kb).search(["docs"], "valve", broken, k=3)
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert others == []

    asyncio.run(run())
