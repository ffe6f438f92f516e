"""API keys and tokens in the OS keyring (Secret Service, macOS Keychain, Windows Credential
Manager through the `keyring` package), never in SQLite, exports or logs.

Where no keyring backend exists (a bare Linux session, a container) or the keyring fails,
secrets are kept in memory for this session only and `notice` says so: the app asks for the
key again at the next start rather than writing it in plain text anywhere. Keyring calls can
block on D-Bus or an unlock prompt: call them from a worker thread.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger(__name__)

SERVICE = "ollama-desk"
NO_KEYRING = (
    "No system keyring was found, so API keys are kept only until you quit; "
    "you will be asked for them again at the next start."
)
KEYRING_FAILED = "The system keyring could not be used ({error}); API keys are kept only until you quit."


def _usable(backend: Any) -> bool:
    from keyring.backends import chainer, fail

    if isinstance(backend, fail.Keyring):
        return False
    try:
        from keyring.backends import null

        if isinstance(backend, null.Keyring):
            return False
    except ImportError:  # pragma: no cover - older keyring
        pass
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    return True


class Secrets:
    """One account per server id under the service "ollama-desk"."""

    def __init__(self, backend: Any | None = None, *, service: str = SERVICE) -> None:
        self.service = service
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()
        self._notice = ""
        self._given = backend
        self._backend: Any | None = None
        self._resolved = False

    def _resolve(self) -> None:
        # Lazily, on the first use (a worker thread): finding the keyring talks to D-Bus.
        if self._resolved:
            return
        self._resolved = True
        try:
            import keyring

            chosen = self._given if self._given is not None else keyring.get_keyring()
        except Exception as err:  # noqa: BLE001 - an import or config failure means no keyring
            self._notice = KEYRING_FAILED.format(error=type(err).__name__)
            return
        if _usable(chosen):
            self._backend = chosen
        else:
            self._notice = NO_KEYRING

    @property
    def notice(self) -> str:
        """A plain sentence when keys cannot be kept across restarts; "" otherwise."""
        self._resolve()
        return self._notice

    @property
    def persistent(self) -> bool:
        """Keys survive a restart (a real keyring answers)."""
        self._resolve()
        return self._backend is not None

    def get(self, account: str) -> str:
        self._resolve()
        with self._lock:
            if account in self._memory or self._backend is None:
                return self._memory.get(account, "")
        try:
            value = self._backend.get_password(self.service, account)
        except Exception as err:  # noqa: BLE001 - locked, D-Bus gone: fall back, never crash
            self._fail(err)
            return ""
        return value if isinstance(value, str) else ""

    def set(self, account: str, secret: str) -> None:
        if not secret:
            self.delete(account)
            return
        self._resolve()
        if self._backend is not None:
            try:
                self._backend.set_password(self.service, account, secret)
                with self._lock:
                    self._memory.pop(account, None)
                return
            except Exception as err:  # noqa: BLE001
                self._fail(err)
        with self._lock:
            self._memory[account] = secret

    def delete(self, account: str) -> None:
        with self._lock:
            self._memory.pop(account, None)
        self._resolve()
        if self._backend is None:
            return
        try:
            self._backend.delete_password(self.service, account)
        except Exception as err:  # noqa: BLE001 - PasswordDeleteError when there was none
            if type(err).__name__ != "PasswordDeleteError":
                self._fail(err)

    def _fail(self, err: Exception) -> None:
        # The error's class only: a backend's message could quote what it was given.
        log.warning("keyring failed: %s", type(err).__name__)
        self._notice = KEYRING_FAILED.format(error=type(err).__name__)
        self._backend = None
