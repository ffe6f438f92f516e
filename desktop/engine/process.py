"""Starting, watching and stopping one model child (`desktop.engine.child`) from the front."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import httpx

from desktop.engine.options import RequestError

LOAD_TIMEOUT = 300.0


@dataclass(frozen=True)
class ChildSettings:
    path: Path
    num_ctx: int  # per llama-server slot
    parallel: int
    threads: int
    num_batch: int
    gpu_layers: int
    embedding: bool
    weights: int
    kv_bytes: int
    projector: str = ""  # the vision projector (mmproj) GGUF, when the model has one

    def same_model(self, other: ChildSettings) -> bool:
        mine, theirs = asdict(self), asdict(other)
        for key in ("num_batch", "weights", "kv_bytes"):
            mine.pop(key)
            theirs.pop(key)
        return mine == theirs


def _command() -> list[str]:
    if getattr(sys, "frozen", False):  # a PyInstaller bundle has no `-m`
        return [sys.executable, "serve", "--child"]
    return [sys.executable, "-m", "desktop.engine.child"]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def exit_reason(code: int | None) -> str:
    """Go's wording, as Ollama reports its runners: `exit status 2`, `signal: killed`."""
    if code is None:
        return "no exit status"
    if code < 0:
        import signal

        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        words = {"SIGKILL": "killed", "SIGSEGV": "segmentation fault", "SIGABRT": "aborted"}
        return f"signal: {words.get(name, name)}"
    return f"exit status {code}"


_LEVEL = re.compile(r"^[0-9.]+ ([EW]) (.*)$")


def _log_clue(path: Path) -> str:
    """What llama.cpp said before the child failed: its first error line (the cause; later
    ones are the consequences), else the last line that looks like one."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 16384))
            lines = handle.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    for line in lines:
        match = _LEVEL.match(line.strip())
        if match and match.group(1) == "E":
            return match.group(2).strip()[:300]
    for line in reversed(lines):
        low = line.lower()
        if any(w in low for w in ("error", "assert", "failed", "exception", "terminate")):
            return line.strip()[-300:]
    return ""


class Child:
    """A running llama-server child: its address, key, slots and fate."""

    def __init__(
        self, settings: ChildSettings, process: subprocess.Popen[bytes], key: str, log: Path
    ) -> None:
        self.settings = settings
        self.process = process
        self.key = key
        self.log = log
        self.url = ""
        self.pid = process.pid
        self.http: httpx.AsyncClient | None = None
        self.active = 0
        self.idle = asyncio.Event()
        self.idle.set()
        self.dead = asyncio.Event()
        self.reason = ""
        self.stopping = False
        self.slot_ctx = settings.num_ctx  # what llama-server reports per slot, once it answers
        self.slot_count = settings.parallel
        self._stale_caches = 0  # requests still to evaluate their prompt afresh (below)
        self._slots = asyncio.Semaphore(settings.parallel)
        self._watched = False  # once watched, the watching thread owns (reads, closes) stdout

    @property
    def alive(self) -> bool:
        return not self.dead.is_set() and not self.stopping

    @property
    def size(self) -> int:
        return self.settings.weights + self.settings.kv_bytes

    @property
    def size_vram(self) -> int:
        return self.size if self.settings.gpu_layers != 0 else 0

    def death_message(self) -> str:
        clue = _log_clue(self.log)
        reason = self.reason or exit_reason(self.process.poll())
        return f"llama runner process has terminated: {reason}" + (f": {clue}" if clue else "")

    def caches_stale(self) -> None:
        """Measured on the starter model: after a tool-grammar generation, a chat that reused that
        slot's cached prefix answered "Which city is the capital of France?" with "Le Grand
        Chateau..." until the model was reloaded; with the cache off once, Paris again. So the
        next requests, one per slot, evaluate their prompt afresh, which leaves clean caches."""
        self._stale_caches = self.slot_count

    def reuse_cache(self) -> bool:
        """The `cache_prompt` of the next request to this child (every path asks here)."""
        if self._stale_caches > 0:
            self._stale_caches -= 1
            return False
        return True

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            if not self.alive:
                raise RequestError(self.death_message(), 500)
            self.active += 1
            self.idle.clear()
            try:
                yield
            finally:
                self.active -= 1
                if self.active == 0:
                    self.idle.set()

    def _on_exit(self, code: int | None) -> None:
        self.reason = exit_reason(code)
        self.dead.set()

    def watch(self, loop: asyncio.AbstractEventLoop, stdout: IO[bytes]) -> None:
        self._watched = True

        def wait() -> None:
            with contextlib.suppress(Exception):
                while stdout.readline():
                    pass
            with contextlib.suppress(OSError):
                stdout.close()  # else the pipe lingers until the collector warns about it
            code = self.process.wait()
            with contextlib.suppress(RuntimeError):  # the loop is closed at shutdown
                loop.call_soon_threadsafe(self._on_exit, code)

        threading.Thread(target=wait, name=f"runner-{self.pid}", daemon=True).start()

    async def drain_and_stop(self) -> None:
        """Let the requests in flight finish (a reload for other settings), then stop."""
        if self.alive:
            waiter = asyncio.ensure_future(self.idle.wait())
            death = asyncio.ensure_future(self.dead.wait())
            await asyncio.wait({waiter, death}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            death.cancel()
        self.stop()

    def stop(self) -> None:
        """Close the child's stdin (it exits at once), and kill it if it has not in 3 s."""
        if self.stopping:
            return
        self.stopping = True
        with contextlib.suppress(OSError, ValueError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        process, log = self.process, self.log
        unread = None if self._watched else process.stdout

        def reap() -> None:
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=3)
            if unread is not None:  # a child that never became ready: nobody else reads it
                with contextlib.suppress(OSError):
                    unread.close()
            with contextlib.suppress(OSError):
                log.unlink()

        threading.Thread(target=reap, name=f"reap-{self.pid}", daemon=True).start()
        http, self.http = self.http, None
        if http is not None:
            with contextlib.suppress(RuntimeError):
                asyncio.get_running_loop().create_task(http.aclose())

    def client(self) -> httpx.AsyncClient:
        if self.http is None:
            raise RequestError(self.death_message(), 500)
        return self.http


