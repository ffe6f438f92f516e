"""The app's own engine shared on the LAN (#15): the session's manager starts it with
`--share` and the key (in the environment), its probes and the session's client send the key,
and a colleague's request (LAN Host, through 127.0.0.1 here) without it gets 401."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
import pytest

from desktop.core.server_manager import ServerKind, ServerManager, ServerState
from desktop.core.session import Session
from desktop.core.settings import Settings
from desktop.engine.share import lan_addresses


def test_the_session_shares_its_engine_with_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        nothing = f"http://127.0.0.1:{sock.getsockname()[1]}"
    monkeypatch.setenv("OLLAMA_DESK_HOME", str(tmp_path))

    def manager(host: str | None, **kwargs: object) -> ServerManager:
        kwargs["preferred_port"] = 0  # never the user's 11434
        return ServerManager(nothing, data_dir=tmp_path, ollama_binary=None, **kwargs)  # type: ignore[arg-type]

    async def scenario() -> tuple[str, list[str], int, int]:
        session = Session(Settings(), manager_factory=manager)
        session.set_share_key("team-secret-1")
        try:
            info = await session.server.start()
            assert info.kind is ServerKind.ENGINE and session.state is ServerState.ONLINE
            session.sync_client()
            names = [m.name for m in await session.client.tags()]  # the client sends the key
            port = int(info.url.rsplit(":", 1)[1])
            host = f"{(lan_addresses() or ['127.0.0.1'])[0]}:{port}"
            async with httpx.AsyncClient(trust_env=False) as http:
                bare = await http.get(f"{info.url}/api/tags", headers={"Host": host})
                keyed = await http.get(
                    f"{info.url}/api/tags", headers={"Host": host, "Authorization": "Bearer team-secret-1"}
                )
            return info.url, names, bare.status_code, keyed.status_code
        finally:
            await session.aclose()

    url, names, bare, keyed = asyncio.run(scenario())
    assert url.startswith("http://127.0.0.1:")
    assert "smollm2:135m" in names and bare == 401 and keyed == 200
    log = (tmp_path / "engine" / "engine.log").read_text(errors="replace")
    assert "team-secret-1" not in log
