"""The one client of the Ollama REST API: typed results, domain errors, explicit timeouts.

Split by API family: `api_inference` (chat, generate, embed), `api_models` (version,
tags, show, ps, delete, copy, load, unload), `api_pulls` (pull, create, blobs), over
`base` (the httpx client, budgets, error mapping) and `wire` (JSON -> types).

To close a stream deterministically, iterate it inside ``contextlib.aclosing(...)``;
a stream merely dropped after ``break`` is closed by the event loop a moment later.
"""

from __future__ import annotations

from desktop.core.ollama.api_inference import InferenceAPI
from desktop.core.ollama.api_models import ModelsAPI
from desktop.core.ollama.api_pulls import PullsAPI
from desktop.core.ollama.base import Timeouts
from desktop.core.ollama.host import default_host, parse_host

__all__ = ["OllamaClient", "Timeouts", "default_host", "parse_host"]


class OllamaClient(InferenceAPI, ModelsAPI, PullsAPI):
    """Async client of one Ollama(-compatible) server. Create once; ``await aclose()`` at the end."""

    async def __aenter__(self) -> OllamaClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
