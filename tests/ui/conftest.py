"""The UI tests' one qasync loop, shared by every module (ARCHITECTURE.md: create it once with
`already_running=True`, never stop it in teardown: that would quit the QApplication); a store, a
client on the loopback fault server and Quick Ask popups on them (a module's own fixture of the
same name wins)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.ui import pyside_fix

if TYPE_CHECKING:
    from desktop.core.ollama.client import OllamaClient
    from desktop.core.store import Store
    from tests.support.fault_server import FaultServer
    from tests.ui.quick_ask_support import PopupFactory

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


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    from desktop.core.store import Store

    s = Store(tmp_path / "desk.sqlite3")
    yield s
    s.close()


@pytest.fixture
def client(fault_server: FaultServer, event_loop_qt: Any, qtbot: Any) -> Iterator[OllamaClient]:
    """A client on the fault server that waits 10 s for a token, closed on the loop."""
    from tests.ui.quick_ask_support import closing_client

    yield from closing_client(fault_server.url, qtbot)


@pytest.fixture
def make_popup(client: OllamaClient, store: Store, qtbot: Any) -> Iterator[PopupFactory]:
    """Quick Ask popups on `client` and `store` (keywords go to the controller: default_model,
    save_history...); an answer still running when the test ends is stopped."""
    from desktop.ui.controllers.quick_ask_controller import QuickAskController
    from desktop.ui.quick_ask import QuickAskWindow
    from tests.ui.quick_ask_support import MODEL

    made: list[QuickAskController] = []

    def make(**controller_args: Any) -> QuickAskWindow:
        controller = QuickAskController(client, store, **{"default_model": MODEL, **controller_args})
        window = QuickAskWindow(controller)
        qtbot.addWidget(window)
        made.append(controller)
        return window

    yield make
    for controller in made:
        if controller.busy:
            controller.stop()
            qtbot.waitUntil(lambda c=controller: not c.busy)


@pytest.fixture
def chinese() -> Iterator[None]:
    """The app's Simplified Chinese catalogue installed for this test (build widgets after it)."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    from desktop.paths import resource_path

    translator = QTranslator()
    assert translator.load(str(resource_path("translations", "ollama_desk_zh_CN.qm")))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


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
