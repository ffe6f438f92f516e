"""Several servers at once (#15): each checked on its own; a down or slow one never delays the others."""

from __future__ import annotations

import asyncio
import time

from keyring.backends import fail

from desktop.core.backends import BackendKind
from desktop.core.fleet import Fleet
from desktop.core.secrets import Secrets
from desktop.core.server_manager import ServerState
from desktop.core.servers import ServerBook
from desktop.core.settings import Settings
from tests.support.fault_server import FaultServer


def test_each_server_has_its_own_state(fault_server: FaultServer, engine_url: str) -> None:
    fault_server.route("GET", "/v1/models", header_delay=float("inf"))  # never answers
    book = ServerBook(Settings(), Secrets(fail.Keyring()))
    local = book.add("Engine", BackendKind.OLLAMA, engine_url)
    slow = book.add("Slow", BackendKind.OPENAI, fault_server.url)
    down = book.add("Down", BackendKind.OPENAI, "http://127.0.0.1:9")

    async def main() -> tuple[list[tuple[str, float]], Fleet]:
        fleet = Fleet(book, budget=3.0)
        seen: list[tuple[str, float]] = []
        start = time.monotonic()
        fleet.subscribe(lambda sid: seen.append((sid, time.monotonic() - start)))
        await fleet.reload()
        return seen, fleet

    async def run() -> tuple[list[tuple[str, float]], dict[str, object]]:
        seen, fleet = await main()
        try:
            states = {sid: fleet.status(sid) for sid in (local.id, slow.id, down.id)}
            backend = fleet.backend(local.id)
            assert backend is not None and backend.manages_models
            return seen, states
        finally:
            await fleet.aclose()

    seen, states = asyncio.run(run())
    when = dict(seen)
    assert states[local.id].state is ServerState.ONLINE  # type: ignore[attr-defined]
    assert "smollm2:135m" in [m.name for m in states[local.id].models]  # type: ignore[attr-defined]
    assert states[down.id].state is ServerState.OFFLINE  # type: ignore[attr-defined]
    assert "Cannot reach" in states[down.id].message  # type: ignore[attr-defined]
    assert states[slow.id].state is ServerState.OFFLINE  # type: ignore[attr-defined]
    assert "did not answer" in states[slow.id].message  # type: ignore[attr-defined]
    # The answering servers were known long before the silent one gave up.
    assert when[local.id] < 2.5 and when[down.id] < 2.5 and when[slow.id] >= 2.9
