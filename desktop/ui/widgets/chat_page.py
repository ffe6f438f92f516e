"""The chat page: header with the model picker, a banner for trouble, the messages, the composer.

It only renders and reports what the user asked for; the ChatController does the work.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.fleet import ModelGroup
from desktop.core.store import Conversation, Message
from desktop.ui.widgets.chat_header import Banner, TitleLabel
from desktop.ui.widgets.composer import ComposerBox
from desktop.ui.widgets.message_view import MessageView

# Long conversations open at their end with this many messages (a few screens); older ones
# are built when the user scrolls to the top or asks for them.
PAGE_SIZE = 24
# The newest messages are rendered at once; the others shown with them are rendered a couple
# per event-loop pass after, newest first, so a conversation opens at once however long
# its messages are.
EAGER_VIEWS = 6
RENDERED_PER_PASS = 2
# Lines of text longer than about 90 characters are hard to read: the messages and the
# composer stay in a centred column this wide on a large screen.
READING_WIDTH = 760


class ChatPage(QWidget):
    send_requested = Signal(str)
    stop_requested = Signal()
    model_chosen = Signal(str)
    server_model_chosen = Signal(str, str)  # server id ("" = local), model: the grouped picker (#15)
    settings_requested = Signal()
    retry_requested = Signal()
    banner_action_requested = Signal()
    regenerate_requested = Signal(int)
    edit_requested = Signal(int, str)  # a user message's id and its edited text (on Save)
    continue_requested = Signal(int)
    version_step_requested = Signal(int, int)  # message id, -1 (older version) or +1 (newer)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._views: dict[int, MessageView] = {}
        self._messages: list[Message] = []
        self._shown_from = 0
        self._streaming: MessageView | None = None
        self._generating = False
        self._follow = True
        self._keep_from_bottom: int | None = None  # earlier messages inserted above: stay put
        self._pending: list[MessageView] = []  # shown, not rendered yet (oldest first)
        self._render_all = False
        self._focused_view: MessageView | None = None

        self.title_label = TitleLabel(self)
        self.title_label.setObjectName("conversationTitle")
        self.model_picker = QComboBox(self)
        self.model_picker.setMinimumWidth(200)
        self.model_picker.setAccessibleName(self.tr("Model"))
        self.model_picker.setToolTip(self.tr("The model that answers in this conversation"))
        self.model_picker.activated.connect(self._on_model_activated)
        self.settings_button = QPushButton(self.tr("Options…"), self)
        self.settings_button.setToolTip(self.tr("System prompt, temperature, context length and seed"))
        self.settings_button.clicked.connect(self.settings_requested)
        header = QHBoxLayout()
        header.setContentsMargins(12, 8, 12, 4)
        header.addWidget(self.title_label, 1)
        header.addWidget(QLabel(self.tr("Model:"), self))
        header.addWidget(self.model_picker)
        header.addWidget(self.settings_button)

        self.banner = Banner(self)
        self.banner.retry_clicked.connect(self.retry_requested)
        self.banner.action_clicked.connect(self.banner_action_requested)

        self.more_button = QPushButton(self.tr("Show earlier messages"), self)
        self.more_button.setFlat(True)
        self.more_button.clicked.connect(self.show_earlier)
        self.empty_label = QLabel(self.tr("Ask anything. Your conversation stays on this computer."), self)
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        self._list = QWidget()
        self._list.setObjectName("messageList")
        self._list.setMaximumWidth(READING_WIDTH + 32)
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(16, 8, 16, 8)
        self._list_layout.setSpacing(10)
        self._list_layout.addWidget(self.more_button)
        self._list_layout.addWidget(self.empty_label)
        self._list_layout.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self._list)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)  # the capped column, centred
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar = self.scroll_area.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range_changed)
        bar.valueChanged.connect(self._on_scrolled)

        self.composer_box = ComposerBox(self)
        self.composer_box.setMaximumWidth(READING_WIDTH + 32)
        self.composer_box.send_requested.connect(self.send_requested)
        self.composer_box.stop_requested.connect(self.stop_requested)
        # A stop from elsewhere (a shortcut) also brings waiting messages back, not sends them.
        self.stop_requested.connect(self.composer_box.mark_stopping)
        self.composer = self.composer_box.composer
        self.send_button = self.composer_box.send_button

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroll_area, 1)
        # Centred under the messages: the stretches share what the capped box leaves.
        composer_row = QHBoxLayout()
        composer_row.addStretch(1)
        composer_row.addWidget(self.composer_box, 1000)
        composer_row.addStretch(1)
        layout.addLayout(composer_row)
        self.more_button.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    # ----- what the controller shows -----

    def show_conversation(
        self, conversation: Conversation, messages: Sequence[Message], focus: int = 0
    ) -> None:
        self.title_label.set_title(conversation.title or self.tr("New chat"))
        self._clear()
        self._messages = list(messages)
        start = max(0, len(self._messages) - PAGE_SIZE)
        if focus:
            index = next((i for i, m in enumerate(self._messages) if m.id == focus), start)
            start = min(start, index)
        self._shown_from = len(self._messages)
        # A search hit is scrolled to: what is above it must have its height already.
        self._render_all = bool(focus)
        self._show_from(start)
        self._render_all = False
        self.empty_label.setVisible(not self._messages)
        if focus and focus in self._views:
            QTimer.singleShot(0, lambda: self.scroll_to(focus))
        else:
            self._follow = True
            QTimer.singleShot(0, self._scroll_to_end)

    def show_earlier(self) -> None:
        if self._shown_from <= 0:
            return
        bar = self.scroll_area.verticalScrollBar()
        self._keep_from_bottom = bar.maximum() - bar.value()
        self._follow = False
        self._show_from(max(0, self._shown_from - PAGE_SIZE))
        # The inserted views settle their heights over a few layout passes.
        QTimer.singleShot(300, self, self._release_anchor)

    def _release_anchor(self) -> None:
        if self._pending:  # views above are still growing as they render
            QTimer.singleShot(100, self, self._release_anchor)
            return
        self._keep_from_bottom = None

    def _show_from(self, start: int) -> None:
        # Insert older views above the ones already shown (index 1: after the "more" button).
        batch = self._messages[start : self._shown_from]
        eager_from = 0 if self._render_all else len(batch) - EAGER_VIEWS
        for offset, message in enumerate(batch):
            view = self._make_view(message, render=offset >= eager_from)
            self._list_layout.insertWidget(1 + offset, view)
            if not view.is_rendered():
                self._pending.append(view)
        self._shown_from = start
        self.more_button.setVisible(start > 0)
        self._mark_latest()
        if self._pending:
            QTimer.singleShot(0, self, self._render_pending)

    def rendering(self) -> bool:
        """Some shown messages are still waiting to be rendered."""
        return bool(self._pending)

    def _render_pending(self) -> None:
        shown = set(self._views.values())
        for _ in range(RENDERED_PER_PASS):
            while self._pending and self._pending[-1] not in shown:
                self._pending.pop()  # removed meanwhile
            if not self._pending:
                return
            self._pending.pop().render_now()
        if self._pending:
            QTimer.singleShot(0, self, self._render_pending)

    def _make_view(self, message: Message, *, render: bool = True) -> MessageView:
        view = MessageView(message, self._list, render=render)
        view.regenerate_requested.connect(self.regenerate_requested)
        view.edit_requested.connect(self.edit_requested)
        view.continue_requested.connect(self.continue_requested)
        view.version_step_requested.connect(self.version_step_requested)
        view.set_busy(self._generating)
        self._views[message.id] = view
        return view

    def append_message(self, message: Message) -> None:
        self._messages.append(message)
        self.empty_label.hide()
        # Before the stretch at the end.
        self._list_layout.insertWidget(self._list_layout.count() - 1, self._make_view(message))
        self._follow = True
        self._mark_latest()

    def update_message(self, message: Message) -> None:
        view = self._views.get(message.id)
        if view is None:
            self.append_message(message)
            return
        self._messages = [message if m.id == message.id else m for m in self._messages]
        view.set_message(message)
        if view is self._streaming:
            self._streaming = None

    def remove_messages_from(self, message_id: int) -> None:
        ids = [m.id for m in self._messages]
        if message_id not in ids:
            return
        cut = ids.index(message_id)
        for message in self._messages[cut:]:
            view = self._views.pop(message.id, None)
            if view is not None:
                view.deleteLater()
        self._messages = self._messages[:cut]
        self._mark_latest()

    def begin_stream(self, message: Message) -> None:
        if message.id not in self._views:
            self.append_message(message)
        else:
            self._views[message.id].set_message(message)
        self._streaming = self._views[message.id]

    def stream_delta(self, text: str) -> None:
        if self._streaming is not None:
            self._streaming.append_delta(text)

    def stream_thinking(self, text: str) -> None:
        if self._streaming is not None:
            self._streaming.append_thinking(text)

    def streaming_view(self) -> MessageView | None:
        return self._streaming

    def view_for(self, message_id: int) -> MessageView | None:
        return self._views.get(message_id)

    def scroll_to(self, message_id: int) -> None:
        view = self._views.get(message_id)
        if view is None:
            return
        self._follow = False
        self.scroll_area.ensureWidgetVisible(view, 0, 40)
        view.setProperty("highlight", True)
        view.style().unpolish(view)
        view.style().polish(view)

        def unhighlight() -> None:
            view.setProperty("highlight", False)
            view.style().unpolish(view)
            view.style().polish(view)

        # The view as context: no call once the conversation is closed and the view is gone.
        QTimer.singleShot(2500, view, unhighlight)

    def set_generating(self, generating: bool) -> None:
        self._generating = generating
        for view in self._views.values():
            view.set_busy(generating)
        self.composer_box.set_generating(generating)

    def queued(self) -> list[str]:
        return self.composer_box.queued()

    def set_models(self, names: Sequence[str], current: str) -> None:
        self.model_picker.clear()
        if not names:
            self.model_picker.addItem(self.tr("No model installed"), "")
            self.model_picker.setEnabled(False)
            return
        self.model_picker.setEnabled(True)
        for name in names:
            self.model_picker.addItem(name, name)
        if current and current not in names:
            self.model_picker.addItem(self.tr("%1 (not installed)").replace("%1", current), current)
        index = self.model_picker.findData(current)
        self.model_picker.setCurrentIndex(max(0, index))

    def set_server_models(self, groups: Sequence[ModelGroup], server: str, model: str) -> None:
        """Every server's models, grouped (desktop.ui.widgets.model_groups)."""
        from desktop.ui.widgets.model_groups import fill_grouped

        fill_grouped(self.model_picker, groups, server, model)

    def current_model(self) -> str:
        return str(self.model_picker.currentData() or "")

    def set_prompt(self, text: str) -> None:
        self.composer_box.set_text(text)

    def prompt(self) -> str:
        return self.composer.toPlainText()

    def shown_text(self) -> str:
        """What the shown messages display (their visible documents), for tests and the benchmark."""
        return "\n".join(self._views[m.id].shown_text() for m in self._messages if m.id in self._views)

    # ----- internals -----

    def _clear(self) -> None:
        for view in self._views.values():
            view.hide()  # out of the layout now, deleted when the event loop next runs
            view.deleteLater()
        self._views.clear()
        self._focused_view = None
        self._keep_from_bottom = None
        self._pending.clear()
        self._messages = []
        self._streaming = None

    def _on_model_activated(self, _index: int) -> None:
        model = self.current_model()
        server = self.model_picker.currentData(int(Qt.ItemDataRole.UserRole) + 1)
        if model and server is not None:
            self.server_model_chosen.emit(str(server), model)
        elif model:
            self.model_chosen.emit(model)

    def _on_send(self) -> None:
        self.composer_box.send()

    def _mark_latest(self) -> None:
        shown = [self._views[m.id] for m in self._messages if m.id in self._views]
        for view in shown:
            view.set_latest(view is shown[-1])

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        view: QWidget | None = new
        while view is not None and not isinstance(view, MessageView):
            view = view.parentWidget()
        if view is self._focused_view:
            return
        if self._focused_view is not None and self._focused_view in self._views.values():
            self._focused_view.set_focused(False)
        self._focused_view = view if isinstance(view, MessageView) and view in self._views.values() else None
        if self._focused_view is not None:
            self._focused_view.set_focused(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape and self._generating:
            self.composer_box.stop()
            return
        super().keyPressEvent(event)

    def _on_range_changed(self, _low: int, high: int) -> None:
        if self._keep_from_bottom is not None:
            self.scroll_area.verticalScrollBar().setValue(high - self._keep_from_bottom)
        elif self._follow:
            self.scroll_area.verticalScrollBar().setValue(high)

    def _on_scrolled(self, value: int) -> None:
        bar = self.scroll_area.verticalScrollBar()
        if self._keep_from_bottom is not None:
            return
        # Following the stream stops when the user scrolls up, resumes at the bottom.
        self._follow = value >= bar.maximum() - 24
        if value == 0 and not self._follow and bar.maximum() > 0 and self._shown_from > 0:
            QTimer.singleShot(0, self.show_earlier)  # scrolled to the top: the earlier ones

    def _scroll_to_end(self) -> None:
        bar = self.scroll_area.verticalScrollBar()
        bar.setValue(bar.maximum())
