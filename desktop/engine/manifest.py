"""Manifests are parsed into a fresh, closed shape before anything else sees them.

A manifest comes from a registry (hostile), from the models folder (written by us, but an
older version or another tool may have left anything there) or from our own create/pull
code. Each goes through `normalize`, which rebuilds it from the keys the engine knows:
schemaVersion, mediaType, and for the config and each layer mediaType, digest and size.
Every other key is dropped, so nothing a registry sends can smuggle an internal field (a
path, a flag) into the store; digests must be `sha256:` + 64 lower-case hex, the form the
blob names and the prune step compare, so two spellings of one digest cannot exist.
"""

from __future__ import annotations

import re
from typing import Any

MANIFEST_MEDIA = "application/vnd.docker.distribution.manifest.v2+json"
OCI_MANIFEST_MEDIA = "application/vnd.oci.image.manifest.v1+json"
CONFIG_MEDIA = "application/vnd.docker.container.image.v1+json"
MODEL_MEDIA = "application/vnd.ollama.image.model"
TEMPLATE_MEDIA = "application/vnd.ollama.image.template"
SYSTEM_MEDIA = "application/vnd.ollama.image.system"
PARAMS_MEDIA = "application/vnd.ollama.image.params"
LICENSE_MEDIA = "application/vnd.ollama.image.license"
MESSAGES_MEDIA = "application/vnd.ollama.image.messages"
PROJECTOR_MEDIA = "application/vnd.ollama.image.projector"  # a vision model's mmproj GGUF (#13)
LAYER_MEDIA = {
    MODEL_MEDIA,
    TEMPLATE_MEDIA,
    SYSTEM_MEDIA,
    PARAMS_MEDIA,
    LICENSE_MEDIA,
    MESSAGES_MEDIA,
    PROJECTOR_MEDIA,
}
MAX_LAYERS = 64
MAX_BLOB_SIZE = 1 << 42  # 4 TiB: above any model, below what an int64 Content-Length overflows at

_DIGEST_RE = re.compile(r"sha256:[0-9a-f]{64}")


class ManifestError(ValueError):
    """A manifest outside the accepted shape; the message is a plain sentence."""


class BadDigest(ManifestError):
    """A digest outside `sha256:<64 lower-case hex>`."""


class UnsupportedLayer(ManifestError):
    """A well-formed manifest with a layer kind this engine cannot run."""


def check_digest(value: Any) -> str:
    """`sha256:<64 lower-case hex>` exactly, or ManifestError."""
    if not isinstance(value, str) or not _DIGEST_RE.fullmatch(value):
        raise BadDigest("invalid digest format")
    return value


def _size(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_BLOB_SIZE:
        raise ManifestError("the manifest gives a layer without a valid size")
    return value


def _descriptor(raw: Any, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ManifestError("a layer of the manifest is not an object")
    media = raw.get("mediaType")
    if not isinstance(media, str):
        raise ManifestError("a layer of the manifest has no media type")
    if media not in allowed:
        raise UnsupportedLayer(
            f"this model has a {media[:100]} layer, which the built-in engine cannot run; "
            "install Ollama to use it"
        )
    return {"mediaType": media, "digest": check_digest(raw.get("digest")), "size": _size(raw.get("size"))}


def normalize(raw: Any) -> dict[str, Any]:
    """A closed copy of a manifest; raises ManifestError (UnsupportedLayer for layer kinds
    the engine cannot run, such as a LoRA adapter)."""
    if not isinstance(raw, dict):
        raise ManifestError("the registry answered something that is not a manifest")
    version = raw.get("schemaVersion", 2)
    if version != 2 or isinstance(version, bool):
        raise ManifestError("the manifest is not a schema version 2 manifest")
    media = raw.get("mediaType", MANIFEST_MEDIA)
    if media not in (MANIFEST_MEDIA, OCI_MANIFEST_MEDIA):
        raise ManifestError("the manifest has an unknown media type")
    layers = raw.get("layers")
    if not isinstance(layers, list) or not layers:
        raise ManifestError("the manifest has no layers")
    if len(layers) > MAX_LAYERS:
        raise ManifestError("the manifest has too many layers")
    config = _descriptor(raw.get("config"), {CONFIG_MEDIA})
    clean = [_descriptor(layer, LAYER_MEDIA) for layer in layers]
    models = [layer for layer in clean if layer["mediaType"] == MODEL_MEDIA]
    if not models:
        raise UnsupportedLayer(
            "this model has no GGUF weights, so the built-in engine cannot run it; install Ollama"
        )
    if len(models) > 1:
        raise UnsupportedLayer("this model has several weight files, which the built-in engine cannot run")
    return {"schemaVersion": 2, "mediaType": MANIFEST_MEDIA, "config": config, "layers": clean}
