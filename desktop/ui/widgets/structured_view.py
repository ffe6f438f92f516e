"""A reply asked for as JSON is shown as highlighted, indented JSON with a line saying whether
it is valid (and follows the schema asked for)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.core.messages import Message, Role, Status
from desktop.core.structured import FORMAT_METRIC, SCHEMA_METRIC, Checked, check


def checked_reply(message: Message) -> Checked | None:
    """The check of a finished structured reply; None for any other message."""
    metrics = message.metrics or {}
    if message.role != Role.ASSISTANT or message.status == Status.STREAMING or not metrics.get(FORMAT_METRIC):
        return None
    if not message.content.strip():
        return None
    schema = metrics.get(SCHEMA_METRIC)
    return check(message.content, schema if isinstance(schema, dict) else None)


def shown_source(message: Message, text: str) -> str:
    """The Markdown the body renders: a json code block for a structured reply."""
    checked = checked_reply(message)
    if checked is None or (not checked.valid and checked.pretty == text):
        return text
    return f"```json\n{checked.pretty}\n```"


def note(message: Message) -> str:
    checked = checked_reply(message)
    if checked is None:
        return ""
    schema = (message.metrics or {}).get(FORMAT_METRIC) == "schema"
    if checked.valid:
        if schema:
            return QCoreApplication.translate("StructuredReply", "Valid JSON, follows the schema")
        return QCoreApplication.translate("StructuredReply", "Valid JSON")
    return QCoreApplication.translate("StructuredReply", "Not what was asked for: %1").replace(
        "%1", checked.problem
    )
