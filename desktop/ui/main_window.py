"""The main window: a page per task (Chat, Models, Hardware), the server status and the keys.

The window binds the keyboard shortcuts itself (desktop.ui.shortcuts): each one acts on a
widget it holds or emits a request the app has wired already (the page's stop and
regenerate, settings, the shortcuts sheet), so the app only connects signals.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.core.messages import Role, Status
from desktop.core.server_manager import ServerInfo, ServerKind, ServerState
from desktop.ui.shortcuts import install_shortcuts
from desktop.ui.widgets.chat_page import ChatPage
from desktop.ui.widgets.conversation_sidebar import ConversationSidebar
from desktop.ui.widgets.message_view import MessageView

# Below this window width the conversation list folds away (Ctrl+B or View brings it back):
# at 800 px a list beside the chat left the chat too narrow for its header.
SIDEBAR_COLLAPSE_WIDTH = 900
MINIMUM_SIZE = QSize(720, 500)
SIDEBAR_WIDTH = 260
SIDEBAR_MIN_WIDTH = 200


class MainWindow(QMainWindow):
    engine_toggle_requested = Signal()
    settings_requested = Signal()
    shortcuts_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ollama Desk"))
        self.setObjectName("mainWindow")
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(1180, 780)
        self._server_text = ""
        self._sidebar_wanted = True  # the user's choice at widths where both fit
        self._narrow = False

        self.nav = QListWidget(self)
        self.nav.setObjectName("nav")
        self.nav.setAccessibleName(self.tr("Pages"))
        self.nav.setFixedWidth(112)
        self.nav.setIconSize(QSize(22, 22))
        self.nav.currentRowChanged.connect(self._on_nav)
        self.pages = QStackedWidget(self)

        self.sidebar = ConversationSidebar(self)
        self.sidebar.setMinimumWidth(SIDEBAR_MIN_WIDTH)
        self.chat_page = ChatPage(self)
        chat = QSplitter(Qt.Orientation.Horizontal, self)
        chat.addWidget(self.sidebar)
        chat.addWidget(self.chat_page)
        chat.setStretchFactor(1, 1)
        chat.setSizes([SIDEBAR_WIDTH, 900])
        chat.setChildrenCollapsible(False)
        self.chat_splitter = chat
        self.add_page(chat, self.tr("Chat"), QIcon.fromTheme("mail-message-new"))

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        rail = QWidget(self)
        rail.setObjectName("navRail")
        rail_layout = QVBoxLayout(rail)
        rail_layout.setContentsMargins(0, 0, 0, 6)
        rail_layout.setSpacing(0)
        rail_layout.addWidget(self.nav, 1)
        # The list folds away on narrow windows: a button a mouse user can see brings it back.
        self.sidebar_button = QToolButton(rail)
        self.sidebar_button.setObjectName("sidebarButton")
        self.sidebar_button.setText(self.tr("Chats"))
        self.sidebar_button.setToolTip(self.tr("Show or hide the conversation list (%1)").replace(
            "%1", QKeySequence("Ctrl+B").toString(QKeySequence.SequenceFormat.NativeText)))
        self.sidebar_button.setCheckable(True)
        self.sidebar_button.setChecked(True)
        self.sidebar_button.setAutoRaise(True)
        self.sidebar_button.setFixedWidth(104)
        self.sidebar_button.clicked.connect(self.toggle_sidebar)
        rail_layout.addWidget(self.sidebar_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.pages.currentChanged.connect(
            lambda index: self.sidebar_button.setVisible(index == 0)
        )
        layout.addWidget(rail)
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
        self.shortcut_actions = self._install_shortcuts()
        self._fill_menus()
        self.set_generating(False)
        self.set_server(ServerState.UNKNOWN, None, "")

    # ----- pages -----

    def add_page(self, widget: QWidget, title: str, icon: QIcon | None = None) -> int:
        item = QListWidgetItem(icon or QIcon(), title)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setSizeHint(QSize(104, 56))
        item.setToolTip(title)
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

    def page_named(self, object_name: str) -> QWidget | None:
        for index in range(self.pages.count()):
            page = self.pages.widget(index)
            if page is not None and page.objectName() == object_name:
                return page
        return None

    def _on_nav(self, row: int) -> None:
        if row >= 0:
            self.pages.setCurrentIndex(row)

    # ----- the conversation list at narrow widths -----

    def sidebar_shown(self) -> bool:
        return not self.sidebar.isHidden()

    def toggle_sidebar(self) -> None:
        self.set_sidebar_shown(not self.sidebar_shown())
        if not self._narrow:
            self._sidebar_wanted = self.sidebar_shown()

    def set_sidebar_shown(self, shown: bool) -> None:
        self.sidebar.setVisible(shown)
        if shown:
            # Asked for at a narrow width: as narrow as it can be, so the chat keeps its header.
            width = SIDEBAR_MIN_WIDTH if self._narrow else SIDEBAR_WIDTH
            self.chat_splitter.setSizes([width, max(0, self.chat_splitter.width() - width)])
        if hasattr(self, "sidebar_action"):
            self.sidebar_action.setChecked(shown)
        if hasattr(self, "sidebar_button"):
            self.sidebar_button.setChecked(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        narrow = event.size().width() < SIDEBAR_COLLAPSE_WIDTH
        if narrow != self._narrow:
            self._narrow = narrow
            self.set_sidebar_shown(not narrow and self._sidebar_wanted)

    # ----- menus and keys -----

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.new_chat_action = QAction(self.tr("New chat"), self)
        self.new_chat_action.setShortcut(QKeySequence.StandardKey.New)
        self.file_menu.addAction(self.new_chat_action)
        self.settings_action = QAction(self.tr("Settings…"), self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self.settings_requested)
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        self.quit_action = QAction(self.tr("Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.file_menu.addAction(self.quit_action)
        self.conversation_menu = self.menuBar().addMenu(self.tr("&Conversation"))
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.help_menu = self.menuBar().addMenu(self.tr("&Help"))

    def _install_shortcuts(self) -> dict[str, QAction]:
        page, sidebar = self.chat_page, self.sidebar
        return install_shortcuts(
            self,
            {
                "new_chat": self.new_chat_action.trigger,
                "search": self.focus_search,
                "next_chat": lambda: self._in_chat(lambda: sidebar.select_relative(1)),
                "previous_chat": lambda: self._in_chat(lambda: sidebar.select_relative(-1)),
                "rename_chat": lambda: self._in_chat(sidebar.rename_current),
                "delete_chat": lambda: self._in_chat(sidebar.delete_current),
                "focus_prompt": lambda: self._in_chat(lambda: page.composer.setFocus()),
                "stop": page.stop_requested.emit,
                "regenerate": self.regenerate_last_reply,
                "copy_reply": self.copy_last_reply,
                "switch_model": lambda: self._in_chat(page.model_picker.showPopup),
                "models": self.show_models,
                "settings": self.settings_action.trigger,
                "shortcuts": self.shortcuts_requested.emit,
                "toggle_sidebar": self.toggle_sidebar,
                "quit": self.quit_action.trigger,
            },
        )

    def _fill_menus(self) -> None:
        acts = self.shortcut_actions
        for name in ("next_chat", "previous_chat", None, "rename_chat", "delete_chat", None,
                     "regenerate", "copy_reply", "stop"):
            if name is None:
                self.conversation_menu.addSeparator()
            elif name in acts:
                self.conversation_menu.addAction(acts[name])
        self.sidebar_action = acts["toggle_sidebar"]
        self.sidebar_action.setCheckable(True)
        self.sidebar_action.setText(self.tr("Conversation list"))  # a check mark says shown or not
        self.sidebar_action.setChecked(True)
        self.view_menu.addAction(self.sidebar_action)
        for name in ("search", "focus_prompt", "switch_model", "models"):
            if name in acts:
                self.view_menu.addAction(acts[name])
        self.shortcuts_action = acts["shortcuts"]
        self.help_menu.addAction(self.shortcuts_action)
        self.about_action = QAction(self.tr("About Ollama Desk"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    def set_generating(self, generating: bool) -> None:
        """Esc stops a reply only while one streams; otherwise it stays with the focused widget
        (an edit box's Cancel, a search field), which a window-wide Esc would swallow."""
        self.shortcut_actions["stop"].setEnabled(generating)

    def _in_chat(self, then: object) -> None:
        self.show_chat()
        if callable(then):
            then()

    def focus_search(self) -> None:
        self.show_chat()
        if not self.sidebar_shown():
            self.set_sidebar_shown(True)
        self.sidebar.focus_search()

    def show_models(self) -> None:
        page = self.page_named("modelManagerPage")
        if page is not None:
            self.show_page(page)

    def last_reply(self) -> MessageView | None:
        """The newest assistant message shown in the chat, if any."""
        page = self.chat_page
        views = [
            v for v in page.findChildren(MessageView)
            if v.message.role == Role.ASSISTANT and page.view_for(v.message.id) is v
        ]
        return max(views, key=lambda v: v.message.id, default=None)

    def regenerate_last_reply(self) -> None:
        self.show_chat()
        view = self.last_reply()
        if view is not None and view.message.status != Status.STREAMING:
            view.regenerate_requested.emit(view.message.id)

    def copy_last_reply(self) -> None:
        view = self.last_reply()
        if view is None or not view.text():
            self.statusBar().showMessage(self.tr("There is no reply to copy yet."), 4000)
            return
        QGuiApplication.clipboard().setText(view.text())
        self.statusBar().showMessage(self.tr("Reply copied."), 4000)

    # ----- about -----

    def about_text(self) -> str:
        server = self._server_text or self.tr("none yet")
        return self.tr(
            "<h3>Ollama Desk %1</h3>"
            "<p>A private assistant for local language models.</p>"
            "<p>Model server in use:<br><nobr>%2</nobr></p>"
            "<p>Licence: MIT</p>"
        ).replace("%1", __version__).replace("%2", server.replace("&", "&amp;").replace("<", "&lt;"))

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("aboutDialog")
        box.setWindowTitle(self.tr("About Ollama Desk"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text())
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # ----- the server -----

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
            self._server_text = text
            self.server_label.setText("● " + text)
            self.server_label.setProperty("state", "online")
        elif state in (ServerState.CONNECTING, ServerState.ENGINE_STARTING, ServerState.UNKNOWN):
            self.server_label.setText(self.tr("Connecting to a model server…"))
            self.server_label.setProperty("state", "connecting")
        else:
            offline = self.tr("No model server at %1").replace("%1", url)
            self._server_text = offline
            self.server_label.setText("○ " + offline)
            self.server_label.setProperty("state", "offline")
        self.server_label.style().unpolish(self.server_label)
        self.server_label.style().polish(self.server_label)
        owned = info is not None and info.owned
        self.engine_button.setVisible(owned or state == ServerState.OFFLINE)
        self.engine_button.setText(self.tr("Stop engine") if owned else self.tr("Start engine"))
