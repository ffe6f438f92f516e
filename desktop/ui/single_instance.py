"""One running app per user and data folder; a second launch hands its arguments over.

The first instance holds a QLockFile and listens on a QLocalServer. A later launch
finds the lock taken, connects to the server, sends its argv as one JSON line, waits
for "ok" and exits 0. QLockFile treats a lock whose process is gone as stale and takes
it over, and the new owner removes a socket file left behind by a crash before it
listens, so neither blocks the next start.

The name is derived from the user and the data folder, so tests (and portable copies
with their own OLLAMA_DESK_HOME) never talk to the user's real instance.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from desktop import paths

log = logging.getLogger(__name__)

ACK = b"ok\n"
MAX_MESSAGE = 1 << 20  # a forwarded argv is small; anything larger is not ours


def instance_key(data_dir: Path | None = None) -> str:
    """A short name that is the same for every launch by this user on this data folder."""
    folder = str((data_dir or paths.data_dir()).resolve())
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name (odd containers): the folder still separates
        user = "user"
    digest = hashlib.sha256(f"{user}\0{folder}".encode()).hexdigest()[:16]
    return f"ollama-desk-{digest}"


def encode_message(argv: Sequence[str]) -> bytes:
    return json.dumps({"argv": list(argv), "cwd": os.getcwd()}).encode() + b"\n"


def decode_message(data: bytes) -> list[str] | None:
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    argv = obj.get("argv") if isinstance(obj, dict) else None
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        return None
    return argv


def forward(argv: Sequence[str], key: str | None = None, *, timeout_ms: int = 3000) -> bool:
    """Send argv to the running instance; True once it acknowledged.

    Blocking calls on purpose: this runs before any event loop, in a process that is
    about to exit.
    """
    socket = QLocalSocket()
    socket.connectToServer(key or instance_key())
    if not socket.waitForConnected(timeout_ms):
        return False
    try:
        socket.write(encode_message(argv))
        if not socket.waitForBytesWritten(timeout_ms):
            return False
        reply = b""
        while not reply.endswith(b"\n"):
            if not socket.waitForReadyRead(timeout_ms):
                return False
            reply += bytes(socket.readAll().data())
        return reply == ACK
    finally:
        socket.disconnectFromServer()


class SingleInstance(QObject):
    """The first instance's side: the lock and the server that receives forwarded argv."""

    message_received = Signal(list)  # list[str]: the argv of a later launch (without argv[0])

    def __init__(self, key: str | None = None, *, lock_dir: Path | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key or instance_key()
        lock_folder = lock_dir or paths.data_dir()
        self._lock = QLockFile(str(lock_folder / f"{self.key}.lock"))
        # 0 = never stale by age: the app runs for days, and Qt's default (30 s) would let a
        # second launch steal a live lock. A lock whose owner died is still stale at once
        # (QLockFile checks whether the pid in it runs).
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    def acquire(self) -> bool:
        """True: this process is the first instance. False: another runs.

        Listens at once when a Q(Core)Application exists; otherwise call listen() after
        creating it (a server made before the application never sees its connections).
        """
        if not self._lock.tryLock(100):
            if self._lock.error() == QLockFile.LockError.LockFailedError:
                return False
            # No permission or an unwritable folder: run anyway rather than refuse to start.
            log.warning("single-instance lock unavailable (%s); running without it", self._lock.error())
        # We hold the lock, so any socket with our name is a leftover of a crash.
        QLocalServer.removeServer(self.key)
        if QCoreApplication.instance() is not None:
            self.listen()
        return True

    def listen(self) -> bool:
        """Start taking forwarded launches (idempotent); needs the application object."""
        if self._server is not None:
            return self._server.isListening()
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.key):
            log.warning("cannot listen on %s: %s", self.key, server.errorString())
            return False
        server.newConnection.connect(self._on_server_new_connection)
        self._server = server
        return True

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock.isLocked():
            self._lock.unlock()

    def _on_server_new_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._on_socket_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _on_socket_ready_read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if len(data) > MAX_MESSAGE:
            socket.abort()
            self._forget(socket)
            return
        if not data.endswith(b"\n"):
            self._buffers[socket] = data
            return
        self._buffers[socket] = b""
        argv = decode_message(data)
        if argv is None:
            socket.abort()
            self._forget(socket)
            return
        socket.write(ACK)
        socket.flush()
        self.message_received.emit(argv)

    def _forget(self, socket: QLocalSocket) -> None:
        if self._buffers.pop(socket, None) is not None:
            socket.deleteLater()


class NotAnswering(RuntimeError):
    """Another instance holds the lock but does not take forwarded arguments."""


def claim_or_forward(
    argv: Sequence[str], key: str | None = None, *, wait: float = 5.0
) -> SingleInstance | None:
    """The start-up decision: a SingleInstance to keep (we are first) or None (forwarded, exit 0).

    Meant to run before the QApplication exists (a forwarding launch then exits fast);
    call `.listen()` on the result once the application object is made.

    The first instance may hold the lock a moment before it listens, so a forward is
    retried for `wait` seconds before giving up with NotAnswering.
    """
    instance = SingleInstance(key)
    if instance.acquire():
        return instance
    deadline = time.monotonic() + wait
    while True:
        if forward(argv, instance.key, timeout_ms=1000):
            return None
        if time.monotonic() >= deadline:
            break
        time.sleep(0.2)
        # The owner may have died meanwhile: its lock is stale now, so take over.
        if instance.acquire():
            return instance
    raise NotAnswering(
        "Ollama Desk is already running but does not answer. Close it (or end its process) and try again."
    )
