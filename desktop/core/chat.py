"""One assistant reply: build the history, stream it, and never lose what arrived.

The growing text is written to the store at least every `save_interval` seconds
(chat_save.GrowingSave), so a crash, a cut connection or a stop loses at most that much.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.core.chat_history import build_history as build_history  # callers import it here
from desktop.core.chat_history import continued_history
from desktop.core.chat_save import GrowingSave
from desktop.core.chat_save import metrics_dict as metrics_dict  # re-exported: callers import it here
from desktop.core.messages import Part, Role, Status
from desktop.core.ollama.errors import OllamaError, StreamInterrupted
from desktop.core.ollama.types import ChatMessage, Metrics
from desktop.core.reply_request import request_from
from desktop.core.store import Conversation, Message, NotFound, Store, StoreError
from desktop.core.structured import format_metrics
from desktop.core.thinking import ThinkingClock, ThinkSplitter

if TYPE_CHECKING:
    from desktop.core.ollama.client import OllamaClient
    from desktop.core.tools.loop import ToolLoop

    # Gives the tool loop for a conversation's next reply (None: tools are off there).
    ToolLoopFactory = Callable[[Conversation], "ToolLoop | None"]
    from collections.abc import Awaitable

    from desktop.core.documents.chat_hook import DocumentTurn

    # Gives the sources of the conversation's next reply (None: nothing attached).
    DocumentsHook = Callable[[Conversation, list[ChatMessage]], Awaitable["DocumentTurn | None"]]

# Statuses whose assistant text is worth continuing.
CONTINUABLE = frozenset({Status.INTERRUPTED, Status.STOPPED, Status.COMPLETE})


@dataclass(frozen=True)
class ReplyOutcome:
    message_id: int
    text: str
    # COMPLETE | INTERRUPTED | ERROR (failed before any text) | STOPPED (the
    # conversation was deleted meanwhile; a cancelled reply raises CancelledError instead)
    status: Status
    metrics: Metrics | None
    error: OllamaError | None


def title_from(text: str, limit: int = 60) -> str:
    """A conversation title from its first message: one line, at most `limit` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _before(thread: Sequence[Message], message: Message) -> list[Message]:
    """The active thread up to (not including) `message`'s turn."""
    for index, item in enumerate(thread):
        if item.id == message.id or item.parent_id == message.parent_id:
            return list(thread[:index])
    raise ValueError("This reply is not part of the conversation as shown; open it first.")


def switch_version(store: Store, message_id: int, step: int) -> Message:
    """Show the version `step` away from `message_id` among its versions (-1 older, +1 newer,
    clamped); returns the version now shown. Its conversation's active thread follows it."""
    versions = store.versions(message_id)
    ids = [v.id for v in versions]
    index = min(max(ids.index(message_id) + step, 0), len(ids) - 1)
    store.select_version(ids[index])
    return versions[index]


