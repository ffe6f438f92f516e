"""ChatController: conversations and replies for the chat page.

It runs the reply through the task runner and emits its final signals from the task's done
callback (a task cancelled before its first step never runs its `finally`). The model and the
server come from the Session: the client in use when a reply starts, the one default model.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.core.chat import ChatService, switch_version, title_from
from desktop.core.messages import Part, Role
from desktop.core.ollama.errors import ModelNotFound, OllamaError, ServerUnavailable
from desktop.core.session import Session, SessionEvent
from desktop.core.store import Conversation, Message, NotFound, Store, StoreError
from desktop.core.tools.service import ToolsService
from desktop.ui.controllers import chat_routing as routing
from desktop.ui.controllers.chat_routing import SendRefusal
from desktop.ui.tasks import TaskRunner

__all__ = ["SIDEBAR_TITLE_LENGTH", "ChatController", "SendRefusal"]


# The sidebar is narrower than a Quick Ask title.
SIDEBAR_TITLE_LENGTH = 48


class ChatController(QObject):
    conversations_changed = Signal(list)  # list[Conversation]
    conversation_opened = Signal(object, list, int)  # Conversation, list[Message], id to show (0: end)
    message_added = Signal(object)  # Message
    message_updated = Signal(object)  # Message
    messages_removed = Signal(int)  # this message id and every later one
    reply_started = Signal(object)  # Message (status "streaming")
    reply_delta = Signal(str)
    reply_thinking = Signal(str)  # more of a reasoning model's thinking (before its answer)
    reply_finished = Signal(object)  # Message, in its final state
    generating_changed = Signal(bool)
    prompt_restored = Signal(str)  # Stop before any text: the prompt goes back into the composer
    failed = Signal(str)  # plain sentence for the banner
    model_missing = Signal(str)  # the conversation's model is not installed: offer to pull it
    server_unreachable = Signal(str)
    search_finished = Signal(list, str)  # list[SearchHit], query
    models_offered = Signal(list, str)  # chat-capable model names, the one to show as chosen
    # With saved servers (#15): list[fleet.ModelGroup], the chosen server id ("" = local), model.
    server_models_offered = Signal(list, str, str)
    send_refused = Signal(str)  # a SendRefusal value; the text is kept

    def __init__(self, store: Store, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._session = session
        self._tasks = TaskRunner(self, server_work=True)
        self._current: Conversation | None = None
        self._task: asyncio.Task[Any] | None = None
        self._reply_id = 0
        self._got_text = False
        self._restore: tuple[int, str] | None = None  # user message id and text, for Stop before any text
        self._replacing = 0  # a reply being regenerated: its view makes way for the new version
        self._edited_id = 0  # a user message being edited: its view makes way for the new text
        self._unsubscribe = session.subscribe(self._on_session)
        self._unsubscribe_fleet = session.fleet.subscribe(lambda _server_id: self.offer_models())
        self._draft_server = ""  # the server a new conversation goes to (the picker's last choice)
        self._draft_model = ""  # ... and its model there
        self.tools: ToolsService | None = None  # set by the app: tools in chat (#16)
        self.documents: Any = None  # set by the app: knowledge bases in chat (#17)

    # ----- state -----

    @property
    def current(self) -> Conversation | None:
        return self._current

    @property
    def generating(self) -> bool:
        return self._task is not None and not self._task.done()

    def default_model(self) -> str:
        return self._session.default_model

    def _on_session(self, event: SessionEvent) -> None:
        if event in (SessionEvent.MODELS, SessionEvent.DEFAULT_MODEL):
            self.offer_models()

    def _opened(self, conversation: Conversation, messages: list[Any], focus: int) -> None:
        self.conversation_opened.emit(conversation, messages, focus)
        self.offer_models()

    def offer_models(self) -> None:
        """Tell the model picker what it lists and which model this conversation uses."""
        chosen = self._current.model if self._current and self._current.model else ""
        self.models_offered.emit(list(self._session.chat_models), chosen or self._session.default_model)
        offered = routing.server_choice(
            self._session, self._current, self._draft_server, self._draft_model, self.tr("This computer")
        )
        if offered is not None:
            self.server_models_offered.emit(*offered)

    def reload_conversations(self) -> None:
        self.conversations_changed.emit(self._store.conversations())

    # ----- conversations -----

    def new_conversation(self) -> None:
        """An empty chat; it is stored when its first message is sent."""
        self._current = None
        draft = Conversation(
            id=0, title="", model=self._session.default_model, system="", options={},
            created_at=0.0, updated_at=0.0,
        )
        self._opened(draft, [], 0)

    def open(self, conversation_id: int, focus_message_id: int = 0) -> None:
        try:
            conversation = self._store.conversation(conversation_id)
            messages = self._store.messages(conversation_id)
            if focus_message_id and all(m.id != focus_message_id for m in messages):
                # A search hit in a version not shown: show that version's branch.
                with contextlib.suppress(NotFound):
                    self._store.select_version(focus_message_id)
                    messages = self._store.messages(conversation_id)
        except StoreError as err:
            self.failed.emit(str(err))
            return
        self._current = conversation
        self._opened(conversation, messages, focus_message_id)

    def open_latest(self) -> None:
        conversations = [c for c in self._store.conversations() if c.loadable]
        self.conversations_changed.emit(self._store.conversations())
        if conversations:
            self.open(conversations[0].id)
        else:
            self.new_conversation()

    def rename(self, conversation_id: int, title: str) -> None:
        self._store.update_conversation(conversation_id, title=title)
        if self._current and self._current.id == conversation_id:
            self._current = self._store.conversation(conversation_id)
        self.reload_conversations()

    def delete(self, conversation_id: int) -> None:
        if self._current and self._current.id == conversation_id:
            self.stop()
        self._store.delete_conversation(conversation_id)
        self.reload_conversations()
        if self._current is None or self._current.id == conversation_id:
            self.open_latest()

    def set_model(self, model: str) -> None:
        """The picker chose `model`: this conversation uses it, and so do the next ones."""
        if self._current is not None:
            self._store.update_conversation(self._current.id, model=model)
            self._current = self._store.conversation(self._current.id)
        self._session.choose_default_model(model)

    def set_server_model(self, server_id: str, model: str) -> None:
        """The grouped picker chose `model` on a server ("" = local): this conversation talks to
        it from now on, and new conversations start there."""
        self._draft_server = server_id
        if self._current is not None and self._current.id:
            self._store.update_conversation(self._current.id, server=server_id, model=model)
            self._current = self._store.conversation(self._current.id)
        if not server_id:
            self.set_model(model)
        else:
            self._draft_model = model
            self.offer_models()

    def set_options(self, system: str, options: dict[str, Any]) -> None:
        if self._current is None:
            self._current = self._create("")
        self._store.update_conversation(self._current.id, system=system, options=options)
        self._current = self._store.conversation(self._current.id)

    def search(self, query: str) -> None:
        hits = self._store.search(query) if query else []
        self.search_finished.emit(hits, query)

    def _create(self, first_text: str) -> Conversation:
        server, model = routing.new_conversation_target(self._session, self._draft_server, self._draft_model)
        conversation = self._store.create_conversation(
            title=title_from(first_text, SIDEBAR_TITLE_LENGTH), model=model, server=server
        )
        self.reload_conversations()
        return conversation

    # ----- replies -----

    def send(self, text: str, parts: Sequence[Part] = ()) -> None:
        """parts: what the user attached (images, text files), kept with the message."""
        if self.generating or not text.strip():
            return
        refusal = routing.send_refusal(self._session, self._current, self._draft_server)
        if refusal:
            self.prompt_restored.emit(text)
            self.send_refused.emit(refusal.value)
            return
        if self._current is None:
            self._current = self._create(text)
            self._opened(self._current, [], 0)
        elif not self._current.title:
            self._store.update_conversation(self._current.id, title=title_from(text, SIDEBAR_TITLE_LENGTH))
            self.reload_conversations()
        default = self._session.default_model
        if default and not self._current.server and self._current.model != default:
            self._store.update_conversation(self._current.id, model=default)
        self._current = self._store.conversation(self._current.id)
        message = self._store.add_message(self._current.id, Role.USER, text, parts=tuple(parts))
        self.message_added.emit(message)
        self._start(restore=(message.id, text))

    def regenerate(self, message_id: int) -> None:
        """A new version of this reply; the old one is kept (ChatService.regenerate)."""
        if self.generating or self._current is None:
            return
        self._start(regenerate_id=message_id)

    def edit(self, message_id: int, text: str = "") -> None:
        """Save `text` as a new version of this user message and answer it; nothing is deleted,
        the earlier text and its answers stay as the other version. Without text (an older
        caller), the message is only offered back in the composer."""
        if self.generating:
            return
        try:
            message = self._store.message(message_id)
        except NotFound:
            return
        if not text.strip():
            self.prompt_restored.emit(message.content)
            return
        if self._current is None or self._current.id != message.conversation_id:
            return
        self._start(edit=(message_id, text))

    def show_version(self, message_id: int, step: int) -> None:
        """The < 2/3 > switcher: show another version of a message and the turns after it."""
        if self.generating or self._current is None:
            return
        try:
            shown = switch_version(self._store, message_id, step)
            thread = self._store.messages(self._current.id)
        except StoreError as err:
            self.failed.emit(str(err))
            return
        index = next((i for i, m in enumerate(thread) if m.id == shown.id), None)
        if shown.id == message_id or index is None:
            return
        # Only the switched turn and what follows it change on screen.
        self.messages_removed.emit(message_id)
        for message in thread[index:]:
            self.message_added.emit(message)

    def continue_reply(self, message_id: int) -> None:
        if self.generating or self._current is None:
            return
        self._start(continue_id=message_id)

    def retry_last(self) -> None:
        """After a failure: answer the last user message again (or continue a cut reply)."""
        if self.generating or self._current is None:
            return
        kind, message_id = routing.retry_step(self._store.messages(self._current.id))
        if kind == "continue":
            self.continue_reply(message_id)
        elif kind == "regenerate":
            self.regenerate(message_id)
        elif kind == "reply":
            self._start()

    def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def _start(
        self,
        *,
        continue_id: int | None = None,
        restore: tuple[int, str] | None = None,
        regenerate_id: int = 0,
        edit: tuple[int, str] | None = None,
    ) -> None:
        assert self._current is not None
        self._reply_id = continue_id or 0
        self._got_text = False
        self._restore = restore
        self._replacing = regenerate_id
        # The client in use now: a server switch later does not cut this reply (the session
        # closes the old client once the runner's tasks have ended).
        backend = self._session.backend_for(self._current.server)
        if backend is None:
            self.failed.emit(
                self.tr("The server of this conversation was removed; choose a model in the list.")
            )
            return
        loop_for = self.tools.loop_for if self.tools is not None else None
        service = ChatService(backend, self._store, tools=loop_for, documents=self.documents)  # type: ignore[arg-type]  # a ChatBackend streams alike
        if edit is not None:
            self._edited_id = edit[0]
        coro = routing.reply_call(
            service,
            self._current.id,
            on_delta=self._on_delta,
            on_start=self._on_start,
            on_edited=self._on_edited,
            on_thinking=self.reply_thinking.emit,
            continue_id=continue_id,
            regenerate_id=regenerate_id,
            edit=edit,
        )
        self._task = self._tasks.start(coro, on_finished=self._on_done)
        self.generating_changed.emit(True)

    def continue_conversation(self, conversation_id: int) -> None:
        """A Quick Ask exchange handed over: list it, open it, and answer its last question."""
        self.reload_conversations()
        self.open(conversation_id)
        if self._current is None or self._current.id != conversation_id:
            return
        messages = self._store.messages(conversation_id)
        if messages and messages[-1].role == Role.USER:
            self.retry_last()

    def _on_edited(self, edited: Message) -> None:
        """The edited text is a new version: the old one and its answers leave the screen."""
        old, self._edited_id = self._edited_id, 0
        if old:
            self.messages_removed.emit(old)
        self.message_added.emit(edited)

    def _on_start(self, message_id: int) -> None:
        self._reply_id = message_id
        if self._replacing:  # a regenerated reply takes the old version's place on screen
            self.messages_removed.emit(self._replacing)
            self._replacing = 0
        self.reply_started.emit(self._store.message(message_id))

    def _on_delta(self, text: str) -> None:
        self._got_text = True
        self.reply_delta.emit(text)

    def _on_done(self, task: asyncio.Task[Any]) -> None:
        self._task = None
        self.generating_changed.emit(False)
        if task.cancelled():
            if not self._got_text and self._restore is not None:
                user_id, text = self._restore
                self._store.delete_messages_from(user_id)
                self.messages_removed.emit(user_id)
                self.prompt_restored.emit(text)
            else:
                self._emit_final(self._reply_id)
            return
        err = task.exception()
        if isinstance(err, ValueError):
            self.failed.emit(str(err))
            return
        if err is not None:
            self._emit_final(self._reply_id)
            self.failed.emit(self.tr("The reply failed: %1").replace("%1", str(err)))
            return
        outcome = task.result()
        self._emit_final(outcome.message_id)
        if outcome.error is not None and self._current is not None and self._current.server:
            # A saved server failed a reply: check it now, so the picker shows if it is gone.
            self._tasks.start(self._session.fleet.refresh(self._current.server))
        if isinstance(outcome.error, ModelNotFound) and self._current is not None:
            self.model_missing.emit(self._current.model)
        elif isinstance(outcome.error, ServerUnavailable):
            if self._current is not None and self._current.server:
                self._session.fleet.mark_offline(self._current.server, str(outcome.error))
                self.failed.emit(str(outcome.error))  # the local server's banner is not about this one
            else:
                self.server_unreachable.emit(str(outcome.error))
        elif isinstance(outcome.error, OllamaError):
            self.failed.emit(str(outcome.error))

    def _emit_final(self, message_id: int) -> None:
        if not message_id:
            return
        try:
            message = self._store.message(message_id)
        except NotFound:
            return
        if self.documents is not None:  # the search_documents tool's passages become sources too
            message = self.documents.cite_tools(self._store, message)
        self.message_updated.emit(message)
        self.reply_finished.emit(message)

    async def aclose(self) -> None:
        self._unsubscribe()
        self._unsubscribe_fleet()
        await self._tasks.aclose()
