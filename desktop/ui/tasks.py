"""The UI's one task runner: start async work, track it, cancel it on close, report how it ended.

Every controller owns a TaskRunner instead of keeping task handles by hand. Outcomes are
delivered from the task's done callback, on the Qt thread (ARCHITECTURE.md: a task cancelled
before its first step never runs its `finally`, so a `finally` is no place for final signals).

Blocking work (files, SQLite backups) runs on a plain Python thread pool, not the loop's
default executor: qasync's QThread executor aborts the interpreter at exit while one of its
threads is alive, and these threads are joined at exit instead.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")
Result = Callable[[Any], None]
Error = Callable[[BaseException], None]

_RUNNERS: weakref.WeakSet[TaskRunner] = weakref.WeakSet()
_EXECUTOR: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _EXECUTOR
    if _EXECUTOR is None:
        _EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="desk-blocking")
    return _EXECUTOR


def running_tasks() -> list[asyncio.Task[Any]]:
    """Every unfinished task of every runner."""
    return [task for runner in list(_RUNNERS) for task in runner.pending()]


def server_tasks() -> list[asyncio.Task[Any]]:
    """The unfinished tasks that may be talking to the model server through the session's client
    (the session waits for these before it closes a replaced client; a hotkey's D-Bus session,
    which lives as long as the app, is not among them)."""
    return [task for runner in list(_RUNNERS) if runner.server_work for task in runner.pending()]


def plain(err: BaseException) -> str:
    """An exception as one sentence for a status line (never a traceback)."""
    text = str(err).strip()
    return text if text else type(err).__name__


class TaskRunner(QObject):
    """Tracks the tasks of one owner. `failed(str)` carries the plain message of an error that no
    `on_error` handled (and the error is logged); `busy_changed(bool)` follows "some task runs"."""

    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, server_work: bool = False) -> None:
        """server_work: this owner's tasks use the session's client (see server_tasks)."""
        super().__init__(parent)
        self.server_work = server_work
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False
        _RUNNERS.add(self)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def pending(self) -> list[asyncio.Task[Any]]:
        return [task for task in self._tasks if not task.done()]

    def start(
        self,
        work: Coroutine[Any, Any, T],
        *,
        on_result: Callable[[T], None] | None = None,
        on_error: Error | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_finished: Callable[[asyncio.Task[T]], None] | None = None,
    ) -> asyncio.Task[T]:
        """Run `work`; exactly one of on_result / on_error / on_cancelled runs when it ends, then
        on_finished(task) (for owners that read the task themselves)."""
        task: asyncio.Task[T] = asyncio.ensure_future(work)
        if self._closed:
            # Shutting down (e.g. a done callback asking for a refresh): the work never starts.
            task.cancel()
            return task
        was_busy = self.busy
        self._tasks.add(task)
        if not was_busy:
            self.busy_changed.emit(True)

        def done(t: asyncio.Task[T]) -> None:
            self._tasks.discard(t)
            try:
                self._deliver(t, on_result, on_error, on_cancelled)
                if on_finished is not None:
                    on_finished(t)
            finally:
                if not self._tasks:
                    self.busy_changed.emit(False)

        task.add_done_callback(done)
        return task

    def run_blocking(
        self,
        fn: Callable[[], T],
        *,
        on_result: Callable[[T], None] | None = None,
        on_error: Error | None = None,
    ) -> asyncio.Task[T]:
        """Run `fn` on a worker thread. `fn` must not touch Qt objects or hold widgets: the thread
        drops its references when it ends, and a Qt object must never be freed off the Qt thread."""

        async def in_thread() -> T:
            return await asyncio.get_running_loop().run_in_executor(_executor(), fn)

        return self.start(in_thread(), on_result=on_result, on_error=on_error)

    def _deliver(
        self,
        task: asyncio.Task[T],
        on_result: Callable[[T], None] | None,
        on_error: Error | None,
        on_cancelled: Callable[[], None] | None,
    ) -> None:
        if task.cancelled():
            if on_cancelled is not None:
                on_cancelled()
            return
        err = task.exception()
        if err is None:
            if on_result is not None:
                on_result(task.result())
        elif on_error is not None:
            on_error(err)
        else:
            log.warning("background task failed", exc_info=err)
            self.failed.emit(plain(err))

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    async def aclose(self) -> None:
        """Cancel what runs and wait for it (its done callbacks run first); no new work after."""
        self._closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
