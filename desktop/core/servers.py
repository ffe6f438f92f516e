"""The model servers the user saved (besides the local one, which is always there).

A server is a name, a kind (Ollama's API or OpenAI-compatible `/v1`), a URL and, for a
reverse proxy, header names. Its API key or bearer token and its header values are
secrets: they live in the keyring (desktop.core.secrets), never in the settings record,
so neither SQLite nor an export nor a log ever sees them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from desktop.core.backends import BackendKind, ChatBackend, KeyRejected, OllamaBackend, OpenAIBackend
from desktop.core.ollama.base import Timeouts
from desktop.core.ollama.errors import OllamaError
from desktop.core.secrets import Secrets
from desktop.core.settings import Settings

LOCAL_ID = "local"
MAX_SERVERS = 32
_HEADER_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


@dataclass(frozen=True)
class SavedServer:
    id: str
    name: str
    kind: BackendKind
    url: str
    header_names: tuple[str, ...] = ()

    def record(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "name": self.name,
                "kind": self.kind.value,
                "url": self.url,
                "headers": list(self.header_names),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_record(cls, text: str) -> SavedServer | None:
        try:
            obj = json.loads(text)
            kind = BackendKind(obj["kind"])
            server = cls(
                id=str(obj["id"]),
                name=str(obj["name"]),
                kind=kind,
                url=str(obj["url"]),
                header_names=tuple(h for h in obj.get("headers", []) if isinstance(h, str)),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return server if server.id and server.id != LOCAL_ID and server.url else None


@dataclass(frozen=True)
class Credentials:
    api_key: str = ""
    headers: Mapping[str, str] | None = None


def check_url(url: str) -> str:
    """The URL as the app keeps it, or ValueError with a plain sentence."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url.strip() or 'An empty address'} is not a server address (http://host:port).")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise ValueError(f"{url.strip()} has a port that is not valid.") from None
    return text.rstrip("/")


