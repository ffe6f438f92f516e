"""The tool loop: the model asks for tools, they run, their results go back, it continues.

`ToolLoop.stream` looks like a plain chat stream to ChatService (content deltas, then
one final `done` chunk) while, between rounds, it runs the calls the model made. The
calls always come from the model's output (native `tool_calls`, a call written as JSON
text, or the prompted protocol): nothing here picks a tool from the user's words.
Several calls of one turn run in parallel after their approvals (asked one at a time);
each has a timeout; cancelling the stream cancels any tool still running.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from desktop.core.messages import Part, ToolCallPart, ToolResultPart
from desktop.core.ollama.errors import OllamaError
from desktop.core.ollama.types import ChatChunk, ChatMessage, Metrics, ToolCall
from desktop.core.tools.approval import DENIED, ApprovalPolicy
from desktop.core.tools.protocol import (
    format_schema,
    looks_like_json,
    prompted_history,
    read_prompted,
    recover_calls,
)
from desktop.core.tools.spec import Tool, ToolError, clip

MAX_ROUNDS = 6
LIMIT_NOTE = "The tool round limit was reached; answer now with what you have."


class ChatStreamer(Protocol):
    def chat(
        self,
        model: str,
        messages: Sequence[ChatMessage],
        *,
        options: Mapping[str, Any] | None = None,
        format: str | dict[str, Any] | None = None,
        think: bool | str | None = None,
        tools: Sequence[Mapping[str, Any]] | None = None,
    ) -> AsyncIterator[ChatChunk]: ...


def refuses_tools(err: OllamaError) -> bool:
    """A server that cannot take `tools` for this model (Ollama: "... does not support tools")."""
    text = str(err).lower()
    # llama-server without --jinja: 500 "tools param requires --jinja flag".
    return "support tools" in text or ("tool" in text and err.status in (400, 422, 500, 501))


@dataclass(frozen=True)
class _Asked:
    """What the conversation asks of every round besides the messages (as ChatService sends it
    without tools): the model's options, thinking, and the answer's format."""

    options: Mapping[str, Any] | None = None
    think: bool | str | None = None
    format: str | dict[str, Any] | None = None


@dataclass
class _Round:
    text: str = ""
    held: str = ""  # text that may still turn out to be a call written as JSON
    calls: tuple[ToolCall, ...] = ()
    metrics: Metrics | None = None
    done_reason: str = ""


class ToolLoop:
    def __init__(
        self,
        client: ChatStreamer,
        tools: Sequence[Tool],
        policy: ApprovalPolicy | None = None,
        *,
        max_rounds: int = MAX_ROUNDS,
        native: bool = True,
    ) -> None:
        self._client = client
        self.tools = {tool.name: tool for tool in tools}
        self.policy = policy or ApprovalPolicy()
        self.max_rounds = max(1, max_rounds)
        self.native = native  # False: the prompted protocol (set when the server refuses tools)
        self.parts: list[Part] = []
        # Called with every part list change (the store saves it, the UI draws cards).
        self.listeners: list[Callable[[tuple[Part, ...]], None]] = []
        self.running: dict[str, float] = {}  # call id -> start time of tools still running
        self._counter = 0

    def _changed(self) -> None:
        snapshot = tuple(self.parts)
        for listener in list(self.listeners):
            listener(snapshot)

    async def stream(
        self,
        model: str,
        history: Sequence[ChatMessage],
        options: Mapping[str, Any] | None = None,
        *,
        think: bool | str | None = None,
        format: str | dict[str, Any] | None = None,
    ) -> AsyncGenerator[ChatChunk, None]:
        asked = _Asked(options, think, format)
        messages = list(history)
        answered: set[str] = set()
        repeated = False
        for round_number in range(1, self.max_rounds + 2):
            offer = bool(self.tools) and round_number <= self.max_rounds and not repeated
            if not offer and self.tools and not repeated:
                messages.append(ChatMessage("user", LIMIT_NOTE))
            result = _Round()
            async for piece in self._one_round(model, messages, asked, offer, result):
                yield piece
            if not result.calls or not offer:  # calls from a round offered no tools are not run
                yield ChatChunk("", done=True, done_reason=result.done_reason, metrics=result.metrics)
                return
            if all(_key(call) in answered for call in result.calls):
                # The same calls again, their results already above: a small model does this
                # after every result (the starter model called calculator(23*19) in each of the
                # 6 rounds, measured), so the next round offers no tools and it answers.
                repeated = True
                continue
            messages.append(ChatMessage("assistant", result.text, tool_calls=result.calls))
            messages.extend(await self._run_calls(result.calls))
            answered.update(_key(call) for call in result.calls)
        raise AssertionError("unreachable: the last round offers no tools")  # pragma: no cover

    async def _one_round(
        self,
        model: str,
        messages: list[ChatMessage],
        asked: _Asked,
        offer: bool,
        result: _Round,
    ) -> AsyncGenerator[ChatChunk, None]:
        if self.tools and not self.native:
            # The answer round too: the protocol's answer-only form, or the model, seeing its
            # earlier calls written as JSON, writes one more as its answer (the starter model did).
            async for delta in self._prompted_round(model, messages, asked, result, answer_only=not offer):
                yield delta
            return
        wire = [tool.to_wire() for tool in self.tools.values()] if offer else None
        calls: list[ToolCall] = []
        stream = self._client.chat(
            model, messages, options=asked.options, format=asked.format, think=asked.think, tools=wire
        )
        started = False
        try:
            async for chunk in stream:
                started = True
                calls.extend(chunk.tool_calls)
                if chunk.thinking:  # a reasoning model thinks before each round's call or answer
                    yield ChatChunk("", thinking=chunk.thinking)
                if chunk.content:
                    if result.held or (offer and not result.text and looks_like_json(chunk.content)):
                        result.held += chunk.content
                    else:
                        result.text += chunk.content
                        yield ChatChunk(chunk.content)
                if chunk.done:
                    result.metrics, result.done_reason = chunk.metrics, chunk.done_reason
                    break
        except OllamaError as err:
            if offer and not started and refuses_tools(err):
                self.native = False
                async for delta in self._prompted_round(model, messages, asked, result):
                    yield delta
                return
            raise
        finally:
            with contextlib.suppress(Exception):
                await stream.aclose()  # type: ignore[attr-defined]
        if not calls and result.held:
            calls = recover_calls(result.held, self.tools)
            if not calls:
                result.text += result.held
                yield ChatChunk(result.held)
        result.calls = self._numbered(calls)

    async def _prompted_round(
        self,
        model: str,
        messages: list[ChatMessage],
        asked: _Asked,
        result: _Round,
        *,
        answer_only: bool = False,
    ) -> AsyncGenerator[ChatChunk, None]:
        tools = list(self.tools.values())
        # The protocol's own schema is the format here: the conversation's cannot apply too.
        stream = self._client.chat(
            model,
            prompted_history(messages, tools),
            options=asked.options,
            format=format_schema([] if answer_only else tools),
            think=asked.think,
        )
        text = ""
        try:
            async for chunk in stream:
                text += chunk.content
                if chunk.done:
                    result.metrics, result.done_reason = chunk.metrics, chunk.done_reason
                    break
        finally:
            with contextlib.suppress(Exception):
                await stream.aclose()  # type: ignore[attr-defined]
        calls, answer = read_prompted(text, () if answer_only else self.tools)
        result.calls = self._numbered(calls)
        if answer:
            result.text = answer
            yield ChatChunk(answer)

    def _numbered(self, calls: Sequence[ToolCall]) -> tuple[ToolCall, ...]:
        numbered = []
        for call in calls:
            self._counter += 1
            numbered.append(
                ToolCall(call.name, call.arguments, id=call.id or f"call_{self._counter}", index=call.index)
            )
        return tuple(numbered)

    async def _run_calls(self, calls: Sequence[ToolCall]) -> list[ChatMessage]:
        for call in calls:
            self.parts.append(ToolCallPart(call.id, call.name, dict(call.arguments)))
        self._changed()
        # Approvals one at a time (one dialog), then the permitted calls together.
        permitted: list[bool] = []
        for call in calls:
            tool = self.tools.get(call.name)
            permitted.append(tool is not None and await self.policy.permit(tool, dict(call.arguments)))
        results = await asyncio.gather(
            *(self._run_one(call, ok) for call, ok in zip(calls, permitted, strict=True))
        )
        for part in results:
            self.parts.append(part)
        self._changed()
        return [ChatMessage("tool", part.content, tool_name=part.name) for part in results]

    async def _run_one(self, call: ToolCall, permitted: bool) -> ToolResultPart:
        tool = self.tools.get(call.name)
        if tool is None:
            offered = ", ".join(self.tools) or "none"
            return ToolResultPart(
                call.id, call.name, f"There is no tool {call.name!r}; the tools are: {offered}.", True
            )
        if not permitted:
            return ToolResultPart(call.id, call.name, DENIED, True)
        start = time.monotonic()
        self.running[call.id] = start
        try:
            content = clip(await asyncio.wait_for(tool.run(dict(call.arguments)), tool.timeout))
            error = False
        except TimeoutError:
            content, error = f"The tool {tool.name} did not answer within {tool.timeout:g} seconds.", True
        except ToolError as err:
            content, error = str(err), True
        except asyncio.CancelledError:
            raise
        except Exception as err:  # a broken tool is the model's error message, never a crash
            content, error = f"The tool {tool.name} failed: {err or type(err).__name__}", True
        finally:
            self.running.pop(call.id, None)
        duration = int((time.monotonic() - start) * 1000)
        return ToolResultPart(call.id, call.name, content, error, duration_ms=duration)


def _key(call: ToolCall) -> str:
    return call.name + json.dumps(dict(call.arguments), sort_keys=True, ensure_ascii=False, default=str)


def describe_arguments(arguments: Mapping[str, Any]) -> str:
    return json.dumps(dict(arguments), ensure_ascii=False, indent=2)
