"""Where a send goes: the server and model offered or started on, whether it can go out now,
and which ChatService call answers it (a retry included).

Kept apart from ChatController, which owns the page's state and signals: these decisions
read the Session (the server a conversation talks to, its state) and the kind of reply
asked for, and hold no state of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from enum import Enum
from typing import Any

from desktop.core.chat import ChatService, ReplyOutcome
from desktop.core.fleet import ModelGroup, model_groups
from desktop.core.messages import Role, Status
from desktop.core.server_manager import ServerState
from desktop.core.session import Session
from desktop.core.store import Conversation, Message


class SendRefusal(str, Enum):
    """Why a send did not go out (the typed text went back to the composer)."""

    NO_MODEL = "no_model"  # no model is chosen or installed
    OFFLINE = "offline"  # the model server is known to be away


def send_refusal(session: Session, current: Conversation | None, draft_server: str) -> SendRefusal | None:
    """Why a send cannot go out now (None = it can): the typed text stays in the composer."""
    if not session.default_model and not (current and current.model):
        return SendRefusal.NO_MODEL
    server = current.server if current else draft_server
    if server:
        status = session.fleet.status(server)
        return SendRefusal.OFFLINE if status is None or status.state == ServerState.OFFLINE else None
    if session.state == ServerState.OFFLINE:
        return SendRefusal.OFFLINE
    return None


def new_conversation_target(session: Session, draft_server: str, draft_model: str) -> tuple[str, str]:
    """The server ("" = local) and model a new conversation starts on: the picker's last server
    choice where it named a model there, else the local default model."""
    if draft_server and draft_model:
        return draft_server, draft_model
    return "", session.default_model


def retry_step(messages: Sequence[Message]) -> tuple[str, int]:
    """After a failure, what answering again means: ("continue", id) for a cut reply with text,
    ("regenerate", id) for a failed one, ("reply", 0) after a user message, ("", 0) for nothing."""
    if not messages:
        return "", 0
    last = messages[-1]
    cut = last.status in (Status.INTERRUPTED, Status.STOPPED)
    if last.role == Role.ASSISTANT and cut and last.content:
        return "continue", last.id
    if last.role == Role.ASSISTANT and last.status == Status.ERROR:
        return "regenerate", last.id
    if last.role == Role.USER:
        return "reply", 0
    return "", 0


def server_choice(
    session: Session,
    current: Conversation | None,
    draft_server: str,
    draft_model: str,
    local_name: str,
) -> tuple[list[ModelGroup], str, str] | None:
    """With saved servers, the grouped picker's models per server, the chosen server id ("" = local)
    and model; None without any (the plain picker is enough)."""
    if not session.fleet.statuses():
        return None
    chosen = current.model if current and current.model else ""
    server = current.server if current else draft_server
    if current is None and draft_server:
        chosen = draft_model
    groups = model_groups(
        session.fleet, local_name=local_name, local_state=session.state, local_models=session.models
    )
    return groups, server, chosen or session.default_model


def reply_call(
    service: ChatService,
    conversation_id: int,
    *,
    on_delta: Callable[[str], None],
    on_start: Callable[[int], None],
    on_edited: Callable[[Message], None],
    on_thinking: Callable[[str], None],
    continue_id: int | None = None,
    regenerate_id: int = 0,
    edit: tuple[int, str] | None = None,
) -> Coroutine[Any, Any, ReplyOutcome]:
    """The ChatService call for this kind of reply: an edit, a regeneration, or a (continued) reply."""
    if edit is not None:
        return service.edit(
            edit[0],
            edit[1],
            on_delta=on_delta,
            on_start=on_start,
            on_edited=on_edited,
            on_thinking=on_thinking,
        )
    if regenerate_id:
        return service.regenerate(
            regenerate_id, on_delta=on_delta, on_start=on_start, on_thinking=on_thinking
        )
    return service.reply(
        conversation_id,
        on_delta=on_delta,
        on_start=on_start,
        continue_message_id=continue_id,
        on_thinking=on_thinking,
    )
