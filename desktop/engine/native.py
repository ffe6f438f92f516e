"""Turns for models whose chat template has tool syntax: the child's own OpenAI endpoint.

llama-server (use_jinja) renders the tools into the template, constrains the model's tool
syntax lazily and parses the calls (and `<think>` reasoning) in the model's own format;
this module speaks its /v1/chat/completions stream and returns the same events as turn.py,
with each call whole once its arguments are complete, as Ollama streams them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

from desktop.engine import upstream
from desktop.engine.options import Options, RequestError
from desktop.engine.process import Child
from desktop.engine.template_guard import rendering_stream
from desktop.engine.tools import call_id
from desktop.engine.turn import Event, Plan
from desktop.engine.upstream import GenStats

_DONE = {"stop": "stop", "tool_calls": "stop", "length": "length"}


def openai_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for message in messages:
        item: dict[str, Any] = {"role": message["role"], "content": message["content"]}
        if message.get("images"):
            item["content"] = [{"type": "text", "text": message["content"]}] + [
                {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{image}"}}
                for image in message["images"]
            ]
        if message.get("tool_calls"):
            item["tool_calls"] = [
                {
                    "id": call.get("id") or call_id(),
                    "type": "function",
                    "function": {
                        "name": call["function"]["name"],
                        "arguments": json.dumps(call["function"]["arguments"], ensure_ascii=False),
                    },
                }
                for call in message["tool_calls"]
            ]
        if message["role"] == "tool":
            item["tool_call_id"] = message.get("tool_call_id", "")
            if message.get("tool_name"):
                item["name"] = message["tool_name"]
        if message.get("thinking") and message["role"] == "assistant":
            item["reasoning_content"] = message["thinking"]
        out.append(item)
    return out


def request_body(
    messages: list[dict[str, Any]], plan: Plan, opts: Options, *, cache: bool = True
) -> dict[str, Any]:
    thinking = plan.thinks and plan.think.on is not False
    body: dict[str, Any] = {
        "messages": openai_messages(messages),
        "stream": True,
        "cache_prompt": cache,
        "reasoning_format": "deepseek" if thinking else "none",
        "chat_template_kwargs": {"enable_thinking": thinking},
        "stop": opts.stop,
        **upstream._sampling(opts),
    }
    if plan.tools:
        body["tools"] = plan.tools
    if opts.num_predict > 0:
        body["max_tokens"] = opts.num_predict
    if isinstance(plan.fmt, dict):
        body["response_format"] = {"type": "json_schema", "json_schema": {"schema": plan.fmt}}
    elif plan.fmt == "json":
        body["response_format"] = {"type": "json_object"}
    return body


class _Calls:
    """Tool-call deltas by index, argument strings joined until the stream says it is done."""

    def __init__(self) -> None:
        self.parts: dict[int, dict[str, str]] = {}

    def add(self, deltas: Any) -> None:
        for delta in deltas if isinstance(deltas, list) else []:
            index = int(delta.get("index", 0))
            part = self.parts.setdefault(index, {"id": "", "name": "", "arguments": ""})
            function = delta.get("function") or {}
            part["id"] = part["id"] or str(delta.get("id") or "")
            part["name"] += str(function.get("name") or "")
            part["arguments"] += str(function.get("arguments") or "")

    def done(self) -> list[dict[str, Any]]:
        calls = []
        for index in sorted(self.parts):
            part = self.parts[index]
            try:
                arguments = json.loads(part["arguments"]) if part["arguments"].strip() else {}
            except (ValueError, RecursionError):  # model output: any depth
                arguments = {}
            calls.append(
                {
                    "id": call_id(),
                    "function": {
                        "index": index,
                        "name": part["name"],
                        "arguments": arguments if isinstance(arguments, dict) else {},
                    },
                }
            )
        self.parts.clear()
        return calls


def _stats(data: dict[str, Any], reason: str) -> GenStats:
    timings = data.get("timings") or {}
    usage = data.get("usage") or {}
    return GenStats(
        prompt_eval_count=int(usage.get("prompt_tokens") or timings.get("prompt_n") or 0),
        prompt_eval_duration=max(1, int(float(timings.get("prompt_ms", 0)) * 1e6)),
        eval_count=int(usage.get("completion_tokens") or timings.get("predicted_n") or 0),
        eval_duration=max(1, int(float(timings.get("predicted_ms", 0)) * 1e6)),
        done_reason=_DONE.get(reason, "stop"),
    )


async def events(
    child: Child, messages: list[dict[str, Any]], plan: Plan, opts: Options
) -> AsyncIterator[Event]:
    body = request_body(messages, plan, opts, cache=child.reuse_cache())
    calls = _Calls()
    reason = "stop"
    last: dict[str, Any] = {}
    try:
        # The template renders before the answer starts: its budget is on the head (template_guard).
        async with rendering_stream(child, "/v1/chat/completions", body) as response:
            if response.status_code != 200:
                raise upstream._upstream_error(await response.aread(), response.status_code)
            async for line in response.aiter_lines():
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                data = json.loads(line[6:])
                if "error" in data:
                    raise upstream._upstream_error(line[6:].encode(), 500)
                last = data if (data.get("timings") or data.get("usage")) else last
                for choice in data.get("choices") or []:
                    delta = choice.get("delta") or {}
                    thinking = str(delta.get("reasoning_content") or "")
                    content = str(delta.get("content") or "")
                    if thinking or content:
                        yield Event(thinking=thinking, content=content)
                    calls.add(delta.get("tool_calls"))
                    if choice.get("finish_reason"):
                        reason = str(choice["finish_reason"])
    except httpx.HTTPError as exc:
        raise RequestError(f"llama runner is not answering: {exc}", 500) from exc
    finished = calls.done()
    if finished:
        yield Event(calls=finished)
    yield Event(stats=_stats(last, reason))
