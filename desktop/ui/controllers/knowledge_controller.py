"""Knowledge bases for the UI: the list, create/rename/delete, indexing in the background with
progress, watched folders kept in step, attaching to the current conversation."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core.documents.chat_hook import Attachments, attach, attachments, rename_attached
from desktop.core.documents.indexer import Indexer, Progress
from desktop.core.documents.kb import Collection, FileInfo, KnowledgeStore
from desktop.core.documents.retrieve import EmbedFn
from desktop.core.store.errors import StoreError
from desktop.ui.tasks import TaskRunner


class KnowledgeController(QObject):
    collections_changed = Signal(list)  # list[Collection]
    progress_changed = Signal(object)  # Progress
    indexing_finished = Signal(object)  # Progress
    failed = Signal(str)
    attachments_changed = Signal(int)  # the conversation whose documents changed (0: any of them)
    _folder_changed = Signal(str)  # from watchdog's thread: a watched folder of this knowledge base

    def __init__(
        self,
        store: KnowledgeStore,
        embed_for: Callable[[str], EmbedFn],
        default_model: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.embed_for = embed_for
        self.default_model = default_model
        self.runner = TaskRunner(self, server_work=True)
        self.runner.failed.connect(self.failed)
        self.indexing = False
        self._queue: list[tuple[str, list[Path]]] = []
        self._watch: Any = None
        self._watched: dict[str, str] = {}  # folder -> knowledge base, as the observer watches them
        self._changed: set[str] = set()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(1500)  # an editor's save is several events: index once
        self._debounce.timeout.connect(self._refresh_changed)
        self._folder_changed.connect(self._on_folder_changed)

    def collections(self) -> list[Collection]:
        try:
            return self.store.collections()
        except StoreError as err:
            self.failed.emit(str(err))
            return []

    def files(self, name: str) -> list[FileInfo]:
        found = self.store.collection(name)
        return self.store.files(found.id) if found else []

    def refresh(self) -> None:
        self.collections_changed.emit(self.collections())

    def create(self, name: str) -> None:
        self._do(lambda: self.store.create(name, self.default_model))

    def rename(self, name: str, new_name: str) -> None:
        def both() -> None:
            self.store.rename(name, new_name)
            rename_attached(self.store, name, new_name)  # the chats keep it under its new name

        self._do(both)
        self.attachments_changed.emit(0)  # every conversation: the chips show the new name

    def delete(self, name: str) -> None:
        def both() -> None:
            self.store.delete(name)
            rename_attached(self.store, name, None)

        self._do(both)
        self.attachments_changed.emit(0)

    def _do(self, action: Callable[[], object]) -> None:
        try:
            action()
        except StoreError as err:
            self.failed.emit(str(err))
        self.refresh()

    def add_paths(self, name: str, paths: Sequence[Path], *, watched: bool = True) -> None:
        """Index the files and folders into `name` in the background; queued behind a running one."""
        self._queue.append((name, [Path(p) for p in paths]))
        if not self.indexing:
            self._next(watched)

    def _next(self, watched: bool = True) -> None:
        if not self._queue:
            self.indexing = False
            self._watch_sources()
            return
        self.indexing = True
        name, paths = self._queue.pop(0)
        found = self.store.collection(name)
        model = found.embed_model if found and found.embed_model else self.default_model
        indexer = Indexer(self.store, self.embed_for(model), model)
        work = (
            indexer.add(name, paths, watched=watched, on_progress=self.progress_changed.emit)
            if paths
            else indexer.refresh(name, on_progress=self.progress_changed.emit)
        )

        def done(progress: Progress) -> None:
            self.indexing_finished.emit(progress)
            self.refresh()
            self._next(watched)

        def failed(err: BaseException) -> None:
            self.failed.emit(
                self.tr("Indexing stopped: %1. Add the files again to continue where it stopped.").replace(
                    "%1", str(err)
                )
            )
            self.refresh()
            self._next(watched)

        self.runner.start(work, on_result=done, on_error=failed)

    def resume_all(self) -> None:
        """After a restart: bring every knowledge base up to date (half-done files resume)."""
        for collection in self.collections():
            self._queue.append((collection.name, []))
        if not self.indexing and self._queue:
            self._next()

    # --- conversations ------------------------------------------------------------------

    def attached(self, conversation_id: int) -> Attachments:
        return attachments(self.store, conversation_id)

    def attach(self, conversation_id: int, knowledge_bases: Sequence[str], files: Sequence[str] = ()) -> None:
        try:
            attach(self.store, conversation_id, Attachments(tuple(knowledge_bases), tuple(files)))
        except StoreError as err:
            self.failed.emit(str(err))
        self.attachments_changed.emit(conversation_id)

    # --- watched folders ----------------------------------------------------------------

    def watched_folders(self) -> dict[str, str]:
        """The folders being watched now: path -> knowledge base."""
        return dict(self._watched)

    def _watch_sources(self) -> None:
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:  # pragma: no cover - watchdog is a dependency
            return
        folders: dict[str, str] = {}
        for collection in self.collections():
            for path, watched in self.store.sources(collection.id):
                if watched and Path(path).is_dir():
                    folders[str(Path(path))] = collection.name
        if folders == self._watched and (self._watch is not None or not folders):
            return  # the same folders: the running observer keeps them
        self._stop_watching()
        self._watched = folders
        if not folders:
            return
        changed = self._folder_changed

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                # On watchdog's thread: a signal crosses to the Qt thread (queued), nothing more.
                if getattr(event, "event_type", "") in ("opened", "closed_no_write"):
                    return  # reading a file changes nothing (the indexer reads them too)
                paths = (str(getattr(event, "src_path", "")), str(getattr(event, "dest_path", "") or ""))
                for folder, name in folders.items():
                    if any(p == folder or p.startswith(folder + os.sep) for p in paths):
                        changed.emit(name)

        observer = Observer()
        for folder in folders:
            observer.schedule(Handler(), folder, recursive=True)
        observer.daemon = True
        observer.start()
        self._watch = observer

    def _on_folder_changed(self, name: str) -> None:
        self._changed.add(name)
        self._debounce.start()

    def _stop_watching(self) -> None:
        if self._watch is not None:
            self._watch.stop()
            self._watch.join(timeout=2)
            self._watch = None
        self._watched = {}

    def _refresh_changed(self) -> None:
        names, self._changed = sorted(self._changed), set()
        for name in names:
            self._queue.append((name, []))
        if not self.indexing and self._queue:
            self._next()

    def close(self) -> None:
        self._debounce.stop()
        self._stop_watching()
