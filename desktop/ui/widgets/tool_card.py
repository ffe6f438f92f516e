"""Each tool call of a reply as a card: the tool, its arguments, its result or error and how
long it ran, folded to one line until clicked. Plain text only: arguments come from the
model and results from tools, so neither is ever rendered as markup."""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from desktop.core.messages import Part, ToolCallPart, ToolResultPart
from desktop.ui import theme

SHOWN_CHARS = 4_000  # a card shows this much of a long result; the store keeps it all


def _clipped(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


class ToolCard(QFrame):
    def __init__(self, call: ToolCallPart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolCard")
        self.call = call
        self.result: ToolResultPart | None = None
        self.setStyleSheet(
            f"QFrame#toolCard {{ border: 1px solid {theme.colours().border}; border-radius: 6px; }}"
        )
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("toolToggle")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.toggled.connect(self._on_toggled)
        self.details = QLabel(self)
        self.details.setObjectName("toolDetails")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.details.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        layout.setSpacing(2)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details)
        self._update()

    def set_result(self, result: ToolResultPart | None) -> None:
        self.result = result
        self._update()

    def title(self) -> str:
        return self.toggle.text()

    def _update(self) -> None:
        name = self.call.name
        result = self.result
        if result is None:
            title = self.tr("Running {tool}…").format(tool=name)
        elif result.is_error:
            title = self.tr("{tool} failed ({ms} ms)").format(tool=name, ms=result.duration_ms)
        else:
            title = self.tr("Used {tool} ({ms} ms)").format(tool=name, ms=result.duration_ms)
        self.toggle.setText(title)
        self.toggle.setAccessibleName(title)
        arguments = json.dumps(self.call.arguments, ensure_ascii=False, indent=2)
        lines = [self.tr("Arguments:"), _clipped(arguments)]
        if result is not None:
            lines.append(self.tr("Error:") if result.is_error else self.tr("Result:"))
            lines.append(_clipped(result.content))
        self.details.setText("\n".join(lines))
        self._on_toggled(self.toggle.isChecked())

    def _on_toggled(self, opened: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if opened else Qt.ArrowType.RightArrow)
        self.details.setVisible(opened)


class ToolCards(QWidget):
    """The cards of one message, in call order; hidden when it made no call."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toolCards")
        self.cards: list[ToolCard] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.hide()

    def set_parts(self, parts: Sequence[Part]) -> None:
        calls = [p for p in parts if isinstance(p, ToolCallPart)]
        results = {p.call_id: p for p in parts if isinstance(p, ToolResultPart)}
        known = [card.call for card in self.cards]
        if known != calls[: len(known)]:
            for card in self.cards:
                card.deleteLater()
            self.cards = []
        for call in calls[len(self.cards) :]:
            card = ToolCard(call, self)
            self.cards.append(card)
            self._layout.addWidget(card)
        for card in self.cards:
            card.set_result(results.get(card.call.call_id))
        self.setVisible(bool(self.cards))
