"""The hostile-GGUF set: the starter model with header fields llama.cpp asserts on, or a
chat template that never ends, and a runner that throws each at a live engine while it
measures /api/version. Used by tests/engine/test_hostile_gguf_engine.py and by
benchmarks/hostile_inputs.py (the figures for issue 14)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.support.gguf_forge import ARRAY, INT32, STRING, UINT32, Typed, forge


def _loops(depth: int, size: int, body: str = "") -> str:
    return "".join(f"{{% for v{i} in range({size}) %}}" for i in range(depth)) + body + "{% endfor %}" * depth


# name -> key/value changes (None removes the key)
CASES: dict[str, dict[str, Typed | None]] = {
    "block_count=0": {"llama.block_count": (UINT32, 0)},
    "block_count=513": {"llama.block_count": (UINT32, 513)},
    "block_count=1000": {"llama.block_count": (UINT32, 1000)},
    "block_count=-1": {"llama.block_count": (INT32, -1)},
    "head_count=0": {"llama.attention.head_count": (UINT32, 0)},
    "head_count_kv=0": {"llama.attention.head_count_kv": (UINT32, 0)},
    "head_count_kv=4": {"llama.attention.head_count_kv": (UINT32, 4)},
    "head_count=per-layer-short": {"llama.attention.head_count": (ARRAY, (UINT32, [9] * 5 + [9]))},
    "embedding_length=0": {"llama.embedding_length": (UINT32, 0)},
    "context_length=0": {"llama.context_length": (UINT32, 0)},
    "experts=1000": {"llama.expert_count": (UINT32, 1000), "llama.expert_used_count": (UINT32, 2)},
    "expert_used>experts": {"llama.expert_count": (UINT32, 4), "llama.expert_used_count": (UINT32, 8)},
    "token_type-short": {"tokenizer.ggml.token_type": (ARRAY, (INT32, [1] * 100))},
    "no-vocabulary": {"tokenizer.ggml.tokens": None},
    "rope_dims=4096": {"llama.rope.dimension_count": (UINT32, 4096)},
    "template=3x400-loops": {"tokenizer.chat_template": (STRING, _loops(3, 400))},
    "template=endless-output": {"tokenizer.chat_template": (STRING, _loops(3, 100_000, "x"))},
    "template=huge-string": {"tokenizer.chat_template": (STRING, '{{ "x" * 4000000000 }}')},
    "template=recursion": {
        "tokenizer.chat_template": (STRING, "{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}")
    },
    "template=per-message-loops": {
        "tokenizer.chat_template": (STRING, "{% for m in messages %}" + _loops(2, 100_000) + "{% endfor %}")
    },
}


@dataclass
class Outcome:
    case: str
    status: int
    error: str
    seconds: float
    version_latencies: list[float] = field(default_factory=list)
    engine_alive: bool = True


def _upload(url: str, path: Path) -> str:
    data = path.read_bytes()
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    response = httpx.post(f"{url}/api/blobs/{digest}", content=data, timeout=120)
    assert response.status_code in (200, 201), response.text
    return digest


def throw(
    url: str,
    source: Path,
    workdir: Path,
    case: str,
    changes: dict[str, Typed | None],
    *,
    alive: Callable[[], bool],
    chat_timeout: float = 120.0,
) -> Outcome:
    """Create the hostile model, chat with it while /api/version is polled, then delete it."""
    path = forge(source, workdir / "hostile.gguf", changes=changes)
    try:
        digest = _upload(url, path)
    finally:
        path.unlink(missing_ok=True)
    name = "hostile:" + hashlib.sha256(case.encode()).hexdigest()[:8]
    created = httpx.post(
        url + "/api/create", json={"model": name, "files": {"m.gguf": digest}, "stream": False}, timeout=120
    )
    latencies: list[float] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                httpx.get(url + "/api/version", timeout=30).raise_for_status()
                latencies.append(time.perf_counter() - started)
            except httpx.HTTPError:
                latencies.append(float("inf"))
            stop.wait(0.1)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    started = time.perf_counter()
    body: dict[str, Any] = {
        "model": name,
        "messages": [{"role": "user", "content": "Hi"}],
        "stream": False,
        "options": {"num_predict": 2, "temperature": 0, "seed": 1},
    }
    try:
        if created.status_code != 200:
            status, error = created.status_code, str(created.json().get("error", ""))
        else:
            reply = httpx.post(url + "/api/chat", json=body, timeout=chat_timeout)
            status = reply.status_code
            error = str(reply.json().get("error", "")) if status != 200 else ""
    finally:
        seconds = time.perf_counter() - started
        stop.set()
        poller.join(timeout=35)
    after = time.perf_counter()
    httpx.get(url + "/api/version", timeout=30).raise_for_status()
    latencies.append(time.perf_counter() - after)
    httpx.request("DELETE", url + "/api/delete", json={"model": name}, timeout=30)
    return Outcome(case, status, error, seconds, latencies, alive())
