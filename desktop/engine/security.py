"""Input checks that run before the engine touches the filesystem or answers a browser.

Model names follow Ollama's grammar (types/model/name.go): `[host/][namespace/]model[:tag]`,
each part from a small alphabet, so a name can never spell `..` or a path separator and the
manifest path derived from it stays inside the models folder. Digests must match
`sha256[:-]<64 hex>` (the CVE-2024-37032 fix). Host and Origin checks stop DNS rebinding:
a web page in the user's browser must not be able to drive the local API.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass

DEFAULT_HOST = "registry.ollama.ai"
DEFAULT_NAMESPACE = "library"
DEFAULT_TAG = "latest"

_HOST_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,349}$")
_NAMESPACE_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,79}$")
_MODEL_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$")
_TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$")
_DIGEST_RE = re.compile(r"^sha256[:-]([0-9a-fA-F]{64})$")


class InvalidName(ValueError):
    """A model name outside Ollama's grammar."""


class InvalidDigest(ValueError):
    """A digest that is not `sha256:<64 hex>`."""


@dataclass(frozen=True)
class ModelName:
    host: str
    namespace: str
    model: str
    tag: str

    @property
    def display(self) -> str:
        """Ollama's DisplayShortest: default host and namespace dropped, tag always shown."""
        if self.host.lower() != DEFAULT_HOST:
            prefix = f"{self.host}/{self.namespace}/"
        elif self.namespace.lower() != DEFAULT_NAMESPACE:
            prefix = f"{self.namespace}/"
        else:
            prefix = ""
        return f"{prefix}{self.model}:{self.tag}"

    def parts(self) -> tuple[str, str, str, str]:
        """Path parts of the manifest; lower-cased so lookups are case-insensitive like Ollama's."""
        return (self.host.lower(), self.namespace.lower(), self.model.lower(), self.tag.lower())

    @property
    def is_huggingface(self) -> bool:
        return self.host.lower() in ("hf.co", "huggingface.co")


def parse_name(raw: str) -> ModelName:
    """Parse and validate a model name; raises InvalidName."""
    if not isinstance(raw, str):
        raise InvalidName("invalid model name")
    text = raw.strip()
    if "://" in text:
        scheme, _, text = text.partition("://")
        if scheme not in ("http", "https"):
            raise InvalidName("invalid model name")
    if not text or len(text) > 600:
        raise InvalidName("invalid model name")
    tag = DEFAULT_TAG
    last_slash = text.rfind("/")
    last_colon = text.rfind(":")
    if last_colon > last_slash:
        text, tag = text[:last_colon], text[last_colon + 1 :]
    pieces = text.split("/")
    if len(pieces) == 1:
        host, namespace, model = DEFAULT_HOST, DEFAULT_NAMESPACE, pieces[0]
    elif len(pieces) == 2:
        host, namespace, model = DEFAULT_HOST, pieces[0], pieces[1]
    elif len(pieces) == 3:
        host, namespace, model = pieces
    else:
        raise InvalidName("invalid model name")
    if not (
        _HOST_RE.fullmatch(host)
        and _NAMESPACE_RE.fullmatch(namespace)
        and _MODEL_RE.fullmatch(model)
        and _TAG_RE.fullmatch(tag)
    ):
        raise InvalidName("invalid model name")
    if host.lower() == "huggingface.co":
        host = "hf.co"
    return ModelName(host=host, namespace=namespace, model=model, tag=tag)


def parse_digest(raw: str) -> str:
    """Validate a digest; returns the lower-case 64-hex part. Raises InvalidDigest."""
    match = _DIGEST_RE.fullmatch(raw) if isinstance(raw, str) else None
    if match is None:
        raise InvalidDigest("invalid digest format")
    return match.group(1).lower()


# --- DNS rebinding -------------------------------------------------------------------------
#
# A Host header is an RFC 3986 authority without userinfo: `reg-name[:port]`, `IPv4[:port]`
# or `[IPv6][:port]`. It is parsed whole and refused on any character outside that grammar,
# so `localhost:1@evil.com`, `localhost:1.evil.com`, `[::1].evil.com` or `[::1]evil.com:1`
# can never pass as loopback because some prefix of them looks local.

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_PORT_RE = re.compile(r"[0-9]{1,5}")


class InvalidAuthority(ValueError):
    """A Host (or Origin authority) outside RFC 3986's grammar."""


@dataclass(frozen=True)
class Authority:
    host: str  # lower case, IPv6 without brackets, one trailing dot removed
    port: int | None
    literal: ipaddress.IPv4Address | ipaddress.IPv6Address | None


