"""Which model server the app talks to, and starting/stopping the one it owns.

The order, on start():
1. a server already answering at OLLAMA_HOST: use it (kind "ollama" on this machine,
   "external" elsewhere, "engine" when it is an ollama-desk engine);
2. an embedded engine that is already running (its state file names pid and port, and it
   answers with the same pid): reuse it;
3. an `ollama` binary on PATH (and OLLAMA_HOST on this machine): `ollama serve` as a child;
4. otherwise the embedded engine as a child on 127.0.0.1 (port 11434 when free, else a
   free port), waiting until it answers.

Children die with the app: the engine watches its parent (PR_SET_PDEATHSIG plus a watchdog
thread), and `ollama serve` gets PR_SET_PDEATHSIG on Linux. Spawn from the event loop's
thread (the main thread): Linux ties PR_SET_PDEATHSIG to the thread that forked.
stop() only ever terminates a process this manager started.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from desktop import paths
from desktop.core.ollama.host import default_host, is_loopback, parse_host
from desktop.core.serve_limits import ServeLimits

ENGINE_HEADER = "x-ollama-desk-engine"
PID_HEADER = "x-ollama-desk-pid"
PARENT_ENV = "OLLAMA_DESK_PARENT_PID"
DEFAULT_PORT = 11434


class ServerState(str, Enum):
    UNKNOWN = "unknown"
    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"
    ENGINE_STARTING = "engine-starting"


class ServerKind(str, Enum):
    OLLAMA = "ollama"  # an Ollama already running on this machine
    EXTERNAL = "external"  # a server on another machine (OLLAMA_HOST points elsewhere)
    MANAGED_OLLAMA = "managed-ollama"  # `ollama serve`, started by this manager
    ENGINE = "engine"  # the embedded engine (started here, or reused)


@dataclass(frozen=True)
class ServerInfo:
    kind: ServerKind
    url: str
    version: str
    owned: bool  # True when stop() would terminate it
    pid: int | None = None


class ServerStartError(Exception):
    """No server could be found or started; the message is for the user."""


@dataclass(frozen=True)
class _Probe:
    version: str
    engine: bool
    pid: int | None


def _pdeathsig() -> None:  # pragma: no cover - runs in the forked child
    import ctypes
    import ctypes.util
    import signal

    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def engine_command(host: str) -> list[str]:
    """How to run `ollama-desk serve` from this app: source tree, wheel or frozen bundle."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "serve", "--host", host]
    return [sys.executable, "-m", "desktop", "serve", "--host", host]


