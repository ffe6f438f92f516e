"""Loaded models and the generation loop.

One `ModelSlot` per model name holds the llama.cpp context, an asyncio.Lock that queues
requests (one llama context never runs two requests at once; asyncio.Lock is FIFO) and
the keep-alive timer. Inference runs in a worker thread and hands each piece of text to
the event loop, so the server stays responsive; a cancel flag checked after every token
stops a generation within one token of the client going away.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import ctypes
import json
import math
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.engine.gguf import GGUFError, GGUFFile, read_gguf
from desktop.engine.options import DEFAULT_NUM_CTX, Options, RequestError

CHATML_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] "
    "+ '<|im_end|>' + '\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


MISSING_LLAMA = "the built-in engine needs llama-cpp-python: pip install 'ollama-desk[engine]' ({})"


def gpu_offload_supported() -> bool:
    try:
        import llama_cpp

        return bool(llama_cpp.llama_supports_gpu_offload())
    except Exception:  # noqa: BLE001 - no usable llama_cpp means no GPU either
        return False


def default_threads() -> int:
    """Physical cores, like Ollama: hyper-threads slow llama.cpp's matmuls down."""
    try:
        import psutil

        physical = psutil.cpu_count(logical=False)
    except Exception:  # noqa: BLE001
        physical = None
    return max(1, physical or os.cpu_count() or 1)


@dataclass
class GenStats:
    prompt_eval_count: int = 0
    prompt_eval_duration: int = 0
    eval_count: int = 0
    eval_duration: int = 0
    done_reason: str = "stop"
    context: list[int] = field(default_factory=list)


class _StopFilter:
    """Holds back text that could be the start of a stop string; finds complete ones."""

    def __init__(self, stops: list[str]) -> None:
        self.stops = stops
        self.held = ""

    def feed(self, text: str) -> tuple[str, bool]:
        self.held += text
        if not self.stops:
            out, self.held = self.held, ""
            return out, False
        for stop in self.stops:
            index = self.held.find(stop)
            if index >= 0:
                out = self.held[:index]
                self.held = ""
                return out, True
        keep = 0
        for stop in self.stops:
            for k in range(min(len(stop) - 1, len(self.held)), 0, -1):
                if self.held.endswith(stop[:k]):
                    keep = max(keep, k)
                    break
        out = self.held[: len(self.held) - keep]
        self.held = self.held[len(self.held) - keep :]
        return out, False

    def flush(self) -> str:
        out, self.held = self.held, ""
        return out


def _piece(vocab: Any, token: int, buffer: list[Any]) -> bytes:
    """The bytes of one token (a reused buffer, grown when a piece is longer)."""
    import llama_cpp

    n = llama_cpp.llama_token_to_piece(vocab, token, buffer[0], len(buffer[0]), 0, False)
    if n < 0:
        buffer[0] = ctypes.create_string_buffer(-n)
        n = llama_cpp.llama_token_to_piece(vocab, token, buffer[0], len(buffer[0]), 0, False)
    return bytes(buffer[0].raw[: max(0, n)])


def make_grammar(fmt: str | dict[str, Any] | None) -> Any:
    if fmt is None:
        return None
    from llama_cpp.llama_grammar import JSON_GBNF, LlamaGrammar

    if fmt == "json":
        return LlamaGrammar.from_string(JSON_GBNF, verbose=False)
    try:
        return LlamaGrammar.from_json_schema(json.dumps(fmt), verbose=False)
    except Exception as exc:  # noqa: BLE001 - llama_cpp raises bare exceptions for bad schemas
        raise RequestError(f"invalid JSON schema in format: {exc}") from exc


