"""The session: the model servers in use, their clients, the installed models, the default model.

One owner for what every controller needs to agree on: which server the app talks to (one
ServerManager per server; the first is the local default, the one OLLAMA_HOST or the
settings name), the one OllamaClient for it (replaced, and the old one closed once the work
that was using it has ended, when the server's address changes), the models installed there
with their capabilities, and the one rule that picks the model a new chat or Quick Ask uses.

Qt-free: listeners are plain callbacks, called on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from desktop.core.backends import ChatBackend
from desktop.core.fleet import Fleet
from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.host import default_host, is_loopback, parse_host
from desktop.core.ollama.types import ModelInfo
from desktop.core.secrets import Secrets
from desktop.core.serve_limits import ServeLimits, limits_from
from desktop.core.server_manager import DEFAULT_PORT, ServerInfo, ServerKind, ServerManager, ServerState
from desktop.core.servers import ServerBook
from desktop.core.settings import AppSettings, Settings

log = logging.getLogger(__name__)


def can_chat(model: ModelInfo) -> bool:
    """Embedding-only models cannot answer a chat; unknown capabilities count as chat."""
    capabilities = set(model.capabilities)
    return "embedding" not in capabilities or "completion" in capabilities


def pick_default_model(installed: Sequence[ModelInfo], preferred: str) -> str:
    """THE default-model rule: the user's choice while it is installed, else the first model that
    can chat, else the choice itself (nothing known yet: the server may answer for it)."""
    if not installed:
        return preferred
    names = [m.name for m in installed if can_chat(m)]
    if preferred in names:
        return preferred
    return names[0] if names else ""


def engine_port_for(url: str) -> int:
    """Where the built-in engine should listen: the port OLLAMA_HOST (or the setting) names when it
    is on this machine, so one address holds whoever serves it; else Ollama's usual port."""
    parts = urlsplit(url)
    port = parts.port
    if is_loopback(url) and port is not None and port >= 1024:
        return port
    return DEFAULT_PORT


class SessionEvent(str, Enum):
    STATE = "state"  # the default server's ServerState changed
    SERVER = "server"  # which server is in use, or what is known about it (ServerInfo), changed
    CLIENT = "client"  # the client was replaced (the address in use changed)
    MODELS = "models"  # the installed models changed
    DEFAULT_MODEL = "default_model"  # the model new chats and Quick Ask use changed


Listener = Callable[[SessionEvent], None]
ManagerFactory = Callable[..., ServerManager]


