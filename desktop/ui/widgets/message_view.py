"""One chat message: who said it, the safely rendered text, its figures and actions."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QEnterEvent, QGuiApplication, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.core.attachments import attachments, images
from desktop.core.messages import UNFINISHED, Part, Role, Status
from desktop.core.store import Message
from desktop.ui.widgets.citations_view import CitationsView
from desktop.ui.widgets.image_strip import MediaStrip
from desktop.ui.widgets.message_body import MessageBody, flash_copied
from desktop.ui.widgets.structured_view import note as structured_note
from desktop.ui.widgets.structured_view import shown_source
from desktop.ui.widgets.thinking_block import ThinkingBlock
from desktop.ui.widgets.tool_card import ToolCards
from desktop.ui.widgets.version_switcher import VersionSwitcher

# About 30 renders a second at most while a reply streams.
RENDER_INTERVAL_MS = 33
# Below this a model load is not worth a figure ("load 0.00 s" says nothing).
SHOWN_LOAD_SECONDS = 0.05


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


class MessageView(QFrame):
    copy_requested = Signal(int)
    regenerate_requested = Signal(int)
    edit_requested = Signal(int, str)  # message id, the edited text (sent on Save only)
    continue_requested = Signal(int)
    version_step_requested = Signal(int, int)  # message id, -1 (older version) or +1 (newer)

    def __init__(self, message: Message, parent: QWidget | None = None, *, render: bool = True) -> None:
        """render=False leaves the text to render_now() (the chat page renders the messages
        off screen after the ones in view)."""
        super().__init__(parent)
        self._deferred = not render
        self._message = message
        self._text = message.content
        self._hovered = False
        self._focused = False
        self._latest = False
        self._busy = False
        self._dark = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RENDER_INTERVAL_MS)
        self._timer.timeout.connect(self._render)

        self.setObjectName("userMessage" if message.role == Role.USER else "assistantMessage")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

        self.role_label = QLabel(self)
        self.role_label.setObjectName("roleLabel")
        self.body = MessageBody(self.tr("Copy"), self)
        self.body.setAccessibleName(self.tr("Message text"))
        self.body.link_requested.connect(self._open_link)
        self.thinking = ThinkingBlock(self)  # a reasoning model's thought, folded above the answer
        self.media = MediaStrip(self)  # the message's images and attached files
        self.tools = ToolCards(self)  # one folded card per tool call, above the answer (#16)
        self.citations = CitationsView(self)  # the answer's sources, under it (#17)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        self.editor: QPlainTextEdit | None = None
        self._edit_box: QWidget | None = None
        self.save_button: QPushButton | None = None

        # Shown on hover, for the focused message and for the newest one: not on every bubble.
        self.action_bar = QWidget(self)
        policy = self.action_bar.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.action_bar.setSizePolicy(policy)
        self.copy_button = self._button(self.tr("Copy"), self.tr("Copy this message"))
        self.copy_button.clicked.connect(self._copy_all)
        self.edit_button = self._button(self.tr("Edit"), self.tr("Edit this message and send it again"))
        self.edit_button.clicked.connect(self.start_edit)
        self.regenerate_button = self._button(self.tr("Regenerate"), self.tr("Ask for a new reply"))
        self.regenerate_button.clicked.connect(lambda: self.regenerate_requested.emit(self._message.id))
        self.continue_button = self._button(self.tr("Continue"), self.tr("Continue this reply"))
        self.continue_button.clicked.connect(lambda: self.continue_requested.emit(self._message.id))
        buttons = QHBoxLayout(self.action_bar)
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.continue_button, self.regenerate_button, self.edit_button, self.copy_button):
            buttons.addWidget(button)

        self.versions = VersionSwitcher(self)
        self.versions.step_requested.connect(self.version_step_requested)

        # A reply's actions sit under it, by its figures; your own message's beside "You", so
        # it needs no empty row of its own.
        user = message.role == "user"
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.role_label, 1)
        self.footer = QWidget(self)
        row = QHBoxLayout(self.footer)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.versions)
        row.addWidget(self.status_label, 1)
        (head if user else row).addWidget(self.action_bar)

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(12, 8, 12, 6)
        self._layout.setSpacing(4)
        self._layout.addLayout(head)
        self._layout.addWidget(self.thinking)
        self._layout.addWidget(self.media)
        self._layout.addWidget(self.tools)
        self._layout.addWidget(self.body)
        self._layout.addWidget(self.citations)
        self._layout.addWidget(self.footer)
        self.set_message(message)

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self.action_bar)
        button.setFlat(True)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

    @property
    def message(self) -> Message:
        return self._message

    def text(self) -> str:
        return self._text

    def shown_text(self) -> str:
        """The text on screen (the visible documents), not the stored source."""
        self.render_now()
        return self.body.toPlainText()

    def is_rendered(self) -> bool:
        return not self._deferred

    def render_now(self) -> None:
        if self._deferred:
            self._deferred = False
            self._render()

    def set_message(self, message: Message) -> None:
        self._message = message
        self._text = message.content
        self.thinking.set_message(message)
        self.media.set_items(images(message), attachments(message))
        self.tools.set_parts(message.parts)
        self.citations.set_parts(message.parts)
        self._timer.stop()
        if not self._deferred:
            self._render()
        self._update_chrome()

    def append_delta(self, text: str) -> None:
        self._deferred = False
        first = not self._text
        self._text += text
        if first:
            self.thinking.answer_started()
            self._update_chrome()  # "Loading the model…" becomes "Writing…"
        if not self._timer.isActive():
            self._timer.start()

    def show_tool_parts(self, parts: Sequence[Part]) -> None:
        """The streaming reply's tool calls and results so far (the loop reports each change)."""
        self.tools.set_parts(parts)

    def append_thinking(self, text: str) -> None:
        """More of the model's thinking (streamed before the answer)."""
        self.thinking.append(text)
        if not self._text:
            self.status_label.setText(self.tr("Thinking…"))

    def flush(self) -> None:
        self._timer.stop()
        self._deferred = False
        self._render()

    def _render(self) -> None:
        self._dark = is_dark(self)
        source = shown_source(self._message, self._text)  # a JSON reply as a highlighted json block
        self.body.show_text(source, dark=self._dark, streaming=self._message.status == Status.STREAMING)

    # ----- actions: hover, focus, newest -----

    def set_latest(self, latest: bool) -> None:
        self._latest = latest
        self._update_actions()

    def set_focused(self, focused: bool) -> None:
        self._focused = focused
        self._update_actions()

    def set_busy(self, busy: bool) -> None:
        """A reply is being written: an edit cannot be sent until it ends."""
        self._busy = busy
        self.versions.set_message(self._message, enabled=not busy)
        if self.save_button is not None:
            self.save_button.setEnabled(not busy)
            if busy:
                self.save_button.setToolTip(self.tr("Wait for the reply to finish, or stop it"))
            else:
                self.save_button.setToolTip(self.tr("Send the edited message"))

    def actions_shown(self) -> bool:
        return not self.action_bar.isHidden()

    def enterEvent(self, event: QEnterEvent) -> None:  # noqa: N802 - Qt's name
        self._hovered = True
        self._update_actions()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        self._hovered = False
        self._update_actions()
        super().leaveEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        restyled = event.type() == QEvent.Type.PaletteChange and is_dark(self) != self._dark
        if restyled and not self._deferred:
            self._render()  # code colours follow the theme

    def _update_actions(self) -> None:
        editing = self._edit_box is not None and not self._edit_box.isHidden()
        streaming = self._message.status == Status.STREAMING
        # An empty reply keeps Regenerate in view: it is the way out.
        shown = self._hovered or self._focused or self._latest or bool(self._empty_note())
        wanted = shown and not streaming and not editing
        self.action_bar.setVisible(wanted)

    def _update_chrome(self) -> None:
        m = self._message
        user = m.role == Role.USER
        self.role_label.setText(self.tr("You") if user else (m.model or self.tr("Assistant")))
        streaming = m.status == Status.STREAMING
        unfinished = m.status in UNFINISHED
        self.edit_button.setVisible(user)
        self.regenerate_button.setVisible(not user and not streaming)
        cut_short = m.status in (Status.INTERRUPTED, Status.STOPPED) and bool(m.content)
        self.continue_button.setVisible(not user and cut_short)
        self.copy_button.setVisible(not streaming and bool(m.content))
        self.versions.set_message(m, enabled=not streaming and not self._busy)
        if unfinished:
            if m.status == Status.STOPPED:
                note = self.tr("Stopped. The text so far is kept.")
            elif m.status == Status.ERROR:
                note = self.tr("No reply: %1").replace("%1", m.error or self.tr("the request failed"))
            else:
                note = self.tr("Interrupted: %1").replace("%1", m.error or self.tr("the connection was lost"))
            self.status_label.setText(note)
        elif streaming:
            # Nothing written yet: the server is loading the model or reading the prompt.
            self.status_label.setText(self.tr("Writing…") if self._text else self.tr("Loading the model…"))
        else:
            figures = " · ".join(x for x in (structured_note(m), self._figures()) if x)
            # What an empty reply means goes on its own line, above the figures.
            self.status_label.setText("\n".join(x for x in (self._empty_note(), figures) if x))
        several = int(getattr(m, "version_count", 1) or 1) > 1
        self.footer.setVisible(not user or several or bool(self.status_label.text()))
        self._update_actions()
        if bool(self.property("unfinished")) != unfinished:
            self.setProperty("unfinished", unfinished)
            self.style().unpolish(self)
            self.style().polish(self)

    def _empty_note(self) -> str:
        """A finished reply with no text says why (a reasoning model that only thought, or nothing)."""
        m = self._message
        if m.role == Role.USER or m.status != Status.COMPLETE or m.content.strip():
            return ""
        if self.thinking.text().strip():
            return self.tr(
                "The model only thought and gave no answer. Try again with more tokens or thinking off.")
        return self.tr("The model gave an empty answer.")

    def _figures(self) -> str:
        metrics = self._message.metrics or {}
        if not metrics or self._message.role == Role.USER:
            return ""
        rate = f"{float(metrics.get('tokens_per_second') or 0.0):.1f}"
        tokens = str(int(metrics.get("eval_count") or 0))
        load = float(metrics.get("load_seconds") or 0.0)
        if load < SHOWN_LOAD_SECONDS:
            return self.tr("%1 tokens/s · %2 tokens").replace("%1", rate).replace("%2", tokens)
        return (
            self.tr("%1 tokens/s · %2 tokens · load %3 s")
            .replace("%1", rate)
            .replace("%2", tokens)
            .replace("%3", f"{load:.2f}")
        )

    # ----- edit in place -----

    def is_editing(self) -> bool:
        return self._edit_box is not None and not self._edit_box.isHidden()

    def start_edit(self) -> None:
        """The text becomes editable in place; nothing changes until Save."""
        if self._edit_box is None:
            self._build_editor()
        assert self.editor is not None and self._edit_box is not None
        self.editor.setPlainText(self._text)
        self.body.hide()
        self._edit_box.show()
        self._update_actions()
        self.editor.setFocus()
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)

    def cancel_edit(self) -> None:
        if self._edit_box is not None:
            self._edit_box.hide()
        self.body.show()
        self._update_actions()

    def save_edit(self) -> None:
        if self.editor is None or self._busy:
            return
        text = self.editor.toPlainText().strip()
        if not text:
            return
        self.cancel_edit()
        if text != self._text:
            self.edit_requested.emit(self._message.id, text)

    def _build_editor(self) -> None:
        box = QWidget(self)
        self.editor = QPlainTextEdit(box)
        self.editor.setAccessibleName(self.tr("Edit message"))
        self.editor.setMinimumHeight(72)
        self.editor.installEventFilter(self)
        self.save_button = QPushButton(self.tr("Save and send"), box)
        self.save_button.clicked.connect(self.save_edit)
        cancel = QPushButton(self.tr("Cancel"), box)
        cancel.setToolTip(self.tr("Keep the message as it was (Esc)"))
        cancel.clicked.connect(self.cancel_edit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)
        layout.addLayout(row)
        self._layout.insertWidget(self._layout.indexOf(self.body) + 1, box)
        self._edit_box = box
        self.set_busy(self._busy)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.editor and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                self.cancel_edit()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            ):
                self.save_edit()  # as in the composer: Enter sends, Shift+Enter breaks the line
                return True
        return super().eventFilter(watched, event)

    # ----- clipboard and links -----

    def _copy_all(self) -> None:
        QGuiApplication.clipboard().setText(self._text)
        flash_copied(self.copy_button, self.tr("Copied"))
        self.copy_requested.emit(self._message.id)

    def _open_link(self, url: QUrl) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Open link"),
            self.tr("Open this address in your browser?\n\n%1").replace("%1", url.toString()),
        )
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(url)
