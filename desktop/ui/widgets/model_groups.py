"""The grouped model picker (#15): every server's models under its name, with its state and
each model's capability badges. Fills the chat page's QComboBox; the model name is the item's
data (as in the one-server picker), the server id is in SERVER_ROLE."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontMetrics, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox

from desktop.core.backends import BackendKind
from desktop.core.fleet import ModelGroup
from desktop.core.server_manager import ServerState
from desktop.core.session import can_chat

SERVER_ROLE = int(Qt.ItemDataRole.UserRole) + 1
_BADGES = ("vision", "tools", "thinking")


def badge_names() -> dict[str, str]:
    return {
        "vision": QCoreApplication.translate("ModelGroups", "vision"),
        "tools": QCoreApplication.translate("ModelGroups", "tools"),
        "thinking": QCoreApplication.translate("ModelGroups", "thinking"),
    }


def display_name(name: str) -> str:
    """llama-server lists a model by its file path: the file name is what a person reads."""
    if name.lower().endswith(".gguf"):
        return name.replace("\\", "/").rsplit("/", 1)[-1]
    return name


def _header(group: ModelGroup) -> str:
    kind = (
        QCoreApplication.translate("ModelGroups", "Ollama")
        if group.kind is BackendKind.OLLAMA
        else QCoreApplication.translate("ModelGroups", "OpenAI-compatible")
    )
    if group.state is ServerState.ONLINE:
        state = QCoreApplication.translate("ModelGroups", "online")
    elif group.state in (ServerState.CONNECTING, ServerState.UNKNOWN, ServerState.ENGINE_STARTING):
        state = QCoreApplication.translate("ModelGroups", "connecting")
    else:
        state = QCoreApplication.translate("ModelGroups", "offline")
    if not group.server_id:
        return (
            QCoreApplication.translate("ModelGroups", "%1 — %2")
            .replace("%1", group.name)
            .replace("%2", state)
        )
    return (
        QCoreApplication.translate("ModelGroups", "%1 (%2) — %3")
        .replace("%1", group.name)
        .replace("%2", kind)
        .replace("%3", state)
    )


def fill_grouped(combo: QComboBox, groups: Sequence[ModelGroup], server: str, model: str) -> None:
    """Replace the picker's items; select (server, model), adding it as "not available" when gone."""
    combo.clear()
    items = combo.model()
    assert isinstance(items, QStandardItemModel)  # QComboBox's own model
    labels = badge_names()
    chosen_row = -1
    for group in groups:
        head = QStandardItem(_header(group))
        head.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading: not selectable
        font = head.font()
        font.setBold(True)
        head.setFont(font)
        if group.message:
            head.setToolTip(group.message)
        items.appendRow(head)
        if group.state is not ServerState.ONLINE:
            continue
        for info in group.models:
            if not can_chat(info):
                continue
            badges = [labels[c] for c in _BADGES if c in info.capabilities]
            text = "    " + display_name(info.name)
            if badges:
                text += "  · " + " · ".join(badges)
            row = QStandardItem(text)
            row.setData(info.name, int(Qt.ItemDataRole.UserRole))
            row.setData(group.server_id, SERVER_ROLE)
            row.setToolTip(f"{group.name}: {info.name}")
            items.appendRow(row)
            if group.server_id == server and info.name == model:
                chosen_row = items.rowCount() - 1
    if chosen_row < 0 and model:
        name = next((g.name for g in groups if g.server_id == server), "?")
        row = QStandardItem(
            QCoreApplication.translate("ModelGroups", "%1 on %2 (not available)")
            .replace("%1", display_name(model))
            .replace("%2", name)
        )
        row.setData(model, int(Qt.ItemDataRole.UserRole))
        row.setData(server, SERVER_ROLE)
        items.appendRow(row)
        chosen_row = items.rowCount() - 1
    combo.setEnabled(True)
    # The popup as wide as its longest line (headings are bold): a server's name must not be elided.
    bold = QFont(combo.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    texts = [items.item(r).text() for r in range(items.rowCount())]
    widest = max((metrics.horizontalAdvance(text) for text in texts), default=0) + 48
    view = combo.view()
    view.setMinimumWidth(widest)
    container = view.parentWidget()
    if container is not None:
        container.setMinimumWidth(widest)
    if chosen_row < 0:
        chosen_row = next(
            (r for r in range(items.rowCount()) if items.item(r).flags() & Qt.ItemFlag.ItemIsSelectable),
            -1,
        )
    combo.setCurrentIndex(chosen_row)
