"""Start a real embedded engine process for tests (`python -m desktop serve`)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class EngineProcess:
    url: str
    process: subprocess.Popen[bytes]
    home: Path
    log: Path
    _closed: bool = field(default=False, repr=False)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_engine(
    home: Path,
    *,
    port: int | None = None,
    extra_env: dict[str, str] | None = None,
    models: Path | None = None,
    timeout: float = 60.0,
) -> EngineProcess:
    """Start an engine with OLLAMA_DESK_HOME=home and wait until it answers /api/version.

    The engine is tied to this test process (OLLAMA_DESK_PARENT_PID), so a crashed test run
    never leaves it behind.
    """
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["OLLAMA_DESK_HOME"] = str(home)
    env["OLLAMA_DESK_PARENT_PID"] = str(os.getpid())
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra_env or {})
    cmd = [sys.executable, "-m", "desktop", "serve", "--host", f"127.0.0.1:{port or 0}"]
    if models is not None:
        cmd += ["--models", str(models)]
    log = home / "engine-stderr.log"
    with log.open("wb") as err:
        process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, cwd=str(REPO_ROOT))
    assert process.stdout is not None
    found: list[str] = []

    def read_banner() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.decode("utf-8", "replace").strip()
            if line.startswith("listening on "):
                found.append(line.split(" ", 2)[2])
                return

    reader = threading.Thread(target=read_banner, daemon=True)
    reader.start()
    reader.join(timeout)
    if not found:
        process.kill()
        process.wait(timeout=5)
        process.stdout.close()
        raise RuntimeError(f"the engine did not start: {log.read_text(errors='replace')[-2000:]}")
    engine = EngineProcess(url=found[0], process=process, home=home, log=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{engine.url}/api/version", timeout=2.0).status_code == 200:
                return engine
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    engine.stop()
    raise RuntimeError("the engine never answered /api/version")
