"""Servers (#15): the model servers besides the local one. Add, edit, remove, test.

Kinds: Ollama (URL, optional headers for a reverse proxy, optional bearer token) and
OpenAI-compatible (base URL + API key: vLLM, TGI, llama-server, LM Studio). Keys and header
values go to the keyring through ServerBook, on a worker thread; the page never shows a saved
key back (the field says "saved in the keyring" and stays empty: typing replaces it).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.backends import BackendKind
from desktop.core.fleet import Fleet
from desktop.core.server_manager import ServerState
from desktop.core.servers import SavedServer, ServerBook, check_backend, check_headers, make_backend
from desktop.core.session import Session
from desktop.ui.settings.share_section import ShareSection
from desktop.ui.tasks import TaskRunner, plain

ID_ROLE = int(Qt.ItemDataRole.UserRole)


def parse_headers(text: str) -> dict[str, str]:
    """ "Name: value" per line; ValueError with a plain sentence for a line without a colon."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon:
            raise ValueError(f"'{line.strip()}' is not 'Name: value'.")
        out[name.strip()] = value.strip()
    return check_headers(out)


class ServersPage(QWidget):
    def __init__(
        self,
        book: ServerBook,
        fleet: Fleet | None = None,
        parent: QWidget | None = None,
        *,
        session: Session | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("serversPage")
        self._book = book
        self._fleet = fleet
        self._tasks = TaskRunner(self)
        self._servers: list[SavedServer] = []

        self.server_list = QListWidget()
        self.server_list.setAccessibleName(self.tr("Model servers"))
        self.server_list.currentRowChanged.connect(self._on_selected)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("Office GPU"))
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("Ollama"), BackendKind.OLLAMA.value)
        self.kind_combo.addItem(
            self.tr("OpenAI-compatible (vLLM, TGI, llama.cpp, LM Studio)"), BackendKind.OPENAI.value
        )
        self.kind_combo.currentIndexChanged.connect(self._on_kind)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("http://192.168.1.20:11434")
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setAccessibleName(self.tr("API key"))
        self.headers_edit = QPlainTextEdit()
        self.headers_edit.setPlaceholderText(self.tr("One per line, e.g. CF-Access-Client-Id: abc"))
        self.headers_edit.setFixedHeight(56)
        self.headers_label = QLabel(self.tr("&Headers:"))
        self.headers_label.setBuddy(self.headers_edit)

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("&Kind:"), self.kind_combo)
        form.addRow(self.tr("&Address:"), self.url_edit)
        self.key_label = QLabel(self.tr("API &key:"))
        self.key_label.setBuddy(self.key_edit)
        form.addRow(self.key_label, self.key_edit)
        form.addRow(self.headers_label, self.headers_edit)

        self.add_button = QPushButton(self.tr("Add"))
        self.save_button = QPushButton(self.tr("Save changes"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.test_button = QPushButton(self.tr("Test"))
        self.test_button.setToolTip(self.tr("List this server's models (nothing is loaded)"))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.save_button, self.remove_button, self.test_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.add_button.clicked.connect(self._on_add)
        self.save_button.clicked.connect(self._on_save)
        self.remove_button.clicked.connect(self._on_remove)
        self.test_button.clicked.connect(self._on_test)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("The local server (this computer) is always there; add others here."))
        )
        layout.addWidget(self.server_list, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.keyring_note)
        self.share: ShareSection | None = None
        if session is not None:  # the opt-in to share this computer's engine (#15)
            self.share = ShareSection(session, book.secrets)
            layout.addWidget(self.share)
        self._on_kind()
        self.reload()
        self._tasks.run_blocking(lambda: book.secrets.notice, on_result=self._show_keyring_note)
        if fleet is not None:
            self._unsubscribe = fleet.subscribe(lambda _sid: self._refresh_states())
            self.destroyed.connect(lambda *_a, u=self._unsubscribe: u())

    # ------------------------------------------------------------------ the list
    def reload(self, select: str = "") -> None:
        self._servers = self._book.all()
        self.server_list.blockSignals(True)
        self.server_list.clear()
        local = QListWidgetItem(self.tr("This computer — always there"))
        local.setData(ID_ROLE, "")
        self.server_list.addItem(local)
        for server in self._servers:
            item = QListWidgetItem()
            item.setData(ID_ROLE, server.id)
            self.server_list.addItem(item)
        self.server_list.blockSignals(False)
        self._refresh_states()
        row = next((i + 1 for i, s in enumerate(self._servers) if s.id == select), 0)
        self.server_list.setCurrentRow(row)
        self._on_selected(row)

    def _refresh_states(self) -> None:
        for row, server in enumerate(self._servers, start=1):
            item = self.server_list.item(row)
            if item is None:
                continue
            status = self._fleet.status(server.id) if self._fleet is not None else None
            kind = self.tr("Ollama") if server.kind is BackendKind.OLLAMA else self.tr("OpenAI-compatible")
            if status is None or status.state in (ServerState.UNKNOWN, ServerState.CONNECTING):
                state = self.tr("checking…")
            elif status.state is ServerState.ONLINE:
                state = self.tr("online, %n model(s)", "", len(status.models))
            elif status.key_rejected:
                state = self.tr("key rejected")
            else:
                state = self.tr("offline")
            item.setText(
                self.tr("%1 — %2 — %3 — %4")
                .replace("%1", server.name)
                .replace("%2", kind)
                .replace("%3", server.url)
                .replace("%4", state)
            )
            item.setToolTip(status.message if status is not None else "")

    def _selected(self) -> SavedServer | None:
        row = self.server_list.currentRow()
        return self._servers[row - 1] if 1 <= row <= len(self._servers) else None

    def _on_selected(self, _row: int) -> None:
        server = self._selected()
        self.save_button.setEnabled(server is not None)
        self.remove_button.setEnabled(server is not None)
        self.key_edit.clear()
        self.headers_edit.clear()
        if server is None:
            self.name_edit.clear()
            self.url_edit.clear()
            self.key_edit.setPlaceholderText("")
            return
        self.name_edit.setText(server.name)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(server.kind.value)))
        self.url_edit.setText(server.url)
        self.headers_edit.setPlainText("\n".join(f"{name}: " for name in server.header_names))
        self.key_edit.setPlaceholderText(
            self.tr("Kept until you quit; type to replace it")
            if self.keyring_note.text()
            else self.tr("Kept in the keyring; type to replace it")
        )

    def _on_kind(self, _index: int = 0) -> None:
        ollama = self._kind() is BackendKind.OLLAMA
        self.headers_edit.setVisible(ollama)
        self.headers_label.setVisible(ollama)
        self.key_label.setText(self.tr("Bearer &token:") if ollama else self.tr("API &key:"))
        self.url_edit.setPlaceholderText(
            "http://192.168.1.20:11434" if ollama else "http://192.168.1.20:8000/v1"
        )

    def _kind(self) -> BackendKind:
        return BackendKind(self.kind_combo.currentData() or BackendKind.OLLAMA.value)

    def _show_keyring_note(self, notice: str) -> None:
        self.keyring_note.setText(
            self.tr("No system keyring: keys are kept only until you quit.") if notice else ""
        )
        self.keyring_note.setToolTip(notice)
        self.keyring_note.setVisible(bool(notice))
        self._on_selected(self.server_list.currentRow())

    # ------------------------------------------------------------------ actions
    def _headers(self) -> dict[str, str] | None:
        if self._kind() is not BackendKind.OLLAMA:
            return {}
        return parse_headers(self.headers_edit.toPlainText())

    def _on_add(self) -> None:
        try:
            headers = self._headers()
        except ValueError as err:
            self.status.setText(str(err))
            return
        name, kind, url, key = self.name_edit.text(), self._kind(), self.url_edit.text(), self.key_edit.text()
        self._busy(self.tr("Saving…"))
        self._tasks.run_blocking(
            lambda: self._book.add(name, kind, url, api_key=key, headers=headers),
            on_result=lambda server: self._saved(server, self.tr("Added %1.").replace("%1", server.name)),
            on_error=self._failed,
        )

    def _on_save(self) -> None:
        server = self._selected()
        if server is None:
            return
        try:
            typed = self._headers()
        except ValueError as err:
            self.status.setText(str(err))
            return
        # Header lines left as "Name:" keep their saved values.
        headers = (
            None
            if typed is not None and not any(typed.values()) and list(typed) == list(server.header_names)
            else typed
        )
        key = self.key_edit.text() or None
        name, kind, url = self.name_edit.text(), self._kind(), self.url_edit.text()
        self._busy(self.tr("Saving…"))
        self._tasks.run_blocking(
            lambda: self._book.edit(server.id, name=name, kind=kind, url=url, api_key=key, headers=headers),
            on_result=lambda saved: self._saved(saved, self.tr("Saved %1.").replace("%1", saved.name)),
            on_error=self._failed,
        )

    def _on_remove(self) -> None:
        server = self._selected()
        if server is None:
            return
        self._busy(self.tr("Removing…"))
        self._tasks.run_blocking(
            lambda: self._book.remove(server.id),
            on_result=lambda _r: self._saved(None, self.tr("Removed %1.").replace("%1", server.name)),
            on_error=self._failed,
        )

    def _on_test(self) -> None:
        """Test what the form says (saved key when the field is empty), without saving it."""
        server = self._selected()
        try:
            headers = self._headers() or {}
        except ValueError as err:
            self.status.setText(str(err))
            return
        kind, url, key = self._kind(), self.url_edit.text().strip(), self.key_edit.text()
        if not url:
            self.status.setText(self.tr("Type the server's address first."))
            return

        def credentials() -> tuple[str, dict[str, str]]:
            if server is None:
                return key, headers
            saved = self._book.credentials(server.id)
            merged = {**(saved.headers or {}), **{k: v for k, v in headers.items() if v}}
            return key or saved.api_key, merged

        async def test(api_key: str, all_headers: dict[str, str]) -> str:
            backend = make_backend(kind, url, api_key=api_key, headers=all_headers)
            try:
                return (await check_backend(backend)).message
            finally:
                await backend.aclose()

        self._busy(self.tr("Testing…"))

        # The saved key is read on a worker thread (the keyring may block), then the check runs.
        def check(found: tuple[str, dict[str, str]]) -> None:
            self._tasks.start(test(*found), on_result=self._tested, on_error=self._failed)

        self._tasks.run_blocking(credentials, on_result=check, on_error=self._failed)

    def _tested(self, message: str) -> None:
        self._idle()
        self.status.setText(message)

    def _saved(self, server: SavedServer | None, message: str) -> None:
        self._idle()
        self.reload(server.id if server else "")
        self.status.setText(message)

    def _failed(self, err: BaseException) -> None:
        self._idle()
        self.status.setText(plain(err))

    def _busy(self, text: str) -> None:
        self.status.setText(text)
        for button in (self.add_button, self.save_button, self.remove_button, self.test_button):
            button.setEnabled(False)

    def _idle(self) -> None:
        for button in (self.add_button, self.test_button):
            button.setEnabled(True)
        selected = self._selected() is not None
        self.save_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)
