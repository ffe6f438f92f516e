"""ServersController: keeps the session's saved servers (desktop.core.fleet) checked.

It reloads the fleet at start and whenever the saved list changes in the settings, and checks
every server again each POLL_SECONDS; each check has its own budget, so a slow server never
delays the others, and nothing here blocks the UI (keyring reads run on its own thread).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.core.session import Session
from desktop.core.settings import AppSettings
from desktop.ui.tasks import TaskRunner

POLL_SECONDS = 30


class ServersController(QObject):
    changed = Signal()  # some server's state or models changed

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._fleet = session.fleet
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desk-keyring")
        self._fleet.executor = self._pool
        self._tasks = TaskRunner(self)
        self._unsubscribe = session.settings.subscribe(self._on_settings)
        self._unsubscribe_fleet = self._fleet.subscribe(lambda _sid: self.changed.emit())
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_SECONDS * 1000)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        if self._session.settings.current.engine_share:
            # The engine shared on the LAN (#15): its key from the keyring, before the engine
            # starts where the keyring answers quickly (else the next engine start uses it).
            from desktop.ui.settings.share_section import read_or_make_key

            secrets = self._fleet.book.secrets
            self._tasks.start(self._share(lambda: read_or_make_key(secrets)))
        self.reload()
        self._timer.start()

    async def _share(self, read: Callable[[], str]) -> None:
        key = await asyncio.get_running_loop().run_in_executor(self._pool, read)
        self._session.set_share_key(key)

    def reload(self) -> None:
        self._tasks.start(self._fleet.reload())

    def refresh(self) -> None:
        if not self._tasks.busy:
            self._tasks.start(self._fleet.refresh())

    def _on_settings(self, _values: AppSettings, names: frozenset[str]) -> None:
        if "servers" in names:
            self.reload()

    async def aclose(self) -> None:
        self._timer.stop()
        self._unsubscribe()
        self._unsubscribe_fleet()
        await self._tasks.aclose()
        self._pool.shutdown(wait=True)