def generate_tokens(
    llama: Any,
    prompt: str,
    opts: Options,
    fmt: str | dict[str, Any] | None,
    cancel: threading.Event,
    emit: Callable[[str], None],
) -> GenStats:
    """The generation loop (runs in a worker thread). Emits text pieces; returns the figures."""
    import llama_cpp

    grammar = make_grammar(fmt)
    tokens: list[int] = llama.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
    bos = llama.token_bos()
    if len(tokens) >= 2 and tokens[0] == bos and tokens[1] == bos:
        tokens = tokens[1:]
    n_ctx = int(llama.n_ctx())
    reserve = opts.num_predict if 0 < opts.num_predict < n_ctx // 2 else max(1, n_ctx // 4)
    limit = n_ctx - reserve
    if len(tokens) > limit:
        keep = max(0, min(opts.num_keep, limit // 2))
        tokens = tokens[:keep] + tokens[len(tokens) - (limit - keep) :]
    budget = n_ctx - len(tokens)
    if opts.num_predict > 0:
        budget = min(budget, opts.num_predict)
    seed = opts.seed if opts.seed >= 0 else int.from_bytes(os.urandom(4), "little")
    llama.set_seed(seed)
    vocab = llama._model.vocab
    buffer = [ctypes.create_string_buffer(64)]
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    stops = _StopFilter(opts.stop)
    stats = GenStats(prompt_eval_count=len(tokens), done_reason="length")
    generated: list[int] = []
    start = time.perf_counter()
    first_at = start
    generator = llama.generate(
        tokens,
        top_k=opts.top_k,
        top_p=opts.top_p,
        min_p=opts.min_p,
        typical_p=opts.typical_p,
        temp=opts.temperature,
        repeat_penalty=opts.repeat_penalty,
        frequency_penalty=opts.frequency_penalty,
        presence_penalty=opts.presence_penalty,
        grammar=grammar,
    )
    by_string = False
    try:
        for token in generator:
            if not generated:
                first_at = time.perf_counter()
                stats.prompt_eval_duration = int((first_at - start) * 1e9)
            if cancel.is_set():
                stats.done_reason = "cancel"
                break
            if llama_cpp.llama_vocab_is_eog(vocab, token):
                stats.done_reason = "stop"
                generated.append(token)
                break
            generated.append(token)
            piece = _piece(vocab, token, buffer)
            text, by_string = stops.feed(decoder.decode(piece))
            if text:
                emit(text)
            if by_string:
                stats.done_reason = "stop"
                break
            if len(generated) >= budget:
                break
    finally:
        generator.close()
    if stats.done_reason != "cancel" and not by_string:
        tail = stops.flush() + decoder.decode(b"", final=True)
        if tail:
            emit(tail)
    end = time.perf_counter()
    stats.eval_count = len(generated)
    stats.eval_duration = max(1, int((end - first_at) * 1e9))
    stats.context = tokens + generated
    return stats


@dataclass
class ModelSlot:
    name: str
    digest: str
    path: Path
    details: dict[str, Any]
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    llama: Any = None
    embedder: Any = None
    num_ctx: int = 0
    size: int = 0
    size_vram: int = 0
    expires_at: float = 0.0  # epoch seconds; math.inf = forever
    timer: asyncio.TimerHandle | None = None
    pending: int = 0
    threads: int = 0

    @property
    def loaded(self) -> bool:
        return self.llama is not None or self.embedder is not None


def kv_cache_bytes(meta: GGUFFile, n_ctx: int) -> int:
    layers = meta.arch_value("block_count")
    embd = meta.embedding_length
    heads = meta.arch_value("attention.head_count")
    heads_kv = meta.arch_value("attention.head_count_kv") or heads
    if not all(isinstance(v, int) and v > 0 for v in (layers, embd, heads, heads_kv)):
        return 0
    head_dim = embd // heads
    return int(n_ctx * layers * heads_kv * head_dim * 2 * 2)


class Runner:
    """Every loaded model, their queues and keep-alive timers."""

    def __init__(self, *, gpu: bool | None = None, threads: int | None = None) -> None:
        self.gpu = gpu_offload_supported() if gpu is None else gpu
        self.threads = threads or default_threads()
        self.slots: dict[str, ModelSlot] = {}
        self._meta_cache: dict[tuple[str, int, float], GGUFFile] = {}

    def metadata(self, path: Path) -> GGUFFile:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime)
        cached = self._meta_cache.get(key)
        if cached is None:
            cached = read_gguf(path)
            self._meta_cache[key] = cached
        return cached

    def slot(self, name: str, digest: str, path: Path, details: dict[str, Any]) -> ModelSlot:
        key = name.lower()
        slot = self.slots.get(key)
        if slot is None or slot.digest != digest:
            if slot is not None and slot.loaded and not slot.lock.locked():
                self._close(slot)
            slot = ModelSlot(name=name, digest=digest, path=path, details=details)
            self.slots[key] = slot
        return slot

    def default_ctx(self, meta: GGUFFile) -> int:
        env = os.environ.get("OLLAMA_CONTEXT_LENGTH", "")
        wanted = int(env) if env.isdigit() and int(env) > 0 else DEFAULT_NUM_CTX
        trained = meta.context_length
        return min(wanted, trained) if trained > 0 else wanted

    async def ensure_loaded(self, slot: ModelSlot, opts: Options) -> float:
        """Load (or reload for a new num_ctx) under the slot's lock; returns seconds spent."""
        meta = await asyncio.to_thread(self._checked_meta, slot.path)
        num_ctx = opts.num_ctx if opts.num_ctx > 0 else self.default_ctx(meta)
        num_ctx = max(256, num_ctx)
        threads = opts.num_thread if opts.num_thread > 0 else self.threads
        if slot.llama is not None and slot.num_ctx == num_ctx and slot.threads == threads:
            return 0.0
        start = time.perf_counter()
        if slot.llama is not None:
            await asyncio.to_thread(self._close_llama, slot)
        gpu_layers = -1 if self.gpu and opts.num_gpu != 0 else 0
        self.make_room(slot, slot.path.stat().st_size + kv_cache_bytes(meta, num_ctx))
        llama = await asyncio.to_thread(self._load, slot.path, num_ctx, gpu_layers, threads, opts.num_batch)
        slot.llama = llama
        slot.num_ctx = num_ctx
        slot.threads = threads
        file_size = slot.path.stat().st_size
        slot.size = file_size + kv_cache_bytes(meta, num_ctx)
        slot.size_vram = slot.size if gpu_layers != 0 else 0
        return time.perf_counter() - start

    async def ensure_embedder(self, slot: ModelSlot, num_ctx: int = 0) -> float:
        """The embedding context (inputs are cut to num_ctx tokens; default 2048)."""
        meta = await asyncio.to_thread(self._checked_meta, slot.path)
        n_ctx = max(64, num_ctx) if num_ctx > 0 else 2048
        n_ctx = min(n_ctx, meta.context_length or n_ctx)
        if slot.embedder is not None and slot.embedder.n_ctx() == n_ctx:
            return 0.0
        start = time.perf_counter()
        if slot.embedder is not None:
            old, slot.embedder = slot.embedder, None
            await asyncio.to_thread(old.close)
        slot.embedder = await asyncio.to_thread(self._load_embedder, slot.path, n_ctx)
        if slot.llama is None:
            slot.size = slot.path.stat().st_size + kv_cache_bytes(meta, n_ctx)
            slot.size_vram = slot.size if self.gpu else 0
            slot.num_ctx = n_ctx
        return time.perf_counter() - start

    def make_room(self, keep: ModelSlot, needed: int) -> None:
        """Unload idle models, soonest-expiring first, past OLLAMA_MAX_LOADED_MODELS or when
        the new model would not fit in available memory (what Ollama's scheduler does)."""
        idle = sorted(
            (
                s
                for s in self.slots.values()
                if s is not keep and s.loaded and s.pending == 0 and not s.lock.locked()
            ),
            key=lambda s: s.expires_at,
        )
        raw_limit = os.environ.get("OLLAMA_MAX_LOADED_MODELS", "")
        limit = int(raw_limit) if raw_limit.isdigit() and int(raw_limit) > 0 else 0
        loaded = len([s for s in self.slots.values() if s is not keep and s.loaded])
        try:
            import psutil

            available = int(psutil.virtual_memory().available)
        except Exception:  # noqa: BLE001 - no figure: only the count limit applies
            available = needed * 2
        for other in idle:
            over_count = limit > 0 and loaded + 1 > limit
            if not over_count and available >= needed * 1.1:
                break
            available += other.size
            loaded -= 1
            self._close(other)

    def _checked_meta(self, path: Path) -> GGUFFile:
        try:
            return self.metadata(path)
        except GGUFError as exc:
            raise RequestError(f"unable to load model: {exc}", 500) from exc
        except OSError as exc:
            raise RequestError(f"unable to load model: the model file is missing ({exc})", 500) from exc

    def _load(self, path: Path, n_ctx: int, gpu_layers: int, threads: int, n_batch: int) -> Any:
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise RequestError(MISSING_LLAMA.format(exc), 500) from exc

        try:
            return Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_batch=max(32, min(n_batch, n_ctx)),
                n_gpu_layers=gpu_layers,
                n_threads=threads,
                n_threads_batch=threads,
                verbose=False,
            )
        except Exception as exc:  # noqa: BLE001 - llama_cpp raises ValueError/RuntimeError
            raise RequestError(f"unable to load model: {exc}", 500) from exc

    def _load_embedder(self, path: Path, n_ctx: int) -> Any:
        try:
            import llama_cpp
        except ImportError as exc:
            raise RequestError(MISSING_LLAMA.format(exc), 500) from exc

        try:
            return llama_cpp.Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_batch=n_ctx,
                n_ubatch=n_ctx,
                embedding=True,
                pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN,
                n_gpu_layers=-1 if self.gpu else 0,
                n_threads=self.threads,
                verbose=False,
            )
        except Exception as exc:  # noqa: BLE001
            raise RequestError(f"unable to load model: {exc}", 500) from exc

    @staticmethod
    def _close_llama(slot: ModelSlot) -> None:
        llama, slot.llama = slot.llama, None
        if llama is not None:
            with contextlib.suppress(Exception):
                llama.close()

    def _close(self, slot: ModelSlot) -> None:
        self._close_llama(slot)
        embedder, slot.embedder = slot.embedder, None
        if embedder is not None:
            with contextlib.suppress(Exception):
                embedder.close()
        if slot.timer is not None:
            slot.timer.cancel()
            slot.timer = None
        slot.size = slot.size_vram = 0

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
        if slot.pending == 0 and not slot.lock.locked():
            self._close(slot)

    async def unload(self, slot: ModelSlot) -> None:
        async with slot.lock:
            await asyncio.to_thread(self._close, slot)

    def running(self) -> list[ModelSlot]:
        return [slot for slot in self.slots.values() if slot.loaded]

    def close_all(self) -> None:
        for slot in list(self.slots.values()):
            self._close(slot)


