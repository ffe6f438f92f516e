"""Quick Ask on any server (#15): which server and model it asks, and the popup's grouped picker.

The choice is kept in the settings (`quick_ask.server`, `quick_ask.server_model`). A local
model chosen here is the shared default model (the tray menu's choice too), so only a saved
server's choice needs fields of its own. A chosen server that was removed falls back to the
local server and its default model, so Quick Ask always has somewhere to ask.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QWidget

from desktop.core.backends import ChatBackend
from desktop.core.fleet import model_groups
from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.types import ModelInfo
from desktop.core.session import Session, SessionEvent
from desktop.core.settings import Settings, SettingsError
from desktop.ui.widgets.model_groups import SERVER_ROLE, fill_grouped

log = logging.getLogger(__name__)

Backend = ChatBackend | OllamaClient


class QuickAskRoute:
    """Where the next question goes: (server id, what streams it, model)."""

    def __init__(self, settings: Settings | None = None,
                 backend_for: Callable[[str], Backend | None] | None = None) -> None:
        self._settings = settings
        self._backend_for = backend_for

    def chosen(self) -> tuple[str, str]:
        """The saved server and model ("", "" = the local default)."""
        if self._settings is None:
            return "", ""
        values = self._settings.current
        return values.quick_ask_server, values.quick_ask_server_model

    def pick(self, local: OllamaClient, default_model: str) -> tuple[str, Backend, str]:
        server, model = self.chosen()
        if server and model and self._backend_for is not None:
            backend = self._backend_for(server)
            if backend is not None:
                return server, backend, model
        return "", local, default_model


class ServerPicker(QComboBox):
    """The popup's model picker over every server; hidden while only the local one exists."""

    chosen = Signal(str, str)  # server id ("" = local), model

    def __init__(self, parent: QWidget | None = None, *, label: QLabel | None = None) -> None:
        super().__init__(parent)
        self._label = label  # the popup's one-model label, shown while only the local server exists
        self.setObjectName("QuickAskServerPicker")
        self.setToolTip(self.tr("The server and model Quick Ask asks"))
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        # As wide as a model's name, not as the widest server heading (the open list is wider).
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.hide()
        self.activated.connect(self._on_activated)

    def show_groups(self, groups: list[Any], server: str, model: str) -> None:
        """Fill with every server's models (with one server the model's label says enough)."""
        several = len(groups) > 1
        if several:
            self.blockSignals(True)
            fill_grouped(self, groups, server, model)
            self.blockSignals(False)
            # The closed box shows the model only: its server is named here.
            self.setToolTip(str(self.itemData(self.currentIndex(), Qt.ItemDataRole.ToolTipRole) or ""))
        self.setVisible(several)
        if self._label is not None:
            self._label.setVisible(not several)

    def _on_activated(self, _index: int) -> None:
        model = str(self.currentData() or "")
        server = self.currentData(SERVER_ROLE)
        if model and server is not None:
            self.chosen.emit(str(server), model)


class QuickAskServers(QObject):
    """Keeps the popup's picker filled from the session and its fleet, and saves the choice."""

    def __init__(self, session: Session, settings: Settings, picker: ServerPicker, *,
                 choose_local: Callable[[str], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._settings = settings
        self._picker = picker
        self._choose_local = choose_local
        self.route = QuickAskRoute(settings, session.backend_for)
        picker.chosen.connect(self.choose)
        self._unsubscribe = [
            session.subscribe(self._on_session),
            session.fleet.subscribe(lambda _server_id: self.refresh()),
        ]

    def choose(self, server: str, model: str) -> None:
        try:
            self._settings.update(quick_ask_server=server, quick_ask_server_model=model if server else "")
        except SettingsError:  # the choice still holds until the app quits
            log.warning("could not save Quick Ask's server", exc_info=True)
        if not server:
            self._choose_local(model)
        self.refresh()

    def refresh(self) -> None:
        session = self._session
        server, model = self.route.chosen()
        if server and session.fleet.status(server) is None:
            server, model = "", ""  # removed: the local default answers
        groups = model_groups(
            session.fleet, local_name=self.tr("This computer"), local_state=session.state,
            local_models=session.models,
        ) if session.fleet.statuses() else []
        self._picker.show_groups(groups, server, model or session.default_model)

    def remote_choice(self) -> tuple[str, list[ModelInfo]] | None:
        """The chosen saved server's model and that server's models (None: the local server asks)."""
        server, model = self.route.chosen()
        status = self._session.fleet.status(server) if server and model else None
        return (model, list(status.models)) if status is not None else None

    def close(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []

    def _on_session(self, event: SessionEvent) -> None:
        if event in (SessionEvent.MODELS, SessionEvent.DEFAULT_MODEL, SessionEvent.STATE):
            self.refresh()
