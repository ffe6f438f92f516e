"""Rows as model objects: damaged fields fall back, so one bad row never hides the others."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from desktop.core.messages import Conversation, Message, Role, Status, role_of, status_of

CONVERSATION_COLUMNS = "id, title, model, system, options, created_at, updated_at, uuid, server"
MESSAGE_COLUMNS = "id, conversation_id, role, content, status, model, created_at, metrics, error"
_ROLES: dict[object, Role] = {r.value: r for r in Role}
_STATUSES: dict[object, Status] = {s.value: s for s in Status}


def json_dict(text: object) -> dict[str, Any]:
    if not isinstance(text, (str, bytes)):
        raise ValueError("not JSON text")
    value = json.loads(as_text(text))
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    raise TypeError("not text")


def float_or_zero(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]  # anything float() takes; the rest is 0
    except (TypeError, ValueError):
        return 0.0


def conversation_from_row(row: Sequence[Any]) -> Conversation:
    """A row as a Conversation; a damaged one as a placeholder that is still listed."""
    cid = int(row[0])
    try:
        return Conversation(
            id=cid,
            title=as_text(row[1]),
            model=as_text(row[2]),
            system=as_text(row[3]),
            options=json_dict(row[4]),
            created_at=float(row[5]),
            updated_at=float(row[6]),
            uuid=as_text(row[7]),
            server=as_text(row[8]),
        )
    except (ValueError, TypeError):
        title = row[1].decode("utf-8", "replace") if isinstance(row[1], bytes) else row[1]
        title = title if isinstance(title, str) else ""
        return Conversation(
            id=cid,
            title=f"Could not load: {title}" if title else f"Could not load conversation {cid}",
            model="",
            system="",
            options={},
            created_at=float_or_zero(row[5]),
            updated_at=float_or_zero(row[6]),
            loadable=False,
            uuid=as_text(row[7]) if isinstance(row[7], (str, bytes)) else "",
        )


def message_from_row(row: Sequence[Any]) -> Message:
    mid, cid, role, content, status, model, created_at, metrics_text, error = row[:9]
    known_role = _ROLES.get(role)
    known_status = _STATUSES.get(status)
    if (
        known_role is not None
        and known_status is not None
        and type(content) is str
        and type(model) is str
        and type(error) is str
        and type(created_at) is float
    ):
        # The common case, kept lean: opening a 2,000-message conversation builds every row.
        try:
            metrics = {} if metrics_text == "{}" else json_dict(metrics_text)
        except ValueError:
            metrics = {}
        return Message(mid, cid, known_role, content, known_status, model, created_at, metrics, error)
    # A message is always shown: a damaged field falls back rather than hiding the text.
    try:
        metrics = json_dict(metrics_text)
    except ValueError:
        metrics = {}
    return Message(
        id=int(mid),
        conversation_id=int(cid),
        role=role_of(_safe_text(role)),
        content=_safe_text(content),
        status=status_of(_safe_text(status)),
        model=_safe_text(model),
        created_at=float_or_zero(created_at),
        metrics=metrics,
        error=_safe_text(error),
    )


def _safe_text(value: object) -> str:
    try:
        return as_text(value)
    except TypeError:
        return ""
