"""Free-space check before a pull."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from desktop import paths
from desktop.core import disk


def test_remote_server_is_not_checked() -> None:
    assert disk.models_dir("http://192.168.1.20:11434", embedded=False) is None
    check = disk.check_space(5 * 10**9, None)
    assert check.fits and not check.known


def test_local_ollama_folder_follows_ollama_models(tmp_path: Path) -> None:
    folder = disk.models_dir("http://127.0.0.1:11434", embedded=False, env={"OLLAMA_MODELS": str(tmp_path)})
    assert folder == tmp_path
    assert disk.models_dir("http://localhost:11434", embedded=False, env={}) is not None


def test_engine_folder_comes_from_its_state_file(tmp_path: Path) -> None:
    assert disk.engine_models_dir() == paths.data_dir() / "engine" / "models"
    state = paths.data_dir() / "engine" / "engine.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"models": str(tmp_path / "m")}), encoding="utf-8")
    assert disk.models_dir("http://127.0.0.1:5000", embedded=True) == tmp_path / "m"


def test_fits_and_does_not_fit_against_the_real_free_space(tmp_path: Path) -> None:
    free = shutil.disk_usage(tmp_path).free
    small = disk.check_space(1000, tmp_path / "not" / "yet" / "created")
    assert small.known and small.fits and small.free is not None
    big = disk.check_space(free * 2, tmp_path)
    assert big.known and not big.fits
    assert big.shortfall >= free
    # Headroom: a download that exactly fills the disk does not fit.
    assert not disk.check_space(free, tmp_path).fits


def test_unknown_size_never_blocks() -> None:
    check = disk.check_space(0, Path("/"))
    assert check.fits and not check.known
