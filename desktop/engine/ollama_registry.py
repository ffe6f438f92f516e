"""Pulls from an Ollama registry (registry.ollama.ai or one named in the model name), so the
catalog's library models work with the built-in engine too. The manifest is normalised as it
is parsed (manifest.normalize: every digest checked before it names a file, CVE-2024-37032;
unknown keys dropped), and only GGUF models are accepted."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx

from desktop.engine.hf import PullError
from desktop.engine.manifest import MANIFEST_MEDIA, BadDigest, ManifestError, UnsupportedLayer, normalize
from desktop.engine.security import ModelName

MANIFEST_ACCEPT = MANIFEST_MEDIA
MAX_MANIFEST_BYTES = 1 << 20  # a real manifest is a few kilobytes
NOT_A_MANIFEST = "pull model manifest: the registry answered something that is not a manifest"


def base_url(name: ModelName, insecure: bool) -> str:
    scheme = "http" if insecure else "https"
    return f"{scheme}://{name.host}/v2/{quote(name.namespace)}/{quote(name.model)}"


async def fetch_manifest(http: httpx.AsyncClient, name: ModelName, insecure: bool) -> dict[str, Any]:
    url = f"{base_url(name, insecure)}/manifests/{quote(name.tag)}"
    body = bytearray()
    try:
        async with http.stream("GET", url, headers={"Accept": MANIFEST_ACCEPT}) as response:
            # Read with a cap: a hostile registry could answer gigabytes to fill the memory.
            async for block in response.aiter_bytes():
                body += block
                if len(body) > MAX_MANIFEST_BYTES:
                    raise PullError(NOT_A_MANIFEST)
            status = response.status_code
    except httpx.HTTPError as exc:
        raise PullError(f"pull model manifest: {exc}") from exc
    if status == 404:
        raise PullError("pull model manifest: file does not exist")
    if status >= 400:
        text = body.decode("utf-8", "replace").strip()[:300]
        raise PullError(f"pull model manifest: {status}: {text}")
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError):
        raise PullError(NOT_A_MANIFEST) from None
    return _normalized(raw)


def layers(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Layers then config of a normalised manifest (digests, sizes and media types checked)."""
    clean = _normalized(manifest)
    return [*clean["layers"], clean["config"]]


def _normalized(raw: Any) -> dict[str, Any]:
    try:
        return normalize(raw)
    except (BadDigest, UnsupportedLayer) as exc:
        raise PullError(str(exc)) from None
    except ManifestError as exc:
        raise PullError(f"pull model manifest: {exc}") from None


def blob_url(name: ModelName, digest: str, insecure: bool) -> str:
    return f"{base_url(name, insecure)}/blobs/{digest}"
