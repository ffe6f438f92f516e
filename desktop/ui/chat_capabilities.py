"""Keeps the composer's offers in step with the conversation's model: whether images can be
attached (and why not), how much context attached files may fill."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer

from desktop.core.capabilities import ModelAbilities, for_conversation
from desktop.core.session import Session
from desktop.ui.controllers.chat_controller import ChatController
from desktop.ui.widgets.attachment_tray import AttachmentTray


class ComposerCapabilities(QObject):
    def __init__(self, chat: ChatController, session: Session, tray: AttachmentTray) -> None:
        super().__init__(tray)
        self._chat = chat
        self._session = session
        self._tray = tray
        chat.conversation_opened.connect(self._later)
        chat.models_offered.connect(self._later)
        chat.server_models_offered.connect(self._later)
        self._unsubscribe = session.subscribe(lambda _event: self._later())
        tray.destroyed.connect(lambda *_: self._unsubscribe())
        self.update()

    def _later(self, *_: Any) -> None:
        # After the controller has stored the choice that caused the signal.
        QTimer.singleShot(0, self, self.update)

    def abilities(self) -> ModelAbilities:
        conv = self._chat.current
        if conv is not None and conv.model:
            return for_conversation(self._session, conv.server, conv.model)
        server = str(getattr(self._chat, "_draft_server", "") or "")
        model = str(getattr(self._chat, "_draft_model", "") or "") if server else ""
        return for_conversation(self._session, server, model or self._session.default_model)

    def update(self) -> None:
        conv = self._chat.current
        context = int((conv.options if conv else {}).get("num_ctx") or 0)
        self._tray.set_abilities(self.abilities(), context)
