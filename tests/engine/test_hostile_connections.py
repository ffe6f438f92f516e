"""Slowloris against the real engine: connections that drip their headers are closed within
the head budget, at most MAX_WAITING wait at once, and the API answers throughout."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.engine.connection_guard import MAX_WAITING
from tests.support.engine import EngineProcess, start_engine

pytestmark = pytest.mark.engine
BUDGET = 2.0


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    process = start_engine(
        tmp_path_factory.mktemp("slowloris"), extra_env={"OLLAMA_DESK_HEADER_TIMEOUT": str(BUDGET)}
    )
    try:
        yield process
    finally:
        process.stop()


def _is_closed(sock: socket.socket) -> bool:
    try:
        sock.setblocking(False)
        data = sock.recv(4096)
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)
    return data == b"" or data.startswith(b"HTTP/1.1 4")


def _timed_version(url: str) -> float:
    started = time.perf_counter()
    response = httpx.get(url + "/api/version", timeout=5)
    assert response.status_code == 200
    return time.perf_counter() - started


def test_sixty_dripping_connections_are_closed_and_the_api_keeps_answering(
    engine: EngineProcess, tmp_path: Path
) -> None:
    stop = threading.Event()
    sockets: list[socket.socket] = []
    for _ in range(60):
        sock = socket.create_connection(("127.0.0.1", engine.port), timeout=5)
        sock.sendall(b"GET /api/version HTTP/1.1\r\nHost: localhost\r\n")
        sockets.append(sock)

    def drip() -> None:
        while not stop.wait(0.3):
            for sock in sockets:
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        time.sleep(0.5)
        # The cap: the oldest waiting connections were dropped as the newer ones arrived.
        assert sum(_is_closed(s) for s in sockets) >= 60 - MAX_WAITING
        latencies = [_timed_version(engine.url) for _ in range(10)]
        assert max(latencies) < 1.0, latencies
        time.sleep(BUDGET + 1.0)
        assert all(_is_closed(s) for s in sockets)
        assert _timed_version(engine.url) < 1.0
    finally:
        stop.set()
        dripper.join(timeout=5)
        for sock in sockets:
            sock.close()


def test_an_idle_connection_gets_the_same_budget_and_normal_requests_are_unaffected(
    engine: EngineProcess,
) -> None:
    sock = socket.create_connection(("127.0.0.1", engine.port), timeout=10)
    try:
        started = time.perf_counter()
        assert sock.recv(10) == b""  # closed by the engine, nothing sent
        assert time.perf_counter() - started < BUDGET + 1.5
    finally:
        sock.close()
    # Keep-alive between quick requests still works on one connection.
    with httpx.Client(base_url=engine.url, timeout=5) as client:
        for _ in range(5):
            assert client.get("/api/version").status_code == 200
            time.sleep(0.2)


def test_an_oversized_request_head_is_refused(engine: EngineProcess) -> None:
    with socket.create_connection(("127.0.0.1", engine.port), timeout=10) as sock:
        sock.sendall(
            b"GET /api/version HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n"
        )
        reply = b""
        try:
            while chunk := sock.recv(65536):
                reply += chunk
        except OSError:
            pass
    assert reply == b"" or reply.startswith(b"HTTP/1.1 4")
    assert _timed_version(engine.url) < 1.0
