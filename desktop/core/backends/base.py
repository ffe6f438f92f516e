"""One chat-backend interface for every model server the app talks to.

`OllamaBackend` speaks Ollama's API (NDJSON streams, /api/tags, /api/show; pulls and the
running-models view exist there), `OpenAIBackend` speaks `/v1` (SSE streams: vLLM, TGI's
Messages API, llama.cpp's llama-server, LM Studio). Both take and give the same types as
OllamaClient (ChatMessage, ChatChunk with Metrics, ModelInfo with capabilities), so
ChatService and the UI do not care which one streams a reply.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from enum import Enum
from typing import Any, Protocol, runtime_checkable

from desktop.core.ollama.errors import ServerError
from desktop.core.ollama.types import ChatChunk, ChatMessage, ModelInfo


class BackendKind(str, Enum):
    OLLAMA = "ollama"
    OPENAI = "openai"


class KeyRejected(ServerError):
    """HTTP 401/403: the API key or token is missing or wrong; Settings > Servers is the way out."""


@runtime_checkable
class ChatBackend(Protocol):
    kind: BackendKind
    base_url: str

    @property
    def manages_models(self) -> bool:
        """Pull, delete and the running-models view exist (Ollama's API only)."""
        ...

    async def list_models(self) -> list[ModelInfo]: ...

    def chat(
        self,
        model: str,
        messages: Sequence[ChatMessage],
        *,
        options: Mapping[str, Any] | None = None,
        keep_alive: str | float | None = None,
        format: str | dict[str, Any] | None = None,
        think: bool | str | None = None,
        tools: Sequence[Mapping[str, Any]] | None = None,
    ) -> AsyncIterator[ChatChunk]: ...

    async def embed(self, model: str, inputs: str | Sequence[str]) -> list[list[float]]: ...

    async def is_alive(self) -> bool: ...

    async def aclose(self) -> None: ...
