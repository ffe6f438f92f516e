"""Keeps the composer's offers in step with the conversation: whether images can be attached
(and why not), how much context attached files may fill, the saved prompts of an empty chat."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QToolButton

from desktop.core.capabilities import ModelAbilities, for_conversation
from desktop.core.messages import Conversation
from desktop.core.prompts_library import Persona, PromptLibrary
from desktop.core.session import Session
from desktop.core.store import Message
from desktop.ui.controllers.chat_controller import ChatController
from desktop.ui.widgets.attachment_tray import AttachmentTray
from desktop.ui.widgets.prompt_picker import PromptPicker


class ComposerCapabilities(QObject):
    def __init__(self, chat: ChatController, session: Session, tray: AttachmentTray) -> None:
        super().__init__(tray)
        self._chat = chat
        self._session = session
        self._tray = tray
        # Thinking on/off for a reasoning model, right by the box; levels are in the options.
        self.think_button = QToolButton(tray)
        self.think_button.setObjectName("thinkButton")
        self.think_button.setCheckable(True)
        self.think_button.setAutoRaise(True)
        self.think_button.setText(self.tr("Think"))
        self.think_button.toggled.connect(self._on_think_toggled)
        tray.add_leading(self.think_button)
        chat.conversation_opened.connect(self._later)
        chat.models_offered.connect(self._later)
        chat.server_models_offered.connect(self._later)
        self._unsubscribe = session.subscribe(lambda _event: self._later())
        tray.destroyed.connect(lambda *_: self._unsubscribe())
        self.update()

    def _later(self, *_: object) -> None:
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
        abilities = self.abilities()
        self._tray.set_abilities(abilities, context)
        think = (conv.options if conv else {}).get("think")
        self.think_button.blockSignals(True)
        self.think_button.setChecked(think is not False)
        self.think_button.blockSignals(False)
        self.think_button.setVisible(abilities.thinking and abilities.known)
        self._update_think_tip()

    def _update_think_tip(self) -> None:
        if self.think_button.isChecked():
            tip = self.tr("The model thinks before it answers; click to answer at once")
        else:
            tip = self.tr("The model answers at once; click to let it think first")
        self.think_button.setToolTip(tip)
        self.think_button.setAccessibleName(tip)

    def _on_think_toggled(self, checked: bool) -> None:
        conv = self._chat.current
        options = dict(conv.options) if conv else {}
        level = options.get("think")
        # On keeps a level chosen in the options; off is off.
        options["think"] = (level if isinstance(level, str) else True) if checked else False
        self._chat.set_options(conv.system if conv else "", options)
        self._update_think_tip()


class PromptChoice(QObject):
    """The saved-prompt picker on the composer's row, shown while the conversation is empty;
    a choice sets the conversation's system prompt, options and (if installed) model."""

    def __init__(self, chat: ChatController, session: Session, tray: AttachmentTray, library: PromptLibrary):
        super().__init__(tray)
        self._chat = chat
        self._session = session
        self.picker = PromptPicker(library, tray)
        tray.add_leading(self.picker)
        self.picker.chosen.connect(self._apply)
        chat.conversation_opened.connect(self._on_opened)
        chat.message_added.connect(lambda *_: self.picker.hide())
        self.picker.setVisible(chat.current is None)

    def _on_opened(self, conversation: Conversation, messages: list[Message], _focus: int) -> None:
        self.picker.setVisible(not messages)
        self.picker.reload()

    def _apply(self, persona: Persona) -> None:
        conv = self._chat.current
        options = {**(conv.options if conv else {}), **persona.options}
        self._chat.set_options(persona.system, options)
        if persona.model and persona.model in self._session.chat_models:
            self._chat.set_model(persona.model)
        self.picker.reload(persona.name)
