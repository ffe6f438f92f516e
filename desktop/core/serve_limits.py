"""Concurrency limits for the server the app starts: parallel requests per model, models kept
loaded, keep-alive. They reach the built-in engine and a managed `ollama serve` alike as
Ollama's own variables (OLLAMA_NUM_PARALLEL, OLLAMA_MAX_LOADED_MODELS, OLLAMA_KEEP_ALIVE);
0 / "" leave the server's default (the built-in engine picks the slots from free memory).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEEP_ALIVE_RE = re.compile(r"^(-1|0|[0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))$")
MAX_PARALLEL = 64
MAX_LOADED = 16


@dataclass(frozen=True)
class ServeLimits:
    num_parallel: int = 0
    max_loaded_models: int = 0
    keep_alive: str = ""  # a Go duration ("5m", "1h"), "-1" forever, "0" unload at once

    def env(self) -> dict[str, str]:
        """The variables to set; values outside the sane range are left out, not passed on."""
        out: dict[str, str] = {}
        if 0 < self.num_parallel <= MAX_PARALLEL:
            out["OLLAMA_NUM_PARALLEL"] = str(self.num_parallel)
        if 0 < self.max_loaded_models <= MAX_LOADED:
            out["OLLAMA_MAX_LOADED_MODELS"] = str(self.max_loaded_models)
        if KEEP_ALIVE_RE.match(self.keep_alive.strip()):
            out["OLLAMA_KEEP_ALIVE"] = self.keep_alive.strip()
        return out


def kv_cache_cost(num_ctx: int, parallel: int, *, layers: int, kv_heads: int, head_dim: int) -> int:
    """Bytes of f16 K and V cache that `parallel` slots of `num_ctx` tokens each take: what each
    extra parallel request costs in memory (every slot has the whole context)."""
    return max(0, num_ctx) * max(1, parallel) * layers * kv_heads * head_dim * 2 * 2


# What the settings offer ("" = the server's own default); stored as strings in desktop.core.settings.
PARALLEL_CHOICES = ("", "1", "2", "3", "4", "6", "8")
LOADED_CHOICES = ("", "1", "2", "3", "4")
KEEP_ALIVE_CHOICES = ("", "0", "1m", "5m", "30m", "1h", "-1")


def limits_from(parallel: str, loaded: str, keep_alive: str) -> ServeLimits:
    """The settings' strings as limits; anything unreadable is the server's default."""
    return ServeLimits(
        num_parallel=int(parallel) if parallel.isdigit() else 0,
        max_loaded_models=int(loaded) if loaded.isdigit() else 0,
        keep_alive=keep_alive if keep_alive in KEEP_ALIVE_CHOICES else "",
    )
