"""Knowledge bases in the app's database (tables from store schema 7): collections, the files
and folders added to them, chunks with vectors and keyword terms.

Every write is one short transaction, as for conversations (WAL, synchronous=NORMAL survives
kill -9). A file's chunks are written in batches, each batch with its keyword terms; the file
is marked done in the transaction of its last batch, so after a crash the indexer resumes at
the first missing position, and (file, position) is unique: nothing doubled, nothing skipped.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop import paths
from desktop.core.documents.chunk import Chunk
from desktop.core.documents.terms import index_text, match_any
from desktop.core.documents.vectors import to_blob
from desktop.core.store.database import Database
from desktop.core.store.errors import DB_ERRORS, NotFound, StoreError, translated

DB_NAME = "desk.sqlite3"  # the app's database (desktop.core.store.DB_NAME)
PENDING, INDEXING, DONE, FAILED = "pending", "indexing", "done", "failed"


@dataclass(frozen=True)
class Collection:
    id: int
    name: str
    embed_model: str
    dimension: int
    files: int = 0
    chunks: int = 0
    failed: int = 0


@dataclass(frozen=True)
class FileInfo:
    id: int
    path: str
    status: str
    error: str
    chunk_count: int
    size: int
    mtime: float
    sha256: str


@dataclass(frozen=True)
class Passage:
    chunk_id: int
    collection: str
    path: str
    page: int
    heading: str
    start: int
    end: int
    text: str
    score: float = 0.0


class KnowledgeStore(Database):
    """Opens (and migrates) the app's database; safe to use beside the conversation Store."""

    @classmethod
    def open_default(cls) -> KnowledgeStore:
        return cls(paths.data_dir() / DB_NAME, recover=True)

    def __enter__(self) -> KnowledgeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- collections --------------------------------------------------------------------

    def collections(self) -> list[Collection]:
        rows = self._query(
            "SELECT c.id, c.name, c.embed_model, c.dimension,"
            " (SELECT count(*) FROM kb_files f WHERE f.collection_id = c.id),"
            " (SELECT coalesce(sum(f.chunk_count), 0) FROM kb_files f WHERE f.collection_id = c.id),"
            " (SELECT count(*) FROM kb_files f WHERE f.collection_id = c.id AND f.status = 'failed')"
            " FROM kb_collections c ORDER BY c.name COLLATE NOCASE"
        )
        return [
            Collection(int(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4]), int(r[5]), int(r[6]))
            for r in rows
        ]

    def collection(self, name: str) -> Collection | None:
        return next((c for c in self.collections() if c.name == name), None)

    def create(self, name: str, embed_model: str) -> Collection:
        name = " ".join(name.split())
        if not name:
            raise StoreError("A knowledge base needs a name.")
        if len(name) > 200:
            raise StoreError("That name is too long (200 characters at most).")
        existing = self.collection(name)
        if existing is not None:
            return existing
        with self._write() as conn:
            conn.execute(
                "INSERT INTO kb_collections (name, embed_model, created_at) VALUES (?, ?, ?)",
                (name, embed_model, time.time()),
            )
        created = self.collection(name)
        assert created is not None
        return created

    def rename(self, name: str, new_name: str) -> None:
        new_name = " ".join(new_name.split())
        if not new_name:
            raise StoreError("A knowledge base needs a name.")
        try:
            with self._write() as conn:
                cur = conn.execute("UPDATE kb_collections SET name = ? WHERE name = ?", (new_name, name))
        except StoreError as err:
            if isinstance(err.__cause__, sqlite3.IntegrityError):
                raise StoreError(f"There is already a knowledge base called {new_name}.") from err
            raise
        if cur.rowcount == 0:
            raise NotFound(f"There is no knowledge base called {name}.")

    def delete(self, name: str) -> bool:
        with self._write() as conn:
            cur = conn.execute("DELETE FROM kb_collections WHERE name = ?", (name,))
        return cur.rowcount > 0

    def set_model(self, name: str, embed_model: str, dimension: int) -> bool:
        """Record the embedding model; a different model than before drops every vector and
        sends each file back to pending (vectors of two models cannot be compared). True when
        the collection must be re-embedded."""
        found = self.collection(name)
        if found is None:
            raise NotFound(f"There is no knowledge base called {name}.")
        same = found.embed_model == embed_model and found.dimension in (0, dimension)
        with self._write() as conn:
            conn.execute(
                "UPDATE kb_collections SET embed_model = ?, dimension = ? WHERE id = ?",
                (embed_model, dimension, found.id),
            )
            if not same and found.dimension:
                conn.execute(
                    "DELETE FROM kb_chunks WHERE file_id IN"
                    " (SELECT id FROM kb_files WHERE collection_id = ?)",
                    (found.id,),
                )
                conn.execute(
                    "UPDATE kb_files SET status = 'pending', chunk_count = 0, sha256 = ''"
                    " WHERE collection_id = ?",
                    (found.id,),
                )
        return not same and bool(found.dimension)

    # --- sources and files --------------------------------------------------------------

    def add_source(self, collection_id: int, path: Path, watched: bool) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO kb_sources (collection_id, path, watched) VALUES (?, ?, ?)"
                " ON CONFLICT (collection_id, path) DO UPDATE SET watched = max(watched, excluded.watched)",
                (collection_id, str(path), int(watched)),
            )

    def sources(self, collection_id: int) -> list[tuple[str, bool]]:
        rows = self._query(
            "SELECT path, watched FROM kb_sources WHERE collection_id = ? ORDER BY path", (collection_id,)
        )
        return [(str(r[0]), bool(r[1])) for r in rows]

    def files(self, collection_id: int) -> list[FileInfo]:
        rows = self._query(
            "SELECT id, path, status, error, chunk_count, size, mtime, sha256 FROM kb_files"
            " WHERE collection_id = ? ORDER BY path",
            (collection_id,),
        )
        return [
            FileInfo(int(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]), int(r[5]), float(r[6]), str(r[7]))
            for r in rows
        ]

    def file(self, collection_id: int, path: str) -> FileInfo | None:
        return next((f for f in self.files(collection_id) if f.path == path), None)

    def begin_file(
        self, collection_id: int, path: str, size: int, mtime: float, sha256: str
    ) -> tuple[int, int]:
        """The file's row, ready to take chunks: (file id, first position still missing).
        Content that changed since the chunks were written starts over from 0."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT id, sha256 FROM kb_files WHERE collection_id = ? AND path = ?", (collection_id, path)
            ).fetchone()
            if row is None:
                cur = conn.execute(
                    "INSERT INTO kb_files (collection_id, path, size, mtime, sha256, status)"
                    " VALUES (?, ?, ?, ?, ?, 'indexing')",
                    (collection_id, path, size, mtime, sha256),
                )
                return int(cur.lastrowid or 0), 0
            file_id = int(row[0])
            if str(row[1]) != sha256:
                conn.execute("DELETE FROM kb_chunks WHERE file_id = ?", (file_id,))
            conn.execute(
                "UPDATE kb_files SET size = ?, mtime = ?, sha256 = ?, status = 'indexing', error = ''"
                " WHERE id = ?",
                (size, mtime, sha256, file_id),
            )
            nxt = conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM kb_chunks WHERE file_id = ?", (file_id,)
            ).fetchone()[0]
            return file_id, int(nxt)

    def write_chunks(
        self,
        file_id: int,
        first: int,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        *,
        last: bool,
    ) -> None:
        rows = []
        with self._write() as conn:
            for offset, (chunk, vector) in enumerate(zip(chunks, vectors, strict=True)):
                cur = conn.execute(
                    "INSERT INTO kb_chunks (file_id, position, page, heading, start, end, text, vector)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        file_id,
                        first + offset,
                        chunk.page,
                        chunk.heading,
                        chunk.start,
                        chunk.end,
                        chunk.text,
                        to_blob(vector),
                    ),
                )
                rows.append((int(cur.lastrowid or 0), index_text(f"{chunk.heading}\n{chunk.text}")))
            conn.executemany("INSERT INTO kb_terms (rowid, terms) VALUES (?, ?)", rows)
            if last:
                conn.execute(
                    "UPDATE kb_files SET status = 'done', indexed_at = ?,"
                    " chunk_count = (SELECT count(*) FROM kb_chunks WHERE file_id = ?) WHERE id = ?",
                    (time.time(), file_id, file_id),
                )

    def fail_file(self, collection_id: int, path: str, reason: str, size: int = 0, mtime: float = 0) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO kb_files (collection_id, path, size, mtime, status, error)"
                " VALUES (?, ?, ?, ?, 'failed', ?) ON CONFLICT (collection_id, path) DO UPDATE SET"
                " status = 'failed', error = excluded.error, size = excluded.size, mtime = excluded.mtime,"
                " sha256 = '', chunk_count = 0",
                (collection_id, path, size, mtime, reason),
            )
            conn.execute(
                "DELETE FROM kb_chunks WHERE file_id IN (SELECT id FROM kb_files"
                " WHERE collection_id = ? AND path = ?)",
                (collection_id, path),
            )

    def remove_path(self, collection_id: int, path: str) -> int:
        """Forget a file, or every file under a folder; returns how many files went."""
        prefix = path.rstrip("/\\") + "/"
        with self._write() as conn:
            cur = conn.execute(
                "DELETE FROM kb_files WHERE collection_id = ? AND (path = ? OR substr(path, 1, ?) = ?)",
                (collection_id, path, len(prefix), prefix),
            )
            conn.execute(
                "DELETE FROM kb_sources WHERE collection_id = ? AND (path = ? OR substr(path, 1, ?) = ?)",
                (collection_id, path, len(prefix), prefix),
            )
        return cur.rowcount

    # --- reading for retrieval ----------------------------------------------------------

    def signature(self, collection_id: int) -> tuple[object, ...]:
        """Changes whenever the collection's chunks may have changed, read in well under a
        millisecond: counting the chunks themselves took 66-83 ms at 100k, on every query.
        A file's chunks change only through its row (begin_file sets it indexing with its new
        hash, the last batch sets done with a new indexed_at, fail_file, set_model, removal), so
        the files' rows vouch for finished files; the chunks of unfinished ones are counted."""
        files = self._query(
            "SELECT count(*), total(id), total(chunk_count), total(indexed_at), max(indexed_at),"
            " sum(status = 'done'), group_concat(CASE WHEN status = 'done' THEN NULL ELSE id END)"
            " FROM kb_files WHERE collection_id = ?",
            (collection_id,),
        )[0]
        open_files = self._query(
            "SELECT count(*), coalesce(max(k.id), 0) FROM kb_chunks k WHERE k.file_id IN"
            " (SELECT id FROM kb_files WHERE collection_id = ? AND status != 'done')",
            (collection_id,),
        )[0]
        return (*files, *open_files)

    def vector_capacity(self, collection_id: int) -> int:
        """How many chunks the collection has (those with a vector are at most that many)."""
        row = self._query(
            "SELECT count(*) FROM kb_chunks WHERE file_id IN"
            " (SELECT id FROM kb_files WHERE collection_id = ?)",
            (collection_id,),
        )[0]
        return int(row[0])

    def vector_rows(self, collection_id: int) -> list[tuple[int, bytes]]:
        """Every (chunk id, vector blob) of the collection, for small ones and tests."""
        return [row for page in self.vector_pages(collection_id) for row in page]

    def vector_pages(self, collection_id: int, size: int = 4096) -> Iterator[list[tuple[int, bytes]]]:
        """(chunk id, vector blob) in pages of at most `size`, file by file along the
        (file, position) index: a page by chunk id (ORDER BY id after a join) made SQLite
        collect and sort the whole collection for each page, 0.6-1.4 s a page at 100k."""
        files = self._query("SELECT id FROM kb_files WHERE collection_id = ? ORDER BY id", (collection_id,))
        page: list[tuple[int, bytes]] = []
        for (file_id,) in files:
            position = -1
            while True:
                want = size - len(page)
                rows = self._query(
                    "SELECT position, id, vector FROM kb_chunks WHERE file_id = ? AND position > ?"
                    " ORDER BY position LIMIT ?",
                    (file_id, position, want),
                )
                page += [(int(r[1]), bytes(r[2])) for r in rows if r[2] is not None]
                if len(page) >= size:
                    yield page
                    page = []
                if len(rows) < want:
                    break
                position = int(rows[-1][0])
        if page:
            yield page

    def keyword(self, collection_ids: Sequence[int], query: str, limit: int) -> list[tuple[int, float]]:
        """(chunk id, bm25 score, higher is better) of the `limit` best chunks matching any word
        of `query`. FTS5 ranks and cuts inside its own query (ORDER BY rank LIMIT); the chunks
        of other collections are filtered from that short list, which grows only when too many
        of them were others': joining every hit to its chunk and file before ranking cost 55 ms
        at 100k chunks against 23 ms for the ranking alone."""
        match = match_any(query)
        if not match or not collection_ids or limit <= 0:
            return []
        marks = ",".join("?" * len(collection_ids))
        only = self._holds_only(collection_ids)
        wanted = limit if only else 4 * limit
        try:
            while True:
                with self._lock:
                    rows = self._conn.execute(
                        "SELECT t.rowid, t.rank FROM (SELECT rowid, rank FROM kb_terms"
                        " WHERE kb_terms MATCH ? ORDER BY rank LIMIT ?) t"
                        " JOIN kb_chunks k ON k.id = t.rowid JOIN kb_files f ON f.id = k.file_id"
                        f" WHERE f.collection_id IN ({marks}) ORDER BY t.rank LIMIT ?",
                        (match, wanted, *collection_ids, limit),
                    ).fetchall()
                    if only or len(rows) >= limit or not self._more_hits(match, wanted):
                        break
                wanted *= 4
        except sqlite3.OperationalError:
            return []  # a query FTS5 still cannot take: the vector half answers alone
        except DB_ERRORS as err:
            raise translated(err, self.path) from err
        return [(int(r[0]), -float(r[1])) for r in rows]

    def _holds_only(self, collection_ids: Sequence[int]) -> bool:
        marks = ",".join("?" * len(collection_ids))
        with self._lock:
            others = self._conn.execute(
                f"SELECT 1 FROM kb_collections WHERE id NOT IN ({marks}) LIMIT 1",
                tuple(collection_ids),
            ).fetchone()
        return others is None

    def _more_hits(self, match: str, seen: int) -> bool:
        """Whether the full-text query has more than `seen` hits in all collections."""
        row = self._conn.execute(
            "SELECT count(*) FROM (SELECT rowid FROM kb_terms WHERE kb_terms MATCH ? LIMIT ?)",
            (match, seen + 1),
        ).fetchone()
        return int(row[0]) > seen

    def passages(self, chunk_ids: Sequence[int]) -> dict[int, Passage]:
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self._query(
            "SELECT k.id, c.name, f.path, k.page, k.heading, k.start, k.end, k.text FROM kb_chunks k"
            " JOIN kb_files f ON f.id = k.file_id JOIN kb_collections c ON c.id = f.collection_id"
            f" WHERE k.id IN ({marks})",
            tuple(chunk_ids),
        )
        return {
            int(r[0]): Passage(
                int(r[0]), str(r[1]), str(r[2]), int(r[3]), str(r[4]), int(r[5]), int(r[6]), str(r[7])
            )
            for r in rows
        }

    def file_chunks(self, collection_id: int, path: str) -> list[Passage]:
        rows = self._query(
            "SELECT k.id FROM kb_chunks k JOIN kb_files f ON f.id = k.file_id"
            " WHERE f.collection_id = ? AND f.path = ? ORDER BY k.position",
            (collection_id, path),
        )
        found = self.passages([int(r[0]) for r in rows])
        return [found[int(r[0])] for r in rows if int(r[0]) in found]
