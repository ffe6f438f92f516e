"""The composition root's two pieces of wiring that outlive one call: the welcome dialog's feed
and the settings dialog. Kept out of app.py so that Desk only builds and connects."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desktop import paths
from desktop.core.server_manager import ServerState
from desktop.core.session import Session, SessionEvent
from desktop.core.settings import Settings
from desktop.core.store import Store
from desktop.ui import theme
from desktop.ui.controllers.chat_controller import ChatController
from desktop.ui.controllers.connection_controller import ConnectionController
from desktop.ui.controllers.hardware_controller import HardwareController
from desktop.ui.tray_integration import TrayIntegration

if TYPE_CHECKING:
    from desktop.ui.welcome import WelcomeDialog


class WelcomeFeed:
    """Shows the first-run welcome and keeps it told about the server and its models."""

    def __init__(self, settings: Settings, session: Session, hardware: HardwareController,
                 parent: QWidget, pull: Callable[[str, int], None]) -> None:
        self._settings, self._session, self._hardware = settings, session, hardware
        self._parent, self._pull = parent, pull
        self.dialog: WelcomeDialog | None = None

    def maybe_show(self) -> None:
        from desktop.ui import welcome

        if not welcome.should_show(self._settings):
            return
        dialog = welcome.WelcomeDialog(self._settings, parent=self._parent)
        self.dialog = dialog
        self._hardware.report_ready.connect(dialog.set_report)
        self._hardware.probe_failed.connect(dialog.set_probe_failed)
        dialog.pull_requested.connect(lambda tag, size: self._pull(tag, int(size or 0)))
        self._session.subscribe(lambda e: self.update() if e is SessionEvent.MODELS else None)
        QTimer.singleShot(400, dialog.show)

    def update(self) -> None:
        from desktop.ui.welcome import ServerSummary

        if self.dialog is None:
            return
        info = self._session.info
        if info is not None:
            self.dialog.set_server(ServerSummary(kind=info.kind.value, url=info.url, version=info.version,
                                                 models=self._session.chat_models))
        elif self._session.state == ServerState.OFFLINE:
            self.dialog.set_server(None, error=self._session.server.last_error)


def open_settings_dialog(app: QApplication, settings: Settings, session: Session, store: Store,
                         tray: TrayIntegration, chat: ChatController, connection: ConnectionController,
                         parent: QWidget) -> None:
    """The settings dialog, modal, fed with the session's models while it is open."""
    from desktop.ui.hotkeys.settings import QuickAskSettingsSection
    from desktop.ui.settings_dialog import SettingsDialog

    section = QuickAskSettingsSection(settings, tray.hotkeys, tray_available=tray.tray is not None)
    dialog = SettingsDialog(
        settings,
        store=store,
        models=list(session.chat_models),
        quick_ask_section=section,
        data_folder=paths.data_dir(),
        active_server=session.url,
        parent=parent,
    )
    from desktop.ui.settings.servers_page import ServersPage

    # Last, so the pages named in settings_dialog.PAGES keep their indexes.
    dialog.tabs.addTab(ServersPage(session.fleet.book, session.fleet, session=session),
                       QCoreApplication.translate("SettingsDialog", "Servers"))
    if chat.tools is not None:  # tools in chat (#16): MCP servers
        from desktop.ui.settings.mcp_page import McpServersPage

        mcp_title = QCoreApplication.translate("SettingsDialog", "MCP servers")
        dialog.tabs.addTab(McpServersPage(chat.tools), mcp_title)
    dialog.theme_changed.connect(lambda name: theme.apply(app, name))
    dialog.conversations_changed.connect(chat.open_latest)
    dialog.server_changed.connect(connection.use_server)

    def show_models(event: SessionEvent) -> None:
        if event is SessionEvent.MODELS:
            dialog.set_models(list(session.chat_models))

    unsubscribe = session.subscribe(show_models)
    try:
        dialog.exec()
    finally:
        # The dialog is gone after this: a later model list must not reach it.
        unsubscribe()