def _port(text: str) -> int | None:
    if not _PORT_RE.fullmatch(text) or int(text) > 65535:
        raise InvalidAuthority("invalid port")
    return int(text)


def parse_authority(value: str) -> Authority:
    """`host[:port]` parsed whole; raises InvalidAuthority on anything else."""
    if not isinstance(value, str) or not value or len(value) > 300 or not value.isascii():
        raise InvalidAuthority("invalid host")
    text = value.lower()
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise InvalidAuthority("unclosed bracket")
        inner, rest = text[1:end], text[end + 1 :]
        if rest and not rest.startswith(":"):
            raise InvalidAuthority("text after the bracketed address")
        port = _port(rest[1:]) if rest else None
        if not inner or any(c not in "0123456789abcdef:." for c in inner):
            raise InvalidAuthority("invalid IPv6 literal")
        try:
            return Authority(inner, port, ipaddress.IPv6Address(inner))
        except ValueError:
            raise InvalidAuthority("invalid IPv6 literal") from None
    host, colon, port_text = text.partition(":")
    port = _port(port_text) if colon else None
    if host.endswith("."):
        host = host[:-1]
    labels = host.split(".")
    if not host or len(host) > 253 or not all(_LABEL_RE.fullmatch(label) for label in labels):
        raise InvalidAuthority("invalid host name")
    literal: ipaddress.IPv4Address | None = None
    if all(label.isdigit() for label in labels):
        # Dotted decimal only: `2130706433` or `127.1` are names to us, never addresses,
        # so no resolver's idea of a short form can turn them into loopback.
        try:
            literal = ipaddress.IPv4Address(host)
        except ValueError:
            raise InvalidAuthority("invalid IPv4 address") from None
    return Authority(host, port, literal)


def _loopback(authority: Authority) -> bool:
    ip = authority.literal
    if ip is None:
        return authority.host in _LOOPBACK_NAMES or authority.host.endswith(".localhost")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def host_allowed(host_header: str | None) -> bool:
    """The Host header of a request to a loopback listener: loopback names and addresses only.

    A request without one (HTTP/1.0, or an empty value) is refused: a browser always sends it,
    so only a hand-made request lacks it, and it would be unchecked.
    """
    if not host_header:
        return False
    try:
        return _loopback(parse_authority(host_header))
    except InvalidAuthority:
        return False


_BUILTIN_ORIGIN_SCHEMES = ("app", "file", "tauri", "vscode-webview", "vscode-file")
_LOCAL_ORIGIN_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1"}


def _extra_origins() -> list[str]:
    raw = os.environ.get("OLLAMA_ORIGINS", "")
    return [item.strip() for item in raw.split(",") if item.strip()]


def _origin_matches(pattern: str, origin: str) -> bool:
    if pattern == "*":
        return True
    if "*" not in pattern:
        return pattern.rstrip("/").lower() == origin.rstrip("/").lower()
    regex = "^" + re.escape(pattern.lower()).replace(r"\*", ".*") + "$"
    return re.match(regex, origin.lower()) is not None


def _local_web_origin(origin: str) -> bool:
    """`http(s)://<local host>[:port]`, the authority parsed whole like a Host header."""
    scheme, sep, authority = origin.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return False
    try:
        return parse_authority(authority.removesuffix("/")).host in _LOCAL_ORIGIN_HOSTS
    except InvalidAuthority:
        return False


def origin_allowed(origin: str | None) -> bool:
    """An Origin header: absent, a local page, an app scheme, or one listed in OLLAMA_ORIGINS."""
    if origin is None or origin == "":
        return True
    scheme, sep, _ = origin.partition("://")
    if sep and scheme.lower() in _BUILTIN_ORIGIN_SCHEMES:
        return True
    if _local_web_origin(origin):
        return True
    return any(_origin_matches(pattern, origin) for pattern in _extra_origins())


def request_allowed(raw_headers: list[tuple[bytes, bytes]], *, check_host: bool) -> bool:
    """The guard's verdict on a request's headers: exactly one good Host (when checked) and at
    most one good Origin. Two Host headers are refused: proxies and servers disagree on which
    one counts, which is how a checked value and a used value come apart."""
    hosts: list[str] = []
    origins: list[str] = []
    for key, value in raw_headers:
        name = key.decode("latin-1").lower()
        if name == "host":
            hosts.append(value.decode("latin-1"))
        elif name == "origin":
            origins.append(value.decode("latin-1"))
    if check_host and (len(hosts) != 1 or not host_allowed(hosts[0])):
        return False
    if len(origins) > 1:
        return False
    return not origins or origin_allowed(origins[0])
