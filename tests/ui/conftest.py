"""The UI tests' one qasync loop, shared by every module (ARCHITECTURE.md: create it once with
`already_running=True`, never stop it in teardown: that would quit the QApplication)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
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
