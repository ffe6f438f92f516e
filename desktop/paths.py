"""Where the app keeps its data and finds its bundled resources (no Qt)."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "ollama-desk"


def data_dir() -> Path:
    """The user data folder; OLLAMA_DESK_HOME overrides it (tests, portable use)."""
    override = os.environ.get("OLLAMA_DESK_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def resource_path(*parts: str) -> Path:
    """A file under resources/, in a source checkout, a wheel or a PyInstaller bundle."""
    try:
        base = Path(str(resources.files("desktop.resources")))
    except ModuleNotFoundError:
        # A source checkout used without `pip install -e .`.
        base = Path(__file__).resolve().parent.parent / "resources"
    return base.joinpath(*parts)
