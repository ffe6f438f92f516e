"""`ollama-desk serve --share` (#15): on the LAN only with an API key; Host/Origin rules kept.

Reached only through 127.0.0.1, with the Host header a colleague's machine sends (this
machine's LAN address), never through a LAN address."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from desktop.engine.share import lan_addresses

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Shared:
    port: int
    key: str
    process: subprocess.Popen[bytes]


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        OLLAMA_DESK_HOME=str(home), OLLAMA_DESK_PARENT_PID=str(os.getpid()), PYTHONPATH=str(REPO), **extra
    )
    env.pop("OLLAMA_DESK_SHARE_KEY", None)
    return env


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    home = tmp_path_factory.mktemp("share-home")
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "serve", "--share", "--host", "0.0.0.0:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=_env(home),
        cwd=str(REPO),
    )
    lines: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            lines.append(raw.decode().strip())
            if lines[-1].startswith("listening on "):
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(60)
    try:
        key = next(line.split()[-1] for line in lines if line.startswith("share: API key "))
        port = int(lines[-1].rsplit(":", 1)[1])
        assert any(line.startswith("share: colleagues connect to http://") for line in lines)
        yield Shared(port, key, process)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stdout is not None:
            process.stdout.close()


def _colleague_host(port: int) -> str:
    addresses = lan_addresses()
    assert addresses, "this machine has no LAN address"
    return f"{addresses[0]}:{port}"


def test_no_key_401_right_key_works_foreign_host_403(shared: Shared) -> None:
    url = f"http://127.0.0.1:{shared.port}"
    host = {"Host": _colleague_host(shared.port)}
    with httpx.Client(base_url=url, trust_env=False, timeout=30) as http:
        bare = http.get("/api/tags", headers=host)
        assert bare.status_code == 401 and "API key" in bare.json()["error"]
        wrong = http.get("/api/tags", headers={**host, "Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        good = {**host, "Authorization": f"Bearer {shared.key}"}
        tags = http.get("/api/tags", headers=good)
        assert tags.status_code == 200 and "smollm2:135m" in [m["name"] for m in tags.json()["models"]]
        chat = http.post(
            "/v1/chat/completions",
            headers=good,
            json={
                "model": "smollm2:135m",
                "messages": [{"role": "user", "content": "Which city is the capital of France?"}],
                "max_tokens": 12,
                "temperature": 0,
                "seed": 1,
            },
        )
        assert chat.status_code == 200 and "Paris" in chat.json()["choices"][0]["message"]["content"]
        # DNS rebinding: a foreign Host is refused even with the right key; so is a foreign Origin.
        foreign = http.get(
            "/api/tags", headers={"Host": "evil.example", "Authorization": f"Bearer {shared.key}"}
        )
        assert foreign.status_code == 403
        origin = http.get("/api/tags", headers={**good, "Origin": "https://evil.example"})
        assert origin.status_code == 403
        assert http.get("/api/version", headers={"Host": f"localhost:{shared.port}"}).status_code == 401


def test_the_apps_backend_reaches_it_with_the_key(shared: Shared) -> None:
    import asyncio

    from desktop.core.backends import BackendKind, KeyRejected
    from desktop.core.servers import check_backend, make_backend

    async def main() -> tuple[str, bool]:
        ok = make_backend(BackendKind.OPENAI, f"http://127.0.0.1:{shared.port}", api_key=shared.key)
        bad = make_backend(BackendKind.OLLAMA, f"http://127.0.0.1:{shared.port}", api_key="wrong")
        try:
            good = await check_backend(ok)
            try:
                await bad.list_models()
                rejected = False
            except KeyRejected:
                rejected = True
            return good.message, rejected or (await check_backend(bad)).key_rejected
        finally:
            await ok.aclose()
            await bad.aclose()

    message, rejected = asyncio.run(main())
    assert message.startswith("Connected:") and rejected


def test_a_bare_lan_host_is_still_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "serve", "--host", "0.0.0.0:0"],
        env=_env(tmp_path),
        cwd=str(REPO),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (
        done.returncode == 2 and "refusing to listen on 0.0.0.0" in done.stderr and "--share" in done.stderr
    )
