"""Shared fixtures. Qt must see the offscreen platform before it is imported anywhere."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No test may reach a real Ollama on this machine by accident.
os.environ["OLLAMA_HOST"] = "http://127.0.0.1:9"


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


@pytest.fixture(scope="session")
def engine_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.support.engine import start_engine

    engine = start_engine(tmp_path_factory.mktemp("engine-home"))
    try:
        yield engine.url
    finally:
        engine.stop()
