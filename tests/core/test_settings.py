"""Typed settings over a real Store: defaults in one place, saved by key, change notifications."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.settings import DEFAULTS, KEYS, AppSettings, Settings, SettingsError
from desktop.core.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "desk.sqlite3")
    yield s
    s.close()


def test_an_empty_store_reads_as_the_defaults(store: Store) -> None:
    assert Settings(store).current == AppSettings() == DEFAULTS
    assert DEFAULTS.quick_ask_shortcut == "Ctrl+Alt+Space" and DEFAULTS.close_to_tray is True


def test_values_are_saved_under_the_documented_keys(store: Store) -> None:
    settings = Settings(store)
    changed = settings.update(theme="dark", default_model="qwen2.5:7b", quick_ask_save_history=True)
    assert changed == {"theme", "default_model", "quick_ask_save_history"}
    assert store.get_setting("ui.theme") == "dark"
    assert store.get_setting("default_model") == "qwen2.5:7b"
    assert store.get_setting("quick_ask.save_history") is True
    # A second Settings over the same store (the next start) reads them back.
    again = Settings(store).current
    assert (again.theme, again.default_model, again.quick_ask_save_history) == ("dark", "qwen2.5:7b", True)
    assert set(KEYS.values()) >= {"ui.theme", "server.url", "tray.close_to_tray", "welcome.shown"}


def test_subscribers_hear_only_real_changes(store: Store) -> None:
    settings = Settings(store)
    heard: list[tuple[str, frozenset[str]]] = []
    unsubscribe = settings.subscribe(lambda values, names: heard.append((values.theme, names)))
    settings.update(theme="light")
    settings.update(theme="light")  # no change: nobody is told
    settings.set_setting("ui.theme", "dark")  # the store's interface notifies too
    assert heard == [("light", frozenset({"theme"})), ("dark", frozenset({"theme"}))]
    unsubscribe()
    settings.update(theme="system")
    assert len(heard) == 2


def test_a_failing_subscriber_does_not_stop_the_others(store: Store) -> None:
    settings = Settings(store)
    heard: list[str] = []

    def broken(_values: AppSettings, _names: frozenset[str]) -> None:
        raise RuntimeError("bug in a subscriber")

    settings.subscribe(broken)
    settings.subscribe(lambda values, _n: heard.append(values.language))
    settings.update(language="zh_CN")
    assert heard == ["zh_CN"]


def test_bad_stored_values_read_as_defaults(store: Store) -> None:
    store.set_setting("ui.theme", "purple")
    store.set_setting("tray.close_to_tray", "yes")
    store.set_setting("server.urls", ["http://a:1", 7, "", "http://b:2"])
    current = Settings(store).current
    assert current.theme == "system" and current.close_to_tray is True
    assert current.server_urls == ("http://a:1", "http://b:2")


def test_reads_follow_the_store_after_a_restore(store: Store, tmp_path: Path) -> None:
    settings = Settings(store)
    settings.update(default_model="a:1b")
    backup = tmp_path / "backup.sqlite3"
    store.backup_to(backup)
    settings.update(default_model="b:2b")
    store.restore_from(backup)
    assert settings.current.default_model == "a:1b"


def test_wrong_values_are_refused(store: Store) -> None:
    settings = Settings(store)
    with pytest.raises(ValueError):
        settings.update(theme="purple")
    with pytest.raises(TypeError):
        settings.update(colour="red")
    assert settings.current == DEFAULTS


def test_remembered_servers_newest_first_and_capped(store: Store) -> None:
    settings = Settings(store)
    for i in range(10):
        settings.remember_server(f"http://10.0.0.{i}:11434")
    settings.remember_server("http://10.0.0.3:11434")
    urls = settings.current.server_urls
    assert urls[0] == "http://10.0.0.3:11434" and len(urls) == 8 and len(set(urls)) == 8
    settings.remember_server("")  # automatic again; the list stays
    assert settings.current.server_url == "" and settings.current.server_urls == urls
    assert store.get_setting("server.urls") == list(urls)


class _BrokenStore:
    def get_setting(self, key: str, default: Any = None) -> Any:
        raise OSError("disk I/O error")

    def set_setting(self, key: str, value: Any) -> None:
        raise OSError("database or disk is full")


def test_a_broken_store_reads_defaults_and_fails_writes_plainly() -> None:
    settings = Settings(_BrokenStore())
    assert settings.current == DEFAULTS
    with pytest.raises(SettingsError, match="disk is full"):
        settings.update(theme="dark")


def test_in_memory_settings_without_a_store() -> None:
    settings = Settings()
    settings.update(close_to_tray=False)
    assert settings.current.close_to_tray is False
    assert Settings.of(settings) is settings
    assert settings.get_setting("some.other.key", 5) == 5
