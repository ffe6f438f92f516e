"""Shared fixtures. Qt must see the offscreen platform before it is imported anywhere."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No test may reach a real Ollama on this machine by accident.
os.environ["OLLAMA_HOST"] = "http://127.0.0.1:9"


_TESTS = Path(__file__).resolve().parent
# Where an unclosed file, socket or pipe fails the test. pyproject still ignores ResourceWarning for
# the rest (tests/ui, the other e2e tests) until those are checked the same way.
_NO_RESOURCE_WARNINGS = (
    _TESTS / "core",
    # Not tests/ui yet: one run of it with the warning as an error was clean (2026-12-01), and two
    # are the bar. It runs after tests/engine, now checked, whose leaked sockets once failed a UI test.
    _TESTS / "e2e" / "test_tray_quick_ask.py",
    # Every file clean twice, one at a time, with -W error::ResourceWarning and gc.collect() after
    # each test (so a leak fails the test that made it, not a later one).
    _TESTS / "engine",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.path.is_relative_to(folder) for folder in _NO_RESOURCE_WARNINGS):
            item.add_marker(pytest.mark.filterwarnings("error::ResourceWarning"))


@pytest.fixture(autouse=True)
def desk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder."""
    home = tmp_path / "desk-home"
    home.mkdir()
    monkeypatch.setenv("OLLAMA_DESK_HOME", str(home))
    return home


@pytest.fixture
def fault_server() -> Iterator[object]:
    from tests.support.fault_server import FaultServer

    server = FaultServer()
    try:
        yield server
    finally:
        server.close()


# The shared engine's address and the models it started with, once it runs.
_SHARED_ENGINE: dict[str, object] = {}


@pytest.fixture(scope="session")
def engine_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.support.engine import start_engine

    engine = start_engine(tmp_path_factory.mktemp("engine-home"))
    _SHARED_ENGINE.update(url=engine.url, baseline=frozenset(_model_names(engine.url)))
    try:
        yield engine.url
    finally:
        _SHARED_ENGINE.clear()
        engine.stop()


def _model_names(url: str) -> list[str]:
    import httpx

    return [m["name"] for m in httpx.get(url + "/api/tags", timeout=30).json()["models"]]


@pytest.fixture(autouse=True, scope="module")
def _shared_engine_as_started() -> Iterator[None]:
    """Models a module created on the shared engine are deleted when the module ends.

    The app picks the newest chat model when none is chosen (as Ollama lists them), so a
    thinking model left behind by one module answered the next module's Quick Ask with
    thinking only, and an empty reply (seen in CI, never in a file run alone).
    """
    yield
    url = _SHARED_ENGINE.get("url")
    if not isinstance(url, str):
        return
    import httpx

    baseline = _SHARED_ENGINE["baseline"]
    assert isinstance(baseline, frozenset)
    for name in set(_model_names(url)) - baseline:
        httpx.request("DELETE", url + "/api/delete", json={"model": name}, timeout=30)