class ServerManager:
    def __init__(
        self,
        host: str | None = None,
        *,
        data_dir: Path | None = None,
        on_state_changed: Callable[[ServerState], None] | None = None,
        ollama_binary: str | None = "auto",
        preferred_port: int = DEFAULT_PORT,
        start_timeout: float = 60.0,
        probe_timeout: float = 2.0,
        limits: ServeLimits | None = None,
    ) -> None:
        self.host_url = parse_host(host) if host is not None else default_host()
        self._data_dir = data_dir
        self.on_state_changed = on_state_changed
        self._ollama_binary = ollama_binary
        self.preferred_port = preferred_port
        self.start_timeout = start_timeout
        self.probe_timeout = probe_timeout
        # Applied to the next server this manager starts (a running one keeps its own).
        self.limits = limits or ServeLimits()
        # Non-empty: the next engine this manager starts is shared on the LAN with this API key
        # (`serve --share`, #15), and every probe sends it.
        self.share_key = ""
        self.state = ServerState.UNKNOWN
        self.info: ServerInfo | None = None
        self.last_error = ""
        self.process: subprocess.Popen[bytes] | None = None
        self._lock = asyncio.Lock()

    # --- what is in use ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.info.url if self.info else self.host_url

    @property
    def data_dir(self) -> Path:
        return self._data_dir if self._data_dir is not None else paths.data_dir()

    @property
    def state_file(self) -> Path:
        return self.data_dir / "engine" / "engine.json"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "engine" / "engine.log"

    def ollama_binary(self) -> str | None:
        if self._ollama_binary == "auto":
            return shutil.which("ollama")
        return self._ollama_binary

    def _set_state(self, state: ServerState) -> None:
        if state != self.state:
            self.state = state
            if self.on_state_changed is not None:
                self.on_state_changed(state)

    # --- probing -----------------------------------------------------------------------------

    async def _probe(self, url: str) -> _Probe | None:
        try:
            headers = {"Authorization": f"Bearer {self.share_key}"} if self.share_key else None
            async with httpx.AsyncClient(
                timeout=self.probe_timeout, trust_env=False, headers=headers
            ) as client:
                response = await client.get(f"{url}/api/version")
            if response.status_code != 200:
                return None
            version = str(response.json().get("version", ""))
        except (httpx.HTTPError, ValueError, AttributeError, RecursionError):  # any server may answer
            return None
        pid_text = response.headers.get(PID_HEADER, "")
        return _Probe(
            version=version,
            engine=ENGINE_HEADER in response.headers,
            pid=int(pid_text) if pid_text.isdigit() else None,
        )

    def _read_state(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    # --- start / stop --------------------------------------------------------------------------

    async def start(self) -> ServerInfo:
        """Find or start a server; raises ServerStartError with a plain message."""
        async with self._lock:
            if self.info is not None and await self._probe(self.info.url) is not None:
                self._set_state(ServerState.ONLINE)
                return self.info
            self._set_state(ServerState.CONNECTING)
            try:
                info = await self._find_or_start()
            except ServerStartError as exc:
                self.last_error = str(exc)
                self.info = None
                self._set_state(ServerState.OFFLINE)
                raise
            self.info = info
            self.last_error = ""
            self._set_state(ServerState.ONLINE)
            return info

    async def _find_or_start(self) -> ServerInfo:
        probe = await self._probe(self.host_url)
        if probe is not None:
            if probe.engine:
                kind = ServerKind.ENGINE
            else:
                kind = ServerKind.OLLAMA if is_loopback(self.host_url) else ServerKind.EXTERNAL
            return ServerInfo(kind, self.host_url, probe.version, owned=False, pid=probe.pid)
        reused = await self._running_engine()
        if reused is not None:
            return reused
        binary = self.ollama_binary()
        errors: list[str] = []
        if binary and is_loopback(self.host_url):
            try:
                return await self._start_ollama(binary)
            except ServerStartError as exc:
                errors.append(str(exc))
        try:
            return await self._start_engine()
        except ServerStartError as exc:
            errors.append(str(exc))
        raise ServerStartError(" ".join(errors))

    async def _running_engine(self) -> ServerInfo | None:
        state = self._read_state()
        if state is None or not isinstance(state.get("url"), str) or not isinstance(state.get("pid"), int):
            return None
        probe = await self._probe(state["url"])
        if probe is None or not probe.engine or probe.pid != state["pid"]:
            return None
        return ServerInfo(ServerKind.ENGINE, state["url"], probe.version, owned=False, pid=probe.pid)

    def _log_handle(self) -> Any:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        return self.log_file.open("ab")

    async def _start_ollama(self, binary: str) -> ServerInfo:
        parts = urlsplit(self.host_url)
        env = {**os.environ, **self.limits.env()}
        env["OLLAMA_HOST"] = f"{parts.hostname}:{parts.port or DEFAULT_PORT}"
        with self._log_handle() as log:
            try:
                process = subprocess.Popen(
                    [binary, "serve"],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    env=env,
                    preexec_fn=_pdeathsig if sys.platform.startswith("linux") else None,  # noqa: PLW1509
                )
            except OSError as exc:
                raise ServerStartError(f"Ollama is installed but could not be started ({exc}).") from exc
        self.process = process
        probe = await self._wait_ready(process, self.host_url)
        return ServerInfo(
            ServerKind.MANAGED_OLLAMA, self.host_url, probe.version, owned=True, pid=process.pid
        )

    async def _start_engine(self) -> ServerInfo:
        self._set_state(ServerState.ENGINE_STARTING)
        port = self.preferred_port if self.preferred_port and port_free(self.preferred_port) else free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, **self.limits.env()}
        env[PARENT_ENV] = str(os.getpid())
        env["OLLAMA_DESK_HOME"] = str(self.data_dir)
        command = engine_command(f"127.0.0.1:{port}")
        if self.share_key:  # on the LAN, with the key (never on the command line: env only)
            command = [*engine_command(f"0.0.0.0:{port}"), "--share"]
            env["OLLAMA_DESK_SHARE_KEY"] = self.share_key
        with self._log_handle() as log:
            try:
                process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                    env=env,
                )
            except OSError as exc:
                raise ServerStartError(f"The built-in engine could not be started ({exc}).") from exc
        self.process = process
        probe = await self._wait_ready(process, url)
        return ServerInfo(ServerKind.ENGINE, url, probe.version, owned=True, pid=process.pid)

    async def _wait_ready(self, process: subprocess.Popen[bytes], url: str) -> _Probe:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.process = None
                raise ServerStartError(
                    f"The model server stopped while starting (exit code {process.returncode}). "
                    f"{self._log_tail()}"
                )
            probe = await self._probe(url)
            if probe is not None:
                return probe
            await asyncio.sleep(0.2)
        await self._terminate(process)
        self.process = None
        raise ServerStartError(f"The model server did not answer within {self.start_timeout:.0f} seconds.")

    def _log_tail(self) -> str:
        try:
            lines = self.log_file.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1][:300] if lines else ""

    @staticmethod
    async def _terminate(process: subprocess.Popen[bytes]) -> None:
        if process.poll() is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(asyncio.to_thread(process.wait), timeout=8.0)
        except asyncio.TimeoutError:
            process.kill()
            await asyncio.to_thread(process.wait)

    async def stop(self) -> bool:
        """Stop the server if this manager started it; returns whether it did."""
        async with self._lock:
            if self.info is None or not self.info.owned or self.process is None:
                return False
            process, self.process = self.process, None
            self.info = None
            await self._terminate(process)
            self._set_state(ServerState.OFFLINE)
            return True

    async def check(self) -> bool:
        """Probe the server in use; updates the state. Never raises."""
        if self.info is None:
            return False
        probe = await self._probe(self.info.url)
        if probe is None:
            if self.process is not None and self.process.poll() is not None:
                self.process = None
            self._set_state(ServerState.OFFLINE)
            return False
        self._set_state(ServerState.ONLINE)
        return True