class ChatService:
    def __init__(
        self,
        client: OllamaClient,
        store: Store,
        *,
        save_interval: float = 1.0,
        tools: ToolLoopFactory | None = None,
        documents: DocumentsHook | None = None,
    ) -> None:
        self._client = client
        self._store = store
        self._save_interval = save_interval
        self.tools = tools
        # Knowledge bases and files attached to the conversation (documents/chat_hook.py).
        self.documents = documents

    async def reply(
        self,
        conversation_id: int,
        *,
        on_delta: Callable[[str], None],
        continue_message_id: int | None = None,
        on_start: Callable[[int], None] | None = None,
        on_thinking: Callable[[str], None] | None = None,
    ) -> ReplyOutcome:
        """Stream one assistant reply into the conversation.

        With `continue_message_id` (an assistant message, the last of its conversation)
        the model is sent that partial reply as the last turn and its output is
        appended to it. Raises ValueError (plain message) for a conversation that
        cannot be answered; re-raises CancelledError after saving the text as "stopped".
        """
        conversation = self._answerable(conversation_id)
        messages = self._store.messages(conversation_id)

        if continue_message_id is None:
            history = build_history(conversation, messages)
            target = self._store.add_message(
                conversation_id, Role.ASSISTANT, "", status=Status.STREAMING, model=conversation.model
            )
        else:
            target = self._continuable(messages, continue_message_id)
            # Sent last and unterminated, the partial reply is what the model extends.
            history = continued_history(conversation, messages[:-1], target)
            self._store.update_message(target.id, status=Status.STREAMING, error="")
        return await self._stream(conversation, history, target, on_delta, on_start, on_thinking)

    async def regenerate(
        self,
        message_id: int,
        *,
        on_delta: Callable[[str], None],
        on_start: Callable[[int], None] | None = None,
        on_thinking: Callable[[str], None] | None = None,
    ) -> ReplyOutcome:
        """A new version of the reply `message_id`; the earlier versions are kept.

        The history is the active thread up to the message before it, so a reply in
        the middle of a conversation can be regenerated too (what followed it stays
        with the old version). ValueError (plain message) for anything but a reply.
        """
        old = self._store.message(message_id)
        if old.role != Role.ASSISTANT:
            raise ValueError("Only a reply from the model can be regenerated.")
        conversation = self._answerable(old.conversation_id)
        messages = self._store.messages(conversation.id)
        before = _before(messages, old)
        target = self._store.add_version(message_id, "", status=Status.STREAMING, model=conversation.model)
        history = build_history(conversation, before)
        return await self._stream(conversation, history, target, on_delta, on_start, on_thinking)

    async def edit(
        self,
        message_id: int,
        text: str,
        *,
        on_delta: Callable[[str], None],
        on_start: Callable[[int], None] | None = None,
        on_edited: Callable[[Message], None] | None = None,
        on_thinking: Callable[[str], None] | None = None,
    ) -> ReplyOutcome:
        """Save `text` as a new version of the user message `message_id`, then answer it.

        Nothing is deleted: the earlier text and its answers stay as the other version.
        `on_edited` gets the new user message before the reply starts.
        """
        if not text.strip():
            raise ValueError("Type the new text of the message first.")
        old = self._store.message(message_id)
        if old.role != Role.USER:
            raise ValueError("Only your own messages can be edited.")
        conversation = self._answerable(old.conversation_id)
        edited = self._store.add_version(message_id, text, model=old.model)
        if on_edited is not None:
            on_edited(edited)
        return await self.reply(
            conversation.id, on_delta=on_delta, on_start=on_start, on_thinking=on_thinking
        )

    def _answerable(self, conversation_id: int) -> Conversation:
        conversation = self._store.conversation(conversation_id)
        if not conversation.loadable:
            raise ValueError("This conversation could not be loaded, so it cannot be continued.")
        if not conversation.model:
            raise ValueError("Choose a model for this conversation first.")
        return conversation

    async def _stream(
        self,
        conversation: Conversation,
        history: list[ChatMessage],
        target: Message,
        on_delta: Callable[[str], None],
        on_start: Callable[[int], None] | None,
        on_thinking: Callable[[str], None] | None = None,
    ) -> ReplyOutcome:
        if on_start is not None:
            # The UI shows the reply's own message from here on.
            on_start(target.id)
        request = request_from(conversation.options)
        saver = GrowingSave(self._store, target.id, self._save_interval, target.content, target.parts)
        metrics: Metrics | None = None
        done_reason = ""
        splitter = ThinkSplitter()
        clock = ThinkingClock()

        def take(answer: str, thinking: str) -> None:
            if thinking:
                clock.saw_thinking()
                saver.grow("", thinking)
                if on_thinking is not None:
                    on_thinking(thinking)
            if answer:
                clock.saw_answer()
                saver.grow(answer)
                on_delta(answer)

        if self.documents is not None:
            turn = await self.documents(conversation, history)
            if turn is not None:
                # The sources go to the model; the answer carries them as citations from the start.
                history = turn.history
                self._save_parts(target.id, saver.with_parts(turn.citations))
        loop = self.tools(conversation) if self.tools is not None else None
        if loop is not None:
            # Tool calls and results are saved as the reply's parts as soon as they change.
            loop.listeners.append(lambda parts: self._save_parts(target.id, saver.with_parts(parts)))
            stream = loop.stream(
                conversation.model,
                history,
                request.options,
                think=request.think,
                format=request.format,
            )
        else:
            stream = self._client.chat(
                conversation.model,
                history,
                options=request.options,
                think=request.think,
                format=request.format,
            )
        try:
            finished = False
            async for chunk in stream:
                # Content may carry <think> itself (models the server does not split).
                split = splitter.feed(chunk.content) if chunk.content else None
                take(split.answer if split else "", chunk.thinking + (split.thinking if split else ""))
                if chunk.done:
                    rest = splitter.finish()
                    take(rest.answer, rest.thinking)
                    metrics = chunk.metrics
                    done_reason = chunk.done_reason
                    finished = True
                    break
            if not finished:
                raise StreamInterrupted("The reply ended before the model finished.")
        except asyncio.CancelledError:
            self._finish(saver, target.id, status=Status.STOPPED, error="")
            raise
        except NotFound:
            # The conversation was deleted while the reply streamed: stop generating.
            return ReplyOutcome(target.id, saver.text, Status.STOPPED, None, None)
        except OllamaError as err:
            status = Status.INTERRUPTED if saver.text else Status.ERROR
            self._finish(saver, target.id, status=status, error=str(err))
            return ReplyOutcome(target.id, saver.text, status, None, err)
        except BaseException as err:
            # A bug (or a failing on_delta): keep the text, then let it surface.
            self._finish(saver, target.id, status=Status.INTERRUPTED, error=f"The reply failed: {err}")
            raise
        finally:
            saver.cancel_timer()
            # Closing the stream closes the HTTP response (the server stops generating).
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                with contextlib.suppress(Exception):
                    await aclose()
        stored = metrics_dict(metrics, done_reason) if metrics else {}
        stored.update(format_metrics(request.format))  # the chat checks the reply against it
        if saver.thinking:
            clock.saw_answer()
            stored["thinking_seconds"] = round(clock.seconds(), 1)
        if not self._finish(saver, target.id, status=Status.COMPLETE, error="", metrics=stored):
            return ReplyOutcome(target.id, saver.text, Status.STOPPED, metrics, None)
        return ReplyOutcome(target.id, saver.text, Status.COMPLETE, metrics, None)

    def _save_parts(self, message_id: int, parts: Sequence[Part]) -> None:
        with contextlib.suppress(StoreError):  # NotFound too: the conversation went meanwhile
            self._store.set_parts(message_id, parts)

    def _finish(self, saver: GrowingSave, message_id: int, **fields: Any) -> bool:
        """The last write of a reply; False when its conversation was deleted meanwhile."""
        saver.cancel_timer()
        try:
            parts = saver.parts() if saver.thinking else None
            self._store.update_message(message_id, content=saver.text, parts=parts, **fields)
        except NotFound:
            return False
        return True

    @staticmethod
    def _continuable(messages: Sequence[Message], message_id: int) -> Message:
        if not messages or messages[-1].id != message_id:
            raise ValueError("Only the last reply of a conversation can be continued.")
        target = messages[-1]
        if target.role != Role.ASSISTANT or target.status not in CONTINUABLE | {Status.ERROR}:
            raise ValueError("Only a reply from the model can be continued.")
        return target
