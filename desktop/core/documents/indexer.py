"""Indexing files into a knowledge base: parse, chunk, embed in batches, store; with progress.

Runs as a coroutine (the app's loop or the CLI's): parsing, chunking and hashing go to a worker
thread, embedding is a request to the model server, so the chat is never blocked. A file whose
size and time are unchanged and which was finished is skipped; one left half done by a crash or
a kill resumes at its first missing chunk (see kb.py); one whose content changed starts over.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.documents.chunk import Chunk, chunk_blocks
from desktop.core.documents.kb import DONE, Collection, KnowledgeStore
from desktop.core.documents.parse import UnreadableFile, parse, supported
from desktop.core.documents.retrieve import EmbedFn

BATCH = 16  # chunks per embedding request and per transaction


@dataclass
class Progress:
    collection: str
    files_total: int = 0
    files_done: int = 0
    chunks_done: int = 0  # embedded and stored in this run
    chunks_planned: int = 0  # of the files parsed so far
    current: str = ""
    started: float = field(default_factory=time.monotonic)
    failures: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0
    files_parsed: int = 0
    in_flight: bool = False  # the current file is parsed and being embedded
    finished: bool = False

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def speed(self) -> float:
        """Chunks per second in this run."""
        return self.chunks_done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left: the chunks still to embed of the files parsed, plus the files not yet
        parsed at the average size so far, at this run's speed; None until there is a speed."""
        if self.speed <= 0 or self.files_parsed == 0:
            return None
        unparsed = max(0, self.files_total - self.files_done - (1 if self.in_flight else 0))
        per_file = self.chunks_planned / self.files_parsed
        return (max(0, self.chunks_planned - self.chunks_done) + unparsed * per_file) / self.speed


ProgressFn = Callable[[Progress], None]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files to index: the supported files given, and those under the folders given (hidden
    files and folders skipped), each once, in a stable order."""
    found: dict[str, Path] = {}
    for raw in paths:
        path = Path(raw).expanduser().resolve()
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    candidate = Path(root) / name
                    if not name.startswith(".") and supported(candidate):
                        found.setdefault(str(candidate), candidate)
        else:
            found.setdefault(str(path), path)
    return list(found.values())


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _prepare(path: Path) -> tuple[int, float, str, list[Chunk]]:
    stat = path.stat()
    chunks = chunk_blocks(parse(path))
    return stat.st_size, stat.st_mtime, _digest(path), chunks


class Indexer:
    def __init__(self, store: KnowledgeStore, embed: EmbedFn, model: str) -> None:
        self.store = store
        self.embed = embed
        self.model = model

    async def ensure_model(self, name: str) -> Collection:
        """The collection, created if new, with this indexer's model recorded (a different
        one than before re-embeds everything: see KnowledgeStore.set_model)."""
        collection = await asyncio.to_thread(self.store.create, name, self.model)
        if collection.embed_model != self.model or collection.dimension == 0:
            [probe] = await self.embed(["dimension"])
            await asyncio.to_thread(self.store.set_model, name, self.model, len(probe))
            found = await asyncio.to_thread(self.store.collection, name)
            assert found is not None
            collection = found
        return collection

    async def add(
        self,
        name: str,
        paths: Sequence[Path],
        *,
        watched: bool = False,
        on_progress: ProgressFn | None = None,
    ) -> Progress:
        """Record the paths as sources of the knowledge base and index them."""
        collection = await self.ensure_model(name)
        for path in paths:
            resolved = Path(path).expanduser().resolve()
            await asyncio.to_thread(
                self.store.add_source, collection.id, resolved, watched and resolved.is_dir()
            )
        return await self._run(collection, expand(paths), on_progress)

    async def refresh(self, name: str, on_progress: ProgressFn | None = None) -> Progress:
        """Bring a knowledge base up to date with its sources: resume half-done files, index
        new and changed ones, forget files that are gone."""
        collection = await self.ensure_model(name)
        sources = [Path(p) for p, _ in self.store.sources(collection.id)]
        files = expand([p for p in sources if p.exists()])
        present = {str(p) for p in files}
        for known in self.store.files(collection.id):
            if known.path not in present and not Path(known.path).exists():
                await asyncio.to_thread(self.store.remove_path, collection.id, known.path)
        return await self._run(collection, files, on_progress)

    async def _run(
        self, collection: Collection, files: list[Path], on_progress: ProgressFn | None
    ) -> Progress:
        progress = Progress(collection.name, files_total=len(files))
        known = {f.path: f for f in self.store.files(collection.id)}

        def report() -> None:
            if on_progress is not None:
                on_progress(progress)

        report()
        for path in files:
            progress.current = str(path)
            report()
            try:
                stat = path.stat()
            except OSError as err:
                await self._fail(collection, progress, path, f"it cannot be opened ({err.strerror or err})")
                continue
            before = known.get(str(path))
            if (
                before is not None
                and before.status == DONE
                and before.size == stat.st_size
                and before.mtime == stat.st_mtime
            ):
                progress.skipped += 1
                progress.files_done += 1
                continue
            try:
                size, mtime, sha, chunks = await asyncio.to_thread(_prepare, path)
            except UnreadableFile as err:
                await self._fail(collection, progress, path, str(err))
                continue
            except (OSError, RecursionError, MemoryError) as err:
                await self._fail(collection, progress, path, f"it could not be read ({err})")
                continue
            file_id, first = await asyncio.to_thread(
                self.store.begin_file, collection.id, str(path), size, mtime, sha
            )
            progress.chunks_planned += len(chunks) - first
            progress.files_parsed += 1
            progress.in_flight = True
            if first >= len(chunks):
                await asyncio.to_thread(self.store.write_chunks, file_id, first, [], [], last=True)
            for start in range(first, len(chunks), BATCH):
                batch = chunks[start : start + BATCH]
                vectors = await self.embed([c.text for c in batch])
                if len(vectors) != len(batch):
                    raise RuntimeError("the model server returned a different number of embeddings")
                await asyncio.to_thread(
                    self.store.write_chunks, file_id, start, batch, vectors, last=start + BATCH >= len(chunks)
                )
                progress.chunks_done += len(batch)
                report()
            progress.files_done += 1
            progress.in_flight = False
        progress.current = ""
        progress.finished = True
        report()
        return progress

    async def _fail(self, collection: Collection, progress: Progress, path: Path, reason: str) -> None:
        size, mtime = 0, 0.0
        try:
            stat = path.stat()
            size, mtime = stat.st_size, stat.st_mtime
        except OSError:
            pass
        await asyncio.to_thread(self.store.fail_file, collection.id, str(path), reason, size, mtime)
        progress.failures.append((str(path), reason))
        progress.files_done += 1
