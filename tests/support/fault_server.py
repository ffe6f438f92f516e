"""A loopback HTTP/1.1 server that misbehaves on purpose, for protocol tests.

Raw sockets, one thread per connection, so it can do what a well-behaved framework
will not: drip a body one byte at a time, cut the connection after N bytes, or keep
the socket open and send nothing. Streams (``lines``) use chunked transfer encoding,
as Ollama does, so a cut is a truncated message to the client, never a clean end.

Usage::

    server.route("POST", "/api/chat", lines=[{"message": {...}, "done": False}, ...], delay=0.01)
    server.route("GET", "/api/tags", body={"models": []})
    server.route("POST", "/api/chat", status=404, body={"error": "model 'x' not found"})

Unrouted requests get Ollama's (gin's) ``404 page not found`` as text/plain.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

_POLL = 0.05  # how often a waiting thread checks whether the server is closing


@dataclass
class Recorded:
    """One request as the server received it."""

    method: str
    path: str  # with the query string, as sent
    headers: dict[str, str]  # lower-cased names
    body: bytes
    # Set when the server notices the client closed the connection while a response
    # was still being sent (or stalled): the proof that a client hung up promptly.
    client_closed: threading.Event = field(default_factory=threading.Event, repr=False)
    # Set once the server finished with this request's response (sent, cut or abandoned).
    finished: threading.Event = field(default_factory=threading.Event, repr=False)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    @property
    def route_path(self) -> str:
        return self.path.split("?", 1)[0]


@dataclass
class _Script:
    status: int
    body: bytes | None
    lines: list[bytes]
    delay: float
    drip: float | None
    cut_after: int | None
    stall_after: int | None
    content_type: str
    header_delay: float
    once: bool
    headers: dict[str, str]


class _ClientGone(Exception):
    """The client closed the connection (or the server is closing): stop this response."""


class _Cut(Exception):
    """The script cut the connection on purpose."""


class FaultServer:
    """A scripted HTTP/1.1 server on 127.0.0.1 in a background thread. See module doc."""

    def __init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(_POLL)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: list[Recorded] = []
        self.connections = 0  # TCP connections accepted so far
        self._routes: dict[tuple[str, str], list[_Script]] = {}
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._conns: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._request_arrived = threading.Condition(self._lock)
        self._acceptor = threading.Thread(target=self._accept_loop, name="fault-server-accept", daemon=True)
        self._acceptor.start()

    # ----------------------------------------------------------------- scripting

    def route(
        self,
        method: str,
        path: str,
        *,
        status: int = 200,
        body: bytes | str | dict[str, Any] | list[Any] | None = None,
        lines: Sequence[bytes | dict[str, Any]] = (),
        delay: float = 0.0,
        drip: float | None = None,
        cut_after: int | None = None,
        stall_after: int | None = None,
        content_type: str | None = None,
        header_delay: float = 0.0,
        raw: bool = False,
        once: bool = False,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Script the answer to ``method path`` (path without query string).

        lines: NDJSON lines, sent chunked; dicts are dumped, bytes get a newline unless
            they end with one (``raw=True`` sends bytes verbatim: partial or blank lines).
        body: a whole body (dict/list -> JSON, str -> UTF-8), sent with Content-Length.
        delay: seconds before each line. drip: send one byte every ``drip`` seconds.
        cut_after: close the socket abruptly after N bytes of body (payload bytes).
        stall_after: after N lines, send nothing more and keep the socket open.
        header_delay: seconds before the status line (Ollama sends no headers while a
            model loads); ``float("inf")`` never answers at all.
        once: answer only the next matching request with this script; later requests
            fall back to the persistent (non-once) route. Without ``once`` a new route
            replaces the previous persistent one.
        """
        if isinstance(body, (dict, list)):
            body_bytes: bytes | None = json.dumps(body).encode("utf-8")
            default_type = "application/json; charset=utf-8"
        elif isinstance(body, str):
            body_bytes = body.encode("utf-8")
            default_type = "text/plain; charset=utf-8"
        else:
            body_bytes = body
            default_type = "text/plain; charset=utf-8"
        encoded: list[bytes] = []
        for line in lines:
            if isinstance(line, dict):
                encoded.append(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
            elif raw or line.endswith(b"\n"):
                encoded.append(bytes(line))
            else:
                encoded.append(bytes(line) + b"\n")
        if lines or body_bytes is None and stall_after is not None:
            default_type = "application/x-ndjson"
        script = _Script(
            status=status,
            body=body_bytes,
            lines=encoded,
            delay=delay,
            drip=drip,
            cut_after=cut_after,
            stall_after=stall_after,
            content_type=content_type or default_type,
            header_delay=header_delay,
            once=once,
            headers=dict(headers or {}),
        )
        key = (method.upper(), path)
        with self._lock:
            scripts = self._routes.setdefault(key, [])
            if not once:
                scripts[:] = [s for s in scripts if s.once]
            scripts.append(script)

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[Recorded]:
        """Block until at least ``count`` requests arrived; returns them."""
        deadline = time.monotonic() + timeout
        with self._request_arrived:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"expected {count} requests, got {len(self.requests)}")
                self._request_arrived.wait(left)
            return list(self.requests)

    def close(self) -> None:
        """Stop accepting, hang up every open connection, join the threads."""
        if self._closing.is_set():
            return
        self._closing.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        with self._lock:
            conns = list(self._conns)
            threads = list(self._threads)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in threads:
            thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- serving

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.settimeout(None)
            thread = threading.Thread(target=self._serve_connection, args=(conn,), daemon=True)
            with self._lock:
                self.connections += 1
                self._conns.add(conn)
                self._threads.append(thread)
            thread.start()

    def _serve_connection(self, conn: socket.socket) -> None:
        buffer = bytearray()
        try:
            while not self._closing.is_set():
                request = self._read_request(conn, buffer)
                if request is None:
                    return
                script = self._pick(request)
                keep_open = False
                try:
                    keep_open = self._respond(conn, request, script)
                except _Cut:
                    return
                except (_ClientGone, OSError):
                    if not self._closing.is_set():
                        request.client_closed.set()
                    return
                finally:
                    request.finished.set()
                if not keep_open or request.headers.get("connection", "").lower() == "close":
                    return
        except (_ClientGone, OSError):
            return
        finally:
            with self._lock:
                self._conns.discard(conn)
            try:
                conn.close()
            except OSError:
                pass

    def _pick(self, request: Recorded) -> _Script | None:
        with self._lock:
            scripts = self._routes.get((request.method, request.route_path))
            if not scripts:
                return None
            for i, script in enumerate(scripts):
                if script.once:
                    return scripts.pop(i)
            return scripts[-1]

    # ----------------------------------------------------------------- reading

    def _recv(self, conn: socket.socket) -> bytes:
        """Next bytes from the client; b"" on EOF. Gives up when the server closes."""
        while True:
            if self._closing.is_set():
                raise _ClientGone
            ready, _, _ = select.select([conn], [], [], _POLL)
            if ready:
                return conn.recv(65536)

    def _read_request(self, conn: socket.socket, buffer: bytearray) -> Recorded | None:
        while b"\r\n\r\n" not in buffer:
            data = self._recv(conn)
            if not data:
                return None
            buffer += data
        head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
        buffer[:] = rest
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, _version = request_line.split(" ", 2)
        headers: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = self._read_chunked(conn, buffer)
        else:
            length = int(headers.get("content-length", "0") or "0")
            while len(buffer) < length:
                data = self._recv(conn)
                if not data:
                    raise _ClientGone
                buffer += data
            body = bytes(buffer[:length])
            del buffer[:length]
        request = Recorded(method=method.upper(), path=target, headers=headers, body=body)
        with self._request_arrived:
            self.requests.append(request)
            self._request_arrived.notify_all()
        return request

    def _read_chunked(self, conn: socket.socket, buffer: bytearray) -> bytes:
        body = bytearray()
        while True:
            while b"\r\n" not in buffer:
                data = self._recv(conn)
                if not data:
                    raise _ClientGone
                buffer += data
            size_line, _, rest = bytes(buffer).partition(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            buffer[:] = rest
            while len(buffer) < size + 2:
                data = self._recv(conn)
                if not data:
                    raise _ClientGone
                buffer += data
            if size == 0:
                # Trailers are not used by any client here; the empty line ends the body.
                del buffer[:2]
                return bytes(body)
            body += buffer[:size]
            del buffer[: size + 2]

    # ----------------------------------------------------------------- writing

    def _wait(self, conn: socket.socket, seconds: float) -> None:
        """Sleep, but notice a client hanging up (EOF) or the server closing meanwhile."""
        deadline = time.monotonic() + seconds
        while True:
            if self._closing.is_set():
                raise _ClientGone
            left = deadline - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([conn], [], [], min(left, _POLL))
            if ready:
                try:
                    peeked = conn.recv(1, socket.MSG_PEEK)
                except OSError as err:
                    raise _ClientGone from err
                if not peeked:
                    raise _ClientGone
                # The client pipelined another request: leave it in the socket and keep
                # waiting without spinning on the readable socket.
                time.sleep(min(left, _POLL))

    def _respond(self, conn: socket.socket, request: Recorded, script: _Script | None) -> bool:
        """Send the scripted answer; True if the connection may serve another request."""
        if script is None:
            body = b"404 page not found"
            conn.sendall(
                b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + (b"" if request.method == "HEAD" else body)
            )
            return True
        if script.header_delay > 0:
            if script.header_delay == float("inf"):
                self._stall(conn)
            self._wait(conn, script.header_delay)
        try:
            reason = HTTPStatus(script.status).phrase
        except ValueError:
            reason = "Status"
        streaming = bool(script.lines) or script.body is None
        head = [f"HTTP/1.1 {script.status} {reason}", f"Content-Type: {script.content_type}"]
        head.append("Date: " + time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime()))
        for name, value in script.headers.items():
            head.append(f"{name}: {value}")
        if streaming:
            head.append("Transfer-Encoding: chunked")
        else:
            assert script.body is not None
            head.append(f"Content-Length: {len(script.body)}")
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        if request.method == "HEAD":
            return True  # headers only, whatever the script's body

        sender = _BodySender(self, conn, script, chunked=streaming)
        if script.cut_after == 0:
            sender.cut()
        if streaming:
            for index, line in enumerate(script.lines):
                if script.stall_after is not None and index >= script.stall_after:
                    self._stall(conn)
                if script.delay > 0:
                    self._wait(conn, script.delay)
                sender.send(line)
            if script.stall_after is not None and script.stall_after >= len(script.lines):
                self._stall(conn)
        else:
            assert script.body is not None
            if script.delay > 0:
                self._wait(conn, script.delay)
            sender.send(script.body)
        if script.cut_after is not None:
            sender.cut()  # everything sent, but the message never ends properly
        if streaming:
            conn.sendall(b"0\r\n\r\n")
        return True

    def _stall(self, conn: socket.socket) -> None:
        """Keep the socket open and send nothing until the client (or the server) quits."""
        self._wait(conn, float("inf"))


