"""Compare models on this machine: one prompt (or a few) on several models, one after the other.

Each model gets the whole machine: every other loaded model is unloaded before its first run and
it is unloaded again after its last, so no run competes with another model for memory or
bandwidth. The server's own figures (Ollama's metric names, nanoseconds) are kept as they came;
time to first token is the only figure measured here, from sending the request to the first
streamed text, since Ollama does not report it.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from desktop.core.hardware.sizing import parse_parameter_size
from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.errors import OllamaError
from desktop.core.ollama.types import ChatMessage, Metrics

DEFAULT_PROMPT = "Explain in two sentences why the sky is blue."
DEFAULT_OPTIONS: dict[str, Any] = {"temperature": 0, "seed": 42, "num_predict": 128}

# Figures a summary gives min/median/max for, by the BenchRun attribute that holds them.
SPREAD_FIGURES = (
    "load_seconds",
    "first_token_seconds",
    "prompt_tokens_per_second",
    "tokens_per_second",
    "eval_count",
    "size",
    "size_vram",
)


@dataclass(frozen=True)
class BenchRun:
    """One answer of one model: Ollama's metrics as sent, plus what the client measured."""

    model: str
    prompt: str
    run: int  # 1-based, per model and prompt
    load_duration: int = 0
    prompt_eval_count: int = 0
    prompt_eval_duration: int = 0
    eval_count: int = 0
    eval_duration: int = 0
    total_duration: int = 0
    first_token_seconds: float = 0.0
    size: int = 0  # bytes in memory (/api/ps), GPU share included
    size_vram: int = 0
    weights: int = 0  # the model's file size (/api/tags): what decoding streams per token
    params: int = 0  # its parameter count (/api/tags details): what reading a prompt computes over
    answer: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def tokens_per_second(self) -> float:
        return self.eval_count / (self.eval_duration / 1e9) if self.eval_duration > 0 else 0.0

    @property
    def prompt_tokens_per_second(self) -> float:
        if self.prompt_eval_duration <= 0:
            return 0.0
        return self.prompt_eval_count / (self.prompt_eval_duration / 1e9)

    @property
    def load_seconds(self) -> float:
        return self.load_duration / 1e9

    @property
    def output_chars(self) -> int:
        return len(self.answer)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tokens_per_second"] = round(self.tokens_per_second, 3)
        data["prompt_tokens_per_second"] = round(self.prompt_tokens_per_second, 3)
        data["output_chars"] = self.output_chars
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BenchRun:
        """A saved run; a damaged file's wrong types become defaults, never exceptions."""

        def num(key: str) -> int:
            value = data.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0

        def text(key: str) -> str:
            value = data.get(key)
            return value if isinstance(value, str) else ""

        ttft = data.get("first_token_seconds")
        return cls(
            model=text("model"),
            prompt=text("prompt"),
            run=max(1, num("run")),
            load_duration=num("load_duration"),
            prompt_eval_count=num("prompt_eval_count"),
            prompt_eval_duration=num("prompt_eval_duration"),
            eval_count=num("eval_count"),
            eval_duration=num("eval_duration"),
            total_duration=num("total_duration"),
            first_token_seconds=float(ttft) if isinstance(ttft, (int, float)) and ttft >= 0 else 0.0,
            size=num("size"),
            size_vram=num("size_vram"),
            weights=num("weights"),
            params=num("params"),
            answer=text("answer"),
            error=text("error"),
        )


@dataclass(frozen=True)
class Spread:
    low: float
    median: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            return cls(0.0, 0.0, 0.0)
        return cls(min(values), float(statistics.median(values)), max(values))

    def to_dict(self) -> dict[str, float]:
        return {"min": round(self.low, 4), "median": round(self.median, 4), "max": round(self.high, 4)}


@dataclass(frozen=True)
class ModelSummary:
    model: str
    runs: int
    failed: int
    figures: dict[str, Spread]

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "runs": self.runs,
            "failed": self.failed,
            **{name: spread.to_dict() for name, spread in self.figures.items()},
        }


