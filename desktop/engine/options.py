"""Request options, keep_alive and format, parsed with Ollama's rules and messages."""

from __future__ import annotations

import asyncio
import json
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

DEFAULT_KEEP_ALIVE = 300.0
DEFAULT_NUM_CTX = 4096
MAX_KEEP_ALIVE = (2**63 - 1) / 1e9  # seconds: Go's longest time.Duration


class RequestError(Exception):
    """A request the engine refuses; `status` and `message` go into the error body."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Options:
    temperature: float = 0.8
    top_k: int = 40
    top_p: float = 0.9
    min_p: float = 0.0
    typical_p: float = 1.0
    repeat_penalty: float = 1.0
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0
    repeat_last_n: int = 64
    seed: int = -1
    num_predict: int = -1
    num_keep: int = 4
    stop: list[str] = field(default_factory=list)
    num_ctx: int = 0  # 0: the engine's default for this model
    num_batch: int = 512
    num_thread: int = 0
    num_gpu: int = -1


# Each numeric option with the range llama.cpp can take without aborting or exhausting the
# machine. Finite values outside it are clamped (a client asking for top_p 7 means "no top-p"),
# never passed on: `num_thread: 1e30` was a std::bad_alloc, 1024 a libgomp abort.
_FLOATS: dict[str, tuple[float, float]] = {
    "temperature": (0.0, 100.0),
    "top_p": (0.0, 1.0),
    "min_p": (0.0, 1.0),
    "typical_p": (0.0, 1.0),
    "repeat_penalty": (0.0, 100.0),
    "presence_penalty": (-100.0, 100.0),
    "frequency_penalty": (-100.0, 100.0),
}
MAX_NUM_CTX = 1 << 20  # a hard ceiling even where the model's trained length is not known
_INTS: dict[str, tuple[int, int]] = {
    "top_k": (0, 1 << 20),
    "repeat_last_n": (-1, 1 << 20),
    "seed": (-1, (1 << 32) - 1),
    "num_predict": (-2, 1 << 24),
    "num_keep": (-1, 1 << 20),
    "num_ctx": (0, MAX_NUM_CTX),
    "num_batch": (1, 1 << 16),
    "num_thread": (0, 1 << 10),  # then clamped to this machine's cores
    "num_gpu": (-1, 1 << 10),
}
MAX_STOP_WORDS = 64
LONG_CONTEXT_ENV = "OLLAMA_DESK_ALLOW_LONG_CONTEXT"


def machine_cores() -> int:
    """CPUs this process may run on (the affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _number(key: str, value: Any, kind: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RequestError(f'option "{key}" must be of type {kind}', 500)
    if isinstance(value, float) and not math.isfinite(value):
        raise RequestError(f'option "{key}" must be a finite number')
    return float(value) if isinstance(value, float) else value


def _clamp_int(key: str, value: Any) -> int:
    number = _number(key, value, "integer")
    low, high = _INTS[key]
    if number < low:
        # Below the range: the "automatic" or "off" value of the option.
        return -1 if low < 0 else low
    return int(min(number, high))


def parse_options(*layers: dict[str, Any] | None) -> Options:
    """Merge option maps, later ones winning (model parameters, then the request).

    Unknown keys are ignored like Ollama does; a wrong type is a 500 with Ollama's wording, a
    non-finite number a 400; finite numbers outside an option's range are clamped into it
    and `num_thread` to this machine's cores.
    """
    merged: dict[str, Any] = {}
    for layer in layers:
        if layer is None:
            continue
        if not isinstance(layer, dict):
            raise RequestError("options must be an object", 400)
        merged.update(layer)
    opts = Options()
    for key, value in merged.items():
        if value is None:
            continue
        if key in _FLOATS:
            low, high = _FLOATS[key]
            setattr(opts, key, min(high, max(low, float(_number(key, value, "float32")))))
        elif key in _INTS:
            setattr(opts, key, _clamp_int(key, value))
        elif key == "stop":
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                raise RequestError('option "stop" must be of type array', 500)
            if len(value) > MAX_STOP_WORDS:
                raise RequestError(f'option "stop" takes at most {MAX_STOP_WORDS} strings')
            opts.stop = [s for s in value if s]
    opts.num_thread = min(opts.num_thread, machine_cores())
    return opts


def fit_num_ctx(requested: int, trained: int, default: int) -> int:
    """The context a model is loaded with: the request's num_ctx (else `default`), never above
    the model's trained length (Ollama clamps the same way), never above MAX_NUM_CTX.

    Going past the trained length is an explicit choice of whoever runs the engine, not of a
    request: set OLLAMA_DESK_ALLOW_LONG_CONTEXT=1 in the engine's environment (a request
    can come from any local process, and each doubling of num_ctx doubles the KV cache).
    """
    wanted = requested if requested > 0 else default
    wanted = max(1, min(wanted, MAX_NUM_CTX))
    if trained > 0 and os.environ.get(LONG_CONTEXT_ENV, "") != "1":
        wanted = min(wanted, trained)
    return wanted


_DURATION_RE = re.compile(r"([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_keep_alive(value: Any) -> float | None:
    """Seconds to keep the model loaded; math.inf for "forever"; None when not given."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise RequestError(f"Unsupported type: '{type(value).__name__}'")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise RequestError("keep_alive must be a finite number of seconds")
        return math.inf if value < 0 or value > MAX_KEEP_ALIVE else float(value)
    if not isinstance(value, str):
        raise RequestError(f"Unsupported type: '{type(value).__name__}'")
    text = value.strip()
    if text in ("0", ""):
        return 0.0
    if len(text) > 64:  # no real duration is this long; keeps the scan below linear
        raise RequestError(f'time: invalid duration "{value[:64]}"')
    negative = text.startswith("-")
    body = text.lstrip("+-")
    pos = 0
    total = 0.0
    for match in _DURATION_RE.finditer(body):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos != len(body) or pos == 0:
        if re.fullmatch(r"[0-9.]+", body):
            raise RequestError(f'time: missing unit in duration "{value}"')
        raise RequestError(f'time: invalid duration "{value}"')
    if total > MAX_KEEP_ALIVE:
        # Go's time.ParseDuration refuses what overflows int64 nanoseconds (~292 years).
        raise RequestError(f'time: invalid duration "{value}"')
    return math.inf if negative else total


def parse_format(value: Any) -> str | dict[str, Any] | None:
    """ "json", a JSON-schema object, or None; anything else is refused."""
    if value is None or value == "":
        return None
    if value == "json":
        return "json"
    if isinstance(value, dict):
        return value
    raise RequestError(f'invalid format: "{value}"; expected "json" or a valid JSON Schema object')


# --- request bodies ------------------------------------------------------------------------------

MAX_BODY_DEPTH = 100  # Ollama's requests nest a few levels; JSON schemas in `format` a few more


class _NotFinite(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    # Go's wording for the same input: `NaN` is not JSON.
    raise _NotFinite(f"invalid character '{name[0]}' looking for beginning of value")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(f"json: cannot unmarshal number {text[:40]} into a finite float64")
    return value


def _depth(value: Any) -> int:
    """Nesting depth, iteratively: a deep value must not overflow the stack of whoever reads it."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_BODY_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def parse_body(raw: bytes) -> dict[str, Any]:
    """A request body: one JSON object, strict JSON (no NaN/Infinity), bounded nesting.

    Every failure is a RequestError (400), so the answer is a JSON error body, never a
    plain-text 500 from a RecursionError or a NaN that breaks a later computation.
    """
    if not raw:
        raise RequestError("missing request body")
    try:
        value = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise RequestError("invalid request body: nested too deeply") from None
    except _NotFinite as exc:
        raise RequestError(str(exc)) from None
    except ValueError as exc:
        raise RequestError(f"invalid character in request body: {exc}") from None
    if not isinstance(value, dict):
        raise RequestError("json: cannot unmarshal request body into an object")
    if _depth(value) > MAX_BODY_DEPTH:
        raise RequestError("invalid request body: nested too deeply")
    return value


MAX_BODY_BYTES = 64 << 20  # a long prompt is a few megabytes; blobs are streamed, not read here
BODY_SECONDS = 30.0  # for the whole body: a client dripping it holds a request slot meanwhile


async def read_request_json(request: Request) -> dict[str, Any]:
    """The JSON object of a request, read with a size cap and a deadline, checked by parse_body."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise RequestError("request body too large", 413)
    body = bytearray()

    async def read() -> None:
        async for block in request.stream():
            body.extend(block)
            if len(body) > MAX_BODY_BYTES:
                raise RequestError("request body too large", 413)

    try:
        await asyncio.wait_for(read(), BODY_SECONDS)
    except asyncio.TimeoutError:
        raise RequestError(f"the request body did not arrive within {BODY_SECONDS:g} s", 408) from None
    return parse_body(bytes(body))
