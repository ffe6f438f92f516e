"""Sharing the built-in engine on the local network (#15): `ollama-desk serve --share`.

Only with an API key: every request must carry `Authorization: Bearer <key>` (401 otherwise,
compared in constant time). The DNS-rebinding rule keeps working: the Host header must name
this machine (a loopback name, one of its addresses or host names, or one listed in
OLLAMA_DESK_SHARE_HOSTS), else 403 before the key is even looked at. Origin stays checked by
the GuardMiddleware inside.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
import secrets
import socket

from starlette.types import ASGIApp, Receive, Scope, Send

from desktop.engine.security import InvalidAuthority, parse_authority

KEY_ENV = "OLLAMA_DESK_SHARE_KEY"  # the app passes the key it keeps in the keyring
HOSTS_ENV = "OLLAMA_DESK_SHARE_HOSTS"  # extra names colleagues use (a DNS name, a proxy)


def new_key() -> str:
    return secrets.token_urlsafe(24)


def lan_addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses, the one a default route uses first. The UDP
    connect sends nothing: it only asks the kernel which source address it would pick."""
    found: list[str] = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        found.append(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    out: list[str] = []
    for address in found:
        try:
            if ipaddress.ip_address(address).is_loopback or address in out or address == "0.0.0.0":
                continue
        except ValueError:
            continue
        out.append(address)
    return out


def allowed_hosts() -> set[str]:
    names = {"localhost", "127.0.0.1", "::1", *lan_addresses()}
    try:
        hostname = socket.gethostname()
        names |= {hostname, socket.getfqdn(), f"{hostname}.local"}
    except OSError:
        pass
    names |= {h.strip() for h in os.environ.get(HOSTS_ENV, "").split(",") if h.strip()}
    return {n.lower() for n in names if n}


def _host_ok(raw: list[tuple[bytes, bytes]], hosts: set[str]) -> bool:
    values = [v.decode("latin-1") for k, v in raw if k.lower() == b"host"]
    if len(values) != 1:
        return False
    try:
        authority = parse_authority(values[0])
    except InvalidAuthority:
        return False
    return authority.host.lower().strip("[]") in hosts or authority.host.lower().endswith(".localhost")


def _bearer(raw: list[tuple[bytes, bytes]]) -> bytes:
    values = [v for k, v in raw if k.lower() == b"authorization"]
    if len(values) != 1:
        return b""
    scheme, _, token = values[0].partition(b" ")
    return token.strip() if scheme.lower() == b"bearer" else b""


class ShareGuard:
    def __init__(self, app: ASGIApp, key: str, hosts: set[str] | None = None) -> None:
        self.app = app
        self.key = key.encode("utf-8")
        self.hosts = allowed_hosts() if hosts is None else hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = list(scope.get("headers", []))
        if not _host_ok(raw, self.hosts):
            await _answer(send, 403, b"")
            return
        # A browser's preflight carries no Authorization: the inner guard answers it (Origin rules).
        if scope["method"] != "OPTIONS" and not hmac.compare_digest(_bearer(raw), self.key):
            body = json.dumps({"error": "unauthorized: this shared server needs its API key (Bearer)"})
            await _answer(send, 401, body.encode(), extra=[(b"www-authenticate", b"Bearer")])
            return
        await self.app(scope, receive, send)


async def _answer(
    send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [(b"content-length", str(len(body)).encode())] + (extra or [])
    if body:
        headers.append((b"content-type", b"application/json; charset=utf-8"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
