"""The Ollama backend: OllamaClient behind the ChatBackend interface."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Mapping, Sequence
from dataclasses import replace
from typing import Any

import httpx

from desktop.core.backends.base import BackendKind, KeyRejected
from desktop.core.ollama.base import Timeouts
from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.errors import ServerError
from desktop.core.ollama.types import ChatChunk, ChatMessage, ModelInfo


class OllamaBackend:
    kind = BackendKind.OLLAMA

    def __init__(
        self,
        client: OllamaClient | None = None,
        *,
        host: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeouts: Timeouts | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.client = client or OllamaClient(host, timeouts=timeouts, transport=transport)
        if headers:
            # A reverse proxy's token or a bearer: on every request of this server only.
            self.client._http.headers.update(dict(headers))
        self.base_url = self.client.base_url

    @property
    def manages_models(self) -> bool:
        return True

    async def list_models(self) -> list[ModelInfo]:
        """/api/tags, with capabilities from /api/show (which reads metadata, loads nothing);
        a model whose show fails keeps what tags said."""
        try:
            models = await self.client.tags()
        except ServerError as err:
            raise self._key_error(err) from err
        shows = await asyncio.gather(*(self.client.show(m.name) for m in models), return_exceptions=True)
        out = []
        for model, show in zip(models, shows, strict=True):
            if isinstance(show, BaseException):
                out.append(model)
            elif show.capabilities:
                out.append(replace(model, capabilities=show.capabilities))
            else:
                out.append(model)
        return out

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
        stream = self.client.chat(
            model, messages, options=options, keep_alive=keep_alive, format=format, think=think, tools=tools
        )
        try:
            async for chunk in stream:
                yield chunk
        except ServerError as err:
            raise self._key_error(err) from err
        finally:
            await stream.aclose()

    def _key_error(self, err: ServerError) -> ServerError:
        """401/403 from a reverse proxy or a shared engine: the token is the problem."""
        if err.status not in (401, 403):
            return err
        return KeyRejected(
            f"The server at {self.base_url} rejected the token ({err}). Check it in Settings > Servers.",
            status=err.status,
        )

    async def embed(self, model: str, inputs: str | Sequence[str]) -> list[list[float]]:
        return await self.client.embed(model, inputs)

    async def is_alive(self) -> bool:
        return await self.client.is_alive()

    async def aclose(self) -> None:
        await self.client.aclose()