def check_headers(headers: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for name, value in headers.items():
        name = name.strip()
        if not name or set(name) - _HEADER_NAME_CHARS:
            raise ValueError(f"'{name}' is not a valid header name.")
        if "\n" in value or "\r" in value:
            raise ValueError(f"The value of {name} may not contain a line break.")
        out[name] = value.strip()
    return out


def make_backend(
    kind: BackendKind,
    url: str,
    *,
    api_key: str = "",
    headers: Mapping[str, str] | None = None,
    timeouts: Timeouts | None = None,
) -> ChatBackend:
    if kind is BackendKind.OPENAI:
        return OpenAIBackend(url, api_key=api_key, headers=headers, timeouts=timeouts)
    all_headers = dict(headers or {})
    if api_key:
        all_headers["Authorization"] = f"Bearer {api_key}"
    return OllamaBackend(host=url, headers=all_headers, timeouts=timeouts)


@dataclass(frozen=True)
class ServerCheck:
    ok: bool
    message: str
    models: int = 0
    key_rejected: bool = False


async def check_backend(backend: ChatBackend) -> ServerCheck:
    """The settings' "Test": lists the models (loads nothing); a plain sentence either way."""
    try:
        models = await backend.list_models()
    except KeyRejected as err:
        return ServerCheck(False, str(err), key_rejected=True)
    except OllamaError as err:
        return ServerCheck(False, str(err))
    return ServerCheck(True, f"Connected: {len(models)} model(s).", models=len(models))


class ServerBook:
    """The saved servers over Settings (records) and Secrets (keys). Keyring calls may block:
    call add/edit/remove/credentials from a worker thread in the UI."""

    def __init__(self, settings: Settings, secrets: Secrets) -> None:
        self.settings = settings
        self.secrets = secrets

    def all(self) -> list[SavedServer]:
        out: list[SavedServer] = []
        for text in self.settings.get("servers"):
            server = SavedServer.from_record(text)
            if server is not None and all(s.id != server.id for s in out):
                out.append(server)
        return out

    def get(self, server_id: str) -> SavedServer | None:
        return next((s for s in self.all() if s.id == server_id), None)

    def find(self, name_or_url: str) -> SavedServer | None:
        """By name (case-insensitive), else by URL."""
        wanted = name_or_url.strip()
        for server in self.all():
            if server.name.casefold() == wanted.casefold():
                return server
        try:
            url = check_url(wanted)
        except ValueError:
            return None
        return next((s for s in self.all() if s.url == url), None)

    def add(
        self,
        name: str,
        kind: BackendKind,
        url: str,
        *,
        api_key: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> SavedServer:
        servers = self.all()
        if len(servers) >= MAX_SERVERS:
            raise ValueError(f"At most {MAX_SERVERS} servers can be saved.")
        clean = check_headers(headers or {})
        server = SavedServer(
            id=uuid.uuid4().hex,
            name=self._name(name, url, servers),
            kind=kind,
            url=check_url(url),
            header_names=tuple(clean),
        )
        self._put_secret(server.id, api_key, clean)
        self._save([*servers, server])
        return server

    def edit(
        self,
        server_id: str,
        *,
        name: str | None = None,
        kind: BackendKind | None = None,
        url: str | None = None,
        api_key: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> SavedServer:
        """Change what is given; api_key None keeps the key, "" removes it."""
        servers = self.all()
        old = next((s for s in servers if s.id == server_id), None)
        if old is None:
            raise ValueError("That server is no longer in the list.")
        others = [s for s in servers if s.id != server_id]
        new = replace(
            old,
            name=self._name(name, url or old.url, others) if name is not None else old.name,
            kind=kind or old.kind,
            url=check_url(url) if url is not None else old.url,
        )
        if api_key is not None or headers is not None:
            current = self.credentials(server_id)
            clean = check_headers(headers) if headers is not None else dict(current.headers or {})
            new = replace(new, header_names=tuple(clean))
            self._put_secret(server_id, current.api_key if api_key is None else api_key, clean)
        self._save([new if s.id == server_id else s for s in servers])
        return new

    def remove(self, server_id: str) -> None:
        self._save([s for s in self.all() if s.id != server_id])
        self.secrets.delete(_account(server_id))

    def credentials(self, server_id: str) -> Credentials:
        text = self.secrets.get(_account(server_id))
        if not text:
            return Credentials()
        try:
            obj = json.loads(text)
        except ValueError:
            return Credentials(api_key=text)
        if not isinstance(obj, dict):
            return Credentials()
        raw = obj.get("headers")
        headers: dict[str, Any] = raw if isinstance(raw, dict) else {}
        return Credentials(
            api_key=str(obj.get("key") or ""),
            headers={str(k): str(v) for k, v in headers.items()},
        )

    def backend(self, server: SavedServer, *, timeouts: Timeouts | None = None) -> ChatBackend:
        cred = self.credentials(server.id)
        return make_backend(
            server.kind, server.url, api_key=cred.api_key, headers=cred.headers, timeouts=timeouts
        )

    def _put_secret(self, server_id: str, api_key: str, headers: Mapping[str, str]) -> None:
        payload: dict[str, Any] = {}
        if api_key:
            payload["key"] = api_key
        if any(headers.values()):
            payload["headers"] = dict(headers)
        self.secrets.set(_account(server_id), json.dumps(payload) if payload else "")

    def _save(self, servers: list[SavedServer]) -> None:
        self.settings.update(servers=tuple(s.record() for s in servers))

    @staticmethod
    def _name(name: str, url: str, others: list[SavedServer]) -> str:
        chosen = name.strip() or (urlsplit(check_url(url)).hostname or url)
        if any(s.name.casefold() == chosen.casefold() for s in others):
            raise ValueError(f"A server named {chosen} already exists.")
        return chosen[:80]


def _account(server_id: str) -> str:
    return f"server:{server_id}"
