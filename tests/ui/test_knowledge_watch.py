"""A watched folder is re-indexed when its files change (#17), for real: watchdog's observer on a
temporary folder, the controller's debounce, the indexer. A file added, edited and removed is
each reflected in the index (and in keyword search) within a bounded wait."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from desktop.core.documents.kb import KnowledgeStore
from desktop.ui.controllers.knowledge_controller import KnowledgeController
from tests.support.documents import HashEmbedder

WAIT_MS = 20_000  # the 1.5 s debounce plus indexing, on a loaded 2-core machine


def _texts(store: KnowledgeStore, name: str, query: str) -> list[str]:
    """What keyword search finds for `query` in `name`: the file name of each passage."""
    found = store.collection(name)
    assert found is not None
    hits = store.keyword([found.id], query, 10)
    return sorted(Path(p.path).name for p in store.passages([i for i, _ in hits]).values())


def _status(store: KnowledgeStore, name: str) -> dict[str, tuple[str, int]]:
    found = store.collection(name)
    assert found is not None
    return {Path(f.path).name: (f.status, f.chunk_count) for f in store.files(found.id)}


def test_a_watched_folder_follows_its_files(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "ferry.txt").write_text("The ferry to the island leaves at seven.\n")
    store = KnowledgeStore(tmp_path / "desk.sqlite3")
    controller = KnowledgeController(store, lambda model: HashEmbedder(), "hash")
    runs: list[Any] = []
    controller.indexing_finished.connect(runs.append)
    try:
        controller.create("Notes")
        controller.add_paths("Notes", [folder])
        qtbot.waitUntil(lambda: len(runs) == 1, timeout=WAIT_MS)
        assert _status(store, "Notes") == {"ferry.txt": ("done", 1)}
        assert controller.watched_folders() == {str(folder): "Notes"}

        # Added.
        (folder / "museum.txt").write_text("The museum opens at ten, except on Mondays.\n")
        qtbot.waitUntil(lambda: "museum.txt" in _status(store, "Notes"), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: _texts(store, "Notes", "museum Mondays") == ["museum.txt"], timeout=WAIT_MS)
        assert _status(store, "Notes")["museum.txt"] == ("done", 1)

        # Edited: the new words are found, the old ones no longer.
        (folder / "ferry.txt").write_text("The ferry to the island now leaves at nine from pier two.\n")
        qtbot.waitUntil(lambda: _texts(store, "Notes", "pier") == ["ferry.txt"], timeout=WAIT_MS)
        assert _texts(store, "Notes", "seven") == []
        assert _status(store, "Notes")["ferry.txt"] == ("done", 1)

        # Removed: the file and its chunks leave the index.
        (folder / "museum.txt").unlink()
        qtbot.waitUntil(lambda: "museum.txt" not in _status(store, "Notes"), timeout=WAIT_MS)
        assert _texts(store, "Notes", "museum Mondays") == []
        assert list(_status(store, "Notes")) == ["ferry.txt"]

        # The index settles: reading the files to index them is no change (no endless re-index).
        qtbot.waitUntil(lambda: not controller.indexing, timeout=WAIT_MS)  # the removal's run ends
        settled = len(runs)
        qtbot.wait(3000)
        assert len(runs) == settled and not controller.indexing
    finally:
        controller.close()
        assert controller.watched_folders() == {}
        qtbot.waitUntil(lambda: not controller.indexing, timeout=WAIT_MS)
        store.close()
