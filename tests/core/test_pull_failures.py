"""Pulls that fail: the error sorted for a plain message, and a failed pull listed (not retried)
at the next start, while one that quitting interrupted resumes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from desktop.core.ollama.types import PullProgress
from desktop.core.pull_queue import PendingStore, PullQueue
from desktop.core.pulls import PullSnapshot, PullState, error_kind
from tests.core.test_pulls import ScriptedClient, load_fixture, make_queue, run_async, wait_until
from tests.support.fault_server import FaultServer

OFFLINE = "pull model manifest: [Errno -2] Name or service not known"


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        (OFFLINE, "offline"),
        ("pull model manifest: Get \"https://registry.ollama.ai/v2/library/x/manifests/1\": dial tcp: lookup "
         "registry.ollama.ai: no such host", "offline"),
        ("pull model manifest: [Errno -3] Temporary failure in name resolution", "offline"),
        ("pull model manifest: All connection attempts failed", "unreachable"),
        ("Get \"https://registry.ollama.ai/v2/\": net/http: TLS handshake timeout", "unreachable"),
        ("pull model manifest: file does not exist", "missing"),
        ("write /models/blobs/sha256-1: no space left on device", "disk"),
        ("something else entirely", ""),
    ],
)
def test_error_kinds(message: str, kind: str) -> None:
    assert error_kind(message) == kind


def test_a_failed_pull_is_listed_with_retry_not_retried_at_the_next_start(tmp_path: Path) -> None:
    store = PendingStore(tmp_path / "pulls.json")

    async def first_run() -> None:
        client = ScriptedClient([[PullProgress("pulling manifest"), OFFLINE]])
        queue, finished = make_queue(client, store=store)
        queue.enqueue("llama3.1:8b", expected_total=4_900_000_000)
        await wait_until(lambda: finished)
        assert finished == [("llama3.1:8b", False, OFFLINE)]
        await queue.aclose()

    run_async(first_run())
    (saved,) = store.load()
    assert saved.model == "llama3.1:8b" and saved.failed == OFFLINE

    async def second_run() -> None:
        client = ScriptedClient([load_fixture("cached.ndjson")])
        updates: list[PullSnapshot] = []
        queue, finished = make_queue(client, store=store, on_update=updates.append)
        assert queue.resume_pending() == []  # nothing is requested again on its own
        await asyncio.sleep(0.1)
        assert client.requests == [] and finished == []  # so no "Download failed" popup either
        snap = queue.snapshot("llama3.1:8b")
        assert snap is not None and snap.state is PullState.FAILED and snap.error == OFFLINE
        assert updates and updates[-1].state is PullState.FAILED  # the row is shown, failed
        assert queue.retry("llama3.1:8b")  # the user's Retry
        await wait_until(lambda: finished)
        assert finished == [("llama3.1:8b", True, "")] and client.requests == ["llama3.1:8b"]
        await queue.aclose()

    run_async(second_run())
    assert store.load() == []


def test_a_retry_that_quitting_interrupts_resumes_next_time(tmp_path: Path) -> None:
    store = PendingStore(tmp_path / "pulls.json")

    async def run() -> None:
        client = ScriptedClient([[OFFLINE], [PullProgress("pulling a", "sha256:a", 1000, 10), "HANG"]])
        queue, finished = make_queue(client, store=store, stall_after=60)
        queue.enqueue("m:1")
        await wait_until(lambda: finished)
        assert store.load()[0].failed
        queue.retry("m:1")
        await wait_until(lambda: len(client.requests) == 2)
        assert not store.load()[0].failed  # wanted again
        await queue.aclose()

    run_async(run())
    assert [(p.model, p.failed) for p in store.load()] == [("m:1", "")]


def test_http_offline_error_line(fault_server: FaultServer) -> None:
    from tests.core.test_pulls import run_queue_over_http

    lines = [{"status": "pulling manifest"}, {"error": OFFLINE}]
    fault_server.route("POST", "/api/pull", lines=lines)
    finished, updates = run_queue_over_http(fault_server.url, "llama3.1:8b")
    assert finished == [("llama3.1:8b", False, OFFLINE)]
    assert error_kind(finished[0][2]) == "offline"
    assert updates[-1].state is PullState.FAILED and updates[-1].fraction is None


def test_real_engine_with_an_unreachable_registry(engine_url: str) -> None:
    from desktop.core.ollama.client import OllamaClient

    async def main() -> tuple[str, bool, str]:
        client = OllamaClient(engine_url)
        try:
            done: list[tuple[str, bool, str]] = []
            queue = PullQueue(
                client, on_finished=lambda m, ok, err: done.append((m, ok, err)), tick_interval=0.05
            )
            # A registry named in the tag, on a closed local port: the engine's real connect error.
            queue.enqueue("127.0.0.1:1/library/x:1", insecure=True)
            await wait_until(lambda: done, 20)
            await queue.aclose()
            return done[0]
        finally:
            await client.aclose()

    model, ok, error = run_async(main())
    assert not ok and error_kind(error) == "unreachable", error


def test_stream_interrupted_is_still_retried() -> None:
    # A cut connection is not a failure to list: the queue retries it (unchanged behaviour).
    async def main() -> list[str]:
        client = ScriptedClient([["CUT"], load_fixture("cached.ndjson")])
        queue, finished = make_queue(client)
        queue.enqueue("m:1")
        await wait_until(lambda: finished)
        assert finished == [("m:1", True, "")]
        return client.requests

    assert run_async(main()) == ["m:1", "m:1"]


def test_a_damaged_failed_entry_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "pulls.json"
    entries = '{"model": "a:1", "failed": {"odd": 1}}, {"model": "b:1", "failed": null}, {"model": ""}'
    path.write_text('{"pulls": [' + entries + "]}", encoding="utf-8")
    loaded = PendingStore(path).load()
    assert [(p.model, bool(p.failed)) for p in loaded] == [("a:1", True), ("b:1", False)]
