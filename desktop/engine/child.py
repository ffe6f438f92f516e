"""One loaded model: llama.cpp's own server (llama-server, via xllamacpp) in a process of its own.

`python -m desktop.engine.child` reads one JSON line of settings from stdin (the API key
among them, so it never shows in a process listing), opens llama-server on 127.0.0.1 on a
random port, prints `{"url": ...}` (or `{"error": ...}`) on stdout and then serves until its
stdin reaches end of file: the front holds the other end, so when the front exits or is
killed, the pipe closes and the child goes with it. On Linux the kernel also kills it when
the front dies (PR_SET_PDEATHSIG). A llama.cpp assertion or an out-of-memory kill takes down
this process only; the front sees the pipe close and fails that model's requests.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import signal
import sys
from typing import Any

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # OLLAMA_DESK_PDEATHSIG=0 leaves only the stdin pipe (what other OSes get); tests use it.
    if sys.platform.startswith("linux") and os.environ.get("OLLAMA_DESK_PDEATHSIG", "1") != "0":
        with contextlib.suppress(Exception):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


def _params(settings: dict[str, Any]) -> Any:
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(settings["path"])
    if settings.get("projector"):
        params.mmproj.path = str(settings["projector"])  # images through llama.cpp's mtmd
    params.n_parallel = int(settings["parallel"])
    # llama-server splits n_ctx across its slots: every slot gets the full requested context.
    params.n_ctx = int(settings["num_ctx"]) * params.n_parallel
    params.n_batch = int(settings.get("num_batch", 512))
    params.n_ubatch = min(params.n_batch, 512)
    params.use_jinja = True
    params.api_keys = [str(settings["key"])]
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    params.endpoint_slots = True
    params.endpoint_props = True
    params.n_gpu_layers = int(settings.get("gpu_layers", 0))
    threads = int(settings.get("threads", 0))
    if threads > 0:
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
    params.verbosity = 1  # warnings and errors only: the log is the front's clue when a child dies
    if settings.get("embedding"):
        params.embedding = True
        params.pooling_type = xllamacpp.llama_pooling_type.LLAMA_POOLING_TYPE_MEAN
        # A whole input is one batch for a pooled embedding.
        params.n_batch = params.n_ubatch = int(settings["num_ctx"])
    return params


def main() -> int:
    _die_with_parent()
    line = sys.stdin.readline()
    if not line:
        return 0
    try:
        settings = json.loads(line)
        import xllamacpp

        server = xllamacpp.Server(_params(settings))
        url = str(server.listening_address)
    except Exception as exc:  # noqa: BLE001 - reported to the front as the load error
        print(json.dumps({"error": str(exc) or type(exc).__name__}), flush=True)
        return 1
    print(json.dumps({"url": url, "pid": os.getpid()}), flush=True)
    while sys.stdin.readline():
        pass
    # Exit without running llama.cpp's destructors: the front is gone or asked us to stop,
    # and a clean teardown of a busy server can take seconds.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
