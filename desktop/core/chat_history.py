"""What the model is sent of a conversation: its turns, earlier tool calls and results included.

A reply that used tools is stored as one assistant message whose parts hold the calls and
their results in the order they happened (round after round) and whose content is the
answer. Sent back as that answer alone, the model would not know on the next turn what
the tools returned (it then calls them again, or makes the figures up), so each round is
rebuilt as the backends expect it: an assistant turn carrying `tool_calls` (with ids), then
one `role: tool` turn per result (`tool_name`; the OpenAI wire pairs it with its call's id
as `tool_call_id`), then the answer. Thinking parts are never sent back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from desktop.core.attachments import history_text, image_payloads
from desktop.core.messages import Conversation, Message, Part, Role, Status, ToolCallPart, ToolResultPart
from desktop.core.ollama.types import ChatMessage, ToolCall


class _Ids:
    """Call ids unique over one history: the loop numbers calls it recovered from text
    (call_1, call_2, ...) afresh on every reply, and OpenAI-style servers pair results by id."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def unique(self, call_id: str) -> str:
        base = call_id or f"call_{len(self._seen) + 1}"
        candidate, n = base, 1
        while candidate in self._seen:
            n += 1
            candidate = f"{base}_{n}"
        self._seen.add(candidate)
        return candidate


def _rounds(parts: Iterable[Part]) -> list[tuple[list[ToolCallPart], list[ToolResultPart]]]:
    """The parts' tool rounds: a run of calls, then their results (a call after a result starts
    the next round, as the loop stores them)."""
    rounds: list[tuple[list[ToolCallPart], list[ToolResultPart]]] = []
    for part in parts:
        if isinstance(part, ToolCallPart):
            if not rounds or rounds[-1][1]:
                rounds.append(([], []))
            rounds[-1][0].append(part)
        elif isinstance(part, ToolResultPart) and rounds:
            rounds[-1][1].append(part)
    return rounds


def tool_turns(parts: Sequence[Part], ids: _Ids | None = None) -> list[ChatMessage]:
    """The tool rounds of a reply's parts as wire turns. A call without its result (the reply
    was stopped while it ran) is left out: every backend wants each call answered."""
    ids = ids or _Ids()
    turns: list[ChatMessage] = []
    for calls, results in _rounds(parts):
        answered: list[tuple[ToolCallPart, ToolResultPart]] = []
        pending = list(results)
        for call in calls:
            match = next((r for r in pending if r.call_id == call.call_id), None)
            if match is None:  # a damaged or renamed id: the next result of the same tool
                match = next((r for r in pending if not r.call_id and r.name == call.name), None)
            if match is not None:
                pending.remove(match)
                answered.append((call, match))
        if not answered:
            continue
        wired = [
            ToolCall(call.name, dict(call.arguments), id=ids.unique(call.call_id), index=index)
            for index, (call, _result) in enumerate(answered)
        ]
        turns.append(ChatMessage(Role.ASSISTANT, "", tool_calls=tuple(wired)))
        turns.extend(ChatMessage(Role.TOOL, result.content, tool_name=result.name) for _c, result in answered)
    return turns


def reply_turns(message: Message, content: str, ids: _Ids | None = None) -> list[ChatMessage]:
    """An assistant message as the model sees it: its tool rounds, then `content` (if any)."""
    turns = tool_turns(message.parts, ids)
    if content.strip():
        turns.append(ChatMessage(Role.ASSISTANT, content))
    return turns


def build_history(conversation: Conversation, messages: Sequence[Message]) -> list[ChatMessage]:
    """What the model sees: the system prompt, then the turns worth sending.

    Failed replies ("error"), replies still being written ("streaming") and empty turns
    are left out: they carry nothing the model said. Interrupted or stopped replies are
    kept with their partial text (and the tool results they got), since the user saw and
    may have answered them.
    """
    history: list[ChatMessage] = []
    ids = _Ids()
    if conversation.system.strip():
        history.append(ChatMessage(Role.SYSTEM, conversation.system))
    for message in messages:
        if message.role == Role.ASSISTANT:
            if message.status in (Status.ERROR, Status.STREAMING):
                continue
            history.extend(reply_turns(message, message.content, ids))
            continue
        # Attached files go in as context before the typed text.
        content = history_text(message)
        images = image_payloads(message)
        if not content.strip() and not images:
            continue
        history.append(ChatMessage(message.role, content, images=images))
    return history


def continued_history(
    conversation: Conversation, messages: Sequence[Message], target: Message
) -> list[ChatMessage]:
    """The history for continuing `target` (the last message): its partial reply is sent last
    and unterminated, after its tool rounds, so the model extends it."""
    ids = _Ids()
    history = build_history(conversation, messages)
    for turn in history:
        for call in turn.tool_calls:
            ids.unique(call.id)
    return history + reply_turns(target, target.content, ids)
