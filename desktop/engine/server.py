"""Running the engine as its own process: bind, state file, and dying with the parent.

When the app starts the engine it sets OLLAMA_DESK_PARENT_PID. On Linux the kernel then
sends SIGTERM when the parent dies (prctl PR_SET_PDEATHSIG); on every OS a watchdog thread
also polls the parent and stops the engine when it is gone, so closing or killing the app
never leaves an orphan engine holding a port and gigabytes of RAM.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop import __version__, paths

PARENT_ENV = "OLLAMA_DESK_PARENT_PID"
MAX_CONNECTIONS = 200
HEADER_TIMEOUT_ENV = "OLLAMA_DESK_HEADER_TIMEOUT"
PR_SET_PDEATHSIG = 1


def state_file() -> Path:
    return paths.data_dir() / "engine" / "engine.json"


def default_models_dir() -> Path:
    return paths.data_dir() / "engine" / "models"


def _parent_alive(pid: int) -> bool:
    if os.name == "posix":
        if os.getppid() != pid:
            return False
        return True
    try:
        import psutil

        return bool(psutil.pid_exists(pid))
    except Exception:  # noqa: BLE001
        return True


def _stop_self() -> None:
    """Ask for a graceful shutdown, and make sure of it a few seconds later."""
    with contextlib.suppress(Exception):
        os.kill(os.getpid(), signal.SIGTERM if os.name == "posix" else signal.SIGINT)
    time.sleep(5.0)
    os._exit(0)


def watch_parent() -> None:
    raw = os.environ.get(PARENT_ENV, "")
    if not raw.isdigit():
        return
    parent = int(raw)
    # OLLAMA_DESK_PDEATHSIG=0 leaves only the watchdog (what other OSes get); tests use it.
    if sys.platform.startswith("linux") and os.environ.get("OLLAMA_DESK_PDEATHSIG", "1") != "0":
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    if not _parent_alive(parent):  # the parent died before prctl took effect
        os._exit(0)

    def loop() -> None:
        while _parent_alive(parent):
            time.sleep(0.5)
        _stop_self()

    threading.Thread(target=loop, name="parent-watchdog", daemon=True).start()


def write_state(port: int, host: str, models_dir: Path) -> None:
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "pid": os.getpid(),
        "port": port,
        "url": f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}",
        "version": __version__,
        "models": str(models_dir),
        "started_at": time.time(),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def clear_state() -> None:
    path = state_file()
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()


def _server_class() -> Any:
    import uvicorn

    class QuietServer(uvicorn.Server):
        """uvicorn re-raises SIGTERM after shutdown, killing the process before its cleanup
        (the state file would be left behind); handle the signal without re-raising it."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            signals = [signal.SIGINT, signal.SIGTERM]
            original = {sig: signal.signal(sig, self.handle_exit) for sig in signals}
            try:
                yield
            finally:
                for sig, handler in original.items():
                    signal.signal(sig, handler)

    return QuietServer


def serve(host: str, port: int, models_dir: Path, *, allow_remote: bool = False, share_key: str = "") -> int:
    """Run until SIGTERM/SIGINT; prints `listening on http://HOST:PORT` once bound."""
    import uvicorn

    from desktop.engine.app import Engine, build_app
    from desktop.engine.connection_guard import GuardedH11Protocol

    _QuietServer = _server_class()
    with contextlib.suppress(ValueError):
        # Tests shorten the head budget; nothing else should need to.
        GuardedH11Protocol.header_timeout = float(
            os.environ.get(HEADER_TIMEOUT_ENV, GuardedH11Protocol.header_timeout)
        )
    from desktop.engine.starter import register_starter

    watch_parent()
    engine = Engine(models_dir)
    register_starter(engine.registry)
    app = build_app(engine, allow_remote=allow_remote)
    if share_key:  # on the LAN: an API key on every request, Host still checked (desktop.engine.share)
        from desktop.engine.share import ShareGuard

        app = ShareGuard(app, share_key)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=3,
        timeout_keep_alive=5,
        # Hostile-client limits: a request head of at most 64 KiB, at most MAX_CONNECTIONS
        # requests and connections at once (uvicorn answers 503 beyond), and the head read
        # within a budget with few connections waiting for one (connection_guard).
        http=GuardedH11Protocol,
        h11_max_incomplete_event_size=64 * 1024,
        limit_concurrency=MAX_CONNECTIONS,
        backlog=256,
    )
    server = _QuietServer(config)

    async def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            await asyncio.sleep(0.02)
        bound = port
        for srv in getattr(server, "servers", []):
            for sock in srv.sockets:
                bound = int(sock.getsockname()[1])
        write_state(bound, host, models_dir)
        print(f"listening on http://{host}:{bound}", flush=True)

    async def main() -> None:
        task = asyncio.ensure_future(announce())
        try:
            await server.serve()
        finally:
            task.cancel()

    code = 0
    try:
        asyncio.run(main())
        if not server.started:
            code = 1
    except SystemExit as exc:
        code = int(exc.code) if isinstance(exc.code, int) else 1
    finally:
        clear_state()
    return code
