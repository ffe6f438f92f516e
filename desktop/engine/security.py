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
from urllib.parse import urlsplit

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

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _split_host_port(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[1:end] if end > 0 else value
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


def host_allowed(host_header: str | None) -> bool:
    """The Host header of a request to a loopback listener: loopback names and addresses only."""
    if not host_header:
        return True
    host = _split_host_port(host_header)
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_BUILTIN_ORIGIN_SCHEMES = ("app", "file", "tauri", "vscode-webview", "vscode-file")


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


def origin_allowed(origin: str | None) -> bool:
    """An Origin header: absent, a local page, an app scheme, or one listed in OLLAMA_ORIGINS."""
    if origin is None or origin == "":
        return True
    parts = urlsplit(origin)
    scheme = parts.scheme.lower()
    if scheme in _BUILTIN_ORIGIN_SCHEMES:
        return True
    if scheme in ("http", "https"):
        host = (parts.hostname or "").lower()
        if host in ("localhost", "127.0.0.1", "0.0.0.0", "::1"):
            return True
    return any(_origin_matches(pattern, origin) for pattern in _extra_origins())
