"""Pull tracker and pull queue over recorded and generated /api/pull progress streams."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator, Coroutine, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from desktop.core.ollama.errors import ServerError, StreamInterrupted
from desktop.core.ollama.types import PullProgress
from desktop.core.pull_queue import PendingPull, PendingStore, PullClient, PullQueue, is_permanent_error
from desktop.core.pulls import PullSnapshot, PullState, PullTracker, format_bytes, format_duration
from tests.support.fault_server import FaultServer

FIXTURES = Path(__file__).parent / "fixtures" / "pulls"
T = TypeVar("T")
TICK = 0.06  # Ollama emits a progress line every 60 ms


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a worker thread: a UI test's qasync loop may be "running" in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def wire_items(lines: Iterable[dict[str, object]]) -> list[PullProgress | str]:
    """Wire lines as the client yields them: PullProgress, or an error message (raised)."""
    items: list[PullProgress | str] = []
    for obj in lines:
        if "error" in obj:
            items.append(str(obj["error"]))
            continue
        items.append(
            PullProgress(
                status=str(obj.get("status", "")),
                digest=str(obj.get("digest", "")),
                total=int(obj.get("total", 0)),  # type: ignore[call-overload]
                completed=int(obj.get("completed", 0)),  # type: ignore[call-overload]
            )
        )
    return items


def load_fixture(name: str) -> list[PullProgress | str]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return wire_items(json.loads(line) for line in text.splitlines() if line.strip())


@dataclass
class Run:
    tracker: PullTracker
    snapshots: list[PullSnapshot] = field(default_factory=list)


def replay(
    items: Sequence[PullProgress | str],
    *,
    tick: float = TICK,
    clock: FakeClock | None = None,
    tracker: PullTracker | None = None,
    **kwargs: float,
) -> Run:
    """Feed a stream the way the queue does, one line every `tick` seconds."""
    clock = clock or FakeClock()
    if tracker is None:
        tracker = PullTracker("m:tag", clock=clock, **kwargs)  # type: ignore[arg-type]
    run = Run(tracker)
    tracker.begin_attempt()
    for item in items:
        clock.advance(tick)
        if isinstance(item, str):
            tracker.fail(item)
            run.snapshots.append(tracker.snapshot())
            return run
        tracker.feed(item)
        tracker.tick()
        run.snapshots.append(tracker.snapshot())
    tracker.end_of_stream()
    run.snapshots.append(tracker.snapshot())
    return run


def assert_never_backwards(snapshots: Sequence[PullSnapshot]) -> None:
    fractions = [s.fraction for s in snapshots if s.fraction is not None]
    assert fractions == sorted(fractions), "overall fraction moved backwards"
    completed = [s.completed for s in snapshots]
    assert completed == sorted(completed), "overall bytes moved backwards"
    per_layer: dict[str, int] = {}
    for snap in snapshots:
        for layer in snap.layers:
            assert layer.completed >= per_layer.get(layer.digest, 0), "a layer moved backwards"
            per_layer[layer.digest] = layer.completed
            if layer.total:
                assert layer.completed <= layer.total
        assert all(0.0 <= f <= 1.0 for f in fractions)


# -- recorded and hand-built streams --------------------------------------------------------


def test_several_layers_success_reaches_exactly_one() -> None:
    run = replay(load_fixture("several_layers.ndjson"))
    final = run.snapshots[-1]
    assert final.state is PullState.SUCCEEDED
    assert final.fraction == 1.0
    assert final.total == 1321082688 + 1429 + 7711 + 96 + 485
    assert final.completed == final.total
    assert len(final.layers) == 5
    assert all(layer.done for layer in final.layers)
    assert_never_backwards(run.snapshots)


def test_total_grows_as_layers_arrive_and_bar_holds_instead_of_dropping() -> None:
    run = replay(load_fixture("several_layers.ndjson"))
    totals = [s.total for s in run.snapshots]
    assert totals == sorted(totals) and totals[-1] > totals[1]
    # Before the server verifies, the bar never claims 100 % and the total is not settled.
    downloading = [s for s in run.snapshots if s.state is PullState.DOWNLOADING]
    assert downloading and all(s.fraction is not None and s.fraction < 1.0 for s in downloading)
    assert not any(s.total_settled for s in downloading)
    verifying = [s for s in run.snapshots if s.state is PullState.VERIFYING]
    assert verifying and all(s.total_settled for s in verifying)
    assert_never_backwards(run.snapshots)


def test_speed_is_smoothed_and_eta_follows_it() -> None:
    # 1321 MB in 40 steps of 60 ms -> 550 MB/s of transfer.
    run = replay(load_fixture("several_layers.ndjson"))
    big = [s for s in run.snapshots if s.state is PullState.DOWNLOADING and s.speed > 0]
    assert big, "a speed appears once enough time has passed"
    first_speed_index = run.snapshots.index(big[0])
    # Not per line: no speed before half a second of samples.
    assert first_speed_index >= int(0.5 / TICK)
    expected = (1321082688 / 40) / TICK
    while_big_layer_runs = [s for s in big if not s.layers[0].done]
    assert len(while_big_layer_runs) > 20
    for snap in while_big_layer_runs:
        assert snap.speed == pytest.approx(expected, rel=0.15)
        assert snap.eta is not None
        remaining = snap.total - snap.completed
        assert snap.eta == pytest.approx(remaining / snap.speed, rel=0.01)


def test_server_side_part_restart_does_not_move_progress_backwards() -> None:
    run = replay(load_fixture("restart.ndjson"))
    assert run.snapshots[-1].state is PullState.SUCCEEDED
    assert_never_backwards(run.snapshots)
    # While the lost bytes are downloaded again, the shown bytes hold at their peak.
    peak = max(s.completed for s in run.snapshots[:8])
    held = [s.completed for s in run.snapshots[8:10]]
    assert all(c == peak for c in held)


def test_restart_keeps_eta_honest_about_bytes_still_missing() -> None:
    items = load_fixture("restart.ndjson")
    clock = FakeClock()
    tracker = PullTracker("m", clock=clock)
    tracker.begin_attempt()
    for item in items[:10]:  # through the drop to 320 MB and back up to 400 MB
        clock.advance(0.5)
        assert isinstance(item, PullProgress)
        tracker.feed(item)
        tracker.tick()
    snap = tracker.snapshot()
    assert snap.completed == 480_000_000  # the peak is shown
    assert snap.eta is not None and snap.speed > 0
    # ETA counts the 400 MB really missing on the server, not the 320 MB the bar suggests.
    assert snap.eta == pytest.approx(400_000_000 / snap.speed, rel=0.01)


def test_out_of_order_and_interleaved_layers() -> None:
    run = replay(load_fixture("out_of_order.ndjson"))
    final = run.snapshots[-1]
    assert final.state is PullState.SUCCEEDED
    assert {layer.total for layer in final.layers} == {400_000_000, 100_000_000}
    assert_never_backwards(run.snapshots)


def test_cached_layers_arrive_complete_in_one_line_without_a_fake_speed() -> None:
    run = replay(load_fixture("cached.ndjson"))
    final = run.snapshots[-1]
    assert final.state is PullState.SUCCEEDED
    assert final.fraction == 1.0
    # Nothing was transferred: bytes already on disk are not download speed.
    assert all(s.speed == 0.0 for s in run.snapshots)


def test_resumed_pull_starts_at_bytes_on_disk_and_speed_counts_only_new_bytes() -> None:
    run = replay(load_fixture("resumed.ndjson"), tick=0.25)
    first_layer_snap = run.snapshots[1]
    assert first_layer_snap.completed == 600_000_000
    assert first_layer_snap.fraction == pytest.approx(0.6, abs=0.001)
    speeds = [s.speed for s in run.snapshots if s.speed > 0]
    assert speeds and max(speeds) == pytest.approx(40_000_000 / 0.25, rel=0.05)
    assert run.snapshots[-1].state is PullState.SUCCEEDED


def test_recorded_resume_capture_from_issue_1763() -> None:
    run = replay(load_fixture("recorded_resume_1763.ndjson"), tick=0.5)
    snap = run.snapshots[-2]
    assert snap.state is PullState.DOWNLOADING
    assert snap.layers[0].short_digest == "d68d6a651780"
    assert snap.completed == 8606438720 and snap.total == 49625198848
    assert snap.speed > 0 and snap.eta is not None
    # The stream stops there, without `success`: that is a failure.
    assert run.snapshots[-1].state is PullState.FAILED


def test_error_line_becomes_failure_with_the_servers_message() -> None:
    run = replay(load_fixture("error_midway.ndjson"))
    final = run.snapshots[-1]
    assert final.state is PullState.FAILED
    assert final.error.startswith("max retries exceeded")
    assert final.speed == 0.0 and final.eta is None
    assert_never_backwards(run.snapshots)


def test_unknown_tag_fails_and_is_permanent() -> None:
    run = replay(load_fixture("manifest_not_found.ndjson"))
    assert run.snapshots[-1].state is PullState.FAILED
    assert run.snapshots[-1].error == "pull model manifest: file does not exist"
    assert is_permanent_error(run.snapshots[-1].error)
    assert not is_permanent_error("max retries exceeded: unexpected EOF")
    assert is_permanent_error(
        "pull model manifest: 400: The specified tag is not available in the repository."
    )
    assert not is_permanent_error(
        'pull model manifest: Get "https://registry.ollama.ai/v2/x": dial tcp: i/o timeout'
    )


def test_stream_ending_without_success_is_a_failure_not_a_success() -> None:
    run = replay(load_fixture("ended_without_success.ndjson"))
    final = run.snapshots[-1]
    assert final.state is PullState.FAILED
    assert "Retry" in final.error
    assert final.fraction is not None and final.fraction < 1.0


def test_missing_completed_key_while_zero_is_not_a_division_error() -> None:
    clock = FakeClock()
    tracker = PullTracker("m", clock=clock)
    tracker.begin_attempt()
    tracker.feed(PullProgress("pulling manifest"))
    assert tracker.snapshot().fraction is None
    tracker.feed(PullProgress("pulling abc", digest="sha256:abc", total=0))
    assert tracker.snapshot().fraction is None
    tracker.feed(PullProgress("pulling abc", digest="sha256:abc", total=1000))
    assert tracker.snapshot().fraction == 0.0


def test_expected_total_from_catalog_keeps_the_bar_honest_before_later_layers() -> None:
    clock = FakeClock()
    tracker = PullTracker("m", clock=clock, expected_total=1000)
    tracker.begin_attempt()
    tracker.feed(PullProgress("pulling a", digest="sha256:a", total=900, completed=900))
    assert tracker.snapshot().fraction == pytest.approx(0.9)
    tracker.feed(PullProgress("pulling b", digest="sha256:b", total=100, completed=100))
    tracker.feed(PullProgress("verifying sha256 digest"))
    assert tracker.snapshot().fraction == 1.0


# -- stalls, cancel, retries on one tracker -------------------------------------------------


def test_stall_after_configured_seconds_and_recovery() -> None:
    clock = FakeClock()
    tracker = PullTracker("m", clock=clock, stall_after=10)
    tracker.begin_attempt()
    tracker.feed(PullProgress("pulling a", digest="sha256:a", total=1000, completed=100))
    clock.advance(9.9)
    assert tracker.tick() is PullState.DOWNLOADING
    # The same line repeated (the 60 ms ticker with no new bytes) is not progress.
    tracker.feed(PullProgress("pulling a", digest="sha256:a", total=1000, completed=100))
    clock.advance(0.2)
    assert tracker.tick() is PullState.STALLED
    assert tracker.snapshot().speed == 0.0
    clock.advance(1)
    tracker.feed(PullProgress("pulling a", digest="sha256:a", total=1000, completed=200))
    assert tracker.state is PullState.DOWNLOADING


def test_retry_after_stall_keeps_shown_progress() -> None:
    clock = FakeClock()
    tracker = PullTracker("m", clock=clock)
    tracker.begin_attempt()
    tracker.feed(PullProgress("pulling a", digest="sha256:a", total=1000, completed=700))
    tracker.mark_stalled()
    tracker.begin_attempt()
    assert tracker.snapshot().attempts == 2
    # The server resumes from its partial parts, a little lower than we saw.
    tracker.feed(PullProgress("pulling manifest"))
    tracker.feed(PullProgress("pulling a", digest="sha256:a", total=1000, completed=650))
    snap = tracker.snapshot()
    assert snap.completed == 700 and snap.fraction == pytest.approx(0.7)


def test_cancel_is_final() -> None:
    tracker = PullTracker("m", clock=FakeClock())
    tracker.begin_attempt()
    tracker.cancel()
    tracker.feed(PullProgress("success"))
    assert tracker.end_of_stream() is PullState.CANCELLED


# -- generated streams ----------------------------------------------------------------------


def generate_stream(rng: random.Random) -> tuple[list[PullProgress], int]:
    """A random but plausible pull: layers in sequence, repeats, restarts, interleaving, cache hits."""
    layers = [
        (f"sha256:{i:064x}", rng.choice([96, 485, 7711, rng.randint(10**6, 5 * 10**9)])) for i in range(5)
    ]
    lines = [PullProgress("pulling manifest")]
    for digest, total in layers:
        status = f"pulling {digest[7:19]}"
        if rng.random() < 0.2:
            lines.append(PullProgress(status, digest, total, total))  # cache hit
            continue
        done = 0
        while done < total:
            roll = rng.random()
            if roll < 0.1 and done > 0:
                done = rng.randint(0, done)  # a part rolled back on the server
            elif roll < 0.2:
                pass  # a repeated line, no new bytes
            else:
                done = min(total, done + rng.randint(1, max(1, total // 7)))
            lines.append(PullProgress(status, digest, total, done))
            if rng.random() < 0.1 and len(lines) > 3:
                i = rng.randrange(1, len(lines) - 1)
                lines[i], lines[i + 1] = lines[i + 1], lines[i]  # out of order
    lines += [
        PullProgress("verifying sha256 digest"),
        PullProgress("writing manifest"),
        PullProgress("success"),
    ]
    return lines, sum(total for _, total in layers)


@pytest.mark.parametrize("seed", range(40))
def test_generated_streams_never_go_backwards_and_end_at_one(seed: int) -> None:
    rng = random.Random(seed)
    lines, total = generate_stream(rng)
    run = replay(list(lines), tick=rng.choice([0.01, 0.06, 0.3]))
    assert_never_backwards(run.snapshots)
    final = run.snapshots[-1]
    assert final.state is PullState.SUCCEEDED and final.fraction == 1.0
    assert final.total == total and final.completed == total
    assert all(s.speed >= 0 and (s.eta is None or s.eta >= 0) for s in run.snapshots)


@pytest.mark.parametrize("seed", range(10))
def test_generated_streams_cut_short_always_fail(seed: int) -> None:
    rng = random.Random(1000 + seed)
    lines, _ = generate_stream(rng)
    cut = rng.randrange(1, len(lines) - 1)
    run = replay(list(lines[:cut]))
    assert run.snapshots[-1].state is PullState.FAILED
    assert_never_backwards(run.snapshots)


def test_formatting() -> None:
    assert format_bytes(0) == "0 B"
    assert format_bytes(1536) == "1.5 KB"
    assert format_bytes(1_321_082_688) == "1.3 GB"
    assert format_bytes(250_000_000) == "250 MB"
    assert format_duration(45) == "45 s"
    assert format_duration(200) == "3 min 20 s"
    assert format_duration(7500) == "2 h 05 min"


# -- the queue ------------------------------------------------------------------------------


class ScriptedClient:
    """Plays one script per request: PullProgress items, error strings, "CUT" or "HANG"."""

    def __init__(self, scripts: list[list[PullProgress | str]], delay: float = 0.0) -> None:
        self.scripts = scripts
        self.delay = delay
        self.requests: list[str] = []
        self.insecure: list[bool] = []
        self.closed = 0

    async def _stream(self, script: list[PullProgress | str]) -> AsyncIterator[PullProgress]:
        try:
            for item in script:
                await asyncio.sleep(self.delay)
                if item == "CUT":
                    raise StreamInterrupted("The connection to the server was cut.")
                if item == "HANG":
                    await asyncio.sleep(3600)
                if isinstance(item, str):
                    raise ServerError(item)
                yield item
        finally:
            self.closed += 1

    def pull(self, model: str, *, insecure: bool = False) -> AsyncIterator[PullProgress]:
        self.requests.append(model)
        self.insecure.append(insecure)
        script = self.scripts.pop(0) if self.scripts else []
        return self._stream(script)


def make_queue(client: PullClient, **kwargs: object) -> tuple[PullQueue, list[tuple[str, bool, str]]]:
    finished: list[tuple[str, bool, str]] = []
    queue = PullQueue(
        client,
        on_finished=lambda m, ok, err: finished.append((m, ok, err)),
        tick_interval=0.02,
        retry_delay=0.01,
        **kwargs,  # type: ignore[arg-type]
    )
    return queue, finished


async def wait_until(predicate: object, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():  # type: ignore[operator]
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


def test_queue_runs_pulls_one_at_a_time_in_order() -> None:
    ok = load_fixture("cached.ndjson")

    async def main() -> None:
        client = ScriptedClient([list(ok), list(ok)], delay=0.001)
        queue, finished = make_queue(client)
        assert queue.enqueue("a:1") and queue.enqueue("b:2")
        assert not queue.enqueue("a:1"), "the same tag is not queued twice"
        assert queue.snapshot("b:2") is not None and queue.snapshot("b:2").state is PullState.QUEUED  # type: ignore[union-attr]
        await wait_until(lambda: len(finished) == 2)
        assert finished == [("a:1", True, ""), ("b:2", True, "")]
        assert client.requests == ["a:1", "b:2"]

    run_async(main())


def test_queue_retries_a_stalled_pull_and_the_retry_resumes() -> None:
    first: list[PullProgress | str] = [
        PullProgress("pulling manifest"),
        PullProgress("pulling a", "sha256:a", 1000, 400),
        "HANG",
    ]
    second: list[PullProgress | str] = [
        PullProgress("pulling manifest"),
        PullProgress("pulling a", "sha256:a", 1000, 400),
        PullProgress("pulling a", "sha256:a", 1000, 1000),
        PullProgress("verifying sha256 digest"),
        PullProgress("success"),
    ]

    async def main() -> None:
        client = ScriptedClient([first, second])
        updates: list[PullSnapshot] = []
        queue, finished = make_queue(client, stall_after=0.2, on_update=updates.append)
        queue.enqueue("m:1")
        await wait_until(lambda: finished)
        assert finished == [("m:1", True, "")]
        assert client.requests == ["m:1", "m:1"]
        assert client.closed == 2, "the stalled stream was closed"
        states = [u.state for u in updates]
        assert PullState.STALLED in states
        assert_never_backwards(updates)
        assert updates[-1].attempts == 2

    run_async(main())


def test_queue_retries_a_cut_stream_then_gives_up_with_a_plain_message() -> None:
    cut: list[PullProgress | str] = [PullProgress("pulling a", "sha256:a", 1000, 100), "CUT"]

    async def main() -> None:
        client = ScriptedClient([list(cut) for _ in range(4)])
        queue, finished = make_queue(client, max_auto_retries=3)
        queue.enqueue("m:1")
        await wait_until(lambda: finished)
        name, ok, error = finished[0]
        assert (name, ok) == ("m:1", False)
        assert "press Retry" in error
        assert len(client.requests) == 4

    run_async(main())


def test_queue_error_line_fails_without_retry_and_user_retry_works() -> None:
    async def main() -> None:
        client = ScriptedClient(
            [load_fixture("error_midway.ndjson"), load_fixture("cached.ndjson")], delay=0.001
        )
        queue, finished = make_queue(client)
        queue.enqueue("m:1")
        await wait_until(lambda: finished)
        assert finished[0][1] is False and finished[0][2].startswith("max retries exceeded")
        assert len(client.requests) == 1
        before = queue.snapshot("m:1")
        assert before is not None and before.completed > 0
        assert queue.enqueue("m:1"), "asking again after a failure retries the same pull"
        again = queue.snapshot("m:1")
        assert again is not None and again.completed == before.completed and again.state is PullState.QUEUED
        await wait_until(lambda: len(finished) == 2)
        assert finished[1] == ("m:1", True, "")

    run_async(main())


def test_queue_cancel_closes_the_stream() -> None:
    async def main() -> None:
        client = ScriptedClient([[PullProgress("pulling a", "sha256:a", 1000, 10), "HANG"], []])
        queue, finished = make_queue(client, stall_after=60)
        queue.enqueue("m:1")
        queue.enqueue("n:1")
        await wait_until(lambda: queue.snapshot("m:1").state is PullState.DOWNLOADING)  # type: ignore[union-attr]
        queue.cancel("n:1")  # still waiting: never requested
        queue.cancel("m:1")
        await wait_until(lambda: len(finished) == 2)
        assert sorted(finished) == [("m:1", False, ""), ("n:1", False, "")]
        assert client.closed == 1 and client.requests == ["m:1"]
        assert queue.snapshot("m:1").state is PullState.CANCELLED  # type: ignore[union-attr]

    run_async(main())


def test_interrupted_pulls_resume_on_next_start(tmp_path: Path) -> None:
    store = PendingStore(tmp_path / "pulls.json")

    async def first_run() -> None:
        client = ScriptedClient([[PullProgress("pulling a", "sha256:a", 1000, 10), "HANG"]])
        queue, _ = make_queue(client, store=store, stall_after=60)
        queue.enqueue("m:1", expected_total=1000)
        queue.enqueue("gone:1")
        queue.enqueue("reg.lan/me/w:1", insecure=True)
        queue.cancel("gone:1")
        await wait_until(lambda: client.requests)
        await queue.aclose()  # the app quits mid-pull

    run_async(first_run())
    assert [p.model for p in store.load()] == ["m:1", "reg.lan/me/w:1"]
    assert store.load()[0].expected_total == 1000

    async def second_run() -> None:
        client = ScriptedClient([load_fixture("resumed.ndjson"), load_fixture("cached.ndjson")])
        queue, finished = make_queue(client, store=store)
        assert queue.resume_pending() == ["m:1", "reg.lan/me/w:1"]
        await wait_until(lambda: len(finished) == 2)
        assert [f[1] for f in finished] == [True, True]
        assert client.insecure == [False, True], "a plain-HTTP registry stays plain HTTP after a restart"

    run_async(second_run())
    assert store.load() == []


def test_permanent_failures_leave_the_resume_list(tmp_path: Path) -> None:
    store = PendingStore(tmp_path / "pulls.json")

    async def main() -> None:
        client = ScriptedClient(
            [load_fixture("manifest_not_found.ndjson"), load_fixture("error_midway.ndjson")]
        )
        queue, finished = make_queue(client, store=store)
        queue.enqueue("nope:1")
        queue.enqueue("flaky:1")
        await wait_until(lambda: len(finished) == 2)

    run_async(main())
    assert [p.model for p in store.load()] == ["flaky:1"]


def test_pending_store_survives_garbage(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    path = folder / "pulls.json"
    path.write_text("{not json", encoding="utf-8")
    store = PendingStore(path)
    assert store.load() == []
    store.save([PendingPull("a:1", 5, 1.0), PendingPull("reg.lan/me/b:1", 0, 2.0, insecure=True)])
    assert store.load() == [PendingPull("a:1", 5, 1.0), PendingPull("reg.lan/me/b:1", 0, 2.0, insecure=True)]
    assert [p.name for p in folder.iterdir()] == ["pulls.json"], "no temporary file is left behind"


# -- over real HTTP: the real OllamaClient against the loopback fault server ------------------


def fixture_lines(name: str) -> list[dict[str, object]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def run_queue_over_http(
    url: str, model: str, *, timeout: float = 20.0, **kwargs: object
) -> tuple[list[tuple[str, bool, str]], list[PullSnapshot]]:
    from desktop.core.ollama.client import OllamaClient

    async def main() -> tuple[list[tuple[str, bool, str]], list[PullSnapshot]]:
        client = OllamaClient(url)
        updates: list[PullSnapshot] = []
        try:
            queue, finished = make_queue(client, on_update=updates.append, **kwargs)
            queue.enqueue(model)
            await wait_until(lambda: finished, timeout)
            return finished, updates
        finally:
            await client.aclose()

    return run_async(main())


def test_http_pull_success_over_the_real_client(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/pull", lines=fixture_lines("several_layers.ndjson"), delay=0.002)
    finished, updates = run_queue_over_http(fault_server.url, "llama3.2:1b")
    assert finished == [("llama3.2:1b", True, "")]
    assert fault_server.requests[0].json()["model"] == "llama3.2:1b"
    assert updates[-1].fraction == 1.0
    assert_never_backwards(updates)


def test_http_error_line_is_a_failure_with_the_plain_message(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/pull", lines=fixture_lines("manifest_not_found.ndjson"))
    finished, _ = run_queue_over_http(fault_server.url, "nope:1")
    assert finished == [("nope:1", False, "pull model manifest: file does not exist")]


def test_http_stream_ending_without_success_fails(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/pull", lines=fixture_lines("ended_without_success.ndjson"))
    finished, _ = run_queue_over_http(fault_server.url, "m:1")
    assert finished[0][1] is False and "Retry" in finished[0][2]


def test_http_stall_is_retried_and_the_retry_resumes(fault_server: FaultServer) -> None:
    lines = fixture_lines("resumed.ndjson")
    # First request: a few lines, then silence with the socket open.
    fault_server.route("POST", "/api/pull", lines=lines, stall_after=4, once=True)
    fault_server.route("POST", "/api/pull", lines=lines, delay=0.002)
    finished, updates = run_queue_over_http(fault_server.url, "m:1", stall_after=0.5)
    assert finished == [("m:1", True, "")]
    assert len(fault_server.requests) == 2
    assert fault_server.requests[0].client_closed.wait(5), "the stalled stream was closed"
    assert any(u.state is PullState.STALLED for u in updates)
    assert_never_backwards(updates)


def test_http_cut_connection_is_retried(fault_server: FaultServer) -> None:
    lines = fixture_lines("several_layers.ndjson")
    fault_server.route("POST", "/api/pull", lines=lines, cut_after=900, once=True)
    fault_server.route("POST", "/api/pull", lines=lines)
    finished, updates = run_queue_over_http(fault_server.url, "m:1")
    assert finished == [("m:1", True, "")]
    assert len(fault_server.requests) == 2
    assert updates[-1].attempts == 2
    assert_never_backwards(updates)


def test_http_cancel_closes_the_connection(fault_server: FaultServer) -> None:
    from desktop.core.ollama.client import OllamaClient

    fault_server.route("POST", "/api/pull", lines=fixture_lines("resumed.ndjson"), stall_after=3)

    async def main() -> list[tuple[str, bool, str]]:
        client = OllamaClient(fault_server.url)
        try:
            queue, finished = make_queue(client, stall_after=60)
            queue.enqueue("m:1")
            await wait_until(lambda: queue.snapshot("m:1").state is PullState.DOWNLOADING)  # type: ignore[union-attr]
            queue.cancel("m:1")
            await wait_until(lambda: finished)
            return finished
        finally:
            await client.aclose()

    assert run_async(main()) == [("m:1", False, "")]
    assert fault_server.requests[0].client_closed.wait(5)
