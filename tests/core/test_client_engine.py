"""The client against a real server: the embedded engine with the SmolLM2 starter model."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest

from desktop.core.ollama import ChatMessage, ModelNotFound, OllamaClient, Timeouts

pytestmark = pytest.mark.engine
T = TypeVar("T")
MODEL = "smollm2:135m"
SHORT = {"num_predict": 8, "seed": 1, "temperature": 0.0}
ROOT = Path(__file__).resolve().parents[2]


def run(url: str, body: Callable[[OllamaClient], Awaitable[T]]) -> T:
    async def main() -> T:
        async with OllamaClient(url, timeouts=Timeouts(first_token=120, idle=30)) as client:
            return await body(client)

    return asyncio.run(main())


def test_listing_and_details(engine_url: str) -> None:
    async def body(client: OllamaClient) -> None:
        assert await client.is_alive()
        assert await client.version()
        names = [m.name for m in await client.tags()]
        assert MODEL in names
        info = await client.show(MODEL)
        assert info.context_length > 0
        assert info.details.family or info.architecture
        with pytest.raises(ModelNotFound):
            await client.show("no-such-model:latest")

    run(engine_url, body)


def test_chat_generate_and_metrics(engine_url: str) -> None:
    async def body(client: OllamaClient) -> None:
        chunks = [c async for c in client.chat(MODEL, [ChatMessage("user", "Say hi.")], options=SHORT)]
        assert chunks[-1].done and chunks[-1].metrics is not None
        assert chunks[-1].metrics.eval_count > 0
        assert "".join(c.content for c in chunks).strip()
        pieces = [c async for c in client.generate(MODEL, "The sky is", options=SHORT)]
        assert pieces[-1].done
        assert "".join(p.content for p in pieces)
        running = await client.ps()
        assert MODEL in [r.name for r in running]
        with pytest.raises(ModelNotFound):
            async for _ in client.chat("no-such-model", [ChatMessage("user", "x")]):
                pass

    run(engine_url, body)


def test_breaking_out_frees_the_server_at_once(engine_url: str) -> None:
    async def body(client: OllamaClient) -> float:
        long = {"num_predict": 3000, "seed": 3, "temperature": 1.0}
        stream = client.generate(MODEL, "Write a very long story.", options=long)
        async with contextlib.aclosing(stream):
            received = 0
            async for _ in stream:
                received += 1
                if received == 5:
                    break
        # The engine serves one request per model at a time: this only starts once the
        # abandoned generation has stopped.
        started = time.perf_counter()
        _ = [c async for c in client.generate(MODEL, "Hi", options={"num_predict": 2})]
        return time.perf_counter() - started

    assert run(engine_url, body) < 5.0


def test_copy_and_delete(engine_url: str) -> None:
    async def body(client: OllamaClient) -> None:
        await client.copy(MODEL, "client-test-copy:latest")
        assert "client-test-copy:latest" in [m.name for m in await client.tags()]
        await client.delete("client-test-copy:latest")
        assert "client-test-copy:latest" not in [m.name for m in await client.tags()]
        with pytest.raises(ModelNotFound):
            await client.delete("client-test-copy:latest")

    run(engine_url, body)


def test_ask_command_against_the_engine(engine_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "ask", "--host", engine_url, "--model", MODEL, "Say hi."],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert result.stdout.endswith("\n")
