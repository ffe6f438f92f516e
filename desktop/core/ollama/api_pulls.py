"""The transfer family: pull and create streams, blob uploads."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncGenerator, Mapping
from pathlib import Path
from typing import Any

import httpx

from desktop.core.ollama.base import ClientBase
from desktop.core.ollama.errors import OllamaError
from desktop.core.ollama.types import PullProgress
from desktop.core.ollama.wire import to_progress

_BLOB_CHUNK = 1 << 20


class PullsAPI(ClientBase):
    async def pull(self, model: str, *, insecure: bool = False) -> AsyncGenerator[PullProgress, None]:
        payload = {"model": model, "insecure": insecure, "stream": True}
        stream = self._stream("/api/pull", payload, to_progress, idle=self._long_idle)
        async with contextlib.aclosing(stream) as items:
            async for item in items:
                yield item

    async def create(
        self,
        model: str,
        *,
        from_: str | None = None,
        files: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> AsyncGenerator[PullProgress, None]:
        payload: dict[str, Any] = {"model": model, "stream": True, **extra}
        if from_ is not None:
            payload["from"] = from_
        if files is not None:
            payload["files"] = dict(files)
        stream = self._stream("/api/create", payload, to_progress, idle=self._long_idle)
        async with contextlib.aclosing(stream) as items:
            async for item in items:
                yield item

    async def push_blob(self, path: Path) -> str:
        """Upload a file to the server's blob store (for create); returns ``sha256:<hex>``."""
        try:
            hexdigest = await asyncio.to_thread(_sha256_file, path)
            size = path.stat().st_size
        except OSError as err:
            raise OllamaError(f"Cannot read {path}: {err.strerror or err}.") from err
        digest = f"sha256:{hexdigest}"
        url = f"/api/blobs/{digest}"
        head = await self._request("HEAD", url, accept={404})
        if head.status_code == 200:
            return digest
        # Uploads of multi-gigabyte GGUF files: per-operation timeouts, no total budget.
        timeout = httpx.Timeout(
            connect=self.timeouts.connect,
            read=self.timeouts.first_token,
            write=self.timeouts.request,
            pool=self.timeouts.connect,
        )
        try:
            response = await self._http.post(
                url,
                content=_file_chunks(path),
                headers={"Content-Length": str(size), "Content-Type": "application/octet-stream"},
                timeout=timeout,
            )
        except httpx.HTTPError as err:
            raise self._transport_error(err) from err
        if response.status_code >= 400:
            raise self._status_error(response.status_code, response.content, url)
        return digest


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_BLOB_CHUNK):
            digest.update(block)
    return digest.hexdigest()


async def _file_chunks(path: Path) -> AsyncGenerator[bytes, None]:
    # Read in a worker thread: a slow disk must not stall the event loop (and the UI).
    with path.open("rb") as f:
        while block := await asyncio.to_thread(f.read, _BLOB_CHUNK):
            yield block
