"""The conversation list: new chat, search across every message, rename and delete."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.store import Conversation, SearchHit
from desktop.ui.widgets.search_hits import HTML_ROLE, HitDelegate, hit_html

CONV_ROLE = int(Qt.ItemDataRole.UserRole)
MSG_ROLE = CONV_ROLE + 1


class ConversationSidebar(QWidget):
    new_requested = Signal()
    conversation_selected = Signal(int)
    rename_requested = Signal(int, str)
    delete_requested = Signal(int)
    search_changed = Signal(str)
    search_hit_activated = Signal(int, int)  # conversation id, message id (0: the title matched)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.new_button = QPushButton(self.tr("New chat"), self)
        self.new_button.setObjectName("newChatButton")
        self.new_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_requested)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search all messages"))
        self.search.setAccessibleName(self.tr("Search conversations"))
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(lambda: self.search_changed.emit(self.search.text().strip()))
        self.search.textChanged.connect(lambda _t: self._debounce.start())

        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Conversations"))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.itemActivated.connect(self._on_activated)
        self.list.itemClicked.connect(self._on_activated)
        self.list.setWordWrap(True)
        self.results = QListWidget(self)
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setWordWrap(True)
        self.results.setItemDelegate(HitDelegate(self.results))
        # Item heights depend on the width the text wraps at.
        self.results.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.results.itemActivated.connect(self._on_hit)
        self.results.itemClicked.connect(self._on_hit)
        self.results.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.results, 1)
        self._current = 0

    def set_conversations(self, conversations: Sequence[Conversation], current: int = 0) -> None:
        self._current = current or self._current
        self.list.blockSignals(True)
        self.list.clear()
        for conv in conversations:
            title = conv.title if conv.loadable else self.tr("Could not load this conversation")
            item = QListWidgetItem(title or self.tr("New chat"))
            item.setData(CONV_ROLE, conv.id)
            item.setToolTip(title)
            if not conv.loadable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
            if conv.id == self._current:
                item.setSelected(True)
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def set_current(self, conversation_id: int) -> None:
        self._current = conversation_id
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(CONV_ROLE) == conversation_id:
                self.list.setCurrentItem(item)
                return

    def show_results(self, hits: Sequence[SearchHit], query: str) -> None:
        searching = bool(query)
        self.list.setVisible(not searching)
        self.results.setVisible(searching)
        self.results.clear()
        if not searching:
            return
        if not hits:
            empty = QListWidgetItem(self.tr("Nothing found for “%1”").replace("%1", query))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(empty)
            return
        for hit in hits:
            item = QListWidgetItem(f"{hit.title}\n{hit.snippet}")
            item.setData(HTML_ROLE, hit_html(hit.title, hit.snippet, query))
            item.setToolTip(hit.snippet or hit.title)
            item.setData(CONV_ROLE, hit.conversation_id)
            item.setData(MSG_ROLE, hit.message_id)
            self.results.addItem(item)

    def _on_activated(self, item: QListWidgetItem) -> None:
        conv_id = item.data(CONV_ROLE)
        if conv_id:
            self._current = int(conv_id)
            self.conversation_selected.emit(int(conv_id))

    def _on_hit(self, item: QListWidgetItem) -> None:
        conv_id = item.data(CONV_ROLE)
        if conv_id:
            self.search_hit_activated.emit(int(conv_id), int(item.data(MSG_ROLE) or 0))

    # ----- what the keyboard shortcuts ask for -----

    def current_row(self) -> int:
        for row in range(self.list.count()):
            if self.list.item(row).data(CONV_ROLE) == self._current:
                return row
        return -1

    def select_relative(self, step: int) -> None:
        """Open the conversation `step` rows below (negative: above) the open one; wraps around."""
        rows = [r for r in range(self.list.count()) if self.list.item(r).flags() & Qt.ItemFlag.ItemIsEnabled]
        if not rows:
            return
        here = self.current_row()
        if here in rows:
            target = rows[(rows.index(here) + step) % len(rows)]
        else:
            target = rows[0] if step > 0 else rows[-1]
        item = self.list.item(target)
        self.list.setCurrentItem(item)
        self.list.scrollToItem(item)
        self._on_activated(item)

    def rename_current(self) -> None:
        row = self.current_row()
        if row >= 0:
            self.ask_rename(self._current, self.list.item(row).text())

    def delete_current(self) -> None:
        row = self.current_row()
        if row >= 0:
            self.ask_delete(self._current, self.list.item(row).text())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        # The right-click has already highlighted the row: open it too, so the highlighted
        # row is always the conversation shown and the one the menu acts on.
        if item.data(CONV_ROLE) != self._current:
            self._on_activated(item)
        menu = QMenu(self)
        rename = menu.addAction(self.tr("Rename…"))
        delete = menu.addAction(self.tr("Delete…"))
        chosen = menu.exec(self.list.viewport().mapToGlobal(pos))
        conv_id = int(item.data(CONV_ROLE))
        if chosen is rename:
            self.ask_rename(conv_id, item.text())
        elif chosen is delete:
            self.ask_delete(conv_id, item.text())

    def ask_rename(self, conversation_id: int, title: str) -> None:
        text, ok = QInputDialog.getText(self, self.tr("Rename conversation"), self.tr("Title:"), text=title)
        if ok and text.strip():
            self.rename_requested.emit(conversation_id, text.strip())

    def ask_delete(self, conversation_id: int, title: str) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Delete conversation"),
            self.tr("Delete “%1” for good? This cannot be undone.").replace("%1", title),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_requested.emit(conversation_id)
