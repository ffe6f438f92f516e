"""Everything a user does with models, as Qt requests and signals over the async core.

The chat's model picker and the tray menu listen to `models_changed` only; this controller
is the one place that asks the server for the model list, so they see a pull, a delete or
an import at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop import paths
from desktop.core import disk
from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.errors import OllamaError
from desktop.core.ollama.types import ModelInfo, RunningModel, ShowInfo
from desktop.core.pull_queue import PendingStore, PullClient, PullQueue
from desktop.core.pulls import PullSnapshot, PullState
from desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

PENDING_PULLS_FILE = "pending-pulls.json"


class ModelsController(QObject):
    """Owns the asyncio tasks of model management and reports back with signals.

    `client` is an OllamaClient (see docs/dev/contracts.md); `embedded` says whether it
    talks to the app's own engine, which decides where the free-space check looks.
    """

    models_changed = Signal(list)  # list[ModelInfo], installed models, after any change
    running_changed = Signal(list)  # list[RunningModel]
    details_loaded = Signal(str, object)  # name, ShowInfo
    details_failed = Signal(str, str)  # name, plain message
    pull_progressed = Signal(object)  # PullSnapshot
    pull_finished = Signal(str, bool)  # name, ok: succeeded or failed (the tray shows a notification)
    pull_cancelled = Signal(str)  # name: the user cancelled it (no notification wanted)
    pulls_active_changed = Signal(bool)  # some pull is queued or running (the tray's "pulling" icon)
    import_progressed = Signal(str, str)  # name, status line
    import_finished = Signal(str, bool, str)  # name, ok, plain message
    operation_failed = Signal(str)  # a plain sentence for the user
    operation_succeeded = Signal(str)  # a plain sentence for a status line
    busy_changed = Signal(bool)  # a model list or ps request is in flight
    refreshed = Signal()  # the model list was read successfully (clears an old "could not read")

    def __init__(
        self,
        client: OllamaClient,
        *,
        embedded: bool = False,
        stall_after: float = 30.0,
        retry_delay: float = 2.0,
        pending_path: Path | None = None,
        running_poll_ms: int = 5000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._embedded = embedded
        self._tasks = TaskRunner(self, server_work=True)
        self._models: list[ModelInfo] = []
        self._running: list[RunningModel] = []
        self._show_cache: dict[tuple[str, str], ShowInfo] = {}
        self._pulls_active = False
        self._queue = PullQueue(
            self._pull_client(),
            store=PendingStore(pending_path or paths.data_dir() / PENDING_PULLS_FILE),
            on_update=self._on_queue_update,
            on_finished=self._on_queue_finished,
            stall_after=stall_after,
            retry_delay=retry_delay,
        )
        self._poll = QTimer(self)
        self._poll.setInterval(running_poll_ms)
        self._poll.timeout.connect(self.refresh_running)

    # -- state -----------------------------------------------------------------------------

    @property
    def client(self) -> OllamaClient:
        return self._client

    @property
    def models(self) -> list[ModelInfo]:
        return list(self._models)

    @property
    def running(self) -> list[RunningModel]:
        return list(self._running)

    @property
    def embedded(self) -> bool:
        return self._embedded

    def pulls(self) -> list[PullSnapshot]:
        return self._queue.snapshots()

    def set_client(self, client: OllamaClient, *, embedded: bool = False) -> None:
        """The server changed (Ollama found, or the engine started): forget the old lists."""
        self._client = client
        self._embedded = embedded
        self._queue.client = self._pull_client()
        self._show_cache.clear()
        self.refresh()

    def set_running_polling(self, active: bool) -> None:
        """Poll /api/ps while someone looks at it (the page is visible)."""
        if active:
            self.refresh_running()
            self._poll.start()
        else:
            self._poll.stop()

    # -- requests --------------------------------------------------------------------------

    def refresh(self) -> None:
        self._spawn(self._refresh_models(), self.tr("Could not read the list of installed models."))
        self.refresh_running()

    def refresh_running(self) -> None:
        self._spawn(self._refresh_running(), None)

    def load_details(self, name: str) -> None:
        self._spawn(self._load_details(name), None)

    def delete_model(self, name: str) -> None:
        async def run() -> None:
            await self._client.delete(name)
            self.operation_succeeded.emit(self.tr("Deleted {0}.").format(name))
            await self._refresh_models()

        self._spawn(run(), self.tr("Could not delete {0}.").format(name))

    def copy_model(self, source: str, destination: str) -> None:
        async def run() -> None:
            await self._client.copy(source, destination)
            self.operation_succeeded.emit(self.tr("Copied {0} to {1}.").format(source, destination))
            await self._refresh_models()

        self._spawn(run(), self.tr("Could not copy {0} to {1}.").format(source, destination))

    def rename_model(self, source: str, destination: str) -> None:
        """Ollama has no rename: copy, then delete the old name only once the copy exists."""

        async def run() -> None:
            await self._client.copy(source, destination)
            await self._client.delete(source)
            self.operation_succeeded.emit(self.tr("Renamed {0} to {1}.").format(source, destination))
            await self._refresh_models()

        self._spawn(run(), self.tr("Could not rename {0} to {1}.").format(source, destination))

    def import_gguf(self, path: str, name: str) -> None:
        """Upload a GGUF file as a blob, then create a model from it."""

        async def run() -> None:
            ok = False
            message = ""
            try:
                self.import_progressed.emit(name, self.tr("Uploading {0}…").format(Path(path).name))
                digest = await self._client.push_blob(Path(path))
                seen_success = False
                async for item in self._client.create(name, files={Path(path).name: digest}):
                    self.import_progressed.emit(name, item.status)
                    seen_success = seen_success or item.status == "success"
                ok = seen_success
                message = (
                    self.tr("Imported {0}.").format(name)
                    if ok
                    else self.tr("The server stopped before it finished creating {0}.").format(name)
                )
            except OllamaError as err:
                message = self.tr("Could not import {0}: {1}").format(name, str(err))
            except OSError as err:
                message = self.tr("Could not read {0}: {1}").format(path, err.strerror or str(err))
            self.import_finished.emit(name, ok, message)
            if ok:
                await self._refresh_models()

        self._spawn(run(), self.tr("Could not import {0}.").format(name))

    def unload(self, name: str) -> None:
        async def run() -> None:
            await self._client.unload(name)
            self.operation_succeeded.emit(self.tr("Unloaded {0} from memory.").format(name))
            await self._refresh_running()

        self._spawn(run(), self.tr("Could not unload {0}.").format(name))

    def keep_loaded(self, name: str) -> None:
        async def run() -> None:
            await self._client.load(name, keep_alive=-1)
            self.operation_succeeded.emit(self.tr("{0} stays in memory until you unload it.").format(name))
            await self._refresh_running()

        self._spawn(run(), self.tr("Could not keep {0} loaded.").format(name))

    def space_check(self, download_size: int) -> disk.SpaceCheck:
        folder = disk.models_dir(self._client.base_url, embedded=self._embedded)
        return disk.check_space(download_size, folder)

    def pull(self, name: str, expected_size: int = 0, *, insecure: bool = False) -> bool:
        """Queue a pull (the caller has shown the free-space warning, if any).

        insecure: the registry in the name speaks plain HTTP (a private or local registry).
        """
        return self._queue.enqueue(name, expected_total=expected_size, insecure=insecure)

    def cancel_pull(self, name: str) -> None:
        self._queue.cancel(name)

    def retry_pull(self, name: str) -> None:
        self._queue.retry(name)

    def dismiss_pull(self, name: str) -> None:
        self._queue.dismiss(name)

    def resume_pending_pulls(self) -> list[str]:
        """Queue the pulls that the last run left unfinished."""
        return self._queue.resume_pending()

    async def aclose(self) -> None:
        self._poll.stop()
        await self._queue.aclose()
        await self._tasks.aclose()

    # -- async work ------------------------------------------------------------------------

    async def _refresh_models(self) -> None:
        self.busy_changed.emit(True)
        try:
            models = await self._client.tags()
        finally:
            self.busy_changed.emit(False)
        enriched = []
        for model in models:
            enriched.append(await self._with_capabilities(model))
        if enriched != self._models:
            self._models = enriched
            self.models_changed.emit(list(enriched))
        self.refreshed.emit()

    async def _with_capabilities(self, model: ModelInfo) -> ModelInfo:
        """Newer servers list capabilities in /api/tags; older ones need /api/show."""
        if model.capabilities and model.details.context_length:
            return model
        try:
            info = await self._show(model.name, model.digest)
        except OllamaError as err:
            log.info("no details for %s: %s", model.name, err)
            return model
        details = model.details
        if not details.context_length and info.context_length:
            details = replace(details, context_length=info.context_length)
        return replace(model, capabilities=model.capabilities or info.capabilities, details=details)

    async def _show(self, name: str, digest: str) -> ShowInfo:
        key = (name, digest)
        cached = self._show_cache.get(key)
        if cached is None:
            cached = await self._client.show(name)
            self._show_cache[key] = cached
        return cached

    async def _refresh_running(self) -> None:
        try:
            running = await self._client.ps()
        except OllamaError as err:
            log.info("ps failed: %s", err)
            return
        if running != self._running:
            self._running = running
            self.running_changed.emit(list(running))

    async def _load_details(self, name: str) -> None:
        digest = next((m.digest for m in self._models if m.name == name), "")
        try:
            info = await self._show(name, digest)
        except OllamaError as err:
            self.details_failed.emit(name, str(err))
            return
        self.details_loaded.emit(name, info)

    # -- plumbing --------------------------------------------------------------------------

    def _pull_client(self) -> PullClient:
        controller = self

        class _Current:
            # The queue asks for the client at each request, so a server switch applies to retries.
            def pull(self, model: str, *, insecure: bool = False) -> Any:
                return controller._client.pull(model, insecure=insecure)

        return _Current()

    def _spawn(self, coro: Coroutine[Any, Any, None], failure: str | None) -> asyncio.Task[None]:
        return self._tasks.start(coro, on_error=self._report(failure))

    def _report(self, failure: str | None) -> Callable[[BaseException], None]:
        def report(err: BaseException) -> None:
            if failure is None:
                log.warning("background model request failed: %s", err)
                return
            detail = str(err) if isinstance(err, OllamaError) else ""
            if not isinstance(err, OllamaError):
                log.error("model request crashed", exc_info=err)
            self.operation_failed.emit(f"{failure} {detail}".strip())

        return report

    def _on_queue_update(self, snapshot: PullSnapshot) -> None:
        self.pull_progressed.emit(snapshot)
        self._update_active()

    def _on_queue_finished(self, name: str, ok: bool, error: str) -> None:
        snapshot = self._queue.snapshot(name)
        if snapshot is not None and snapshot.state is PullState.CANCELLED:
            self.pull_cancelled.emit(name)
        else:
            self.pull_finished.emit(name, ok)
        if ok:
            self._spawn(self._refresh_models(), None)
        self._update_active()

    def _update_active(self) -> None:
        active = any(not s.state.is_final for s in self._queue.snapshots())
        if active != self._pulls_active:
            self._pulls_active = active
            self.pulls_active_changed.emit(active)
