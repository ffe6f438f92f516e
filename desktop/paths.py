"""Where the app keeps its data and finds its bundled resources (no Qt)."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "ollama-desk"


def data_dir() -> Path:
    """The user data folder; OLLAMA_DESK_HOME overrides it (tests, portable use), then the
    folder chosen in the settings (see set_data_location), then the platform's default."""
    override = os.environ.get("OLLAMA_DESK_HOME")
    if override:
        path = Path(override)
    else:
        path = data_location() or Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _location_file() -> Path:
    # Outside the data folder, since it says where that folder is.
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "data-location.txt"


def data_location() -> Path | None:
    """The data folder the user chose in the settings, or None for the default."""
    try:
        text = _location_file().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(text) if text and os.path.isabs(text) else None


def set_data_location(folder: Path | None) -> None:
    """Use `folder` from the next start on (None: back to the default). Raises OSError."""
    target = _location_file()
    if folder is None:
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(str(Path(folder).resolve()) + "\n", encoding="utf-8")
    os.replace(partial, target)


def resource_path(*parts: str) -> Path:
    """A file under resources/, in a source checkout, a wheel or a PyInstaller bundle."""
    try:
        base = Path(str(resources.files("desktop.resources")))
    except ModuleNotFoundError:
        # A source checkout used without `pip install -e .`.
        base = Path(__file__).resolve().parent.parent / "resources"
    return base.joinpath(*parts)
