"""Loaded models: one llama-server child process per model and kind, and the scheduling around them.

A `ModelSlot` per model name holds up to two children (generation; embeddings, which
llama-server serves only with pooling switched on), the keep-alive timer and the count of
requests in flight. Each child has `parallel` llama-server slots; a request holds one of
them (an asyncio.Semaphore) for its whole life, so llama-server never queues behind our
back and a request that goes away frees its slot at once. Requests that wait for a slot
are counted against OLLAMA_MAX_QUEUE; one more is refused with Ollama's 503.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.engine.gguf import GGUFError, GGUFFile, read_gguf
from desktop.engine.gguf_check import check_loadable
from desktop.engine.options import DEFAULT_NUM_CTX, RequestError, fit_num_ctx
from desktop.engine.process import Child, ChildSettings, start_child
from desktop.engine.template_guard import check_templates

GEN = "generate"
EMBED = "embed"
DEFAULT_EMBED_CTX = 2048
DEFAULT_MAX_QUEUE = 512
BUSY = "server busy, please try again.  maximum pending requests exceeded"


def default_threads() -> int:
    """Physical cores, like Ollama: hyper-threads slow llama.cpp's matmuls down."""
    try:
        import psutil

        physical = psutil.cpu_count(logical=False)
    except Exception:  # noqa: BLE001
        physical = None
    return max(1, physical or os.cpu_count() or 1)


def gpu_offload_supported() -> bool:
    """Whether llama.cpp in this install sees a GPU (the PyPI Linux wheel is CPU-only)."""
    try:
        import xllamacpp

        devices = xllamacpp.get_device_info()
    except Exception:  # noqa: BLE001 - no usable xllamacpp means no GPU either
        return False
    kinds = xllamacpp.ggml_backend_dev_type
    gpus = {kinds.GGML_BACKEND_DEVICE_TYPE_GPU, kinds.GGML_BACKEND_DEVICE_TYPE_IGPU}
    return any(d.get("type") in gpus for d in devices)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def available_memory() -> int:
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except Exception:  # noqa: BLE001 - no figure: assume plenty, only the count limits apply
        return 1 << 40


def kv_cache_bytes(meta: GGUFFile, n_ctx: int) -> int:
    layers = meta.arch_value("block_count")
    embd = meta.embedding_length
    heads = meta.arch_value("attention.head_count")
    heads_kv = meta.arch_value("attention.head_count_kv") or heads
    if not all(isinstance(v, int) and v > 0 for v in (layers, embd, heads, heads_kv)):
        return 0
    head_dim = embd // heads
    return int(n_ctx * layers * heads_kv * head_dim * 2 * 2)  # K and V, f16


@dataclass
class Lease:
    """One llama-server slot held by one request."""

    child: Child
    load_seconds: float


@dataclass
class ModelSlot:
    name: str
    digest: str
    path: Path
    details: dict[str, Any]
    children: dict[str, Child] = field(default_factory=dict)
    projector: str = ""  # mmproj GGUF of a vision model
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    expires_at: float = 0.0  # epoch seconds; math.inf = forever
    timer: asyncio.TimerHandle | None = None
    pending: int = 0

    @property
    def loaded(self) -> bool:
        return any(c.alive for c in self.children.values())

    @property
    def size(self) -> int:
        """Weights once (the children map the same file, so the OS shares its pages), plus
        every child's KV cache."""
        alive = [c for c in self.children.values() if c.alive]
        if not alive:
            return 0
        return max(c.settings.weights for c in alive) + sum(c.settings.kv_bytes for c in alive)

    @property
    def size_vram(self) -> int:
        alive = [c for c in self.children.values() if c.alive]
        return self.size if any(c.size_vram for c in alive) else 0

    @property
    def num_ctx(self) -> int:
        for kind in (GEN, EMBED):
            child = self.children.get(kind)
            if child is not None and child.alive:
                return child.slot_ctx
        return 0


