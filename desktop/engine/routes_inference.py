"""Inference routes: /api/chat, /api/generate, /api/embed, /api/embeddings.

Each request holds one llama-server slot of the model's child for its whole life (see
runner.Runner.lease) and is translated to llama-server's native endpoints and back to
Ollama's NDJSON chunks and final metrics.
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from desktop.engine import assist, upstream
from desktop.engine.embedder import embed_threads, ensure_embedder_async
from desktop.engine.options import Options, RequestError, parse_format, parse_options
from desktop.engine.process import Child
from desktop.engine.registry import SYSTEM_MEDIA, ModelEntry
from desktop.engine.responses import StreamResponse, json_response, now_utc
from desktop.engine.runner import EMBED, GEN, ModelSlot
from desktop.engine.security import InvalidName
from desktop.engine.service import Engine, api, keep_alive_of, read_body, wants_stream
from desktop.engine.turn import Event, Plan, parse_messages
from desktop.engine.upstream import GenStats

BuildPrompt = Callable[[Child], Awaitable[list[int]]]


def metrics(stats: GenStats, total: int, load: int) -> dict[str, Any]:
    figures = {
        "total_duration": total,
        "load_duration": load,
        "prompt_eval_count": stats.prompt_eval_count,
        "prompt_eval_duration": stats.prompt_eval_duration,
        "eval_count": stats.eval_count,
        "eval_duration": stats.eval_duration,
    }
    return {k: v for k, v in figures.items() if v}


def load_kwargs(opts: Options) -> dict[str, Any]:
    return {
        "num_ctx": opts.num_ctx,
        "threads": opts.num_thread,
        "num_batch": opts.num_batch,
        "num_gpu": opts.num_gpu,
    }


def routes(engine: Engine) -> list[Route]:
    registry = engine.registry
    runner = engine.runner

    async def load_or_unload(
        slot: ModelSlot, raw_model: str, keep: float, opts: Options, extra: dict[str, Any]
    ) -> Response:
        if keep == 0:
            if slot.loaded:
                await runner.unload(slot)
            return json_response(
                {"model": raw_model, "created_at": now_utc(), **extra, "done": True, "done_reason": "unload"}
            )
        try:
            await runner.load(slot, **load_kwargs(opts))
        finally:
            runner.keep(slot, keep)
        return json_response(
            {"model": raw_model, "created_at": now_utc(), **extra, "done": True, "done_reason": "load"}
        )

    def completion(
        slot: ModelSlot,
        build_prompt: BuildPrompt,
        opts: Options,
        fmt: str | dict[str, Any] | None,
        keep: float,
        chunk: Callable[[str], dict[str, Any]],
        final: Callable[[GenStats, int, int], dict[str, Any]],
    ) -> AsyncIterator[dict[str, Any]]:
        async def chunks() -> AsyncIterator[dict[str, Any]]:
            started = time.perf_counter()
            try:
                async with runner.lease(slot, GEN, **load_kwargs(opts)) as lease:
                    tokens = await build_prompt(lease.child)
                    pieces = upstream.complete(lease.child, tokens, opts, fmt)
                    try:
                        async for piece in pieces:
                            if piece.text:
                                yield chunk(piece.text)
                            if piece.stats is not None:
                                total = int((time.perf_counter() - started) * 1e9)
                                yield final(piece.stats, total, int(lease.load_seconds * 1e9))
                    finally:
                        await pieces.aclose()  # type: ignore[attr-defined]
            finally:
                runner.keep(slot, keep)

        return chunks()

    def common(body: dict[str, Any]) -> tuple[str, ModelEntry, Options, float, Any, Plan]:
        raw = body.get("model") or body.get("name") or ""
        if not isinstance(raw, str):
            raise RequestError("model must be a string")
        try:
            _, entry = engine.lookup(raw) if raw else (None, None)
        except InvalidName:
            entry = None
        if entry is None:
            raise RequestError(f"model '{raw}' not found", 404)
        plan = assist.check(engine, raw, entry, body)  # tools, think, images
        keep = keep_alive_of(body)
        fmt = parse_format(body.get("format"))
        opts = parse_options(registry.params(entry), body.get("options"))
        plan.fmt = fmt
        return raw, entry, opts, keep, fmt, plan

    @api
    async def chat(request: Request) -> Response:
        body = await read_body(request)
        if not body.get("model") and not body.get("name"):
            raise RequestError("model is required")
        raw, entry, opts, keep, fmt, plan = common(body)
        slot = engine.slot_for(entry)
        system = registry.read_text_layer(entry, SYSTEM_MEDIA) or ""
        messages = parse_messages(body.get("messages"), system)
        if not messages:
            return await load_or_unload(
                slot, raw, keep, opts, {"message": {"role": "assistant", "content": ""}}
            )

        def chunk(event: Event) -> dict[str, Any]:
            return {
                "model": raw,
                "created_at": now_utc(),
                "message": assist.chat_message(event),
                "done": False,
            }

        def final(stats: GenStats, total: int, load: int) -> dict[str, Any]:
            return {
                "model": raw,
                "created_at": now_utc(),
                "message": {"role": "assistant", "content": ""},
                "done": True,
                "done_reason": stats.done_reason,
                **metrics(stats, total, load),
            }

        produce = assist.chat_produce(engine, entry, messages, plan, opts)
        chunks = assist.run(runner, slot, load_kwargs(opts), keep, produce, chunk, final)
        return StreamResponse(chunks) if wants_stream(body) else StreamResponse(chunks, assist.merge_chat)

    @api
    async def generate(request: Request) -> Response:
        body = await read_body(request)
        raw, entry, opts, keep, fmt, plan = common(body)
        slot = engine.slot_for(entry)
        text = body.get("prompt") or ""
        if not isinstance(text, str):
            raise RequestError("prompt must be a string")
        if body.get("suffix"):
            raise RequestError(f"{raw} does not support insert")
        if not text:
            return await load_or_unload(slot, raw, keep, opts, {"response": ""})
        raw_mode = body.get("raw") is True
        system = body.get("system") or registry.read_text_layer(entry, SYSTEM_MEDIA) or ""

        async def build(child: Child) -> list[int]:
            if raw_mode:
                return await upstream.tokenize(child, text)
            messages = ([{"role": "system", "content": system}] if system else []) + [
                {"role": "user", "content": text}
            ]
            return await upstream.tokenize(child, await upstream.render(child, messages))

        def chunk(piece: str) -> dict[str, Any]:
            return {"model": raw, "created_at": now_utc(), "response": piece, "done": False}

        def final(stats: GenStats, total: int, load: int) -> dict[str, Any]:
            result: dict[str, Any] = {
                "model": raw,
                "created_at": now_utc(),
                "response": "",
                "done": True,
                "done_reason": stats.done_reason,
            }
            if not raw_mode:
                result["context"] = stats.context
            result.update(metrics(stats, total, load))
            return result

        images = body.get("images") or []  # checked in common() (assist.check)
        if (plan.thinks or images) and not raw_mode:
            # Thinking apart from `response`, images through the projector (assist).
            shown = [{"role": "system", "content": system}] if system else []
            shown.append({"role": "user", "content": text, "images": images})
            produce = assist.prompt_produce(shown, plan, opts)
            piece = assist.generate_piece(raw)
            chunks = assist.run(runner, slot, load_kwargs(opts), keep, produce, piece, final)
        else:
            chunks = completion(slot, build, opts, fmt, keep, chunk, final)
        if wants_stream(body):
            return StreamResponse(chunks)
        return StreamResponse(chunks, assist.merge_generate)

    async def run_embed(
        entry: ModelEntry, texts: list[str], keep: float, truncate: bool, opts: Options
    ) -> tuple[list[list[float]], int, int]:
        slot = engine.slot_for(entry)
        threads = embed_threads(runner.threads, opts.num_thread)
        try:
            async with runner.lease(slot, EMBED, num_ctx=opts.num_ctx, threads=threads) as lease:
                load = int(lease.load_seconds * 1e9)
                if not texts:
                    return [], 0, load
                limit = lease.child.settings.num_ctx
                # One at a time (about 1 ms each, benchmarks/indexing_speed.py): llama-server has
                # n_parallel + 2 HTTP threads and a keep-alive connection holds one, so a burst of
                # concurrent ones can wait seconds for a thread.
                inputs: list[list[int]] = []
                for text in texts:
                    tokens = await upstream.tokenize(lease.child, text)
                    if len(tokens) > limit:
                        if not truncate:
                            raise RequestError("the input length exceeds the context length")
                        tokens = tokens[:limit]
                    inputs.append(tokens)
                vectors = await upstream.embed(lease.child, inputs)
                return vectors, sum(len(t) for t in inputs), load
        finally:
            runner.keep(slot, keep)

    def embed_entry(body: dict[str, Any]) -> tuple[str, ModelEntry]:
        raw = body.get("model") or body.get("name") or ""
        if not isinstance(raw, str) or not raw:
            raise RequestError("model is required")
        try:
            _, entry = engine.lookup(raw)
        except InvalidName:
            entry = None
        if entry is None:
            raise RequestError(f'model "{raw}" not found, try pulling it first', 404)
        return raw, entry

    @api
    async def embed(request: Request) -> Response:
        started = time.perf_counter()
        body = await read_body(request)
        await ensure_embedder_async(engine.registry, body.get("model") or body.get("name"))
        raw, entry = embed_entry(body)
        value = body.get("input")
        if value is None or value == "":
            texts: list[str] = []
        elif isinstance(value, str):
            texts = [value]
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            texts = list(value)
        else:
            raise RequestError("invalid input type")
        truncate = body.get("truncate") is not False
        opts = parse_options(body.get("options"))
        vectors, count, load = await run_embed(entry, texts, keep_alive_of(body), truncate, opts)
        dims = body.get("dimensions")
        normalised = []
        for vector in vectors:
            if isinstance(dims, int) and 0 < dims < len(vector):
                vector = vector[:dims]
            norm = math.sqrt(sum(x * x for x in vector)) or 1.0
            normalised.append([x / norm for x in vector])
        result: dict[str, Any] = {
            "model": raw,
            "embeddings": normalised,
            "total_duration": int((time.perf_counter() - started) * 1e9),
            "load_duration": load,
        }
        if count:
            result["prompt_eval_count"] = count
        return json_response(result)

    @api
    async def embeddings(request: Request) -> Response:
        body = await read_body(request)
        await ensure_embedder_async(engine.registry, body.get("model") or body.get("name"))
        _, entry = embed_entry(body)
        text = body.get("prompt") or ""
        if not isinstance(text, str):
            raise RequestError("prompt must be a string")
        opts = parse_options(body.get("options"))
        texts = [text] if text else []
        vectors, _, _ = await run_embed(entry, texts, keep_alive_of(body), True, opts)
        return json_response({"embedding": vectors[0] if vectors else []})

    return [
        Route("/api/chat", chat, methods=["POST"]),
        Route("/api/generate", generate, methods=["POST"]),
        Route("/api/embed", embed, methods=["POST"]),
        Route("/api/embeddings", embeddings, methods=["POST"]),
    ]