@dataclass
class Piece:
    text: str = ""
    stats: GenStats | None = None
    error: BaseException | None = None


async def stream_generation(
    llama: Any, prompt: str, opts: Options, fmt: str | dict[str, Any] | None
) -> AsyncIterator[Piece]:
    """Run generate_tokens in a thread and yield its pieces; closing this stops the thread.

    The caller holds the slot's lock; this generator does not return (so the lock is not
    released) until the worker thread has really finished with the llama context.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Piece] = asyncio.Queue()
    cancel = threading.Event()

    def emit(text: str) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, Piece(text=text))

    def work() -> None:
        try:
            stats = generate_tokens(llama, prompt, opts, fmt, cancel, emit)
            loop.call_soon_threadsafe(queue.put_nowait, Piece(stats=stats))
        except BaseException as exc:  # noqa: BLE001 - handed to the event loop as a piece
            loop.call_soon_threadsafe(queue.put_nowait, Piece(error=exc))

    worker = loop.run_in_executor(None, work)
    try:
        while True:
            piece = await queue.get()
            yield piece
            if piece.stats is not None or piece.error is not None:
                break
    finally:
        cancel.set()
        while not worker.done():
            try:
                await asyncio.shield(worker)
            except asyncio.CancelledError:
                continue
            except Exception:  # noqa: BLE001 - already reported through the queue
                break