async def start_child(settings: ChildSettings) -> Child:
    """Start a child, hand it its settings and key, and wait until llama-server answers."""
    key = secrets.token_urlsafe(32)
    fd, log_name = tempfile.mkstemp(prefix="ollama-desk-runner-", suffix=".log")
    log = Path(log_name)
    with os.fdopen(fd, "wb") as err:
        process = subprocess.Popen(
            _command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            env=_child_env(),
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    child = Child(settings, process, key, log)
    assert process.stdin is not None and process.stdout is not None
    stdout = process.stdout
    config: dict[str, Any] = {**asdict(settings), "path": str(settings.path), "key": key}
    try:
        process.stdin.write((json.dumps(config) + "\n").encode())
        process.stdin.flush()
        line = await asyncio.wait_for(asyncio.to_thread(stdout.readline), LOAD_TIMEOUT)
    except (OSError, asyncio.TimeoutError) as exc:
        child.stop()
        raise RequestError(f"unable to load model: the runner did not start ({exc})", 500) from exc
    except asyncio.CancelledError:
        child.stop()  # the load was abandoned: a runner nobody holds would live as long as the engine
        raise
    try:
        ready = json.loads(line) if line.strip() else {}
    except ValueError:
        ready = {}
    if not isinstance(ready, dict) or not isinstance(ready.get("url"), str):
        error = ready.get("error") if isinstance(ready, dict) else None
        await asyncio.to_thread(_wait_quietly, process)
        child.reason = exit_reason(process.poll())
        clue = _log_clue(log)
        message = clue or str(error or child.death_message())
        child.stop()
        raise RequestError(f"unable to load model: {message}", 500)
    child.url = ready["url"].rstrip("/")
    child.http = httpx.AsyncClient(
        base_url=child.url,
        headers={"Authorization": f"Bearer {key}"},
        timeout=httpx.Timeout(30.0, read=None),
        limits=httpx.Limits(max_connections=settings.parallel + 8),
        trust_env=False,
    )
    child.watch(asyncio.get_running_loop(), stdout)
    try:
        await _read_slots(child)
    except asyncio.CancelledError:
        child.stop()
        raise
    return child


async def _read_slots(child: Child) -> None:
    """Each slot's context as llama-server itself reports it: /api/ps shows this figure, so
    a slot that got less than the requested num_ctx would show, not hide."""
    try:
        response = await child.client().get("/slots")
        slots = response.json() if response.status_code == 200 else []
        sizes = [int(s["n_ctx"]) for s in slots if isinstance(s, dict) and "n_ctx" in s]
    except (httpx.HTTPError, ValueError, TypeError, KeyError):
        return
    if sizes:
        child.slot_ctx = min(sizes)
        child.slot_count = len(sizes)


def _wait_quietly(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)
