"""Composition root: the QApplication, the qasync loop, the services and the windows.

Everything is built here once and wired with signals; no logic of its own lives here.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import paths
from desktop.core.messages import Role
from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.host import parse_host
from desktop.core.ollama.types import ModelInfo
from desktop.core.server_manager import ServerKind, ServerManager, ServerState
from desktop.core.store import Conversation, Message, Store, StoreError
from desktop.ui import app_icon, i18n, markdown, pyside_fix, theme
from desktop.ui.controllers.chat_controller import ChatController
from desktop.ui.controllers.connection_controller import ConnectionController
from desktop.ui.controllers.hardware_controller import HardwareController
from desktop.ui.controllers.models_controller import ModelsController
from desktop.ui.main_window import MainWindow
from desktop.ui.single_instance import NotAnswering, SingleInstance, claim_or_forward
from desktop.ui.tray_integration import TrayIntegration
from desktop.ui.widgets.conversation_settings import ConversationSettingsDialog
from desktop.ui.widgets.hardware_panel import HardwarePanel
from desktop.ui.widgets.model_manager import ModelManagerPage


class Desk:
    """The running app: services, controllers and windows, wired together."""

    def __init__(self, app: QApplication, store: Store, argv: list[str]) -> None:
        self.app = app
        self.store = store
        self.argv = argv
        store.mark_unfinished_replies()
        host = str(store.get_setting("server.url", "") or "") or None
        self.manager = ServerManager(host)
        self.connection = ConnectionController(self.manager)
        self.client = OllamaClient(self.manager.url)
        self._old_clients: list[OllamaClient] = []
        self._resumed_pulls = False
        self._installed: list[str] = []

        self.chat = ChatController(store, self.client)
        self.models = ModelsController(self.client, embedded=False)
        self.hardware = HardwareController()

        self.window = MainWindow()
        self.page = self.window.chat_page
        self.sidebar = self.window.sidebar
        self.models_page = ModelManagerPage(self.models)
        self.window.add_page(self.models_page, QCoreApplication.translate("Desk", "Models"))
        self.hardware_panel = HardwarePanel(self.hardware)
        self.window.add_page(self.hardware_panel, QCoreApplication.translate("Desk", "Hardware"))
        self.tray = TrayIntegration(self.window, self.client, store)
        self.welcome: Any = None
        self._banner_key = ""
        self._quitting = False
        self.closed = False
        # Quitting goes through request_quit, which closes the services first.
        app.setQuitOnLastWindowClosed(False)
        app.lastWindowClosed.connect(self._on_last_window_closed)
        self._wire()

    # ----- wiring -----

    def _wire(self) -> None:
        chat, page, sidebar, window = self.chat, self.page, self.sidebar, self.window
        # Conversations and the sidebar.
        chat.conversations_changed.connect(lambda cs: sidebar.set_conversations(cs, self._current_id()))
        chat.conversation_opened.connect(self._on_conversation_opened)
        chat.search_finished.connect(lambda hits, q: sidebar.show_results(hits, q))
        sidebar.new_requested.connect(chat.new_conversation)
        sidebar.conversation_selected.connect(chat.open)
        sidebar.rename_requested.connect(chat.rename)
        sidebar.delete_requested.connect(chat.delete)
        sidebar.search_changed.connect(chat.search)
        sidebar.search_hit_activated.connect(chat.open)
        window.new_chat_action.triggered.connect(chat.new_conversation)
        window.quit_action.triggered.connect(self.request_quit)
        # The chat page.
        page.send_requested.connect(self._on_send)
        page.stop_requested.connect(chat.stop)
        page.model_chosen.connect(self._on_model_chosen)
        page.settings_requested.connect(self._edit_conversation_options)
        page.regenerate_requested.connect(chat.regenerate)
        page.edit_requested.connect(chat.edit)
        page.continue_requested.connect(chat.continue_reply)
        page.retry_requested.connect(self._on_retry)
        page.banner_action_requested.connect(self._on_banner_action)
        chat.message_added.connect(page.append_message)
        chat.message_updated.connect(page.update_message)
        chat.messages_removed.connect(page.remove_messages_from)
        chat.reply_started.connect(page.begin_stream)
        chat.reply_delta.connect(page.stream_delta)
        chat.generating_changed.connect(page.set_generating)
        chat.prompt_restored.connect(page.set_prompt)
        chat.failed.connect(lambda text: self._banner(text, action=""))
        chat.model_missing.connect(self._on_model_missing)
        chat.server_unreachable.connect(lambda _t: self.connection.retry())
        chat.reply_finished.connect(self._on_reply_finished)
        # Models.
        self.models.models_changed.connect(self._on_models_changed)
        self.hardware_panel.pull_requested.connect(self._pull)
        self.models.running_changed.connect(self.hardware.set_running)
        # The server.
        self.connection.state_changed.connect(self._on_server_state)
        self.connection.info_changed.connect(lambda _i: self._on_server_state(self.connection.state))
        self.connection.server_changed.connect(self._on_server_changed)
        self.connection.start_failed.connect(self._on_start_failed)
        window.engine_toggle_requested.connect(self._toggle_engine)
        window.settings_requested.connect(self.open_settings)
        window.shortcuts_requested.connect(self.show_shortcuts)
        # Tray and Quick Ask.
        tray = self.tray
        tray.new_chat_requested.connect(lambda: (chat.new_conversation(), window.show_chat()))
        tray.open_conversation_requested.connect(self._open_from_quick_ask)
        tray.default_model_changed.connect(self._on_default_model_changed)
        tray.engine_start_requested.connect(self.connection.start)
        tray.engine_stop_requested.connect(self.connection.stop)
        tray.quit_requested.connect(self.request_quit)
        chat.generating_changed.connect(tray.set_generating)
        self.models.models_changed.connect(tray.set_models)
        self.models.pull_finished.connect(tray.on_pull_finished)
        self.models.pulls_active_changed.connect(tray.on_pulls_active_changed)
        # "system" follows the desktop when it switches between light and dark.
        self.app.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)

    def _on_color_scheme_changed(self, *_: object) -> None:
        name = str(self.store.get_setting("ui.theme", "system") or "system")
        if name == "system":
            theme.apply(self.app, name)

    # ----- start and stop -----

    def start(self, args: argparse.Namespace) -> None:
        self.tray.start()
        if args.quick_ask is not None:
            self.tray.handle_argv(self.argv)
        else:
            self.window.show()
        self.chat.open_latest()
        self.connection.start()
        self.hardware.refresh()
        self._maybe_welcome()
        QTimer.singleShot(300, markdown.warm_up)

    def request_quit(self) -> None:
        """Every way out ends here: close the services while the loop still runs, then quit."""
        if self._quitting:
            return
        self._quitting = True
        task = asyncio.ensure_future(self.aclose())
        task.add_done_callback(lambda _t: self.app.quit())

    def _on_last_window_closed(self) -> None:
        if self.tray.tray is None:  # with a tray, closing hides to it instead
            self.request_quit()

    def close_now(self) -> None:
        """The app is quitting without request_quit (e.g. the session ends): no loop to await on."""
        process = self.manager.process
        if process is not None and process.poll() is None:
            process.terminate()
        self.store.close()

    async def aclose(self) -> None:
        self._quitting = True
        for closer in (self.chat.aclose, self.tray.aclose, self.models.aclose, self.hardware.aclose):
            try:
                await closer()
            except Exception:  # noqa: BLE001 - shutting down: close the rest anyway
                pass
        await self.connection.aclose()
        for client in (*self._old_clients, self.client):
            await client.aclose()
        self.store.close()
        self.closed = True

    # ----- handlers -----

    def _current_id(self) -> int:
        return self.chat.current.id if self.chat.current else 0

    def _on_conversation_opened(
        self, conversation: Conversation, messages: list[Message], focus: int
    ) -> None:
        self.page.show_conversation(conversation, messages, focus)
        self.sidebar.set_current(conversation.id)
        self._refresh_picker()
        self.window.show_chat()

    def _on_send(self, text: str) -> None:
        if not self.chat.default_model() and not (self.chat.current and self.chat.current.model):
            self.page.set_prompt(text)
            self._banner(
                QCoreApplication.translate(
                    "Desk", "No model is installed yet. Download one to start chatting."
                ),
                action=QCoreApplication.translate("Desk", "Get a model"),
                key="get_model",
                retry=False,
            )
            return
        self.page.banner.hide()
        self.chat.send(text)

    def _on_model_chosen(self, model: str) -> None:
        self.chat.set_model(model)
        self.tray.set_default_model(model)

    def _on_default_model_changed(self, model: str) -> None:
        self.chat.set_default_model(model)
        self._refresh_picker()

    def _on_models_changed(self, models: list[ModelInfo]) -> None:
        self._installed = [
            m.name for m in models if "embedding" not in m.capabilities or "completion" in m.capabilities
        ]
        if not self.chat.default_model() and self._installed:
            self.chat.set_default_model(self._installed[0])
        self._refresh_picker()
        if self.welcome is not None:
            self._update_welcome()

    def _refresh_picker(self) -> None:
        current = self.chat.current.model if self.chat.current and self.chat.current.model else ""
        self.page.set_models(self._installed, current or self.chat.default_model())

    def _edit_conversation_options(self) -> None:
        conv = self.chat.current
        dialog = ConversationSettingsDialog(
            conv.system if conv else "", dict(conv.options) if conv else {}, self.window
        )
        if dialog.exec():
            system, options = dialog.values()
            self.chat.set_options(system, options)

    def _banner(self, text: str, *, action: str = "", key: str = "", retry: bool = True) -> None:
        """key names the banner's way out: "start_engine", "get_model" or "download"."""
        self._banner_key = key
        self.page.banner.show_message(text, retry=retry, action=action)

    def _on_banner_action(self) -> None:
        key = self._banner_key
        if key == "start_engine":
            self.connection.start()
        elif key == "get_model":
            self.window.show_page(self.models_page)
        elif key == "download":
            model = self.chat.current.model if self.chat.current else ""
            if model:
                self._pull(model)
        self.page.banner.hide()

    def _on_retry(self) -> None:
        self.page.banner.hide()
        if self.connection.state != ServerState.ONLINE:
            self.connection.retry()
        else:
            self.chat.retry_last()

    def _on_model_missing(self, model: str) -> None:
        self._banner(
            QCoreApplication.translate("Desk", "The model %1 is not installed on this server.").replace(
                "%1", model
            ),
            action=QCoreApplication.translate("Desk", "Download %1").replace("%1", model),
            key="download",
        )

    def _pull(self, tag: str, size: int = 0) -> None:
        self.models_page.pull(tag, int(size or 0))
        self.window.show_page(self.models_page)

    def _on_reply_finished(self, message: Message) -> None:
        title = self.chat.current.title if self.chat.current else ""
        self.tray.on_reply_finished(title, message.content)

    def _open_from_quick_ask(self, conversation_id: int) -> None:
        self.tray.show_window()
        self.chat.open(conversation_id)
        messages = self.store.messages(conversation_id)
        if messages and messages[-1].role == Role.USER:
            self.chat.retry_last()

    def _on_server_state(self, state: ServerState) -> None:
        info = self.connection.info
        self.window.set_server(state, info, self.connection.url)
        self.tray.set_server_state(state)
        self.tray.set_engine(running=self.connection.engine_running(), available=True)
        if state == ServerState.ONLINE:
            if self.page.banner.isVisible() and self.page.banner.retry_button.isVisible():
                self.page.banner.hide()
            self.models.set_client(self.client, embedded=bool(info and info.kind == ServerKind.ENGINE))
            if not self._resumed_pulls:
                self._resumed_pulls = True
                self.models.resume_pending_pulls()
        elif state == ServerState.OFFLINE:
            self._banner(
                QCoreApplication.translate(
                    "Desk",
                    "Cannot reach a model server at %1. Your conversations are still here; "
                    "start the built-in engine or Ollama, then retry.",
                ).replace("%1", self.connection.url),
                action=QCoreApplication.translate("Desk", "Start engine"),
                key="start_engine",
            )
        if self.welcome is not None:
            self._update_welcome()

    def _on_server_changed(self, url: str) -> None:
        self._old_clients.append(self.client)
        self.client = OllamaClient(url)
        self.chat.set_client(self.client)
        self.tray.set_client(self.client)
        info = self.connection.info
        self.models.set_client(self.client, embedded=bool(info and info.kind == ServerKind.ENGINE))

    def _on_start_failed(self, text: str) -> None:
        self._banner(text, action=QCoreApplication.translate("Desk", "Start engine"), key="start_engine")

    def _toggle_engine(self) -> None:
        if self.connection.can_stop():
            self.connection.stop()
        else:
            self.connection.start()

    def open_settings(self) -> None:
        from desktop.ui.hotkeys.settings import QuickAskSettingsSection
        from desktop.ui.settings_dialog import SettingsDialog

        section = QuickAskSettingsSection(
            self.store, self.tray.hotkeys, tray_available=self.tray.tray is not None
        )
        dialog = SettingsDialog(
            self.store,
            store=self.store,
            models=self._installed,
            quick_ask_section=section,
            data_folder=paths.data_dir(),
            active_server=self.client.base_url,
            parent=self.window,
        )
        dialog.theme_changed.connect(lambda name: theme.apply(self.app, name))
        dialog.default_model_changed.connect(self._on_default_model_changed)
        dialog.conversations_changed.connect(self.chat.open_latest)
        dialog.server_changed.connect(self._on_server_setting)

        def show_models(models: list[ModelInfo]) -> None:
            dialog.set_models([m.name for m in models])

        self.models.models_changed.connect(show_models)
        try:
            dialog.exec()
        finally:
            # The dialog is gone after this: a later models_changed must not reach it.
            self.models.models_changed.disconnect(show_models)

    def _on_server_setting(self, url: str) -> None:
        self.manager.host_url = parse_host(url) if url else parse_host(None)
        self.manager.info = None
        self.connection.start()

    def show_shortcuts(self) -> None:
        from desktop.ui.shortcuts import ShortcutsDialog

        keys = str(self.store.get_setting("quick_ask.shortcut", "Ctrl+Alt+Space") or "")
        ShortcutsDialog(keys, self.window).exec()

    def _maybe_welcome(self) -> None:
        from desktop.ui import welcome

        if not welcome.should_show(self.store):
            return
        self.welcome = welcome.WelcomeDialog(self.store, parent=self.window)
        self.hardware.report_ready.connect(self.welcome.set_report)
        self.hardware.probe_failed.connect(self.welcome.set_probe_failed)
        self.welcome.pull_requested.connect(lambda tag, size: self._pull(tag, int(size or 0)))
        QTimer.singleShot(400, self.welcome.show)

    def _update_welcome(self) -> None:
        from desktop.ui.welcome import ServerSummary

        info = self.connection.info
        if info is not None:
            self.welcome.set_server(
                ServerSummary(
                    kind=info.kind.value, url=info.url, version=info.version, models=tuple(self._installed)
                )
            )
        elif self.connection.state == ServerState.OFFLINE:
            self.welcome.set_server(None, error=self.manager.last_error)