class _BodySender:
    """Sends payload bytes with the script's drip and cut, in chunked framing or raw."""

    def __init__(self, server: FaultServer, conn: socket.socket, script: _Script, *, chunked: bool) -> None:
        self._server = server
        self._conn = conn
        self._script = script
        self._chunked = chunked
        self._sent = 0

    def send(self, payload: bytes) -> None:
        script = self._script
        if script.drip is not None:
            for i in range(len(payload)):
                if i or self._sent:
                    self._server._wait(self._conn, script.drip)
                self._send_piece(payload[i : i + 1])
        else:
            self._send_piece(payload)

    def _send_piece(self, piece: bytes) -> None:
        cut = self._script.cut_after
        if cut is not None and self._sent + len(piece) > cut:
            piece = piece[: cut - self._sent]
            if piece:
                self._frame(piece)
            self.cut()
        if piece:
            self._frame(piece)
            self._sent += len(piece)

    def _frame(self, piece: bytes) -> None:
        if self._chunked:
            self._conn.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        else:
            self._conn.sendall(piece)

    def cut(self) -> None:
        # Closing without the terminating chunk (or short of Content-Length) is what a
        # crashed server looks like to the client. The read side is shut too, so the
        # connection thread stops at once.
        try:
            self._conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        raise _Cut
