"""A queue of model pulls: one at a time, stall retry, and resume after the app restarts.

The server keeps partial blobs, so every retry is a new /api/pull of the same tag that
continues where the bytes stopped. Pending pulls are written to a small JSON file (atomic
replace, so a kill never leaves half a file). On the next start a pull that quitting
interrupted is queued again; one that had failed is listed as failed, with its error, and
waits for the user's Retry: retrying it at every launch would only fail again (offline) and
pop up a notification each time.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Protocol

from desktop.core.ollama.errors import OllamaError, ServerUnavailable, StreamInterrupted
from desktop.core.ollama.types import PullProgress
from desktop.core.pull_pending import PendingPull, PendingStore
from desktop.core.pulls import Clock, PullSnapshot, PullState, PullTracker

__all__ = [
    "FinishedCallback",
    "PendingPull",
    "PendingStore",
    "PullClient",
    "PullQueue",
    "UpdateCallback",
    "is_permanent_error",
]

log = logging.getLogger(__name__)

# Server errors that a retry cannot fix: the pull is dropped from the resume list.
_PERMANENT_MARKERS = (
    "file does not exist",
    "invalid model name",
    "not available in the repository",
    "insecure protocol",
    "requires mlx",
    "not found",
    "from hugging face only",
)


class PullClient(Protocol):
    def pull(self, model: str, *, insecure: bool = False) -> AsyncIterator[PullProgress]: ...


def is_permanent_error(message: str) -> bool:
    lowered = message.lower()
    if re.search(r"pull model manifest: 4\d\d\b", lowered):
        return True  # the registry refused the name or tag
    return any(marker in lowered for marker in _PERMANENT_MARKERS)


UpdateCallback = Callable[[PullSnapshot], None]
FinishedCallback = Callable[[str, bool, str], None]


class PullQueue:
    """Runs pulls in order (max_concurrent at a time) with automatic retries on stalls and cuts.

    Callbacks run on the event loop thread: `on_update(snapshot)` at most every
    `update_interval` seconds per pull (and on every state change), `on_finished(model, ok,
    error)` once per pull outcome (success, failure, cancel).
    """

    def __init__(
        self,
        client: PullClient,
        *,
        store: PendingStore | None = None,
        on_update: UpdateCallback | None = None,
        on_finished: FinishedCallback | None = None,
        clock: Clock = time.monotonic,
        stall_after: float = 30.0,
        tick_interval: float = 1.0,
        update_interval: float = 0.1,
        max_auto_retries: int = 5,
        retry_delay: float = 2.0,
        max_concurrent: int = 1,
    ) -> None:
        self.client = client
        self.store = store
        self.on_update = on_update
        self.on_finished = on_finished
        self.clock = clock
        self.stall_after = stall_after
        self.tick_interval = tick_interval
        self.update_interval = update_interval
        self.max_auto_retries = max_auto_retries
        self.retry_delay = retry_delay
        self.max_concurrent = max_concurrent
        self._trackers: dict[str, PullTracker] = {}
        self._pending: dict[str, PendingPull] = {}
        self._waiting: list[str] = []
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._last_emit: dict[str, float] = {}
        self._insecure: dict[str, bool] = {}
        self._closed = False

    # -- requests --------------------------------------------------------------------------

    def enqueue(self, model: str, *, expected_total: int = 0, insecure: bool = False) -> bool:
        """Queue a pull; False if this tag is already queued or running."""
        model = model.strip()
        if not model or self._closed:
            return False
        tracker = self._trackers.get(model)
        if tracker is not None and not tracker.state.is_final:
            return False
        if tracker is not None and tracker.state is not PullState.SUCCEEDED:
            # Asked again after a failure or a cancel: same row, and its bar does not jump back.
            self._insecure[model] = insecure or self._insecure.get(model, False)
            return self.retry(model)
        self._trackers[model] = PullTracker(
            model, clock=self.clock, stall_after=self.stall_after, expected_total=expected_total
        )
        self._insecure[model] = insecure
        self._pending[model] = PendingPull(model, expected_total, time.time(), insecure)
        self._persist()
        self._waiting.append(model)
        self._emit(model, force=True)
        self._schedule()
        return True

    def resume_pending(self) -> list[str]:
        """Queue the pulls that quitting interrupted last time; returns their names. Those that had
        failed come back as failed rows (no request, no on_finished) until the user retries."""
        if self.store is None:
            return []
        resumed = []
        for pending in self.store.load():
            if pending.failed:
                self._restore_failed(pending)
                continue
            if self.enqueue(pending.model, expected_total=pending.expected_total, insecure=pending.insecure):
                resumed.append(pending.model)
        return resumed

    def _restore_failed(self, pending: PendingPull) -> None:
        if pending.model in self._trackers:
            return
        tracker = PullTracker(
            pending.model,
            clock=self.clock,
            stall_after=self.stall_after,
            expected_total=pending.expected_total,
        )
        tracker.fail(pending.failed)
        self._trackers[pending.model] = tracker
        self._insecure[pending.model] = pending.insecure
        self._pending[pending.model] = pending
        self._emit(pending.model, force=True)

    def cancel(self, model: str) -> None:
        """Stop a pull (closing its stream) and forget it; the server keeps what it has."""
        tracker = self._trackers.get(model)
        if tracker is None or tracker.state.is_final:
            return
        tracker.cancel()
        if model in self._waiting:
            self._waiting.remove(model)
        self._forget_pending(model)
        task = self._tasks.get(model)
        if task is not None:
            task.cancel()
        else:
            self._finish(model)

    def retry(self, model: str) -> bool:
        tracker = self._trackers.get(model)
        if tracker is None or not tracker.state.is_final or tracker.state is PullState.SUCCEEDED:
            return False
        tracker.reset_for_retry()
        if model not in self._pending or self._pending[model].failed:
            insecure = self._insecure.get(model, False)
            self._pending[model] = PendingPull(model, tracker.expected_total, time.time(), insecure)
            self._persist()
        self._waiting.append(model)
        self._emit(model, force=True)
        self._schedule()
        return True

    def dismiss(self, model: str) -> None:
        """Remove a finished row."""
        tracker = self._trackers.get(model)
        if tracker is not None and tracker.state.is_final:
            del self._trackers[model]
            self._forget_pending(model)

    def snapshot(self, model: str) -> PullSnapshot | None:
        tracker = self._trackers.get(model)
        return tracker.snapshot() if tracker is not None else None

    def snapshots(self) -> list[PullSnapshot]:
        return [tracker.snapshot() for tracker in self._trackers.values()]

    def is_busy(self) -> bool:
        return bool(self._tasks or self._waiting)

    async def aclose(self) -> None:
        """Stop for app shutdown: streams close, pending pulls stay listed for the next start."""
        self._closed = True
        self._waiting.clear()
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    # -- running ---------------------------------------------------------------------------

    def _schedule(self) -> None:
        while self._waiting and len(self._tasks) < self.max_concurrent and not self._closed:
            model = self._waiting.pop(0)
            task = asyncio.ensure_future(self._run(model))
            self._tasks[model] = task
            task.add_done_callback(functools.partial(self._on_task_done, model))

    def _on_task_done(self, model: str, task: asyncio.Task[None]) -> None:
        # Final signals come from here: a task cancelled before its first step never runs
        # its own `finally`.
        self._tasks.pop(model, None)
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            log.error("pull task for %s crashed", model, exc_info=exc)
            tracker = self._trackers.get(model)
            if tracker is not None:
                tracker.fail(f"The download stopped because of an internal error: {exc}")
        if not self._closed:
            self._finish(model)
            self._schedule()

    def _finish(self, model: str) -> None:
        tracker = self._trackers.get(model)
        if tracker is None:
            return
        state = tracker.state
        if not state.is_final:
            return
        if state is PullState.SUCCEEDED or (state is PullState.FAILED and is_permanent_error(tracker.error)):
            self._forget_pending(model)
        elif state is PullState.FAILED and model in self._pending:
            self._pending[model] = replace(self._pending[model], failed=tracker.error)
            self._persist()
        self._emit(model, force=True)
        if self.on_finished is not None:
            self.on_finished(model, state is PullState.SUCCEEDED, tracker.error)

    async def _run(self, model: str) -> None:
        tracker = self._trackers[model]
        retries = 0
        while True:
            tracker.begin_attempt()
            self._emit(model, force=True)
            outcome = await self._attempt(tracker)
            if tracker.state.is_final or outcome is None:
                return
            if retries >= self.max_auto_retries:
                tracker.fail(self._plain_retry_failure(outcome))
                return
            retries += 1
            tracker.mark_stalled()
            self._emit(model, force=True)
            await asyncio.sleep(min(self.retry_delay * (2 ** (retries - 1)), 60.0))

    @staticmethod
    def _plain_retry_failure(reason: str) -> str:
        return f"The download keeps stopping ({reason}). Check the connection, then press Retry."

    async def _attempt(self, tracker: PullTracker) -> str | None:
        """One request. Returns None when the tracker reached a final state, else why to retry."""
        consume = asyncio.ensure_future(self._consume(tracker))
        try:
            while True:
                done, _ = await asyncio.wait({consume}, timeout=self.tick_interval)
                if done:
                    return consume.result()
                if tracker.tick() is PullState.STALLED:
                    consume.cancel()
                    await asyncio.gather(consume, return_exceptions=True)
                    return f"no data for {int(self.stall_after)} s"
                self._emit(tracker.model, force=True)
        finally:
            if not consume.done():
                consume.cancel()
                await asyncio.gather(consume, return_exceptions=True)

    async def _consume(self, tracker: PullTracker) -> str | None:
        stream = self.client.pull(tracker.model, insecure=self._insecure.get(tracker.model, False))
        try:
            async for item in stream:
                tracker.feed(item)
                self._emit(tracker.model)
        except (StreamInterrupted, ServerUnavailable) as err:
            # A cut connection or a server restart: the partial blobs are still there.
            return str(err) or type(err).__name__
        except OllamaError as err:
            tracker.fail(str(err))
            return None
        finally:
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):
                    await aclose()
        tracker.end_of_stream()
        return None

    # -- helpers ---------------------------------------------------------------------------

    def _emit(self, model: str, *, force: bool = False) -> None:
        if self.on_update is None:
            return
        tracker = self._trackers.get(model)
        if tracker is None:
            return
        now = self.clock()
        if not force and now - self._last_emit.get(model, -1e9) < self.update_interval:
            return
        self._last_emit[model] = now
        self.on_update(tracker.snapshot())

    def _forget_pending(self, model: str) -> None:
        if self._pending.pop(model, None) is not None:
            self._persist()

    def _persist(self) -> None:
        if self.store is None:
            return
        try:
            self.store.save(list(self._pending.values()))
        except OSError as err:
            log.warning("could not save the pull list: %s", err)
