"""Free-space check before a pull: will the model fit where the server keeps its models?

Only meaningful when the server runs on this machine; for a remote server the check says
so instead of guessing.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from desktop import paths

# Ollama preallocates each blob, then verifies and writes a manifest: keep a margin so that
# the disk is not left completely full.
HEADROOM_BYTES = 512 * 1000 * 1000
HEADROOM_FRACTION = 0.05

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0", "::", ""}


@dataclass(frozen=True)
class SpaceCheck:
    path: Path | None  # the models folder checked; None when the server is not local
    required: int  # bytes the pull needs, headroom included
    free: int | None  # bytes free there; None when unknown
    fits: bool  # True also when unknown: a check that cannot be made must not block a pull
    known: bool

    @property
    def shortfall(self) -> int:
        if self.free is None:
            return 0
        return max(0, self.required - self.free)


def is_local_url(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    return host in _LOCAL_HOSTS or host.startswith("127.")


def engine_models_dir() -> Path:
    """Where the embedded engine keeps models: its state file says so once it has started."""
    state = paths.data_dir() / "engine" / "engine.json"
    try:
        folder = json.loads(state.read_text(encoding="utf-8")).get("models")
    except (OSError, ValueError, AttributeError):
        folder = None
    if isinstance(folder, str) and folder:
        return Path(folder)
    # The engine's default (desktop.engine.server.default_models_dir, not imported: core stays light).
    return paths.data_dir() / "engine" / "models"


def ollama_models_dir(env: Mapping[str, str] | None = None) -> Path:
    """OLLAMA_MODELS, else ~/.ollama/models, else the Linux service's folder if only that exists."""
    env = os.environ if env is None else env
    override = env.get("OLLAMA_MODELS")
    if override:
        return Path(override).expanduser()
    home_dir = Path.home() / ".ollama" / "models"
    service_dir = Path("/usr/share/ollama/.ollama/models")
    if not home_dir.exists() and service_dir.exists():
        return service_dir
    return home_dir


def models_dir(base_url: str, *, embedded: bool, env: Mapping[str, str] | None = None) -> Path | None:
    """The server's models folder on this machine, or None for a remote server."""
    if not is_local_url(base_url):
        return None
    return engine_models_dir() if embedded else ollama_models_dir(env)


def default_models_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where models will land on this machine before the server is known: Ollama's folder where
    Ollama is (or was) installed, else the built-in engine's."""
    ollama = ollama_models_dir(env)
    if ollama.exists() or shutil.which("ollama"):
        return ollama
    return engine_models_dir()


def free_bytes(path: Path) -> int | None:
    """Free bytes on the filesystem holding `path` (the nearest existing parent)."""
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            return None
        probe = probe.parent
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return None


def required_bytes(download_size: int) -> int:
    return download_size + max(HEADROOM_BYTES, int(download_size * HEADROOM_FRACTION))


def check_space(download_size: int, folder: Path | None) -> SpaceCheck:
    """Compare a download size (0 = unknown) with the free space of `folder`."""
    required = required_bytes(download_size) if download_size > 0 else 0
    if folder is None or download_size <= 0:
        return SpaceCheck(folder, required, None, fits=True, known=False)
    free = free_bytes(folder)
    if free is None:
        return SpaceCheck(folder, required, None, fits=True, known=False)
    return SpaceCheck(folder, required, free, fits=free >= required, known=True)
