"""What the chat page's banner says, and where its button leads.

Every failure the chat can meet (server away, model missing, a send refused, an engine that
would not start) becomes one plain sentence with a way out. The way out is a typed action,
not a string key; the page only renders `shown` / `hidden`. Strings keep the "Desk" context
they had in app.py, where their translations are filed.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QCoreApplication, QObject, Signal

from desktop.core.server_manager import ServerState
from desktop.ui.controllers.chat_controller import ChatController, SendRefusal
from desktop.ui.controllers.connection_controller import ConnectionController


class BannerAction(Enum):
    NONE = "none"
    START_ENGINE = "start_engine"  # find or start a model server
    GET_MODEL = "get_model"  # open the Models page
    DOWNLOAD = "download"  # pull the conversation's missing model


class BannerController(QObject):
    shown = Signal(str, str, bool)  # text, action button label ("" = none), offer Retry
    hidden = Signal()
    models_page_requested = Signal()
    pull_requested = Signal(str)  # a model to download

    def __init__(self, chat: ChatController, connection: ConnectionController,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._chat = chat
        self._connection = connection
        self._action = BannerAction.NONE
        self._retry = False
        self._visible = False
        chat.failed.connect(lambda text: self.show(text))
        chat.model_missing.connect(self._on_model_missing)
        chat.send_refused.connect(self._on_send_refused)
        chat.server_unreachable.connect(lambda _text: connection.retry())
        chat.generating_changed.connect(lambda on: self.hide() if on else None)
        connection.start_failed.connect(lambda text: self.show(text, BannerAction.START_ENGINE))
        connection.state_changed.connect(self._on_state)

    @property
    def action(self) -> BannerAction:
        return self._action

    def show(self, text: str, action: BannerAction = BannerAction.NONE, *, retry: bool = True) -> None:
        self._action, self._retry, self._visible = action, retry, True
        self.shown.emit(text, self._label(action), retry)

    def hide(self) -> None:
        if self._visible:
            self._visible = False
            self.hidden.emit()

    def act(self) -> None:
        """The banner's button was pressed."""
        action = self._action
        self.hide()
        if action is BannerAction.START_ENGINE:
            self._connection.start()
        elif action is BannerAction.GET_MODEL:
            self.models_page_requested.emit()
        elif action is BannerAction.DOWNLOAD:
            current = self._chat.current
            if current is not None and current.model:
                self.pull_requested.emit(current.model)

    def retry(self) -> None:
        self.hide()
        if self._connection.state != ServerState.ONLINE:
            self._connection.retry()
        else:
            self._chat.retry_last()

    def _label(self, action: BannerAction) -> str:
        if action is BannerAction.START_ENGINE:
            return QCoreApplication.translate("Desk", "Start engine")
        if action is BannerAction.GET_MODEL:
            return QCoreApplication.translate("Desk", "Get a model")
        if action is BannerAction.DOWNLOAD:
            current = self._chat.current
            text = QCoreApplication.translate("Desk", "Download %1")
            return text.replace("%1", current.model if current else "")
        return ""

    def _offline_text(self) -> str:
        return QCoreApplication.translate(
            "Desk",
            "Cannot reach a model server at %1. Your conversations are still here; "
            "start the built-in engine or Ollama, then retry."
        ).replace("%1", self._connection.url)

    def _on_state(self, state: ServerState) -> None:
        if state == ServerState.ONLINE:
            if self._visible and self._retry:
                self.hide()
        elif state == ServerState.OFFLINE:
            self.show(self._offline_text(), BannerAction.START_ENGINE)

    def _on_model_missing(self, model: str) -> None:
        text = QCoreApplication.translate("Desk", "The model %1 is not installed on this server.")
        self.show(text.replace("%1", model), BannerAction.DOWNLOAD)

    def _on_send_refused(self, reason: str) -> None:
        if reason == SendRefusal.OFFLINE:
            self.show(self._offline_text(), BannerAction.START_ENGINE)
        else:
            text = QCoreApplication.translate(
                "Desk", "No model is installed yet. Download one to start chatting."
            )
            self.show(text, BannerAction.GET_MODEL, retry=False)
