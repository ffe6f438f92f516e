"""The concurrency settings reach the server manager that starts the next server."""

from __future__ import annotations

import asyncio

import pytest

from desktop.core.serve_limits import ServeLimits
from desktop.core.session import Session
from desktop.core.settings import Settings


def test_the_session_hands_the_limits_to_its_server_manager() -> None:
    async def main() -> None:
        settings = Settings()
        settings.update(engine_num_parallel="2", engine_keep_alive="1h")
        session = Session(settings)
        assert session.server.limits == ServeLimits(num_parallel=2, keep_alive="1h")
        settings.update(engine_max_loaded_models="3", engine_num_parallel="")
        assert session.server.limits == ServeLimits(max_loaded_models=3, keep_alive="1h")
        assert session.server.limits.env() == {"OLLAMA_MAX_LOADED_MODELS": "3", "OLLAMA_KEEP_ALIVE": "1h"}
        with pytest.raises(ValueError):  # not one of the choices: refused, nothing stored
            settings.update(engine_num_parallel="banana")
        assert session.server.limits.num_parallel == 0
        await session.aclose()

    asyncio.run(main())
