"""OllamaBackend (OllamaClient behind ChatBackend) against the real engine."""

from __future__ import annotations

import asyncio

from desktop.core.backends import BackendKind, ChatBackend, OllamaBackend, OpenAIBackend
from desktop.core.ollama.types import ChatMessage


def test_models_with_capabilities_and_a_chat(engine_url: str) -> None:
    async def main() -> tuple[list[tuple[str, tuple[str, ...]]], str, bool]:
        backend = OllamaBackend(host=engine_url, headers={"X-Team": "a"})
        try:
            assert isinstance(backend, ChatBackend) and backend.kind is BackendKind.OLLAMA
            models = await backend.list_models()
            chunks = [
                c
                async for c in backend.chat(
                    "smollm2:135m",
                    [ChatMessage("user", "Which city is the capital of France?")],
                    options={"temperature": 0, "seed": 1, "num_predict": 10},
                )
            ]
            assert chunks[-1].done and chunks[-1].metrics is not None
            return (
                [(m.name, m.capabilities) for m in models],
                "".join(c.content for c in chunks),
                backend.manages_models,
            )
        finally:
            await backend.aclose()

    models, text, manages = asyncio.run(main())
    assert ("smollm2:135m", ("completion",)) in [
        (n, tuple(c for c in caps if c == "completion")) for n, caps in models
    ]
    assert "Paris" in text and manages
    assert isinstance(OpenAIBackend("http://127.0.0.1:1"), ChatBackend)
