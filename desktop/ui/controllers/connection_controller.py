"""ConnectionController: which model server is in use, and whether it answers.

Wraps the Qt-free ServerManager: finds Ollama or starts the embedded engine, polls
health, and lets the user start or stop the engine. State changes are emitted only
when the state really changes.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core.server_manager import ServerInfo, ServerKind, ServerManager, ServerStartError, ServerState
from desktop.ui import pyside_fix

POLL_MS = 5000


class ConnectionController(QObject):
    state_changed = Signal(object)  # ServerState
    server_changed = Signal(str)  # the URL to talk to changed: rebuild the client
    info_changed = Signal(object)  # ServerInfo | None
    start_failed = Signal(str)  # plain sentence

    def __init__(self, manager: ServerManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        pyside_fix.apply()
        self._manager = manager
        self._manager.on_state_changed = self._on_state
        self._task: asyncio.Task[Any] | None = None
        self._url = manager.url
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def state(self) -> ServerState:
        return self._manager.state

    @property
    def info(self) -> ServerInfo | None:
        return self._manager.info

    @property
    def url(self) -> str:
        return self._manager.url

    @property
    def manager(self) -> ServerManager:
        return self._manager

    def engine_running(self) -> bool:
        info = self._manager.info
        return info is not None and info.kind == ServerKind.ENGINE

    def can_stop(self) -> bool:
        info = self._manager.info
        return info is not None and info.owned

    def start(self) -> None:
        """Find a server or start one (Ollama, else the embedded engine)."""
        if self._task is not None and not self._task.done():
            return
        self._task = asyncio.ensure_future(self._manager.start())
        self._task.add_done_callback(self._on_started)

    def stop(self) -> None:
        if self._task is not None and not self._task.done():
            return
        self._task = asyncio.ensure_future(self._manager.stop())
        self._task.add_done_callback(lambda _t: self.info_changed.emit(self._manager.info))

    def retry(self) -> None:
        if self._manager.info is None:
            self.start()
        else:
            self._poll()

    def _poll(self) -> None:
        if self._task is not None and not self._task.done():
            return
        if self._manager.info is None:
            return
        self._task = asyncio.ensure_future(self._manager.check())

    def _on_started(self, task: asyncio.Task[Any]) -> None:
        self._timer.start()
        if task.cancelled():
            return
        err = task.exception()
        if isinstance(err, ServerStartError):
            self.start_failed.emit(str(err))
        elif err is not None:
            self.start_failed.emit(self.tr("Could not start a model server: %1").replace("%1", str(err)))
        self.info_changed.emit(self._manager.info)
        if self._manager.url != self._url:
            self._url = self._manager.url
            self.server_changed.emit(self._url)

    def _on_state(self, state: ServerState) -> None:
        self.state_changed.emit(state)

    async def aclose(self) -> None:
        self._timer.stop()
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - shutting down
                pass
        await self._manager.stop()
