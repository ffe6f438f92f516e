"""Request options, keep_alive and format, parsed with Ollama's rules and messages."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

DEFAULT_KEEP_ALIVE = 300.0
DEFAULT_NUM_CTX = 4096


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


_FLOATS = {
    "temperature",
    "top_p",
    "min_p",
    "typical_p",
    "repeat_penalty",
    "presence_penalty",
    "frequency_penalty",
}
_INTS = {
    "top_k",
    "repeat_last_n",
    "seed",
    "num_predict",
    "num_keep",
    "num_ctx",
    "num_batch",
    "num_thread",
    "num_gpu",
}


def parse_options(*layers: dict[str, Any] | None) -> Options:
    """Merge option maps, later ones winning (model parameters, then the request).

    Unknown keys are ignored like Ollama does; a wrong type is a 500 with Ollama's wording.
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
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise RequestError(f'option "{key}" must be of type float32', 500)
            setattr(opts, key, float(value))
        elif key in _INTS:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise RequestError(f'option "{key}" must be of type integer', 500)
            setattr(opts, key, int(value))
        elif key == "stop":
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                raise RequestError('option "stop" must be of type array', 500)
            opts.stop = [s for s in value if s]
    return opts


_DURATION_RE = re.compile(r"([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_keep_alive(value: Any) -> float | None:
    """Seconds to keep the model loaded; math.inf for "forever"; None when not given."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise RequestError(f"Unsupported type: '{type(value).__name__}'")
    if isinstance(value, (int, float)):
        return math.inf if value < 0 else float(value)
    if not isinstance(value, str):
        raise RequestError(f"Unsupported type: '{type(value).__name__}'")
    text = value.strip()
    if text in ("0", ""):
        return 0.0
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