class Runner:
    """Every loaded model, their children, queues and keep-alive timers."""

    def __init__(self, *, gpu: bool | None = None, threads: int | None = None) -> None:
        self.gpu = gpu_offload_supported() if gpu is None else gpu
        self.threads = threads or default_threads()
        self.slots: dict[str, ModelSlot] = {}
        self.waiting = 0
        self._meta_cache: dict[tuple[str, int, float], GGUFFile] = {}

    # --- model files -----------------------------------------------------------------------------

    def metadata(self, path: Path) -> GGUFFile:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime)
        cached = self._meta_cache.get(key)
        if cached is None:
            cached = read_gguf(path)
            self._meta_cache[key] = cached
        return cached

    def _checked_meta(self, path: Path) -> GGUFFile:
        try:
            meta = self.metadata(path)
            # Hyperparameters llama.cpp would abort on never reach a child (gguf_check).
            check_loadable(meta)
            return meta
        except GGUFError as exc:
            raise RequestError(f"unable to load model: {exc}", 500) from exc
        except OSError as exc:
            raise RequestError(f"unable to load model: the model file is missing ({exc})", 500) from exc

    def slot(
        self, name: str, digest: str, path: Path, details: dict[str, Any], projector: str = ""
    ) -> ModelSlot:
        key = name.lower()
        slot = self.slots.get(key)
        if slot is None or slot.digest != digest:
            if slot is not None and slot.pending == 0:
                self._close(slot)
            slot = ModelSlot(name=name, digest=digest, path=path, details=details, projector=projector)
            self.slots[key] = slot
        return slot

    def default_ctx(self, meta: GGUFFile) -> int:
        wanted = _env_int("OLLAMA_CONTEXT_LENGTH", DEFAULT_NUM_CTX)
        trained = meta.context_length
        return min(wanted, trained) if trained > 0 else wanted

    def parallel_for(self, meta: GGUFFile, num_ctx: int, weights: int) -> int:
        """OLLAMA_NUM_PARALLEL, else 4 slots where they fit comfortably in memory, else 1."""
        wanted = _env_int("OLLAMA_NUM_PARALLEL", 0)
        if wanted:
            return min(wanted, 64)
        four = weights + 4 * kv_cache_bytes(meta, num_ctx)
        return 4 if four * 2 < available_memory() else 1

    # --- leases ----------------------------------------------------------------------------------

    def _settings(
        self,
        slot: ModelSlot,
        meta: GGUFFile,
        kind: str,
        num_ctx: int,
        threads: int,
        num_batch: int,
        num_gpu: int,
    ) -> ChildSettings:
        if kind == EMBED:
            n_ctx = max(64, num_ctx) if num_ctx > 0 else DEFAULT_EMBED_CTX
            n_ctx = min(n_ctx, meta.context_length or n_ctx)
        else:
            # Never past the trained length unless the engine's owner allows it (options.py).
            n_ctx = max(256, fit_num_ctx(num_ctx, meta.context_length, self.default_ctx(meta)))
        weights = slot.path.stat().st_size
        parallel = self.parallel_for(meta, n_ctx, weights)
        gpu_layers = -1 if self.gpu and num_gpu != 0 else 0
        return ChildSettings(
            path=slot.path,
            num_ctx=n_ctx,
            parallel=parallel,
            threads=threads if threads > 0 else self.threads,
            num_batch=max(32, min(num_batch, n_ctx)),
            gpu_layers=gpu_layers,
            embedding=kind == EMBED,
            weights=weights,
            kv_bytes=kv_cache_bytes(meta, n_ctx) * parallel,
            projector="" if kind == EMBED else slot.projector,
        )

    @contextlib.asynccontextmanager
    async def lease(
        self,
        slot: ModelSlot,
        kind: str,
        *,
        num_ctx: int = 0,
        threads: int = 0,
        num_batch: int = 512,
        num_gpu: int = -1,
    ) -> AsyncIterator[Lease]:
        """Load the model's child for `kind` if needed and hold one of its slots."""
        max_queue = _env_int("OLLAMA_MAX_QUEUE", DEFAULT_MAX_QUEUE)
        if self.waiting >= max_queue:
            raise RequestError(BUSY, 503)
        slot.pending += 1
        self.waiting += 1
        queued = True
        try:
            meta = await asyncio.to_thread(self._checked_meta, slot.path)
            wanted = self._settings(slot, meta, kind, num_ctx, threads, num_batch, num_gpu)
            load_seconds = 0.0
            async with slot.lock:
                child = slot.children.get(kind)
                if child is None or not child.alive or not child.settings.same_model(wanted):
                    started = time.perf_counter()
                    if child is not None:
                        await child.drain_and_stop()
                    # llama-server renders the template while it starts: a runaway one would
                    # hold the load until LOAD_TIMEOUT, so it is tried here first (template_guard).
                    await asyncio.to_thread(check_templates, meta.metadata)
                    self.make_room(slot, wanted.weights + wanted.kv_bytes)
                    child = await start_child(wanted)
                    slot.children[kind] = child
                    load_seconds = time.perf_counter() - started
            async with child.slot():
                self.waiting -= 1
                queued = False
                yield Lease(child=child, load_seconds=load_seconds)
        finally:
            if queued:
                self.waiting -= 1
            slot.pending -= 1

    async def load(self, slot: ModelSlot, **kwargs: Any) -> float:
        async with self.lease(slot, GEN, **kwargs) as lease:
            return lease.load_seconds

    # --- memory and keep-alive -----------------------------------------------------------------

    def make_room(self, keep: ModelSlot, needed: int) -> None:
        """Unload idle models, soonest-expiring first, past OLLAMA_MAX_LOADED_MODELS or when
        the new model would not fit in available memory (what Ollama's scheduler does)."""
        idle = sorted(
            (s for s in self.slots.values() if s is not keep and s.loaded and s.pending == 0),
            key=lambda s: s.expires_at,
        )
        limit = _env_int("OLLAMA_MAX_LOADED_MODELS", 0)
        loaded = len([s for s in self.slots.values() if s is not keep and s.loaded])
        available = available_memory()
        for other in idle:
            over_count = limit > 0 and loaded + 1 > limit
            if not over_count and available >= needed * 1.1:
                break
            available += other.size
            loaded -= 1
            self._close(other)

    def _close(self, slot: ModelSlot) -> None:
        for child in slot.children.values():
            child.stop()
        slot.children.clear()
        if slot.timer is not None:
            slot.timer.cancel()
            slot.timer = None

    def keep(self, slot: ModelSlot, seconds: float) -> None:
        """Arm the keep-alive timer after a request; 0 unloads at once."""
        if slot.timer is not None:
            slot.timer.cancel()
            slot.timer = None
        if seconds <= 0:
            if slot.pending == 0:
                self._close(slot)
            return
        if math.isinf(seconds):
            slot.expires_at = math.inf
            return
        slot.expires_at = time.time() + seconds
        loop = asyncio.get_running_loop()
        slot.timer = loop.call_later(seconds, self._expire, slot)

    def _expire(self, slot: ModelSlot) -> None:
        slot.timer = None
        if slot.pending == 0:
            self._close(slot)

    async def unload(self, slot: ModelSlot) -> None:
        async with slot.lock:
            for child in list(slot.children.values()):
                await child.drain_and_stop()
            self._close(slot)

    def running(self) -> list[ModelSlot]:
        return [slot for slot in self.slots.values() if slot.loaded]

    def close_all(self) -> None:
        for slot in list(self.slots.values()):
            self._close(slot)
