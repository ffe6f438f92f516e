"""Talking to a model child's llama-server: template, tokenize, stream a completion, embed.

llama-server's native endpoints are used (not its OpenAI ones) because they give what
Ollama's API reports: the prompt's tokens (`context`), why a generation stopped, and the
prompt and decode timings. Every call goes through the child's keyed client; a connection
that breaks means the child died, and the request fails with the child's exit reason.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from desktop.engine.options import Options, RequestError
from desktop.engine.process import Child
from desktop.engine.template_guard import apply_template
from desktop.engine.tools import closed_objects


@dataclass
class GenStats:
    prompt_eval_count: int = 0
    prompt_eval_duration: int = 0
    eval_count: int = 0
    eval_duration: int = 0
    done_reason: str = "stop"
    context: list[int] = field(default_factory=list)


@dataclass
class Piece:
    text: str = ""
    stats: GenStats | None = None


def _upstream_error(response_body: bytes, status: int) -> RequestError:
    try:
        data = json.loads(response_body)
        message = str(data.get("error", {}).get("message") or data)
    except (ValueError, AttributeError):
        message = response_body.decode("utf-8", "replace")[:300]
    return RequestError(message, 400 if status == 400 else 500)


async def _post(child: Child, path: str, body: dict[str, Any]) -> Any:
    try:
        response = await child.client().post(path, json=body)
    except httpx.HTTPError as exc:
        raise RequestError(await _died(child, exc), 500) from exc
    if response.status_code != 200:
        raise _upstream_error(response.content, response.status_code)
    return response.json()


async def _died(child: Child, exc: Exception) -> str:
    """The child's exit reason when the connection broke because it died, else the error."""
    import asyncio

    try:
        await asyncio.wait_for(child.dead.wait(), 2.0)
    except asyncio.TimeoutError:
        return f"llama runner is not answering: {exc}"
    return child.death_message()


async def render(child: Child, messages: list[dict[str, Any]]) -> str:
    """The model's own Jinja chat template, applied by llama.cpp.

    A final assistant message is continued, as Ollama does: the turns before it get the
    generation prompt and its partial text follows unclosed, so the model picks up
    mid-sentence instead of starting a new answer.
    """
    if messages and messages[-1]["role"] == "assistant" and len(messages) > 1:
        return await render(child, messages[:-1]) + str(messages[-1]["content"])
    # A time and output budget: the template is the model file's code (template_guard).
    return await apply_template(child, messages, died=lambda exc: _died(child, exc))


async def tokenize(child: Child, text: str, *, special: bool = True) -> list[int]:
    data = await _post(child, "/tokenize", {"content": text, "add_special": special, "parse_special": True})
    tokens = data.get("tokens", [])
    return [int(t) for t in tokens]


