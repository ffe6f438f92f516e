"""Models on the other Ollama servers (#15): the same model manager (installed, in memory,
downloads, catalog) over a saved Ollama server chosen at the top. OpenAI-compatible servers
are not listed: `/v1` has no pull, delete or running-models API.

It has its own ModelsController (and its own pending-pulls file), so the local server's
model list, picker and pulls are never mixed with a remote one's.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop import paths
from desktop.core.backends import BackendKind, OllamaBackend
from desktop.core.server_manager import ServerState
from desktop.core.session import Session
from desktop.ui.controllers.models_controller import ModelsController
from desktop.ui.widgets.model_manager import ModelManagerPage

PENDING_FILE = "pending-pulls-servers.json"


class ServerModelsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverModelsPage")
        self._fleet = session.fleet
        self.controller: ModelsController | None = None
        self.manager: ModelManagerPage | None = None
        self._server_id = ""
        self.server_combo = QComboBox()
        self.server_combo.setAccessibleName(self.tr("Ollama server"))
        self.server_combo.activated.connect(self._on_chosen)
        self.note = QLabel(
            self.tr(
                "Add an Ollama server in Settings > Servers to manage its models here. "
                "OpenAI-compatible servers (vLLM, TGI, llama.cpp) serve the models they were started with."
            )
        )
        self.note.setWordWrap(True)
        top = QHBoxLayout()
        label = QLabel(self.tr("&Server:"))
        label.setBuddy(self.server_combo)
        top.addWidget(label)
        top.addWidget(self.server_combo, 1)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(top)
        self._layout.addWidget(self.note)
        self._layout.addStretch(1)
        self._unsubscribe = self._fleet.subscribe(lambda _sid: self._fill())
        self._fill()

    def _fill(self) -> None:
        ollama = [s for s in self._fleet.statuses() if s.server.kind is BackendKind.OLLAMA]
        self.server_combo.clear()
        for status in ollama:
            state = self.tr("online") if status.state is ServerState.ONLINE else self.tr("offline")
            text = self.tr("%1 (%2) — %3").replace("%1", status.server.name).replace("%2", status.server.url)
            self.server_combo.addItem(text.replace("%3", state), status.server.id)
        self.server_combo.setEnabled(bool(ollama))
        self.note.setVisible(not ollama)
        if not ollama:
            return
        index = max(0, self.server_combo.findData(self._server_id))
        self.server_combo.setCurrentIndex(index)
        self._on_chosen(index)

    def _on_chosen(self, index: int) -> None:
        server_id = str(self.server_combo.itemData(index) or "")
        backend = self._fleet.backend(server_id)
        if not isinstance(backend, OllamaBackend):
            return
        if (
            self.controller is not None
            and server_id == self._server_id
            and self.controller.client is backend.client
        ):
            return  # the same server and connection: nothing to redo
        self._server_id = server_id
        if self.controller is None:
            self.controller = ModelsController(
                backend.client, embedded=False, pending_path=paths.data_dir() / PENDING_FILE, parent=self
            )
            self.manager = ModelManagerPage(self.controller)
            self._layout.insertWidget(2, self.manager, 1)
            self.controller.refresh()
        else:
            self.controller.set_client(backend.client, embedded=False)  # refreshes

    async def aclose(self) -> None:
        self._unsubscribe()
        if self.controller is not None:
            await self.controller.aclose()
