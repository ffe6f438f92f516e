"""The machine checks of the architecture: core stays Qt-free, the layers hold, the code stays typed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_core_and_engine_never_import_qt_and_the_layers_hold() -> None:
    exe = shutil.which("lint-imports")
    assert exe is not None, "import-linter is a test dependency"
    result = run(exe)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "core is Qt-free KEPT" in result.stdout
    # cli > app > ui > argv > commands > core | engine: no layer imports one above it (so no cycle).
    assert "layers: cli > app > ui > argv > commands > core, engine KEPT" in result.stdout


def test_the_whole_package_passes_mypy_strict() -> None:
    result = run(sys.executable, "-m", "mypy")  # files and strictness from pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_the_core_loads_no_qt() -> None:
    code = (
        "import sys, desktop.core.chat, desktop.core.store, desktop.core.pulls, desktop.core.server_manager, "
        "desktop.core.hardware.probe, desktop.engine.app, desktop.commands.ask, desktop.core.settings, "
        "desktop.core.session, desktop.argv; desktop.argv.build_parser(); "
        "print([m for m in sys.modules if m.startswith(('PySide6', 'qasync'))])"
    )
    result = run(sys.executable, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_whole_tree_passes_ruff() -> None:
    result = run(sys.executable, "-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr
