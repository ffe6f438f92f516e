"""Share the built-in engine on the local network (#15): the settings opt-in.

On: an API key is made (or the saved one reused) and kept in the keyring; the session starts
its next engine with `serve --share` and sends the key itself. The page shows the address and
key to give colleagues. Off: the key is forgotten and the next engine stays on 127.0.0.1.
"""

from __future__ import annotations

import secrets as random_tokens
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from desktop.core.secrets import Secrets
from desktop.core.session import Session
from desktop.ui.tasks import TaskRunner, plain

SHARE_ACCOUNT = "engine-share"


def lan_address() -> str:
    try:
        from desktop.engine.share import lan_addresses
    except ImportError:  # no engine extra: nothing to share anyway
        return ""
    found = lan_addresses()
    return found[0] if found else ""


def read_or_make_key(store: Secrets) -> str:
    key = store.get(SHARE_ACCOUNT)
    if not key:
        key = random_tokens.token_urlsafe(24)
        store.set(SHARE_ACCOUNT, key)
    return key


class ShareSection(QWidget):
    def __init__(self, session: Session, store: Secrets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._store = store
        self._tasks = TaskRunner(self)
        self.share_check = QCheckBox(self.tr("Share this computer's built-in engine on the local network"))
        self.share_check.setToolTip(
            self.tr("Colleagues need the API key shown below; nothing is shared without it")
        )
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.share_check)
        layout.addWidget(self.info)
        self.share_check.setChecked(session.settings.current.engine_share)
        self.share_check.toggled.connect(self._on_toggled)
        if self.share_check.isChecked():
            self._tasks.run_blocking(
                lambda: read_or_make_key(store), on_result=self._shown, on_error=self._failed
            )

    def _on_toggled(self, on: bool) -> None:
        if on:
            self._tasks.run_blocking(
                lambda: read_or_make_key(self._store), on_result=self._on_key, on_error=self._failed
            )
            return
        self._session.settings.update(engine_share=False)
        self._session.set_share_key("")
        self._tasks.run_blocking(lambda: self._store.delete(SHARE_ACCOUNT))
        self.info.setText(
            self.tr("Not shared. The built-in engine stays on this computer from its next start.")
        )

    def _on_key(self, key: str) -> None:
        self._session.settings.update(engine_share=True)
        self._session.set_share_key(key)
        self._shown(key)

    def _shown(self, key: str) -> None:
        port = urlsplit(self._session.url).port or 11434
        address = lan_address() or self.tr("this computer's address")
        text = self.tr(
            "Colleagues add http://%1:%2 as an Ollama server with the bearer token %3 "
            "(or as OpenAI-compatible with it as API key). It applies when the built-in engine next starts."
        )
        self.info.setText(text.replace("%1", address).replace("%2", str(port)).replace("%3", key))
        if self._store.notice:
            self.info.setText(
                self.info.text() + " " + self.tr("No system keyring: a new key is made at each start.")
            )

    def _failed(self, err: BaseException) -> None:
        self.info.setText(plain(err))
