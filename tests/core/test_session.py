"""The session: one default-model rule, one address in use, old clients closed after their work."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from desktop.core.ollama.types import ModelInfo
from desktop.core.server_manager import ServerState
from desktop.core.session import Session, SessionEvent, can_chat, engine_port_for, pick_default_model
from desktop.core.settings import Settings
from tests.support.fault_server import FaultServer

CHAT = ModelInfo(name="chat:1b", capabilities=("completion",))
EMBED = ModelInfo(name="embed:small", capabilities=("embedding",))
BOTH = ModelInfo(name="both:1b", capabilities=("embedding", "completion"))
UNKNOWN = ModelInfo(name="old-server:1b")


def test_the_default_model_rule() -> None:
    assert pick_default_model([CHAT, UNKNOWN], "old-server:1b") == "old-server:1b"  # the choice, installed
    assert pick_default_model([EMBED, CHAT], "gone:7b") == "chat:1b"  # gone: the first that can chat
    assert pick_default_model([EMBED, CHAT], "") == "chat:1b"  # embedding-only models are skipped
    assert pick_default_model([EMBED], "embed:small") == ""  # it cannot chat, even when chosen
    assert pick_default_model([], "later:1b") == "later:1b"  # nothing known yet: keep the choice
    assert can_chat(BOTH) and can_chat(UNKNOWN) and not can_chat(EMBED)


def test_the_engine_listens_where_ollama_host_points_on_this_machine() -> None:
    assert engine_port_for("http://127.0.0.1:18434") == 18434
    assert engine_port_for("http://localhost:11434") == 11434
    assert engine_port_for("http://10.0.0.5:18434") == 11434  # another machine: not ours to take
    assert engine_port_for("http://127.0.0.1:9") == 11434  # a privileged port: never


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_models_and_default_model_are_announced(fault_server: FaultServer) -> None:
    async def main() -> None:
        settings = Settings()
        session = Session(settings)
        events: list[SessionEvent] = []
        session.subscribe(events.append)
        session.set_models([EMBED, CHAT])
        assert session.default_model == "chat:1b" and session.chat_models == ("chat:1b",)
        assert events == [SessionEvent.MODELS, SessionEvent.DEFAULT_MODEL]
        session.set_models([EMBED, CHAT])  # the same list: nothing to tell
        assert len(events) == 2
        session.choose_default_model("gone:7b")  # saved, but not installed here
        assert settings.current.default_model == "gone:7b" and session.default_model == "chat:1b"
        session.set_models([CHAT, ModelInfo(name="gone:7b")])
        assert session.default_model == "gone:7b" and events[-1] == SessionEvent.DEFAULT_MODEL
        await session.aclose()

    run(main())


def test_one_address_from_the_setting_to_the_client(fault_server: FaultServer) -> None:
    fault_server.route("GET", "/api/version", body={"version": "0.13.0"})

    async def main() -> None:
        settings = Settings()
        settings.update(server_url=fault_server.url)
        session = Session(settings)
        assert session.url == fault_server.url == session.server.url
        states: list[ServerState] = []
        session.subscribe(lambda e: states.append(session.state) if e is SessionEvent.STATE else None)
        info = await session.server.start()
        assert info.url == fault_server.url and session.url == fault_server.url
        assert states == [ServerState.CONNECTING, ServerState.ONLINE]
        await session.aclose()

    run(main())


def test_a_replaced_client_is_closed_once_the_work_using_it_ended(fault_server: FaultServer) -> None:
    async def main() -> None:
        working: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        session = Session(Settings(), in_flight=lambda: [working])
        old = session.client
        events: list[SessionEvent] = []
        session.subscribe(events.append)
        await session.use_server(fault_server.url)
        assert session.client is not old and session.url == fault_server.url
        assert SessionEvent.CLIENT in events and SessionEvent.SERVER in events
        await asyncio.sleep(0.05)
        assert not old._http.is_closed  # a reply may still be streaming on it
        working.set_result(None)
        await asyncio.sleep(0.05)
        assert old._http.is_closed
        await session.aclose()
        assert session.client._http.is_closed

    run(main())


@pytest.mark.parametrize("url", ["", "http://127.0.0.1:18434"])
def test_the_manager_follows_the_setting(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:18435")

    async def main() -> None:
        settings = Settings()
        settings.update(server_url=url)
        session = Session(settings)
        expected = url or "http://127.0.0.1:18435"
        assert session.server.url == expected == session.url
        assert session.server.preferred_port == int(expected.rsplit(":", 1)[1])
        await session.aclose()

    run(main())
