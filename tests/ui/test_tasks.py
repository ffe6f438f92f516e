"""The UI task runner on the tests' qasync loop: outcomes from the done callback, cancel on close."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from desktop.ui import tasks
from desktop.ui.tasks import TaskRunner


@pytest.fixture(autouse=True)
def _loop(event_loop_qt: Any) -> None:
    """Tasks run on the shared qasync loop."""


async def answer(value: int, delay: float = 0.0) -> int:
    await asyncio.sleep(delay)
    return value


async def boom() -> None:
    raise OSError("disk full")


def test_result_error_and_busy(qtbot: Any) -> None:
    runner = TaskRunner()
    got: list[Any] = []
    busy: list[bool] = []
    runner.busy_changed.connect(busy.append)
    runner.start(answer(1, 0.01), on_result=got.append)
    runner.start(boom(), on_error=lambda e: got.append(str(e)))
    assert runner.busy
    qtbot.waitUntil(lambda: not runner.busy, timeout=3000)
    assert sorted(map(str, got)) == ["1", "disk full"]
    assert busy == [True, False]  # once for the pair, not per task


def test_an_unhandled_error_is_reported_plainly(qtbot: Any) -> None:
    runner = TaskRunner()
    with qtbot.waitSignal(runner.failed, timeout=3000) as failed:
        runner.start(boom())
    assert failed.args == ["disk full"]


def test_close_cancels_and_waits_even_before_the_first_step(qtbot: Any, qloop: Any) -> None:
    runner = TaskRunner()
    cancelled: list[bool] = []
    task = runner.start(answer(1, 30), on_cancelled=lambda: cancelled.append(True))
    assert task in tasks.running_tasks()
    closing = asyncio.ensure_future(runner.aclose())
    qtbot.waitUntil(closing.done, timeout=3000)
    assert task.cancelled() and cancelled == [True] and not runner.busy
    assert task not in tasks.running_tasks()
    late = runner.start(answer(2))  # after close nothing new runs
    qtbot.waitUntil(late.done, timeout=3000)
    assert late.cancelled()


def test_blocking_work_runs_off_the_qt_thread(qtbot: Any) -> None:
    runner = TaskRunner()
    threads: list[str] = []
    results: list[str] = []
    runner.run_blocking(lambda: threads.append(threading.current_thread().name) or "done",
                        on_result=results.append)
    qtbot.waitUntil(lambda: results == ["done"], timeout=3000)
    assert threads[0].startswith("desk-blocking") and threads[0] != threading.current_thread().name


def test_only_server_work_delays_closing_a_replaced_client(qtbot: Any) -> None:
    chat_like = TaskRunner(server_work=True)
    hotkey_like = TaskRunner()
    streaming = chat_like.start(answer(1, 30))
    forever = hotkey_like.start(answer(2, 30))
    assert streaming in tasks.server_tasks() and forever not in tasks.server_tasks()
    assert {streaming, forever} <= set(tasks.running_tasks())
    closing = asyncio.ensure_future(asyncio.gather(chat_like.aclose(), hotkey_like.aclose()))
    qtbot.waitUntil(closing.done, timeout=3000)


def test_the_after_test_check_sees_a_forgotten_task_and_poll(qtbot: Any) -> None:
    from PySide6.QtCore import QTimer

    from tests.ui.conftest import leftovers

    runner = TaskRunner()
    forgotten = runner.start(answer(1, 30))
    poll = QTimer()
    poll.setInterval(1000)
    poll.start()
    try:
        left, timers = leftovers(wait_ms=100)
        assert forgotten in left and poll in timers
    finally:
        poll.stop()
        closing = asyncio.ensure_future(runner.aclose())
        qtbot.waitUntil(closing.done, timeout=3000)
    assert leftovers(wait_ms=100) == ([], [])
