"""kill -9 in the middle of indexing, then resume: no chunk doubled, none missing."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from desktop.core.documents.chunk import chunk_blocks
from desktop.core.documents.indexer import Indexer
from desktop.core.documents.kb import KnowledgeStore
from desktop.core.documents.parse import parse
from tests.support.documents import HashEmbedder

REPO = Path(__file__).resolve().parents[2]

CHILD = """
import asyncio, sys, time
from pathlib import Path
from desktop.core.documents.indexer import Indexer
from desktop.core.documents.kb import KnowledgeStore
from tests.support.documents import HashEmbedder

class Slow(HashEmbedder):
    async def __call__(self, texts):
        await asyncio.sleep(0.05)  # a batch takes a while, as with a real model
        return await super().__call__(texts)

store = KnowledgeStore(Path(sys.argv[1]))
asyncio.run(Indexer(store, Slow(), "hash").add("docs", [Path(sys.argv[2])]))
"""


def _chunk_count(db: Path) -> int:
    try:
        conn = sqlite3.connect(db, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM kb_chunks").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


def test_kill_during_indexing_then_resume(tmp_path: Path) -> None:
    source = tmp_path / "book.txt"
    source.write_text(
        "\n\n".join(f"Paragraph {i}: " + " ".join(f"word{i}x{j}" for j in range(60)) for i in range(400)),
        encoding="utf-8",
    )
    expected = [c.text for c in chunk_blocks(parse(source))]
    db = tmp_path / "desk.sqlite3"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(source)], env=env, cwd=str(REPO))
    try:
        deadline = time.monotonic() + 60
        while _chunk_count(db) < 64 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        assert child.poll() is None, "the indexer finished before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    written = _chunk_count(db)
    assert 64 <= written < len(expected)

    store = KnowledgeStore(db)
    try:
        [collection] = store.collections()
        [info] = store.files(collection.id)
        assert info.status == "indexing"
        embedder = HashEmbedder()
        progress = asyncio.run(Indexer(store, embedder, "hash").refresh("docs"))
        # Only what was missing was embedded again.
        assert embedder.texts == len(expected) - written and progress.failures == []
        chunks = store.file_chunks(collection.id, info.path)
        assert [c.text for c in chunks] == expected
        rows = store._query("SELECT position FROM kb_chunks ORDER BY position")
        assert [r[0] for r in rows] == list(range(len(expected)))
        terms = store._query("SELECT count(*) FROM kb_terms")[0][0]
        assert terms == len(expected)
        [done] = store.files(collection.id)
        assert done.status == "done" and done.chunk_count == len(expected)
    finally:
        store.close()