@dataclass
class BenchResult:
    """One comparison: its prompts, options and every run, in the order they ran."""

    models: list[str]
    prompts: list[str]
    options: dict[str, Any]
    host: str = ""
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    runs: list[BenchRun] = field(default_factory=list)
    id: str = ""  # the saved file's stem, once saved

    def runs_of(self, model: str) -> list[BenchRun]:
        return [run for run in self.runs if run.model == model]

    def summary(self, model: str) -> ModelSummary:
        done = [run for run in self.runs_of(model) if run.ok]
        figures = {name: Spread.of([float(getattr(run, name)) for run in done]) for name in SPREAD_FIGURES}
        # A prompt's later runs find it in the KV cache, and the model's first run pages its weights
        # in from disk: reading speed comes from the other first runs (calibrate.cold_runs' rule).
        cold = [run for run in done if run.run == 1]
        cold = cold[1:] if len(cold) > 1 else cold
        if cold:
            figures["prompt_tokens_per_second"] = Spread.of([run.prompt_tokens_per_second for run in cold])
        return ModelSummary(model, len(done), len(self.runs_of(model)) - len(done), figures)

    def summaries(self) -> list[ModelSummary]:
        return [self.summary(model) for model in self.models]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "host": self.host,
            "models": list(self.models),
            "prompts": list(self.prompts),
            "options": dict(self.options),
            "runs": [run.to_dict() for run in self.runs],
            "summary": [summary.to_dict() for summary in self.summaries()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BenchResult:
        def strings(key: str) -> list[str]:
            value = data.get(key)
            return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []

        options = data.get("options")
        runs = data.get("runs")
        saved = [BenchRun.from_dict(r) for r in runs if isinstance(r, dict)] if isinstance(runs, list) else []
        created = data.get("created_at")
        return cls(
            models=strings("models"),
            prompts=strings("prompts"),
            options=dict(options) if isinstance(options, dict) else {},
            host=str(data.get("host") or ""),
            created_at=created if isinstance(created, str) else "",
            runs=saved,
            id=str(data.get("id") or ""),
        )


@dataclass(frozen=True)
class BenchProgress:
    """Where a comparison stands: `step` of `total` runs started, on `model`."""

    step: int
    total: int
    model: str
    run: int
    runs: int
    finished: BenchRun | None = None  # set once that run is done


ProgressCallback = Callable[[BenchProgress], None]


async def unload_all(client: OllamaClient, keep: str = "") -> None:
    """Unload every model the server holds except `keep`; a failing unload is not fatal."""
    try:
        running = await client.ps()
    except OllamaError:
        return
    for model in running:
        if model.name != keep:
            with contextlib.suppress(OllamaError):
                await client.unload(model.name)


async def _memory_of(client: OllamaClient, model: str) -> tuple[int, int]:
    try:
        running = await client.ps()
    except OllamaError:
        return 0, 0
    for entry in running:
        if entry.name == model or entry.name.removesuffix(":latest") == model.removesuffix(":latest"):
            return entry.size, entry.size_vram
    return 0, 0


async def _sizes(client: OllamaClient) -> dict[str, tuple[int, int]]:
    """Per installed model: (file size in bytes, parameter count; 0 where not said)."""
    try:
        return {m.name: (m.size, parse_parameter_size(m.details.parameter_size)) for m in await client.tags()}
    except OllamaError:
        return {}


async def run_once(
    client: OllamaClient,
    model: str,
    prompt: str,
    run: int,
    options: dict[str, Any],
    weights: int = 0,
    params: int = 0,
) -> BenchRun:
    """One answer, streamed; the model stays loaded (keep_alive default) so /api/ps sees it."""
    started = time.perf_counter()
    first = 0.0
    parts: list[str] = []
    metrics = Metrics()
    try:
        stream = client.chat(model, [ChatMessage("user", prompt)], options=options, think=None)
        async with contextlib.aclosing(stream) as chunks:
            async for chunk in chunks:
                if chunk.content and not first:
                    first = time.perf_counter() - started
                parts.append(chunk.content)
                if chunk.metrics is not None:
                    metrics = chunk.metrics
    except OllamaError as exc:
        return BenchRun(model, prompt, run, answer="".join(parts), error=str(exc))
    size, size_vram = await _memory_of(client, model)
    return BenchRun(
        model,
        prompt,
        run,
        load_duration=metrics.load_duration,
        prompt_eval_count=metrics.prompt_eval_count,
        prompt_eval_duration=metrics.prompt_eval_duration,
        eval_count=metrics.eval_count,
        eval_duration=metrics.eval_duration,
        total_duration=metrics.total_duration,
        first_token_seconds=first,
        size=size,
        size_vram=size_vram,
        weights=weights,
        params=params,
        answer="".join(parts),
    )


async def run_bench(
    client: OllamaClient,
    models: Sequence[str],
    prompts: Sequence[str],
    *,
    runs: int = 1,
    options: dict[str, Any] | None = None,
    on_progress: ProgressCallback | None = None,
) -> BenchResult:
    """Every prompt `runs` times on each model in turn, each model alone in memory.

    The first run of a model includes its load (load_duration); later runs find it loaded.
    A model that fails is recorded with its error and the comparison goes on with the next.
    """
    opts = dict(DEFAULT_OPTIONS if options is None else options)
    result = BenchResult(models=list(models), prompts=list(prompts), options=opts, host=client.base_url)
    total = len(models) * len(prompts) * max(1, runs)
    sizes = await _sizes(client)
    step = 0
    for model in models:
        await unload_all(client)
        for prompt in prompts:
            for index in range(1, max(1, runs) + 1):
                step += 1
                if on_progress is not None:
                    on_progress(BenchProgress(step, total, model, index, runs))
                weights, params = sizes.get(model) or sizes.get(f"{model}:latest", (0, 0))
                finished = await run_once(client, model, prompt, index, opts, weights, params)
                result.runs.append(finished)
                if on_progress is not None:
                    on_progress(BenchProgress(step, total, model, index, runs, finished))
        with contextlib.suppress(OllamaError):
            await client.unload(model)
    return result
