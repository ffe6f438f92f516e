"""OLLAMA_HOST parsing, the way Ollama itself reads it (envconfig.Host + ConnectableHost).

Users copy values from Ollama's docs and Docker guides (`0.0.0.0:11434`, `:8080`,
`https://box.lan/ollama`), so the same string must reach the same server here as it
does for the `ollama` CLI. The rules:

- surrounding spaces and quotes are dropped;
- no ``scheme://``: http, port 11434; ``http://`` without port: 80; ``https://``: 443;
- exactly ``ollama.com``: ``https://ollama.com:443``;
- anything after the first ``/`` is a base path (trailing slashes stripped);
- an invalid port (``:66000``, ``:-1``, ``:abc``) falls back to the default port;
- IPv6 is bracketed (``::1`` and ``[::1]`` both give ``[::1]``);
- for connecting, the unspecified addresses ``0.0.0.0`` / ``::`` and an empty host
  (``:1234``) mean this machine: 127.0.0.1 / ::1.
"""

from __future__ import annotations

import ipaddress
import os
import re

_PORT = re.compile(r"[+-]?[0-9]+")


def _clean(value: str) -> str:
    # envconfig.Var: trim spaces, then quotes; Host() trims spaces once more.
    return value.strip().strip("\"'").strip()


def _split_host_port(hostport: str) -> tuple[str, str] | None:
    """Go's net.SplitHostPort: None where Go returns an error."""
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0 or end + 1 >= len(hostport) or hostport[end + 1] != ":":
            return None
        host, port = hostport[1:end], hostport[end + 2 :]
        if "[" in host or "]" in host or "[" in port or "]" in port or ":" in port:
            return None
        return host, port
    colon = hostport.rfind(":")
    if colon < 0:
        return None
    host, port = hostport[:colon], hostport[colon + 1 :]
    if ":" in host or any(c in hostport for c in "[]"):
        return None
    return host, port


def _parse_ip(text: str) -> str | None:
    """Go's net.ParseIP(...).String(): canonical form, or None if not an IP literal."""
    if "%" in text:  # Go's ParseIP rejects zones
        return None
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def _valid_port(port: str) -> bool:
    if not _PORT.fullmatch(port):
        return False
    number = int(port)
    return 0 <= number <= 65535


def _connectable(host: str) -> str:
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    ip = _parse_ip(host)
    if ip == "::":
        return "::1"
    if ip == "0.0.0.0":
        return "127.0.0.1"
    return host


def parse_host(value: str | None) -> str:
    """An OLLAMA_HOST value -> the base URL to connect to, e.g. ``http://127.0.0.1:11434``."""
    text = _clean(value or "")
    if text == "ollama.com":
        return "https://ollama.com:443"
    default_port = "11434"
    scheme, sep, hostport = text.partition("://")
    if not sep:
        scheme, hostport = "http", text
    elif scheme == "http":
        default_port = "80"
    elif scheme == "https":
        default_port = "443"

    hostport, _, path = hostport.partition("/")
    split = _split_host_port(hostport)
    if split is None:
        host, port = "127.0.0.1", default_port
        ip = _parse_ip(hostport.strip("[]"))
        if ip is not None:
            host = ip
        elif hostport:
            host = hostport
    else:
        host, port = split
        ip = _parse_ip(host)
        if ip is not None:
            host = ip
    if not _valid_port(port):
        port = default_port
    port = str(int(port))

    host = _connectable(host)
    if ":" in host:
        host = f"[{host}]"
    path = path.rstrip("/")
    return f"{scheme}://{host}:{port}" + (f"/{path}" if path else "")


def default_host() -> str:
    """The server this process talks to unless told otherwise: OLLAMA_HOST, as Ollama reads it."""
    return parse_host(os.environ.get("OLLAMA_HOST"))


def is_loopback(base_url: str) -> bool:
    """True when ``base_url`` (as parse_host returns it) points at this machine."""
    hostport = base_url.partition("://")[2].partition("/")[0]
    host = hostport.rpartition(":")[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
