"""The app's life outside its main window: tray, global hotkey, Quick Ask, forwarded launches.

app.py builds one TrayIntegration after the main window and wires a few signals; all
tray, hotkey and Quick Ask behaviour lives here so the composition root stays small:

- a later launch's argv (SingleInstance.message_received) opens Quick Ask or the window;
- closing the main window hides it to the tray (told once, can be turned off), or quits
  where no tray exists;
- the tray icon follows the server, generating and pulling states; notifications for a
  reply finished while the window is hidden and for a finished pull.

Given the app's Session, it follows the session's client and default model itself; the
settings are read and written through desktop.core.settings.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from desktop.argv import parse_forwarded, wants_selection
from desktop.core import capabilities
from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.types import ModelInfo
from desktop.core.server_manager import ServerState
from desktop.core.session import Session, SessionEvent, can_chat, pick_default_model
from desktop.core.settings import Settings, SettingsBackend, SettingsError
from desktop.core.store import Store
from desktop.ui.controllers.quick_ask_controller import QuickAskController
from desktop.ui.hotkeys import HotkeyManager
from desktop.ui.quick_ask import QuickAskWindow
from desktop.ui.quick_ask_quote import library_prompts
from desktop.ui.quick_ask_servers import QuickAskRoute, QuickAskServers
from desktop.ui.tray import Tray

__all__ = ["TrayIntegration", "parse_forwarded"]

log = logging.getLogger(__name__)


class TrayIntegration(QObject):
    new_chat_requested = Signal()
    open_conversation_requested = Signal(int)  # a Quick Ask exchange to continue in the main window
    default_model_changed = Signal(str)
    engine_start_requested = Signal()
    engine_stop_requested = Signal()
    quit_requested = Signal()

    def __init__(self, main_window: QWidget, client: OllamaClient, store: Store | None = None, *,
                 settings: Settings | SettingsBackend | None = None, session: Session | None = None,
                 hotkeys: HotkeyManager | None = None, use_tray: bool | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = main_window
        self._settings = Settings.of(settings if settings is not None else store)
        self._session = session
        self._store = store
        self._models: list[ModelInfo] = []
        values = self._settings.current
        self.controller = QuickAskController(
            client, store, default_model=session.default_model if session else values.default_model,
            save_history=values.quick_ask_save_history, parent=self,
            route=QuickAskRoute(self._settings, session.backend_for if session else None))
        self.quick_ask = QuickAskWindow(self.controller)
        self.servers = QuickAskServers(
            session, self._settings, self.quick_ask.server_picker,
            choose_local=self.set_default_model, parent=self) if session is not None else None
        self.quick_ask.prefill_mode = values.quick_ask_prefill
        self.controller.continue_requested.connect(self._on_quick_ask_continue)
        self.controller.busy_changed.connect(self._on_quick_ask_busy_changed)
        self._chat_generating = False

        self.hotkeys = hotkeys or HotkeyManager(parent=self)
        self.hotkeys.activated.connect(self.show_quick_ask)

        available = Tray.available() if use_tray is None else use_tray
        self.tray: Tray | None = Tray(self) if available else None
        if self.tray is not None:
            signals = self.tray.signals
            signals.quick_ask_requested.connect(self.show_quick_ask)
            signals.new_chat_requested.connect(self._on_tray_new_chat)
            signals.show_window_requested.connect(self.show_window)
            signals.hide_window_requested.connect(self._window.hide)
            signals.default_model_chosen.connect(self.set_default_model)
            signals.engine_start_requested.connect(self.engine_start_requested)
            signals.engine_stop_requested.connect(self.engine_stop_requested)
            signals.quit_requested.connect(self.quit_requested)
            self.tray.toggle_window_requested.connect(self.toggle_window)
            app = QApplication.instance()
            if isinstance(app, QApplication):
                # Hidden to the tray is not "closed": only Quit ends the app.
                app.setQuitOnLastWindowClosed(False)
        main_window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            # Release the key grab and the tray icon while Qt's dispatcher still exists.
            app.aboutToQuit.connect(self.close)
        self._unsubscribe = session.subscribe(self._on_session) if session is not None else None

    def _on_session(self, event: SessionEvent) -> None:
        assert self._session is not None
        if event is SessionEvent.CLIENT:
            self.controller.set_client(self._session.client)
        elif event in (SessionEvent.MODELS, SessionEvent.DEFAULT_MODEL):
            self._show_models(list(self._session.models), self._session.default_model)

    # ------------------------------------------------------------------ start / stop
    def start(self) -> None:
        if self.tray is not None:
            self.tray.show()
        self.hotkeys.register(self._settings.current.quick_ask_shortcut)

    def close(self) -> None:
        self.hotkeys.close()
        self.controller.stop()
        self.quick_ask.hide()
        if self.tray is not None:
            self.tray.hide()

    async def aclose(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self.servers is not None:
            self.servers.close()
        self.close()
        await self.controller.aclose()

    # ------------------------------------------------------------------ requests
    def handle_argv(self, argv: Sequence[str]) -> None:
        """A launch's arguments (this one's at start-up, or a later one's, forwarded)."""
        quick, text = parse_forwarded(argv)
        if quick:
            self.show_quick_ask(text, ask=bool(text.strip()), selection=wants_selection(argv))
        else:
            self.show_window()

    def show_quick_ask(self, text: str | None = None, ask: bool = False, selection: bool = False) -> None:
        if isinstance(text, bool):  # connected to a signal that passes `checked`
            text = None
        values = self._settings.current
        self.quick_ask.prefill_mode = values.quick_ask_prefill
        self.controller.save_history = values.quick_ask_save_history
        self.quick_ask.quote_bar.set_saved_prompts(library_prompts(self._store))
        if self.servers is not None:
            self.servers.refresh()
        model = self.controller.default_model  # a screenshot region only for a model that sees images
        models = self._models
        if self.servers is not None and (remote := self.servers.remote_choice()) is not None:
            model, models = remote
        abilities = capabilities.abilities(model, capabilities.find(models, model))
        self.quick_ask.shot.set_available(abilities.vision)
        self.quick_ask.open(text or None, ask=ask, selection=selection)
        self.hotkeys.activate_window(int(self.quick_ask.winId()))

    def show_window(self) -> None:
        self._window.showNormal() if self._window.isMinimized() else self._window.show()
        self._window.raise_()
        self._window.activateWindow()
        self._sync_window_state()

    def toggle_window(self) -> None:
        if self._window.isVisible() and not self._window.isMinimized():
            self._window.hide()
        else:
            self.show_window()

    def set_client(self, client: OllamaClient) -> None:
        self.controller.set_client(client)

    def set_default_model(self, name: str) -> None:
        """The tray menu's choice: saved for new chats and Quick Ask alike."""
        self.controller.default_model = name
        try:
            if self._session is not None:
                self._session.choose_default_model(name)
            else:
                self._settings.update(default_model=name)
        except SettingsError:  # the choice still holds for this session
            log.warning("could not save the default model", exc_info=True)
        if self.tray is not None:
            self.tray.update_state(default_model=name)
        self.default_model_changed.emit(name)

    # ------------------------------------------------------------------ state from other parts
    def set_models(self, models: Sequence[ModelInfo | str]) -> None:
        """The installed models (ModelInfo, or names) without a session to follow."""
        infos = [ModelInfo(name=m) if isinstance(m, str) else m for m in models]
        self._show_models(infos, pick_default_model(infos, self._settings.current.default_model))

    def _show_models(self, models: list[ModelInfo], default: str) -> None:
        self._models = models
        # The saved choice while it is installed, else the first model that can chat (unsaved).
        self.controller.default_model = default
        if self.tray is not None:
            chat = tuple(m.name for m in models if can_chat(m))  # the menu offers what can chat
            self.tray.update_state(models=chat, default_model=default)

    def set_server_state(self, state: ServerState) -> None:
        if self.tray is not None:
            self.tray.update_state(server=state.value)

    def set_engine(self, *, running: bool, available: bool = True) -> None:
        if self.tray is not None:
            self.tray.update_state(engine_running=running, engine_available=available)

    def set_generating(self, generating: bool) -> None:
        """The chat is generating (Quick Ask's own answers are tracked here already)."""
        self._chat_generating = generating
        if self.tray is not None:
            self.tray.update_state(generating=generating or self.controller.busy)

    def _on_quick_ask_busy_changed(self, busy: bool) -> None:
        if self.tray is not None:
            self.tray.update_state(generating=busy or self._chat_generating)

    def on_pulls_active_changed(self, active: bool) -> None:
        if self.tray is not None:
            self.tray.update_state(pulling=active)

    def on_pull_finished(self, name: str, ok: bool) -> None:
        if self.tray is not None:
            self.tray.on_pull_finished(name, ok)

    def on_reply_finished(self, title: str, text: str) -> None:
        if self.tray is not None:
            self._sync_window_state()
            self.tray.on_reply_finished(title, text)

    # ------------------------------------------------------------------ Qt events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self._window:
            if event.type() == QEvent.Type.Close:
                return self._on_window_close(event)
            if event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
                self._sync_window_state()
        return False

    def _on_window_close(self, event: QEvent) -> bool:
        if self.tray is None:
            return False  # no tray: the last window closing quits, as usual
        values = self._settings.current
        if not self.tray.icon.isVisible() or not values.close_to_tray:
            # quitOnLastWindowClosed is off while a tray exists, so quit explicitly.
            self.quit_requested.emit()
            return False
        event.ignore()
        self._window.hide()
        if not values.close_hint_shown:
            if self.hotkeys.status.active:
                message = self.tr("It keeps running in the system tray. Press {0} for Quick Ask, or turn "
                                  "this off in the settings.").format(self.hotkeys.status.shortcut)
            else:
                message = self.tr("It keeps running in the system tray; click its icon to open it again, "
                                  "or turn this off in the settings.")
            self.tray.notify(self.tr("Ollama Desk is still running"), message)
            try:
                self._settings.update(close_hint_shown=True)
            except SettingsError:  # telling twice is harmless
                pass
        return True

    def _sync_window_state(self) -> None:
        if self.tray is not None:
            self.tray.update_state(window_visible=self._window.isVisible() and not self._window.isMinimized())

    def _on_tray_new_chat(self) -> None:
        self.show_window()
        self.new_chat_requested.emit()

    def _on_quick_ask_continue(self, conversation_id: int) -> None:
        self.show_window()
        self.open_conversation_requested.emit(conversation_id)
