"""What /api/chat and /api/generate add on top of plain completion: tools, thinking, images.

`check` refuses what the model cannot do with Ollama's wording before anything loads;
`chat_produce` picks the form of the turn (llama.cpp's native tool parser for templates
with tool syntax, the prompt-and-grammar form otherwise); `run` holds the slot for the
turn and turns its events into the route's chunks.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from desktop.engine import native, upstream
from desktop.engine.options import Options, RequestError
from desktop.engine.process import Child
from desktop.engine.registry import ModelEntry
from desktop.engine.responses import now_utc
from desktop.engine.runner import GEN, ModelSlot, Runner
from desktop.engine.service import Engine
from desktop.engine.thinking import parse_think
from desktop.engine.tools import history, parse_tools, template_speaks_tools
from desktop.engine.turn import Event, Plan, events, template_messages
from desktop.engine.upstream import GenStats
from desktop.engine.vision import fully_qualified, message_images, refuse_images

Produce = Callable[[Child], AsyncIterator[Event]]


def check(engine: Engine, raw: str, entry: ModelEntry, body: dict[str, Any]) -> Plan:
    """The request's tools, think and images against the model's capabilities."""
    caps = engine.capabilities(entry)
    think = parse_think(body.get("think"))
    if think.on and "thinking" not in caps:
        raise RequestError(f'"{raw}" does not support thinking')
    tools = parse_tools(body.get("tools"))
    if tools and "tools" not in caps:
        raise RequestError(f"{fully_qualified(entry.name)} does not support tools")
    images = bool(message_images(body.get("images")))
    messages = body.get("messages")
    if isinstance(messages, list):
        # Each image is checked as base64 first, as Ollama decodes them while reading the body.
        found = [message_images(m.get("images")) for m in messages if isinstance(m, dict)]
        images = images or any(found)
    if images and "vision" not in caps:
        raise refuse_images(entry.name)
    return Plan(tools=tools, think=think, thinks="thinking" in caps)


def chat_produce(
    engine: Engine, entry: ModelEntry, messages: list[dict[str, Any]], plan: Plan, opts: Options
) -> Produce:
    template = engine.meta(entry).chat_template

    async def produce(child: Child) -> AsyncIterator[Event]:
        if (plan.tools and template_speaks_tools(template)) or has_images(messages):
            async for event in native.events(child, messages, plan, opts):
                yield event
            return
        shown = history(messages, plan.tools) if plan.tools else template_messages(messages)
        prompt = await upstream.render(child, shown)
        async for event in events(child, prompt, opts, plan):
            yield event

    return produce


def has_images(messages: list[dict[str, Any]]) -> bool:
    """Images go through the child's chat endpoint, which places llama.cpp's media markers
    in the template's output and feeds the pictures to the projector."""
    return any(m.get("images") for m in messages)


def prompt_produce(messages: list[dict[str, Any]], plan: Plan, opts: Options) -> Produce:
    async def produce(child: Child) -> AsyncIterator[Event]:
        if has_images(messages):
            async for event in native.events(child, messages, plan, opts):
                yield event
            return
        prompt = await upstream.render(child, template_messages(messages))
        async for event in events(child, prompt, opts, plan):
            yield event

    return produce


def generate_piece(raw: str) -> Callable[[Event], dict[str, Any]]:
    def piece(event: Event) -> dict[str, Any]:
        chunk: dict[str, Any] = {"model": raw, "created_at": now_utc(), "response": event.content}
        if event.thinking:
            chunk["thinking"] = event.thinking
        chunk["done"] = False
        return chunk

    return piece


def run(
    runner: Runner,
    slot: ModelSlot,
    load: dict[str, Any],
    keep: float,
    produce: Produce,
    chunk: Callable[[Event], dict[str, Any]],
    final: Callable[[GenStats, int, int], dict[str, Any]],
) -> AsyncIterator[dict[str, Any]]:
    async def chunks() -> AsyncIterator[dict[str, Any]]:
        started = time.perf_counter()
        try:
            async with runner.lease(slot, GEN, **load) as lease:
                produced = produce(lease.child)
                try:
                    async for event in produced:
                        if event.stats is not None:
                            total = int((time.perf_counter() - started) * 1e9)
                            yield final(event.stats, total, int(lease.load_seconds * 1e9))
                        elif event.content or event.thinking or event.calls:
                            yield chunk(event)
                finally:
                    await produced.aclose()  # type: ignore[attr-defined]
        finally:
            runner.keep(slot, keep)

    return chunks()


def chat_message(event: Event) -> dict[str, Any]:
    """Ollama's Message: content always, thinking and tool_calls only when present."""
    message: dict[str, Any] = {"role": "assistant", "content": event.content}
    if event.thinking:
        message["thinking"] = event.thinking
    if event.calls:
        message["tool_calls"] = event.calls
    return message


def merge_chat(items: list[dict[str, Any]]) -> dict[str, Any]:
    """stream:false: content and thinking joined, every tool call collected."""
    result = dict(items[-1])
    messages = [item["message"] for item in items]
    merged: dict[str, Any] = {"role": "assistant", "content": "".join(m.get("content", "") for m in messages)}
    thinking = "".join(m.get("thinking", "") for m in messages)
    if thinking:
        merged["thinking"] = thinking
    calls = [call for m in messages for call in m.get("tool_calls", [])]
    if calls:
        merged["tool_calls"] = calls
    result["message"] = merged
    return result


def merge_generate(items: list[dict[str, Any]]) -> dict[str, Any]:
    result = dict(items[-1])
    result["response"] = "".join(i.get("response", "") for i in items)
    thinking = "".join(i.get("thinking", "") for i in items)
    if thinking:
        result["thinking"] = thinking
    return result
