"""Pulls from an Ollama registry (registry.ollama.ai or one named in the model name), so the
catalog's library models work with the built-in engine too. The manifest's every digest is
validated before it names a file (CVE-2024-37032), and only GGUF models are accepted."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from desktop.engine.hf import PullError
from desktop.engine.registry import CONFIG_MEDIA, MODEL_MEDIA
from desktop.engine.security import InvalidDigest, ModelName, parse_digest

MANIFEST_ACCEPT = "application/vnd.docker.distribution.manifest.v2+json"
SUPPORTED_MEDIA = {
    MODEL_MEDIA,
    CONFIG_MEDIA,
    "application/vnd.ollama.image.template",
    "application/vnd.ollama.image.system",
    "application/vnd.ollama.image.params",
    "application/vnd.ollama.image.license",
    "application/vnd.ollama.image.messages",
}


def base_url(name: ModelName, insecure: bool) -> str:
    scheme = "http" if insecure else "https"
    return f"{scheme}://{name.host}/v2/{quote(name.namespace)}/{quote(name.model)}"


async def fetch_manifest(http: httpx.AsyncClient, name: ModelName, insecure: bool) -> dict[str, Any]:
    url = f"{base_url(name, insecure)}/manifests/{quote(name.tag)}"
    try:
        response = await http.get(url, headers={"Accept": MANIFEST_ACCEPT})
    except httpx.HTTPError as exc:
        raise PullError(f"pull model manifest: {exc}") from exc
    if response.status_code == 404:
        raise PullError("pull model manifest: file does not exist")
    if response.status_code >= 400:
        raise PullError(f"pull model manifest: {response.status_code}: {response.text.strip()[:300]}")
    try:
        manifest = response.json()
    except ValueError as exc:
        raise PullError(
            "pull model manifest: the registry answered something that is not a manifest"
        ) from exc
    if not isinstance(manifest, dict):
        raise PullError("pull model manifest: the registry answered something that is not a manifest")
    return manifest


def layers(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Layers then config, each with a validated digest and size; refuses what the engine cannot run."""
    raw_layers = manifest.get("layers")
    config = manifest.get("config")
    if not isinstance(raw_layers, list) or not isinstance(config, dict):
        raise PullError("pull model manifest: the manifest has no layers")
    result: list[dict[str, Any]] = []
    for layer in [*raw_layers, config]:
        if not isinstance(layer, dict):
            raise PullError("pull model manifest: a layer is not an object")
        try:
            digest = f"sha256:{parse_digest(str(layer.get('digest', '')))}"
        except InvalidDigest:
            raise PullError("invalid digest format") from None
        size = layer.get("size")
        if not isinstance(size, int) or size < 0:
            raise PullError("pull model manifest: a layer has no size")
        media = str(layer.get("mediaType", ""))
        if media not in SUPPORTED_MEDIA:
            raise PullError(
                f"this model has a {media or 'unknown'} layer, which the built-in engine cannot run; "
                "install Ollama to use it"
            )
        result.append({**layer, "digest": digest})
    if not any(layer.get("mediaType") == MODEL_MEDIA for layer in result):
        raise PullError(
            "this model has no GGUF weights, so the built-in engine cannot run it; install Ollama"
        )
    return result


def blob_url(name: ModelName, digest: str, insecure: bool) -> str:
    return f"{base_url(name, insecure)}/blobs/{digest}"
