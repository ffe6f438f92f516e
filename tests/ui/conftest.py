"""The UI tests' one qasync loop, shared by every module (ARCHITECTURE.md: create it once with
`already_running=True`, never stop it in teardown: that would quit the QApplication)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.ui import pyside_fix

# This test session is an entry point: before any signal (PySide6 6.12 on Python < 3.12 loses a
# reference to True per signal; see desktop/ui/pyside_fix.py).
pyside_fix.apply()


@pytest.fixture(scope="session")
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    # httpx resolves host names in the default executor; qasync's default is QThreads, which
    # Qt reports as "destroyed while running" at exit. Plain threads are joined here.
    executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ui-test")
    loop.set_default_executor(executor)
    # run_forever() installs these; a loop that is "already running" never calls it, and an
    # abandoned httpx stream would then be finalised outside the loop.
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,  # type: ignore[attr-defined]
        finalizer=loop._asyncgen_finalizer_hook,  # type: ignore[attr-defined]
    )
    yield loop
    executor.shutdown(wait=True)


@pytest.fixture(scope="session")
def event_loop_qt(qloop: asyncio.AbstractEventLoop) -> asyncio.AbstractEventLoop:
    return qloop


def _active_timers() -> list[QTimer]:
    """The app's running repeating QTimers (polls, watchdogs). One-shot timers end by themselves;
    Qt's internal timers are not Python objects and are not seen here."""
    import gc

    found = []
    for obj in gc.get_objects():
        if isinstance(obj, QTimer):
            try:
                if obj.isActive() and not obj.isSingleShot():
                    found.append(obj)
            except RuntimeError:  # its C++ side is already gone
                continue
    return found


def leftovers(wait_ms: int = 2000) -> tuple[list[asyncio.Task[Any]], list[QTimer]]:
    """The runners' unfinished tasks and the running repeating timers, after giving work that is
    finishing (a cancelled task's last step, a window's deleteLater) up to `wait_ms`."""
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEvent, QEventLoop

    from desktop.ui import tasks

    deadline = QDeadlineTimer(wait_ms)
    while True:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if not (tasks.running_tasks() or _active_timers()) or deadline.hasExpired():
            break
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return tasks.running_tasks(), _active_timers()


@pytest.fixture(autouse=True)
def nothing_left_running(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each UI test no task of the app's task runners and no timer of the app still runs:
    a controller that was not closed would otherwise keep polling into the next test."""
    yield
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        return
    left, timers = leftovers()
    for task in left:
        task.cancel()
    for timer in timers:
        timer.stop()
    assert not left, f"tasks still running after the test: {left}"
    assert not timers, "timers still running after the test: " + ", ".join(
        f"{t.objectName() or type(t).__name__} of {type(t.parent()).__name__}" for t in timers
    )
