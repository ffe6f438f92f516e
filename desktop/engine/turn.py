"""One assistant turn on llama-server's native /completion: thinking, then the answer.

The answer is constrained by the tool grammar (tools.py) and/or `format`; a thinking phase
(thinking.py) runs first, unconstrained, as Ollama does, and the answer phase continues the
same prompt after `</think>`. Events carry thinking, content, finished tool calls and, last,
the generation's figures.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from desktop.engine import upstream
from desktop.engine.options import Options, RequestError
from desktop.engine.process import Child
from desktop.engine.thinking import CLOSE, Think, ThinkSplitter, closed_prompt, opens_think, thinking_budget
from desktop.engine.tools import CallReader, grammar, message_calls, plain_turn
from desktop.engine.upstream import GenStats
from desktop.engine.vision import message_images

Format = str | dict[str, Any] | None


@dataclass
class Event:
    content: str = ""
    thinking: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)
    stats: GenStats | None = None


@dataclass
class Plan:
    tools: list[dict[str, Any]] = field(default_factory=list)  # for the grammar form only
    think: Think = field(default_factory=lambda: Think(None))
    thinks: bool = False  # the model can think (its template says so)
    fmt: Format = None


def parse_messages(raw: Any, system: str) -> list[dict[str, Any]]:
    """The request's messages, Ollama's Message fields kept (images, tool_calls, tool_name,
    thinking); the model's SYSTEM applies when none is given."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise RequestError("messages must be an array")
    messages: list[dict[str, Any]] = []
    for item in raw:
        if not isinstance(item, dict):
            raise RequestError("each message must be an object")
        role = item.get("role", "")
        content = item.get("content", "")
        if content is None:
            content = ""
        if not isinstance(role, str) or not isinstance(content, str):
            raise RequestError("message role and content must be strings")
        message: dict[str, Any] = {"role": role.lower(), "content": content}
        images = message_images(item.get("images"))
        if images:
            message["images"] = images
        calls = message_calls(item.get("tool_calls"))
        if calls:
            message["tool_calls"] = calls
        for key in ("tool_name", "tool_call_id", "thinking"):
            if isinstance(item.get(key), str) and item[key]:
                message[key] = item[key]
        messages.append(message)
    if system and messages and not any(m["role"] == "system" for m in messages):
        messages.insert(0, {"role": "system", "content": system})
    return messages


def template_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the template is given without tools: role and content, tool turns as text."""
    return [plain_turn(m) for m in messages]


def _answer_grammar(plan: Plan) -> tuple[Format, str | None]:
    if not plan.tools:
        return plan.fmt, None
    schema: dict[str, Any] | None = None
    if isinstance(plan.fmt, dict):
        schema = upstream.compact_schema(plan.fmt)
    elif plan.fmt == "json":
        schema = upstream.compact_schema({"type": "object"})
    return None, grammar(plan.tools, schema)


def _merge(first: GenStats | None, second: GenStats) -> GenStats:
    if first is None:
        return second
    return dataclasses.replace(
        second,
        prompt_eval_count=first.prompt_eval_count,
        prompt_eval_duration=first.prompt_eval_duration + second.prompt_eval_duration,
        eval_count=first.eval_count + second.eval_count,
        eval_duration=first.eval_duration + second.eval_duration,
    )


async def _answer(
    child: Child,
    prompt: str,
    opts: Options,
    plan: Plan,
    splitter: ThinkSplitter | None,
    before: GenStats | None,
) -> AsyncIterator[Event]:
    fmt, tool_grammar = _answer_grammar(plan)
    reader = CallReader(plan.tools) if plan.tools else None
    tokens = await upstream.tokenize(child, prompt)
    pieces = upstream.complete(child, tokens, opts, fmt, grammar=tool_grammar)
    try:
        async for piece in pieces:
            if piece.text:
                thinking, content = splitter.feed(piece.text) if splitter else ("", piece.text)
                if thinking:
                    yield Event(thinking=thinking)
                if content:
                    split = reader.feed(content) if reader else None
                    text = split.content if split else content
                    if text:
                        yield Event(content=text)
            if piece.stats is not None:
                if splitter:
                    thinking, content = splitter.finish()
                    if thinking:
                        yield Event(thinking=thinking)
                    if content and reader is None:
                        yield Event(content=content)
                    elif content and reader is not None:
                        extra = reader.feed(content)
                        if extra.content:
                            yield Event(content=extra.content)
                if reader is not None:
                    rest = reader.finish()
                    if rest.content or rest.calls:
                        yield Event(content=rest.content, calls=rest.calls)
                yield Event(stats=_merge(before, piece.stats))
    finally:
        await pieces.aclose()  # type: ignore[attr-defined]


async def events(child: Child, prompt: str, opts: Options, plan: Plan) -> AsyncIterator[Event]:
    """Stream one turn for an already rendered prompt."""
    thinking_on = plan.thinks and plan.think.on is not False
    if not thinking_on:
        async for event in _answer(child, closed_prompt(prompt, thinks=plan.thinks), opts, plan, None, None):
            yield event
        return
    if not opens_think(prompt):
        # The model may still open the block itself; a grammar would forbid that, so the
        # split only watches unconstrained output.
        watch = None if (plan.tools or plan.fmt is not None) else ThinkSplitter(inside=False)
        async for event in _answer(child, prompt, opts, plan, watch, None):
            yield event
        return
    async for event in _think_then_answer(child, prompt, opts, plan):
        yield event


async def _think_then_answer(child: Child, prompt: str, opts: Options, plan: Plan) -> AsyncIterator[Event]:
    constrained = bool(plan.tools) or plan.fmt is not None
    budget = thinking_budget(opts.num_predict, plan.think.level)
    first = dataclasses.replace(opts, num_predict=budget) if budget else opts
    splitter = ThinkSplitter(inside=True)
    written = ""
    produced = 0
    stats: GenStats | None = None
    tokens = await upstream.tokenize(child, prompt)
    pieces = upstream.complete(child, tokens, first, None)
    try:
        async for piece in pieces:
            if piece.text:
                produced += 1
                written += piece.text
                thinking, content = splitter.feed(piece.text)
                if thinking:
                    yield Event(thinking=thinking)
                if splitter.closed and constrained:
                    break  # the answer restarts under its grammar
                if content:
                    yield Event(content=content)
            if piece.stats is not None:
                stats = piece.stats
    finally:
        await pieces.aclose()  # type: ignore[attr-defined]
    if stats is not None and (stats.done_reason == "stop" or (splitter.closed and not constrained)):
        # The model finished on its own (end of text, a stop word, or its whole answer).
        thinking, content = splitter.finish()
        if thinking or content:
            yield Event(thinking=thinking, content=content)
        yield Event(stats=stats)
        return
    if splitter.closed:
        thought = written[: written.find(CLOSE)]
    else:
        thinking, _ = splitter.finish()
        if thinking:
            yield Event(thinking=thinking)
        thought = written + "\n"
    used = stats.eval_count if stats is not None else produced
    rest = opts.num_predict - used if opts.num_predict > 0 else opts.num_predict
    if opts.num_predict > 0 and rest <= 0:
        yield Event(stats=stats or GenStats(eval_count=used, done_reason="length"))
        return
    follow = prompt + thought + CLOSE + "\n\n"
    async for event in _answer(child, follow, dataclasses.replace(opts, num_predict=rest), plan, None, stats):
        yield event
