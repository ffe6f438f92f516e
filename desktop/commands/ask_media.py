"""`ollama-desk ask` options beyond text: images, structured output, thinking.

No Qt here: images are sent as the files are (PNG, JPEG, WebP; the app scales and turns
them, the terminal leaves that to the user), checked for type and size first.
"""

from __future__ import annotations

import argparse
import base64
import json
from pathlib import Path
from typing import Any

from desktop.core.attachments import image_type
from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.errors import OllamaError
from desktop.core.thinking import THINK_LEVELS

MAX_IMAGE_BYTES = 20 * 1024 * 1024
THINK_CHOICES = ("on", "off", *THINK_LEVELS)


class MediaError(ValueError):
    """One plain sentence for stderr."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--image",
        "-i",
        metavar="FILE",
        action="append",
        default=[],
        help="an image for a vision model (PNG, JPEG or WebP); repeat for several",
    )
    parser.add_argument(
        "--format",
        "-f",
        metavar="json|SCHEMA_FILE",
        help="ask for JSON, or JSON following the schema in a file",
    )
    parser.add_argument("--thinking", action="store_true", help="also print the model's thinking, on stderr")
    parser.add_argument(
        "--think", choices=THINK_CHOICES, help="turn a reasoning model's thinking on, off or to a level"
    )


def read_images(paths: list[str]) -> tuple[str, ...]:
    """Ollama's `images`: plain base64 of each file, no data: prefix."""
    encoded = []
    for name in paths:
        path = Path(name)
        if not image_type(path):
            raise MediaError(f"{path.name} is not a PNG, JPEG or WebP image.")
        try:
            size = path.stat().st_size
            if size > MAX_IMAGE_BYTES:
                raise MediaError(
                    f"{path.name} is too large to send ({size // (1024 * 1024)} MB; at most 20 MB)."
                )
            encoded.append(base64.b64encode(path.read_bytes()).decode("ascii"))
        except OSError as err:
            raise MediaError(f"Could not read the image {name}: {err.strerror or err}.") from err
    return tuple(encoded)


def read_format(value: str | None) -> str | dict[str, Any] | None:
    if not value:
        return None
    if value == "json":
        return "json"
    path = Path(value)
    try:
        schema = json.loads(path.read_text("utf-8"))
    except OSError as err:
        raise MediaError(f"Could not read the schema file {value}: {err.strerror or err}.") from err
    except ValueError as err:
        raise MediaError(f"The schema file {value} is not valid JSON ({err}).") from err
    if not isinstance(schema, dict) or not schema:
        raise MediaError(f'The schema file {value} must hold a JSON object, such as {{"type": "object"}}.')
    return schema


def think_value(value: str | None) -> bool | str | None:
    if value is None:
        return None
    return {"on": True, "off": False}.get(value, value)


async def check_vision(client: OllamaClient, model: str) -> None:
    """Refuse images for a model the server says cannot read them, before sending anything."""
    try:
        capabilities = (await client.show(model)).capabilities
    except OllamaError:
        return  # the chat request itself will say what is wrong
    if capabilities and "vision" not in capabilities:
        raise MediaError(f"{model} cannot read images. Choose a vision model with --model.")
