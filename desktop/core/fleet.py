"""The saved model servers in use, each with its own state and models.

Each server is checked in its own task under its own budget, so one that is down or slow
shows its state and never delays the others (or the local one, which the Session's
ServerManager owns). Only `/api/tags` + `/api/show` (Ollama) or `/v1/models` (+ llama-server's
/props) are asked: nothing that loads a model.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

from desktop.core.backends import BackendKind, ChatBackend, KeyRejected
from desktop.core.ollama.base import Timeouts
from desktop.core.ollama.errors import OllamaError
from desktop.core.ollama.types import ModelInfo
from desktop.core.server_manager import ServerState
from desktop.core.servers import SavedServer, ServerBook

log = logging.getLogger(__name__)

CHECK_BUDGET = 8.0  # seconds for one server's model list; a slow one is shown offline, retried later


@dataclass(frozen=True)
class ServerStatus:
    server: SavedServer
    state: ServerState = ServerState.UNKNOWN
    message: str = ""  # why it is offline (plain sentence), "" when online
    models: tuple[ModelInfo, ...] = ()
    key_rejected: bool = False

    @property
    def manages_models(self) -> bool:
        return self.server.kind is BackendKind.OLLAMA


@dataclass
class _Entry:
    server: SavedServer
    backend: ChatBackend
    status: ServerStatus
    task: asyncio.Task[None] | None = field(default=None)


Listener = Callable[[str], None]  # the id of the server whose status changed


class Fleet:
    def __init__(self, book: ServerBook, *, timeouts: Timeouts | None = None, budget: float = CHECK_BUDGET):
        self.book = book
        self.timeouts = timeouts
        self.budget = budget
        self._entries: dict[str, _Entry] = {}
        self._listeners: list[Listener] = []
        self._closing: set[asyncio.Task[None]] = set()
        # Keyring reads block (D-Bus): where they run. None = the loop's default executor; the UI
        # gives its own pool (qasync's default one must not outlive the app).
        self.executor: Executor | None = None
        self._reloading = asyncio.Lock()

    # ------------------------------------------------------------------ what is known
    def statuses(self) -> list[ServerStatus]:
        return [entry.status for entry in self._entries.values()]

    def status(self, server_id: str) -> ServerStatus | None:
        entry = self._entries.get(server_id)
        return entry.status if entry else None

    def backend(self, server_id: str) -> ChatBackend | None:
        entry = self._entries.get(server_id)
        return entry.backend if entry else None

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, server_id: str) -> None:
        for listener in list(self._listeners):
            try:
                listener(server_id)
            except Exception:  # noqa: BLE001 - one subscriber must not stop the others
                log.exception("a fleet subscriber failed")

    # ------------------------------------------------------------------ changes
    async def reload(self) -> None:
        """Follow the saved list: new servers get a backend (keys read in a worker thread),
        removed or edited ones are closed once their streams are done, then every server
        is checked."""
        async with self._reloading:  # two reloads at once would each make (and leak) a backend
            await self._reload()
        await self.refresh()

    async def _reload(self) -> None:
        loop = asyncio.get_running_loop()
        saved = self.book.all()
        wanted = {s.id: s for s in saved}
        for server_id in list(self._entries):
            entry = self._entries[server_id]
            if wanted.get(server_id) != entry.server:
                del self._entries[server_id]
                self._later(entry.backend.aclose())
        for server in saved:
            if server.id not in self._entries:
                backend = await loop.run_in_executor(
                    self.executor, functools.partial(self.book.backend, server, timeouts=self.timeouts)
                )
                self._entries[server.id] = _Entry(
                    server, backend, ServerStatus(server, ServerState.CONNECTING)
                )

    async def refresh(self, server_id: str | None = None) -> None:
        """Check the servers (each in its own task); returns when every check has ended."""
        ids = [server_id] if server_id else list(self._entries)
        tasks = []
        for sid in ids:
            entry = self._entries.get(sid)
            if entry is None:
                continue
            if entry.task is None or entry.task.done():
                entry.task = asyncio.ensure_future(self._check(entry))
            tasks.append(entry.task)
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _check(self, entry: _Entry) -> None:
        try:
            models = await asyncio.wait_for(entry.backend.list_models(), self.budget)
        except KeyRejected as err:
            status = ServerStatus(entry.server, ServerState.OFFLINE, str(err), key_rejected=True)
        except OllamaError as err:
            status = ServerStatus(entry.server, ServerState.OFFLINE, str(err))
        except asyncio.TimeoutError:
            status = ServerStatus(
                entry.server,
                ServerState.OFFLINE,
                f"{entry.server.url} did not answer within {self.budget:g} s.",
            )
        else:
            status = ServerStatus(entry.server, ServerState.ONLINE, "", tuple(models))
        if self._entries.get(entry.server.id) is entry:
            entry.status = status
            self._notify(entry.server.id)

    def mark_offline(self, server_id: str, message: str) -> None:
        """A reply found it gone: show it at once (the next refresh may bring it back)."""
        entry = self._entries.get(server_id)
        if entry is not None and entry.status.state is not ServerState.OFFLINE:
            entry.status = ServerStatus(entry.server, ServerState.OFFLINE, message, entry.status.models)
            self._notify(server_id)

    def _later(self, work: object) -> None:
        async def run() -> None:
            try:
                await work  # type: ignore[misc]
            except Exception:  # noqa: BLE001
                log.warning("closing a server's connection failed", exc_info=True)

        task = asyncio.ensure_future(run())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def aclose(self) -> None:
        entries, self._entries = list(self._entries.values()), {}
        for entry in entries:
            if entry.task is not None:
                entry.task.cancel()
        await asyncio.gather(*(e.backend.aclose() for e in entries), *self._closing, return_exceptions=True)


@dataclass(frozen=True)
class ModelGroup:
    """One server's part of the model picker."""

    server_id: str  # "" = the local server
    name: str
    kind: BackendKind
    state: ServerState
    message: str
    models: tuple[ModelInfo, ...]


def model_groups(
    fleet: Fleet, *, local_name: str, local_state: ServerState, local_models: tuple[ModelInfo, ...]
) -> list[ModelGroup]:
    """The local server first, then every saved server in the order they were added."""
    groups = [ModelGroup("", local_name, BackendKind.OLLAMA, local_state, "", local_models)]
    for status in fleet.statuses():
        server = status.server
        groups.append(
            ModelGroup(server.id, server.name, server.kind, status.state, status.message, status.models)
        )
    return groups