def _open_store() -> Store | None:
    try:
        return Store.open_default()
    except StoreError as err:
        QMessageBox.critical(
            None,
            QCoreApplication.translate("App", "Ollama Desk cannot open its data"),
            QCoreApplication.translate("App", "%1\n\nYour data folder is %2.")
            .replace("%1", str(err))
            .replace("%2", str(paths.data_dir())),
        )
        return None


async def _run(app: QApplication, store: Store, instance: SingleInstance, args: argparse.Namespace) -> int:
    loop = asyncio.get_running_loop()
    # qasync installs no async-generator hooks; without them an httpx stream that ends at its
    # `done` line is finalised outside the loop.
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,  # type: ignore[attr-defined]
        finalizer=loop._asyncgen_finalizer_hook,  # type: ignore[attr-defined]
    )
    desk = Desk(app, store, list(sys.argv[1:]))
    instance.message_received.connect(desk.tray.handle_argv)
    quitting = loop.create_future()
    app.aboutToQuit.connect(lambda: quitting.done() or quitting.set_result(None))
    desk.start(args)
    await quitting
    if not desk.closed:
        desk.close_now()
    return 0


def run_gui(args: argparse.Namespace) -> int:
    try:
        instance = claim_or_forward(list(sys.argv[1:]))
    except NotAnswering as err:
        print(err, file=sys.stderr)
        return 1
    if instance is None:
        return 0  # handed to the running app
    pyside_fix.apply()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Ollama Desk")
    app.setOrganizationName("ollama-desk")
    app_icon.apply(app)
    instance.listen()
    store = _open_store()
    if store is None:
        return 1
    i18n.install(app, str(store.get_setting("ui.language", "system") or "system"))
    theme.apply(app, str(store.get_setting("ui.theme", "system") or "system"))
    import qasync

    try:
        return int(qasync.run(_run(app, store, instance, args)) or 0)
    except asyncio.CancelledError:
        return 0