class Session:
    def __init__(
        self,
        settings: Settings,
        *,
        manager_factory: ManagerFactory = ServerManager,
        client_factory: Callable[[str], OllamaClient] = OllamaClient,
        in_flight: Callable[[], Collection[Awaitable[Any]]] = tuple,
    ) -> None:
        """`in_flight` names the work that may still use a client (the UI's task runner), so a
        replaced client is closed only after it."""
        self.settings = settings
        self._manager_factory = manager_factory
        self._client_factory = client_factory
        self._in_flight = in_flight
        self._listeners: list[Listener] = []
        self._share_key = ""  # the built-in engine shared on the LAN (#15): its API key
        self._servers: list[ServerManager] = [self._new_manager(settings.current.server_url)]
        self._client = client_factory(self.server.url)
        self._models: tuple[ModelInfo, ...] = ()
        self._default = pick_default_model((), settings.current.default_model)
        self._closing: set[asyncio.Task[None]] = set()
        self._unsubscribe = settings.subscribe(self._on_settings)
        # The saved servers besides this one (#15): each with its own state (desktop.core.fleet).
        self.fleet = Fleet(ServerBook(settings, Secrets()))

    # ------------------------------------------------------------------ servers
    @property
    def servers(self) -> tuple[ServerManager, ...]:
        """Every server of this session; servers[0] is the local default (one today)."""
        return tuple(self._servers)

    @property
    def server(self) -> ServerManager:
        return self._servers[0]

    @property
    def state(self) -> ServerState:
        return self.server.state

    @property
    def info(self) -> ServerInfo | None:
        return self.server.info

    @property
    def url(self) -> str:
        """The one address in use: what the client talks to, what banners and errors name."""
        return self._client.base_url

    @property
    def embedded(self) -> bool:
        info = self.server.info
        return info is not None and info.kind == ServerKind.ENGINE

    def _new_manager(self, url: str) -> ServerManager:
        host = parse_host(url) if url else default_host()
        manager = self._manager_factory(
            host, on_state_changed=self._on_state, preferred_port=engine_port_for(host)
        )
        manager.limits = self._limits()
        manager.share_key = self._share_key
        return manager

    def _limits(self) -> ServeLimits:
        values = self.settings.current
        return limits_from(
            values.engine_num_parallel, values.engine_max_loaded_models, values.engine_keep_alive
        )

    async def use_server(self, url: str) -> ServerManager:
        """Talk to `url` from now on ("" = automatic). A server the old manager started is stopped
        first, so the new manager never finds it still answering on its way out."""
        old = self._servers[0]
        self._servers[0] = self._new_manager(url)
        old.on_state_changed = None
        self._notify(SessionEvent.SERVER)
        self.sync_client()
        await old.stop()
        return self._servers[0]

    def server_updated(self) -> None:
        """The manager found, started or stopped a server: follow its address."""
        self._notify(SessionEvent.SERVER)
        self.sync_client()

    def _on_state(self, _state: ServerState) -> None:
        self._notify(SessionEvent.STATE)
        self.sync_client()

    # ------------------------------------------------------------------ the client
    @property
    def client(self) -> OllamaClient:
        return self._client

    def set_share_key(self, key: str) -> None:
        """Share the built-in engine on the LAN with this key ("" = not shared): the next engine
        starts with it, and the client sends it (only to a server on this machine)."""
        self._share_key = key
        for manager in self._servers:
            manager.share_key = key
        self._authorize(self._client)

    def _authorize(self, client: OllamaClient) -> None:
        if self._share_key and is_loopback(client.base_url):
            client._http.headers["Authorization"] = f"Bearer {self._share_key}"
        else:
            client._http.headers.pop("Authorization", None)

    def backend_for(self, server_id: str) -> ChatBackend | OllamaClient | None:
        """What streams a conversation's replies: the local client for "", else that saved
        server's backend (None: it was removed from the list)."""
        return self._client if not server_id else self.fleet.backend(server_id)

    def sync_client(self) -> bool:
        """Replace the client when the server's address changed; True when it did."""
        url = self.server.url
        if url == self._client.base_url:
            return False
        old, self._client = self._client, self._client_factory(url)
        self._authorize(self._client)
        pending = [w for w in self._in_flight()]
        self._later(self._close_after(old, pending))
        self._notify(SessionEvent.CLIENT)
        return True

    @staticmethod
    async def _close_after(client: OllamaClient, pending: Sequence[Awaitable[Any]]) -> None:
        if pending:
            # The work that was using the old client ends first (a reply being written keeps
            # its stream); its outcome is its owner's business, not ours.
            await asyncio.gather(*pending, return_exceptions=True)
        await client.aclose()

    def _later(self, work: Awaitable[Any]) -> None:
        async def run() -> None:
            try:
                await work
            except Exception:  # noqa: BLE001 - closing an old server or client: log, carry on
                log.warning("closing an old server or client failed", exc_info=True)

        task = asyncio.ensure_future(run())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    # ------------------------------------------------------------------ models
    @property
    def models(self) -> tuple[ModelInfo, ...]:
        return self._models

    @property
    def chat_models(self) -> tuple[str, ...]:
        return tuple(m.name for m in self._models if can_chat(m))

    @property
    def default_model(self) -> str:
        return self._default

    def set_models(self, models: Sequence[ModelInfo]) -> None:
        models = tuple(models)
        if models == self._models:
            return
        self._models = models
        self._notify(SessionEvent.MODELS)
        self._update_default()

    def choose_default_model(self, name: str) -> None:
        """The user picked a model for new chats and Quick Ask; saved, then everyone is told."""
        self.settings.update(default_model=name)  # the settings subscription updates the rule

    def _on_settings(self, values: AppSettings, names: frozenset[str]) -> None:
        if names & {"engine_num_parallel", "engine_max_loaded_models", "engine_keep_alive"}:
            for manager in self._servers:  # used by the next server a manager starts
                manager.limits = self._limits()
        if "default_model" in names:
            self._update_default(values.default_model)

    def _update_default(self, preferred: str | None = None) -> None:
        chosen = self.settings.current.default_model if preferred is None else preferred
        default = pick_default_model(self._models, chosen)
        if default != self._default:
            self._default = default
            self._notify(SessionEvent.DEFAULT_MODEL)

    # ------------------------------------------------------------------ listeners
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, event: SessionEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # noqa: BLE001 - one broken listener must not block the others
                log.exception("a session listener failed on %s", event.value)

    # ------------------------------------------------------------------ the end
    def close_now(self) -> None:
        """No loop to await on (the session of the desktop ends): end the processes we started."""
        for server in self._servers:
            process = server.process
            if process is not None and process.poll() is None:
                process.terminate()

    async def aclose(self) -> None:
        self._unsubscribe()
        self._listeners.clear()
        for server in self._servers:
            server.on_state_changed = None
            try:
                await server.stop()
            except Exception:  # noqa: BLE001 - shutting down: close the rest anyway
                log.warning("stopping a server failed", exc_info=True)
        if self._closing:
            await asyncio.gather(*list(self._closing), return_exceptions=True)
        await self.fleet.aclose()
        await self._client.aclose()
