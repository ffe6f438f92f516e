"""Composition root: the QApplication, the qasync loop, the services and the windows.

Everything is built here once and wired with signals; no logic of its own lives here. State
has one owner each: settings (desktop.core.settings), servers, client, models and the default
model (desktop.core.session), conversations and replies (ChatController), the banner
(BannerController); see docs/dev/contracts.md.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import paths
from desktop.core.prompts_library import PromptLibrary
from desktop.core.server_manager import ServerState
from desktop.core.session import Session, SessionEvent
from desktop.core.settings import Settings
from desktop.core.store import Conversation, Store, StoreError
from desktop.ui import app_icon, i18n, markdown, pyside_fix, tasks, theme
from desktop.ui.chat_capabilities import ComposerCapabilities, PromptChoice
from desktop.ui.controllers.banner_controller import BannerController
from desktop.ui.controllers.chat_controller import ChatController
from desktop.ui.controllers.connection_controller import ConnectionController
from desktop.ui.controllers.hardware_controller import HardwareController
from desktop.ui.controllers.models_controller import ModelsController
from desktop.ui.controllers.servers_controller import ServersController
from desktop.ui.knowledge_wiring import install_knowledge
from desktop.ui.main_window import MainWindow
from desktop.ui.measure_wiring import Measurements
from desktop.ui.single_instance import NotAnswering, SingleInstance, claim_or_forward
from desktop.ui.tools_wiring import install_tools, tools_section
from desktop.ui.tray_integration import TrayIntegration
from desktop.ui.widgets.conversation_settings import ConversationSettingsDialog
from desktop.ui.widgets.hardware_panel import HardwarePanel
from desktop.ui.widgets.model_manager import ModelManagerPage
from desktop.ui.widgets.server_models_page import ServerModelsPage
from desktop.ui.wiring import WelcomeFeed, open_settings_dialog


class Desk:
    """The running app: services, controllers and windows, wired together."""

    def __init__(self, app: QApplication, store: Store, argv: list[str]) -> None:
        self.app, self.store, self.argv = app, store, argv
        store.mark_unfinished_replies()
        self.settings = Settings(store)
        self.session = Session(self.settings, in_flight=tasks.server_tasks)
        self.connection = ConnectionController(self.session)
        self.chat = ChatController(store, self.session)
        self.servers = ServersController(self.session)  # the saved servers besides the local one
        self.banner = BannerController(self.chat, self.connection)
        self.models = ModelsController(self.session.client, embedded=False)
        self.hardware = HardwareController()

        self.window = MainWindow()
        self.page = self.window.chat_page
        self.tools = install_tools(store, self.chat, self.page, self.session.backend_for, self.window)  # #16
        self.sidebar = self.window.sidebar
        self.models_page = ModelManagerPage(self.models)
        self.window.add_page(self.models_page, QCoreApplication.translate("Desk", "Models"))
        self.hardware_panel = HardwarePanel(self.hardware)
        self.window.add_page(self.hardware_panel, QCoreApplication.translate("Desk", "Hardware"))
        # The Compare page, and the hardware page learning from measured speeds (#20).
        self.measurements = Measurements(self.window, self.session, self.hardware, self.hardware_panel)
        # The model manager of the saved Ollama servers (#15); the local one stays on "Models".
        self.server_models_page = ServerModelsPage(self.session)
        self.window.add_page(self.server_models_page, QCoreApplication.translate("Desk", "Server models"))
        self.knowledge, self.knowledge_page = install_knowledge(  # #17
            store.path, self.session, self.chat, page=self.page)
        self.window.add_page(self.knowledge_page, QCoreApplication.translate("Desk", "Knowledge"))
        self.tray = TrayIntegration(self.window, self.session.client, store, settings=self.settings,
                                    session=self.session)
        self.welcome = WelcomeFeed(self.settings, self.session, self.hardware, self.window, self._pull)
        self._resumed_pulls = False
        self._quitting = False
        self.closed = False
        # Quitting goes through request_quit, which closes the services first.
        app.setQuitOnLastWindowClosed(False)
        app.lastWindowClosed.connect(self._on_last_window_closed)
        self._wire_chat()
        self._wire_services()

    # ----- wiring -----

    def _wire_chat(self) -> None:
        chat, page, sidebar, window, banner = self.chat, self.page, self.sidebar, self.window, self.banner
        chat.conversations_changed.connect(
            lambda cs: sidebar.set_conversations(cs, chat.current.id if chat.current else 0))
        chat.conversation_opened.connect(page.show_conversation)
        chat.conversation_opened.connect(self._on_conversation_opened)
        chat.models_offered.connect(page.set_models)
        chat.server_models_offered.connect(page.set_server_models)
        page.server_model_chosen.connect(chat.set_server_model)
        chat.search_finished.connect(sidebar.show_results)
        sidebar.new_requested.connect(chat.new_conversation)
        sidebar.conversation_selected.connect(chat.open)
        sidebar.rename_requested.connect(chat.rename)
        sidebar.delete_requested.connect(chat.delete)
        sidebar.search_changed.connect(chat.search)
        sidebar.search_hit_activated.connect(chat.open)
        window.new_chat_action.triggered.connect(chat.new_conversation)
        window.quit_action.triggered.connect(self.request_quit)
        page.send_requested.connect(chat.send)
        page.composer_box.send_with_parts_requested.connect(chat.send)
        self.composer_capabilities = ComposerCapabilities(chat, self.session, page.composer_box.attachments)
        library = PromptLibrary(self.store)
        self.prompt_choice = PromptChoice(chat, self.session, page.composer_box.attachments, library)
        page.stop_requested.connect(chat.stop)
        page.model_chosen.connect(chat.set_model)
        page.settings_requested.connect(self._edit_conversation_options)
        page.regenerate_requested.connect(chat.regenerate)
        page.edit_requested.connect(chat.edit)
        page.continue_requested.connect(chat.continue_reply)
        page.version_step_requested.connect(chat.show_version)
        page.retry_requested.connect(banner.retry)
        page.banner_action_requested.connect(banner.act)
        banner.shown.connect(lambda text, action, retry: page.banner.show_message(
            text, retry=retry, action=action))
        banner.hidden.connect(page.banner.hide)
        banner.models_page_requested.connect(lambda: window.show_page(self.models_page))
        banner.pull_requested.connect(self._pull)
        chat.message_added.connect(page.append_message)
        chat.message_updated.connect(page.update_message)
        chat.messages_removed.connect(page.remove_messages_from)
        chat.reply_started.connect(page.begin_stream)
        chat.reply_delta.connect(page.stream_delta)
        chat.reply_thinking.connect(page.stream_thinking)
        chat.generating_changed.connect(page.set_generating)
        chat.generating_changed.connect(window.set_generating)
        chat.prompt_restored.connect(page.set_prompt)

    def _wire_services(self) -> None:
        chat, tray, window, models = self.chat, self.tray, self.window, self.models
        models.models_changed.connect(self.session.set_models)
        models.running_changed.connect(self.hardware.set_running)
        self.hardware_panel.pull_requested.connect(self._pull)
        self.connection.state_changed.connect(self._on_server_state)
        self.connection.info_changed.connect(lambda _i: self._on_server_state(self.connection.state))
        self.session.subscribe(self._on_session)
        window.engine_toggle_requested.connect(self.connection.toggle_engine)
        window.settings_requested.connect(self.open_settings)
        window.shortcuts_requested.connect(self.show_shortcuts)
        tray.new_chat_requested.connect(chat.new_conversation)  # opening it shows the chat page
        tray.open_conversation_requested.connect(self._on_quick_ask_continued)
        tray.engine_start_requested.connect(self.connection.start)
        tray.engine_stop_requested.connect(self.connection.stop)
        tray.quit_requested.connect(self.request_quit)
        chat.generating_changed.connect(tray.set_generating)
        chat.reply_finished.connect(lambda m: tray.on_reply_finished(
            chat.current.title if chat.current else "", m.content))
        models.pull_finished.connect(tray.on_pull_finished)
        models.pulls_active_changed.connect(tray.on_pulls_active_changed)
        # "system" follows the desktop when it switches between light and dark.
        self.app.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)

    def _on_color_scheme_changed(self, *_: object) -> None:
        if self.settings.current.theme == "system":
            theme.apply(self.app, "system")

    # ----- start and stop -----

    def start(self, args: argparse.Namespace) -> None:
        self.tray.start()
        if args.quick_ask is not None:
            self.tray.handle_argv(self.argv)
        else:
            self.window.show()
        self.chat.open_latest()
        self.connection.start()
        self.servers.start()
        self.hardware.refresh()
        self.measurements.start()
        self.welcome.maybe_show()
        if self.welcome.dialog is not None:  # its button follows the download it started
            self.welcome.dialog.follow_pulls(self.models)
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
        self.session.close_now()
        self.store.close()

    async def aclose(self) -> None:
        self._quitting = True
        for closer in (self.chat.aclose, self.servers.aclose, self.server_models_page.aclose,
                       self.tray.aclose, self.models.aclose, self.hardware.aclose, self.connection.aclose,
                       self.measurements.aclose,
                       self.session.aclose,
                       self.tools.aclose):  # MCP servers' processes end with the app (#16)
            try:
                await closer()
            except Exception:  # noqa: BLE001 - shutting down: close the rest anyway
                pass
        self.store.close()
        self.closed = True

    # ----- handlers -----

    def _on_conversation_opened(self, conversation: Conversation, _messages: object, _focus: int) -> None:
        self.sidebar.set_current(conversation.id)
        self.window.show_chat()

    def _on_quick_ask_continued(self, conversation_id: int) -> None:
        self.tray.show_window()
        self.chat.continue_conversation(conversation_id)

    def _on_session(self, event: SessionEvent) -> None:
        if event is SessionEvent.CLIENT:
            self.models.set_client(self.session.client, embedded=self.session.embedded)

    def _on_server_state(self, state: ServerState) -> None:
        self.window.set_server(state, self.connection.info, self.connection.url)
        self.tray.set_server_state(state)
        self.tray.set_engine(running=self.connection.engine_running(), available=True)
        if state == ServerState.ONLINE:
            self.models.set_client(self.session.client, embedded=self.session.embedded)
            if not self._resumed_pulls:
                self._resumed_pulls = True
                self.models.resume_pending_pulls()
        self.welcome.update()

    def _edit_conversation_options(self) -> None:
        conv = self.chat.current
        tools = tools_section(self.tools, conv)
        dialog = ConversationSettingsDialog(
            conv.system if conv else "",
            dict(conv.options) if conv else {},
            self.window,
            abilities=self.composer_capabilities.abilities(),
            tools=tools,
        )
        if dialog.exec():
            self.chat.set_options(*dialog.values())
            if conv is not None and tools is not None:
                self.tools.set_choice(conv.id, tools.choice())

    def _pull(self, tag: str, size: int = 0) -> None:
        self.models_page.pull(tag, int(size or 0))
        self.window.show_page(self.models_page)

    def open_settings(self) -> None:
        open_settings_dialog(self.app, self.settings, self.session, self.store, self.tray, self.chat,
                             self.connection, self.window)

    def show_shortcuts(self) -> None:
        from desktop.ui.shortcuts import ShortcutsDialog

        keys, available = self.settings.current.quick_ask_shortcut, self.tray.hotkeys.status.state != "failed"
        ShortcutsDialog(keys, self.window, quick_ask_available=available).exec()


def _open_store() -> Store | None:
    try:
        store = Store.open_default()
    except StoreError as err:
        QMessageBox.critical(
            None,
            QCoreApplication.translate("App", "Ollama Desk cannot open its data"),
            QCoreApplication.translate("App", "%1\n\nYour data folder is %2.")
            .replace("%1", str(err))
            .replace("%2", str(paths.data_dir())),
        )
        return None
    if store.notice:
        # A 0-byte or unreadable database was moved aside (store.moved_aside): say so, once.
        QMessageBox.warning(
            None, QCoreApplication.translate("App", "Ollama Desk started a new history"), store.notice
        )
    return store


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
    quitting: asyncio.Future[None] = loop.create_future()

    def on_about_to_quit() -> None:
        if not quitting.done():
            quitting.set_result(None)

    app.aboutToQuit.connect(on_about_to_quit)
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
    pyside_fix.apply()  # this entry point's one call, before the first signal
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Ollama Desk")
    app.setOrganizationName("ollama-desk")
    app_icon.apply(app)
    instance.listen()
    store = _open_store()
    if store is None:
        return 1
    values = Settings(store).current
    i18n.install(app, values.language)
    theme.apply(app, values.theme)
    import qasync

    try:
        return int(qasync.run(_run(app, store, instance, args)) or 0)
    except asyncio.CancelledError:
        return 0
