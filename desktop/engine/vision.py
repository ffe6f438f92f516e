"""Images: Ollama's base64 `images` (no data: prefix on the native API), checked before any
model is loaded, the 400 a model without a projector answers, and the projector (a CLIP
"mmproj" GGUF) that /api/create takes beside the model's GGUF."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.engine.create_input import model_file_of
from desktop.engine.gguf import GGUFError, read_gguf
from desktop.engine.options import RequestError
from desktop.engine.security import InvalidDigest, ModelName, parse_digest

PROJECTOR_MEDIA = "application/vnd.ollama.image.projector"
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


PROJECTOR_ARCHS = {"clip", "mmproj"}


def _is_projector(path: Path) -> bool:
    try:
        return read_gguf(path).architecture in PROJECTOR_ARCHS
    except GGUFError:
        return False


def model_and_projector(files: Any, blob_path: Callable[[str], Path]) -> tuple[str, dict[str, Any] | None]:
    """create's `files`: the model's digest and, when a second GGUF is a projector, its layer.

    A projector is told apart by its GGUF architecture (`clip`), as Ollama does, not by name.
    """
    if isinstance(files, dict):
        ggufs = [(str(k), v) for k, v in files.items() if str(k).lower().endswith(".gguf")]
        if len(ggufs) == 2 and all(isinstance(v, str) for _, v in ggufs):
            try:
                paths = {name: blob_path(f"sha256:{parse_digest(str(digest))}") for name, digest in ggufs}
            except InvalidDigest:
                raise RequestError("invalid digest format") from None
            projectors = [name for name, path in paths.items() if path.is_file() and _is_projector(path)]
            if len(projectors) == 1:
                rest = {k: v for k, v in files.items() if str(k) != projectors[0]}
                _, model = model_file_of(rest)
                digest = f"sha256:{parse_digest(str(files[projectors[0]]))}"
                size = paths[projectors[0]].stat().st_size
                return model, {"mediaType": PROJECTOR_MEDIA, "digest": digest, "size": size}
    _, model = model_file_of(files)
    return model, None
