"""The app's preferences: one typed record, every default here, saved through the store.

`Settings` reads through to its backend (the Store's settings table) on every read, so a
restored backup or another writer is never hidden behind a stale copy; it writes one key per
change and tells its subscribers which fields changed. A damaged or missing value reads as
its default: a bad settings row never stops the app from starting.

`Settings` also answers `get_setting`/`set_setting` by store key, so widgets written against
the store's interface (welcome, the Quick Ask section) go through it and notify like the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Protocol

from desktop.core.serve_limits import KEEP_ALIVE_CHOICES, LOADED_CHOICES, PARALLEL_CHOICES

log = logging.getLogger(__name__)

DEFAULT_SHORTCUT = "Ctrl+Alt+Space"
THEMES = ("system", "light", "dark")
LANGUAGES = ("system", "en", "zh_CN")
PREFILL_MODES = ("off", "clipboard", "selection")
MAX_REMEMBERED_SERVERS = 8


class SettingsBackend(Protocol):
    def get_setting(self, key: str, default: Any = None) -> Any: ...
    def set_setting(self, key: str, value: Any) -> None: ...


class SettingsError(Exception):
    """A setting could not be saved (e.g. a full disk); the message is plain."""


@dataclass(frozen=True)
class AppSettings:
    theme: str = "system"  # THEMES
    language: str = "system"  # LANGUAGES; applied at the next start
    server_url: str = ""  # "" = automatic: OLLAMA_HOST, a local Ollama, else the built-in engine
    server_urls: tuple[str, ...] = ()  # servers used before, newest first
    default_model: str = ""  # the user's choice for new chats and Quick Ask ("" = none chosen)
    quick_ask_shortcut: str = DEFAULT_SHORTCUT  # "" = off
    # Quick Ask answers are kept only when continued in the main window, unless this is on.
    quick_ask_save_history: bool = False
    # "selection": the selection where the platform has one (X11), else the clipboard; "off" reads nothing.
    quick_ask_prefill: str = "selection"  # PREFILL_MODES
    # The saved server Quick Ask asks and its model (#15); "" = the local server's default model.
    quick_ask_server: str = ""
    quick_ask_server_model: str = ""
    close_to_tray: bool = True
    close_hint_shown: bool = False
    welcome_shown: bool = False
    # Concurrency of the server the app starts (serve_limits.py; "" = the server's default).
    engine_num_parallel: str = ""  # PARALLEL_CHOICES
    engine_max_loaded_models: str = ""  # LOADED_CHOICES
    engine_keep_alive: str = ""  # KEEP_ALIVE_CHOICES
    # More model servers (desktop.core.servers): one JSON record each, never a key or token.
    servers: tuple[str, ...] = ()
    engine_share: bool = False  # the built-in engine on the LAN, with an API key (#15)


# Field -> the key it is stored under (the keys predate this module: existing data keeps working).
KEYS: Mapping[str, str] = {
    "theme": "ui.theme",
    "language": "ui.language",
    "server_url": "server.url",
    "server_urls": "server.urls",
    "default_model": "default_model",
    "quick_ask_shortcut": "quick_ask.shortcut",
    "quick_ask_save_history": "quick_ask.save_history",
    "quick_ask_prefill": "quick_ask.prefill",
    "quick_ask_server": "quick_ask.server",
    "quick_ask_server_model": "quick_ask.server_model",
    "close_to_tray": "tray.close_to_tray",
    "close_hint_shown": "tray.close_hint_shown",
    "welcome_shown": "welcome.shown",
    "engine_num_parallel": "engine.num_parallel",
    "engine_max_loaded_models": "engine.max_loaded_models",
    "engine_keep_alive": "engine.keep_alive",
    "servers": "servers.saved",
    "engine_share": "engine.share",
}
FIELD_OF_KEY: Mapping[str, str] = {key: name for name, key in KEYS.items()}
DEFAULTS = AppSettings()
_CHOICES: Mapping[str, tuple[str, ...]] = {
    "theme": THEMES,
    "language": LANGUAGES,
    "quick_ask_prefill": PREFILL_MODES,
    "engine_num_parallel": PARALLEL_CHOICES,
    "engine_max_loaded_models": LOADED_CHOICES,
    "engine_keep_alive": KEEP_ALIVE_CHOICES,
}
_FIELD_NAMES = tuple(f.name for f in fields(AppSettings))
assert set(_FIELD_NAMES) == set(KEYS), "every field has a store key"


def _coerce(name: str, raw: Any) -> Any:
    """The stored value as the field's type, or the default where it does not fit."""
    default = getattr(DEFAULTS, name)
    if raw is None:
        return default
    if isinstance(default, bool):
        return raw if isinstance(raw, bool) else default
    if isinstance(default, tuple):
        if not isinstance(raw, (list, tuple)):
            return default
        return tuple(str(item) for item in raw if isinstance(item, str) and item)
    if not isinstance(raw, str):
        return default
    choices = _CHOICES.get(name)
    if choices is not None and raw not in choices:
        return default
    return raw


