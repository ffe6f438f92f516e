"""The inference family: chat and generate streams, embeddings."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Any

from desktop.core.ollama.base import ClientBase
from desktop.core.ollama.errors import ServerError
from desktop.core.ollama.types import ChatChunk, ChatMessage
from desktop.core.ollama.wire import floats, put_optional, to_chat_chunk, to_generate_chunk


class InferenceAPI(ClientBase):
    async def chat(
        self,
        model: str,
        messages: Sequence[ChatMessage],
        *,
        options: Mapping[str, Any] | None = None,
        keep_alive: str | float | None = None,
        format: str | dict[str, Any] | None = None,
        think: bool | str | None = None,
        tools: Sequence[Mapping[str, Any]] | None = None,
    ) -> AsyncGenerator[ChatChunk, None]:
        payload: dict[str, Any] = {
            "model": model,
            "messages": [m.to_wire() for m in messages],
            "stream": True,
        }
        put_optional(payload, options=options, keep_alive=keep_alive, format=format, think=think)
        if tools:
            payload["tools"] = [dict(tool) for tool in tools]
        async with contextlib.aclosing(self._stream("/api/chat", payload, to_chat_chunk)) as chunks:
            async for chunk in chunks:
                yield chunk

    async def generate(
        self,
        model: str,
        prompt: str,
        *,
        system: str | None = None,
        options: Mapping[str, Any] | None = None,
        keep_alive: str | float | None = None,
        format: str | dict[str, Any] | None = None,
        think: bool | str | None = None,
    ) -> AsyncGenerator[ChatChunk, None]:
        payload: dict[str, Any] = {"model": model, "prompt": prompt, "stream": True}
        if system is not None:
            payload["system"] = system
        put_optional(payload, options=options, keep_alive=keep_alive, format=format, think=think)
        async with contextlib.aclosing(self._stream("/api/generate", payload, to_generate_chunk)) as chunks:
            async for chunk in chunks:
                yield chunk

    async def embed(self, model: str, inputs: str | Sequence[str]) -> list[list[float]]:
        payload = {"model": model, "input": inputs if isinstance(inputs, str) else list(inputs)}
        # The embedding model may have to load first: that is the first-token budget.
        obj = await self._json("POST", "/api/embed", json=payload, budget=self.timeouts.first_token)
        vectors = obj.get("embeddings")
        if not isinstance(vectors, list):
            raise ServerError("The model server's embedding reply had no embeddings.")
        try:
            return [floats(vector) for vector in vectors]
        except ValueError as err:
            raise ServerError(f"The model server's embedding reply could not be read ({err}).") from err
