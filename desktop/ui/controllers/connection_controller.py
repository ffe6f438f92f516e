"""ConnectionController: finding, starting and watching the session's model server, for Qt.

The Qt-free Session owns the servers and the client; this controller runs their slow work
(find Ollama or start the embedded engine, stop it, health polls) through the task runner
and turns session events into signals. State changes are emitted only on real change.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core.server_manager import ServerInfo, ServerKind, ServerManager, ServerStartError, ServerState
from desktop.core.session import Session, SessionEvent
from desktop.ui.tasks import TaskRunner

POLL_MS = 5000


class ConnectionController(QObject):
    state_changed = Signal(object)  # ServerState
    server_changed = Signal(str)  # the address in use changed (the session has a new client)
    info_changed = Signal(object)  # ServerInfo | None
    start_failed = Signal(str)  # plain sentence

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._tasks = TaskRunner(self)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._unsubscribe = session.subscribe(self._on_session)

    @property
    def state(self) -> ServerState:
        return self._session.state

    @property
    def info(self) -> ServerInfo | None:
        return self._session.info

    @property
    def url(self) -> str:
        """The one address in use (the client's), named by every banner and error."""
        return self._session.url

    @property
    def manager(self) -> ServerManager:
        return self._session.server

    def engine_running(self) -> bool:
        info = self._session.info
        return info is not None and info.kind == ServerKind.ENGINE

    def can_stop(self) -> bool:
        info = self._session.info
        return info is not None and info.owned

    def start(self) -> None:
        """Find a server or start one (Ollama, else the embedded engine)."""
        if self._tasks.busy:
            return
        self._tasks.start(
            self._session.server.start(), on_error=self._on_start_error, on_finished=self._on_started
        )

    def stop(self) -> None:
        if self._tasks.busy:
            return
        self._tasks.start(self._session.server.stop(), on_error=lambda _e: None,
                          on_finished=lambda _t: self._server_updated())

    def toggle_engine(self) -> None:
        """The engine button: stop what we started, else start a server."""
        if self.can_stop():
            self.stop()
        else:
            self.start()

    def use_server(self, url: str) -> None:
        """The user chose another server in the settings ("" = automatic): connect to it."""
        self._tasks.cancel_all()

        async def switch() -> ServerInfo:
            manager = await self._session.use_server(url)
            return await manager.start()

        self._tasks.start(switch(), on_error=self._on_start_error, on_finished=self._on_started)

    def retry(self) -> None:
        if self._session.info is None:
            self.start()
        else:
            self._poll()

    def _poll(self) -> None:
        if self._tasks.busy or self._session.info is None:
            return
        self._tasks.start(self._session.server.check())

    def _on_start_error(self, err: BaseException) -> None:
        if isinstance(err, ServerStartError):
            self.start_failed.emit(str(err))
        else:
            self.start_failed.emit(self.tr("Could not start a model server: %1").replace("%1", str(err)))

    def _on_started(self, _task: object) -> None:
        self._timer.start()
        self._server_updated()

    def _server_updated(self) -> None:
        self._session.server_updated()
        self.info_changed.emit(self._session.info)

    def _on_session(self, event: SessionEvent) -> None:
        if event is SessionEvent.STATE:
            self.state_changed.emit(self._session.state)
        elif event is SessionEvent.CLIENT:
            self.server_changed.emit(self._session.url)

    async def aclose(self) -> None:
        self._timer.stop()
        self._unsubscribe()
        await self._tasks.aclose()
