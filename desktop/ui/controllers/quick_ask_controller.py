"""Quick Ask: one question to the default model, streamed, stoppable, and handed to the chat.

The controller runs the answer through the task runner and reports with signals, so the
popup only renders. With history on, the exchange is a normal saved conversation from
the first token (ChatService saves the growing text at least every second); with it off
nothing touches the disk unless the user continues in the main window, which saves the
exchange at that moment.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import AsyncGenerator, Sequence
from typing import Any, cast

from PySide6.QtCore import QObject, Signal

from desktop.core.chat import ChatService, metrics_dict, title_from
from desktop.core.messages import ImagePart, Part, Role, Status, ThinkingPart
from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.errors import OllamaError, StreamInterrupted
from desktop.core.ollama.types import ChatChunk, ChatMessage, Metrics
from desktop.core.session import pick_default_model
from desktop.core.store import Store, StoreError
from desktop.core.thinking import Split, ThinkingClock, ThinkSplitter
from desktop.ui.quick_ask_servers import Backend, QuickAskRoute
from desktop.ui.tasks import TaskRunner

# A saved Quick Ask answer keeps these states; any other becomes "stopped".
_KEPT = frozenset({Status.COMPLETE, Status.STOPPED, Status.INTERRUPTED})

log = logging.getLogger(__name__)

def title_for(question: str) -> str:
    return title_from(question, 60)


class QuickAskController(QObject):
    answer_started = Signal(str)  # model name
    answer_delta = Signal(str)  # text that just arrived
    thinking_delta = Signal(str)  # a reasoning model's thinking that just arrived (before its answer)
    answer_finished = Signal(str, str)  # status: complete | stopped | interrupted | error; plain message
    busy_changed = Signal(bool)
    ask_refused = Signal(str)  # plain message: nothing was sent (no model, empty question)
    continue_requested = Signal(int)  # conversation id for the main window to open

    def __init__(self, client: OllamaClient, store: Store | None = None, *, default_model: str = "",
                 save_history: bool = True, route: QuickAskRoute | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = TaskRunner(self, server_work=True)
        self._client = client
        self.route = route or QuickAskRoute()  # which server asks (#15); local by default
        self._backend: Backend = client
        self.server = ""  # the saved server of this exchange ("" = local)
        self._store = store
        self.default_model = default_model
        self.save_history = save_history
        self._task: asyncio.Task[Any] | None = None  # _run's (status, message)
        self._continue_after_stop = False
        self.question = ""
        self.title = ""  # the conversation's title, when the question alone would make a poor one
        self.images: tuple[bytes, ...] = ()  # PNG screenshots sent with the question
        self.answer = ""
        self.thinking = ""  # kept apart from the answer: never copied, replaced or sent back
        self._clock = ThinkingClock()
        self.think: bool | None = None  # this exchange's think (None: the model's default)
        self.options: dict[str, Any] = {}  # reply options of every exchange (num_predict, seed...)
        self.model = ""
        self.status = ""
        self.conversation_id: int | None = None
        self.metrics: Metrics | None = None

    # ------------------------------------------------------------------ requests
    def set_client(self, client: OllamaClient) -> None:
        self.stop()
        self._client = client

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def thinking_seconds(self) -> float:
        return self._clock.seconds()

    def ask(self, question: str, *, title: str = "", images: Sequence[bytes] = (),
            think: bool | None = None) -> bool:
        question = question.strip()
        if not question:
            self.ask_refused.emit(self.tr("Type a question first."))
            return False
        if self.busy:
            self.ask_refused.emit(self.tr("Wait for the answer, or press Esc to stop it."))
            return False
        self.server, self._backend, model = self.route.pick(self._client, self.default_model)
        self.question, self.answer, self.model, self.status = question, "", model, Status.STREAMING
        self.title, self.images, self.think = title, tuple(images), think
        self.thinking, self._clock = "", ThinkingClock()
        self.conversation_id = None
        self.metrics = None
        self._continue_after_stop = False
        self._task = self._tasks.start(self._run(question, model), on_finished=self._on_task_done)
        self.busy_changed.emit(True)
        return True

    def retry(self, think_off: bool = False) -> bool:
        """Ask the same question again (after an empty answer), with thinking off if asked."""
        think = False if think_off else self.think
        return self.ask(self.question, title=self.title, images=self.images, think=think)

    def stop(self) -> None:
        if self.busy:
            assert self._task is not None
            self._task.cancel()

    def continue_in_main_window(self, draft: str = "", *, title: str = "",
                                images: Sequence[bytes] = ()) -> bool:
        """Hand the exchange to the chat as a saved conversation (stopping a running answer first).

        With nothing asked yet, `draft` becomes the first message of a new conversation
        whose reply the main window produces (its last message is then the user's).
        """
        if self.busy:
            self._continue_after_stop = True
            self.stop()
            return True
        if not self.question:
            draft = draft.strip()
            if not draft:
                self.ask_refused.emit(self.tr("Type a question first."))
                return False
            server, _backend, model = self.route.pick(self._client, self.default_model)
            if not model:
                self.ask_refused.emit(
                    self.tr("No model is chosen yet. Open Ollama Desk and download or choose a model."))
                return False
            self.question, self.model, self.answer, self.status = draft, model, "", ""
            self.server = server
            self.title, self.images = title, tuple(images)
        conversation_id = self._save_exchange()
        if conversation_id is None:
            return False
        self.continue_requested.emit(conversation_id)
        return True

    async def aclose(self) -> None:
        await self._tasks.aclose()

    # ------------------------------------------------------------------ work
    def _history_on(self) -> bool:
        return self.save_history and self._store is not None

    async def _run(self, question: str, model: str) -> tuple[str, str]:
        if not model:
            # No default chosen yet (or the model list has not arrived): the first
            # installed model answers, as `ollama run` users would expect.
            model = pick_default_model(await self._client.tags(), "")
            if not model:
                raise ValueError(self.tr("No model is installed yet. Open Ollama Desk to download one."))
            self.model = model
        self.answer_started.emit(model)
        if self._history_on():
            return await self._ask_saved(question, model)
        return await self._ask_unsaved(question, model)

    async def _ask_saved(self, question: str, model: str) -> tuple[str, str]:
        assert self._store is not None
        options = dict(self.options) if self.think is None else {**self.options, "think": self.think}
        conversation = self._store.create_conversation(title_for(self.title or question), model=model,
                                                       server=self.server, options=options or None)
        self.conversation_id = conversation.id
        self._store.add_message(conversation.id, Role.USER, question, model=model, parts=self._parts())
        service = ChatService(self._backend, self._store)  # type: ignore[arg-type]  # a ChatBackend streams alike
        outcome = await service.reply(conversation.id, on_delta=self._on_delta, on_thinking=self._on_thinking)
        self.metrics = outcome.metrics
        return outcome.status, str(outcome.error) if outcome.error else ""

    async def _ask_unsaved(self, question: str, model: str) -> tuple[str, str]:
        images = tuple(base64.b64encode(png).decode("ascii") for png in self.images)
        # Every backend's chat is an async generator (the Protocol only promises an iterator).
        stream = cast("AsyncGenerator[ChatChunk, None]", self._backend.chat(
            model, [ChatMessage(Role.USER, question, images=images)],
            options=self.options or None, think=self.think))
        # Models the server does not split write <think>…</think> in the content itself.
        splitter = ThinkSplitter()
        try:
            async with contextlib.aclosing(stream) as chunks:
                async for chunk in chunks:
                    split = splitter.feed(chunk.content) if chunk.content else Split()
                    self._take(chunk.thinking + split.thinking, split.answer)
                    if chunk.done:
                        rest = splitter.finish()
                        self._take(rest.thinking, rest.answer)
                        self.metrics = chunk.metrics
                        return Status.COMPLETE, ""
            raise StreamInterrupted(self.tr("The answer ended before the model finished."))
        except OllamaError as err:
            return (Status.INTERRUPTED if self.answer else Status.ERROR), str(err)

    def _take(self, thinking: str, answer: str) -> None:
        if thinking:
            self._on_thinking(thinking)
        if answer:
            self._on_delta(answer)

    def _on_thinking(self, text: str) -> None:
        self._clock.saw_thinking()
        self.thinking += text
        self.thinking_delta.emit(text)

    def _on_delta(self, text: str) -> None:
        self._clock.saw_answer()
        self.answer += text
        self.answer_delta.emit(text)

    def _on_task_done(self, task: asyncio.Task[Any]) -> None:
        if self._task is task:
            self._task = None
        if task.cancelled():
            status, message = Status.STOPPED, ""
        elif (err := task.exception()) is not None:
            if isinstance(err, (ValueError, StoreError, OllamaError)):
                status, message = (Status.INTERRUPTED if self.answer else Status.ERROR), str(err)
            else:
                log.error("quick ask failed", exc_info=err)
                status, message = Status.ERROR, self.tr("The answer failed: {0}").format(err)
        else:
            status, message = task.result()
        self.status = status
        self._clock.saw_answer()  # the thought is over, answered or not
        self.busy_changed.emit(False)
        self.answer_finished.emit(status, message)
        if self._continue_after_stop:
            self._continue_after_stop = False
            self.continue_in_main_window()

    def _save_exchange(self) -> int | None:
        if self.conversation_id is not None:
            return self.conversation_id
        if self._store is None:
            self.ask_refused.emit(self.tr("The history is not available, so the chat cannot be opened."))
            return None
        try:
            think = {} if self.think is None else {"think": self.think}
            conversation = self._store.create_conversation(title_for(self.title or self.question),
                                                           model=self.model, server=self.server,
                                                           options={**self.options, **think} or None)
            self._store.add_message(conversation.id, Role.USER, self.question, model=self.model,
                                    parts=self._parts())
            if self.answer:
                status = self.status if self.status in _KEPT else Status.STOPPED
                thought: list[Part] = [ThinkingPart(self.thinking)] if self.thinking else []
                message = self._store.add_message(conversation.id, Role.ASSISTANT, self.answer,
                                                  status=status, model=self.model, parts=thought)
                if self.metrics is not None:
                    self._store.update_message(message.id, metrics=metrics_dict(self.metrics))
        except StoreError as err:
            self.ask_refused.emit(self.tr("The exchange could not be saved: {0}").format(err))
            return None
        self.conversation_id = conversation.id
        return conversation.id

    def _parts(self) -> list[ImagePart]:
        return [ImagePart("image/png", png, f"screenshot-{i + 1}.png") for i, png in enumerate(self.images)]