def fit_prompt(tokens: list[int], n_ctx: int, opts: Options) -> tuple[list[int], int]:
    """Cut an over-long prompt like Ollama (keep num_keep tokens, drop the oldest after them);
    returns the prompt and how many tokens may still be generated."""
    reserve = opts.num_predict if 0 < opts.num_predict < n_ctx // 2 else max(1, n_ctx // 4)
    limit = n_ctx - reserve
    if len(tokens) > limit:
        keep = max(0, min(opts.num_keep, limit // 2))
        tokens = tokens[:keep] + tokens[len(tokens) - (limit - keep) :]
    budget = n_ctx - len(tokens)
    if opts.num_predict > 0:
        budget = min(budget, opts.num_predict)
    return tokens, max(1, budget)


def _sampling(opts: Options) -> dict[str, Any]:
    return {
        "temperature": opts.temperature,
        "top_k": opts.top_k,
        "top_p": opts.top_p,
        "min_p": opts.min_p,
        "typical_p": opts.typical_p,
        "repeat_penalty": opts.repeat_penalty,
        "repeat_last_n": opts.repeat_last_n,
        "presence_penalty": opts.presence_penalty,
        "frequency_penalty": opts.frequency_penalty,
        "seed": opts.seed if opts.seed >= 0 else 0xFFFFFFFF,  # llama.cpp's "random"
    }


def compact_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """llama.cpp constrains JSON through llguidance, which by default lets a model pad the
    output with newlines; small models then spend their whole budget on whitespace. Ask for
    the compact separators Ollama's outputs have (a schema's own x-guidance wins)."""
    guidance = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}
    own = schema.get("x-guidance")
    closed = closed_objects(schema)
    return {**closed, "x-guidance": {**guidance, **(own if isinstance(own, dict) else {})}}


_DONE = {"eos": "stop", "word": "stop", "limit": "length"}


async def complete(
    child: Child,
    tokens: list[int],
    opts: Options,
    fmt: str | dict[str, Any] | None,
    *,
    grammar: str | None = None,
) -> AsyncIterator[Piece]:
    """Stream one generation; closing this iterator closes the connection, and llama-server
    stops the generation at its next token and frees the slot. `grammar` (GBNF or
    llguidance) constrains the output instead of `fmt` (tools.grammar)."""
    prompt, budget = fit_prompt(tokens, child.settings.num_ctx, opts)
    cache = child.reuse_cache()
    if grammar is not None:
        child.caches_stale()
    body: dict[str, Any] = {
        "prompt": prompt,
        "n_predict": budget,
        "stream": True,
        "cache_prompt": cache,
        "return_tokens": True,
        "stop": opts.stop,
        **_sampling(opts),
    }
    if isinstance(fmt, dict):
        body["json_schema"] = compact_schema(fmt)
    elif fmt == "json":
        body["json_schema"] = compact_schema({"type": "object"})
    if grammar is not None:
        body.pop("json_schema", None)
        body["grammar"] = grammar
    generated: list[int] = []
    try:
        async with child.client().stream("POST", "/completion", json=body) as response:
            if response.status_code != 200:
                error = _upstream_error(await response.aread(), response.status_code)
                if fmt is not None and error.status == 400:
                    raise RequestError(f"invalid JSON schema in format: {error.message}")
                raise error
            async for line in response.aiter_lines():
                if not line.startswith("data: "):
                    continue
                data = json.loads(line[6:])
                if "error" in data:
                    raise _upstream_error(line[6:].encode(), 500)
                generated.extend(int(t) for t in data.get("tokens") or [])
                text = str(data.get("content") or "")
                if not data.get("stop"):
                    if text:
                        yield Piece(text=text)
                    continue
                if text:
                    yield Piece(text=text)
                timings = data.get("timings") or {}
                yield Piece(
                    stats=GenStats(
                        prompt_eval_count=len(prompt),
                        prompt_eval_duration=max(1, int(float(timings.get("prompt_ms", 0)) * 1e6)),
                        eval_count=int(timings.get("predicted_n", len(generated))),
                        eval_duration=max(1, int(float(timings.get("predicted_ms", 0)) * 1e6)),
                        done_reason=_DONE.get(str(data.get("stop_type")), "stop"),
                        context=prompt + generated,
                    )
                )
                return
    except httpx.HTTPError as exc:
        raise RequestError(await _died(child, exc), 500) from exc
    raise RequestError(await _died(child, RuntimeError("the stream ended early")), 500)


async def embed(child: Child, inputs: list[list[int]]) -> list[list[float]]:
    """Mean-pooled embeddings, not normalised (the caller decides)."""
    data = await _post(child, "/embeddings", {"input": inputs, "embd_normalize": -1})
    items = data if isinstance(data, list) else data.get("data", [])
    ordered = sorted(items, key=lambda item: int(item.get("index", 0)))
    vectors: list[list[float]] = []
    for item in ordered:
        vector = item.get("embedding", [])
        if vector and isinstance(vector[0], list):
            vector = vector[0]
        vectors.append([float(x) for x in vector])
    return vectors
