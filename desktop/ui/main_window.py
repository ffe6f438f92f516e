"""The main window: a page per task (Chat, Models, Hardware) and the server status."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from desktop.core.server_manager import ServerInfo, ServerKind, ServerState
from desktop.ui.widgets.chat_page import ChatPage
from desktop.ui.widgets.conversation_sidebar import ConversationSidebar


class MainWindow(QMainWindow):
    engine_toggle_requested = Signal()
    settings_requested = Signal()
    shortcuts_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ollama Desk"))
        self.setObjectName("mainWindow")
        self.resize(1180, 780)

        self.nav = QListWidget(self)
        self.nav.setObjectName("nav")
        self.nav.setAccessibleName(self.tr("Pages"))
        self.nav.setFixedWidth(112)
        self.nav.setIconSize(QSize(22, 22))
        self.nav.currentRowChanged.connect(self._on_nav)
        self.pages = QStackedWidget(self)

        self.sidebar = ConversationSidebar(self)
        self.chat_page = ChatPage(self)
        chat = QSplitter(Qt.Orientation.Horizontal, self)
        chat.addWidget(self.sidebar)
        chat.addWidget(self.chat_page)
        chat.setStretchFactor(1, 1)
        chat.setSizes([260, 900])
        chat.setChildrenCollapsible(False)
        self.chat_splitter = chat
        self.add_page(chat, self.tr("Chat"), QIcon.fromTheme("mail-message-new"))

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.server_label = QLabel(self)
        self.server_label.setObjectName("serverLabel")
        self.engine_button = QPushButton(self)
        self.engine_button.setFlat(True)
        self.engine_button.clicked.connect(self.engine_toggle_requested)
        self.engine_button.hide()
        self.statusBar().addPermanentWidget(self.server_label)
        self.statusBar().addPermanentWidget(self.engine_button)
        self._build_menus()
        self.set_server(ServerState.UNKNOWN, None, "")

    def add_page(self, widget: QWidget, title: str, icon: QIcon | None = None) -> int:
        item = QListWidgetItem(icon or QIcon(), title)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setSizeHint(QSize(104, 56))
        self.nav.addItem(item)
        index = self.pages.addWidget(widget)
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)
        return index

    def show_page(self, widget: QWidget) -> None:
        index = self.pages.indexOf(widget)
        if index >= 0:
            self.nav.setCurrentRow(index)

    def show_chat(self) -> None:
        self.nav.setCurrentRow(0)

    def _on_nav(self, row: int) -> None:
        if row >= 0:
            self.pages.setCurrentIndex(row)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.new_chat_action = QAction(self.tr("New chat"), self)
        self.new_chat_action.setShortcut(QKeySequence.StandardKey.New)
        file_menu.addAction(self.new_chat_action)
        self.settings_action = QAction(self.tr("Settings…"), self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self.settings_requested)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        file_menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.shortcuts_action = QAction(self.tr("Keyboard shortcuts"), self)
        self.shortcuts_action.triggered.connect(self.shortcuts_requested)
        help_menu.addAction(self.shortcuts_action)

    def set_server(self, state: ServerState, info: ServerInfo | None, url: str) -> None:
        """The status bar line: which server is in use and whether it answers."""
        if state == ServerState.ONLINE and info is not None:
            kinds = {
                ServerKind.OLLAMA: self.tr("Ollama %1 at %2"),
                ServerKind.EXTERNAL: self.tr("Ollama %1 at %2"),
                ServerKind.MANAGED_OLLAMA: self.tr("Ollama %1 (started by Ollama Desk) at %2"),
                ServerKind.ENGINE: self.tr("Built-in engine %1 at %2"),
            }
            text = kinds[info.kind].replace("%1", info.version).replace("%2", info.url)
            self.server_label.setText("● " + text)
            self.server_label.setProperty("state", "online")
        elif state in (ServerState.CONNECTING, ServerState.ENGINE_STARTING, ServerState.UNKNOWN):
            self.server_label.setText(self.tr("Connecting to a model server…"))
            self.server_label.setProperty("state", "connecting")
        else:
            self.server_label.setText("○ " + self.tr("No model server at %1").replace("%1", url))
            self.server_label.setProperty("state", "offline")
        self.server_label.style().unpolish(self.server_label)
        self.server_label.style().polish(self.server_label)
        owned = info is not None and info.owned
        self.engine_button.setVisible(owned or state == ServerState.OFFLINE)
        self.engine_button.setText(self.tr("Stop engine") if owned else self.tr("Start engine"))