def _stored(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


Listener = Callable[[AppSettings, frozenset[str]], None]


class Settings:
    """Typed settings over a store. `backend=None` keeps them in memory (tests, no store)."""

    def __init__(self, backend: SettingsBackend | None = None) -> None:
        self._backend = backend
        self._memory: dict[str, Any] = {}
        self._listeners: list[Listener] = []

    @staticmethod
    def of(source: Settings | SettingsBackend | None) -> Settings:
        """The app's Settings as given, or Settings over a store-like object."""
        return source if isinstance(source, Settings) else Settings(source)

    # ------------------------------------------------------------------ reading
    def get(self, name: str) -> Any:
        """One field, typed as AppSettings declares it."""
        if name not in KEYS:
            raise KeyError(name)
        return _coerce(name, self._raw(KEYS[name]))

    @property
    def current(self) -> AppSettings:
        return AppSettings(**{name: self.get(name) for name in _FIELD_NAMES})

    def _raw(self, key: str) -> Any:
        if self._backend is None:
            return self._memory.get(key)
        try:
            return self._backend.get_setting(key, None)
        except Exception:  # noqa: BLE001 - a damaged store reads as defaults, never a crash
            log.warning("could not read the setting %s", key, exc_info=True)
            return None

    # ------------------------------------------------------------------ writing
    def update(self, **changes: Any) -> frozenset[str]:
        """Save the given fields; returns those that really changed (and tells the subscribers).

        Raises SettingsError when the store cannot save, TypeError/ValueError for a value the
        field cannot hold (a bug in the caller, not a user error).
        """
        before = self.current
        wanted = replace(before, **changes)  # TypeError for an unknown field
        changed: list[str] = []
        for name, value in changes.items():
            if _coerce(name, _stored(value)) != value:
                raise ValueError(f"{name} cannot be {value!r}")
            if getattr(before, name) == value:
                continue
            self._write(KEYS[name], _stored(value))
            changed.append(name)
        names = frozenset(changed)
        if names:
            self._notify(wanted, names)
        return names

    def remember_server(self, url: str) -> None:
        """Use `url` ("" = automatic), remembering it first in the list of servers used before."""
        changes: dict[str, Any] = {"server_url": url}
        if url:
            others = [u for u in self.get("server_urls") if u != url]
            changes["server_urls"] = tuple([url, *others][:MAX_REMEMBERED_SERVERS])
        self.update(**changes)

    def _write(self, key: str, value: Any) -> None:
        if self._backend is None:
            self._memory[key] = value
            return
        try:
            self._backend.set_setting(key, value)
        except Exception as err:  # noqa: BLE001 - the store's own errors are many; one plain one out
            raise SettingsError(str(err).strip() or type(err).__name__) from err

    # ------------------------------------------------------------------ notifications
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(new_settings, changed_field_names)` after each change; returns an unsubscribe."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _notify(self, values: AppSettings, names: frozenset[str]) -> None:
        for listener in list(self._listeners):
            try:
                listener(values, names)
            except Exception:  # noqa: BLE001 - one broken subscriber must not block the others
                log.exception("a settings subscriber failed")

    # ------------------------------------------------------------------ the store's interface
    def get_setting(self, key: str, default: Any = None) -> Any:
        name = FIELD_OF_KEY.get(key)
        if name is None:  # a key this module does not type: pass through
            raw = self._raw(key)
            return default if raw is None else raw
        return _stored(self.get(name))

    def set_setting(self, key: str, value: Any) -> None:
        name = FIELD_OF_KEY.get(key)
        if name is None:
            self._write(key, value)
            return
        if isinstance(getattr(DEFAULTS, name), tuple) and isinstance(value, list):
            value = tuple(value)
        self.update(**{name: value})
