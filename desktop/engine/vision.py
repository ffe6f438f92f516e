"""Images in requests: Ollama's base64 `images` (no data: prefix on the native API), checked
before any model is loaded, and the 400 a model without a projector answers."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from desktop.engine.options import RequestError
from desktop.engine.security import ModelName

MAX_IMAGES = 32
MAX_IMAGE_BYTES = 64 << 20  # base64 text of one image; far above any photo a model can take


def _check(image: Any) -> str:
    if not isinstance(image, str):
        raise RequestError("images must be base64 strings")
    if len(image) > MAX_IMAGE_BYTES:
        raise RequestError("image is too large")
    try:
        base64.b64decode(image, validate=True)
    except (binascii.Error, ValueError):
        # Go's encoding/base64 wording, as Ollama answers a data: URL on /api/*.
        bad = next((i for i, c in enumerate(image) if not (c.isalnum() or c in "+/=")), 0)
        raise RequestError(f"illegal base64 data at input byte {bad}") from None
    return image


def message_images(raw: Any) -> list[str]:
    """A message's (or generate's) `images`: base64 strings, [] when none."""
    if raw is None or raw == []:
        return []
    if not isinstance(raw, list):
        raise RequestError("images must be an array of base64 strings")
    if len(raw) > MAX_IMAGES:
        raise RequestError(f"at most {MAX_IMAGES} images per message")
    return [_check(image) for image in raw]


def fully_qualified(name: ModelName) -> str:
    return f"{name.host}/{name.namespace}/{name.model}:{name.tag}"


def refuse_images(name: ModelName) -> RequestError:
    """Ollama's answer to images for a model without the vision capability."""
    return RequestError(f"{fully_qualified(name)} does not support vision")
