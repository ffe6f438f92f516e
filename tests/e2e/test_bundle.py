"""The PyInstaller bundle, started like a double-click on a machine without Python.

Builds nothing: `packaging/build_linux.sh` (or `python benchmarks/bundle.py`) makes
dist/ollama-desk/ first; without it these tests skip and say how to build it. The bundle
runs with an empty environment (no PATH, PYTHONHOME or PYTHONPATH), so only what is
inside the folder can be used. No model server answers, so the app must start the
built-in engine from the bundle itself (`ollama-desk serve`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.e2e.conftest import NEEDED, Desktop

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("OLLAMA_DESK_BUNDLE", ROOT / "dist" / "ollama-desk" / "ollama-desk"))
WINDOW_NAME = "^Ollama Desk"  # the main window's title (xdotool takes a regex)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not BUNDLE.is_file(), reason=f"no bundle at {BUNDLE}: build it with packaging/build_linux.sh"
    ),
]


def _free_display() -> int:
    for number in range(200, 500):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture
def screen() -> Iterator[Desktop]:
    """A bare X display (the main window needs no tray host): its own Xvfb, nothing shared."""
    missing = [name for name in NEEDED if name != "trayer" and shutil.which(name) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian: xvfb xdotool x11-utils)")
    number = _free_display()
    xvfb = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline or xvfb.poll() is not None:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        yield Desktop(f":{number}", {"DISPLAY": f":{number}", "PATH": os.environ.get("PATH", "")})
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def bare_env(desktop: Desktop, home: Path) -> dict[str, str]:
    """What a desktop session gives a launched app, minus anything Python."""
    return {
        "DISPLAY": desktop.env["DISPLAY"],
        "XDG_SESSION_TYPE": "x11",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_RUNTIME_DIR": str(home / "runtime"),
        "OLLAMA_DESK_HOME": str(home / "desk"),
        "OLLAMA_HOST": "127.0.0.1:9",  # nothing answers there: the app must start its own engine
        "LANG": "C.UTF-8",
    }


@pytest.fixture
def launched(screen: Desktop, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path, Path]]:
    home = tmp_path / "home"
    (home / "runtime").mkdir(parents=True)
    (home / "runtime").chmod(0o700)
    log = tmp_path / "bundle.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BUNDLE)],
            env=bare_env(screen, home),
            cwd=str(home),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process, home, log
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def test_bundle_needs_no_python(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "OLLAMA_DESK_HOME": str(tmp_path / "desk")}
    out = subprocess.run([str(BUNDLE), "--help"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "serve" in out.stdout and "--quick-ask" in out.stdout
    internal = BUNDLE.parent / "_internal"
    assert (internal / "desktop" / "resources" / "catalog.json").is_file()
    assert list((internal / "desktop" / "resources" / "icons").glob("*.svg"))
    assert (internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so").is_file()
    assert (internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqoffscreen.so").is_file()
    assert not list(internal.glob("PySide6/Qt/lib/libQt6WebEngine*")), "unused Qt modules were bundled"
    assert not list(internal.glob("PySide6/Qt/lib/libQt6Quick*"))


def test_main_window_appears_and_the_bundled_engine_answers(screen: Desktop, launched: tuple) -> None:
    desktop = screen
    process, home, log = launched
    started = time.monotonic()

    def window() -> list[str]:
        if process.poll() is not None:
            raise AssertionError(
                f"the app exited with {process.returncode}:\n{log.read_text(errors='replace')}"
            )
        return desktop.windows(WINDOW_NAME)

    windows = desktop.wait(window, 60, "the main window")
    assert windows
    print(f"main window after {time.monotonic() - started:.2f} s")

    # With no server at OLLAMA_HOST and no `ollama` on PATH (there is no PATH), the app starts
    # the engine from its own executable; it writes its state file once it listens.
    state = home / "desk" / "engine" / "engine.json"
    desktop.wait(state.exists, 90, "the built-in engine's state file")
    info = json.loads(state.read_text(encoding="utf-8"))
    engine = psutil.Process(info["pid"])
    assert Path(engine.exe()).resolve() == BUNDLE.resolve(), "the engine must run from the bundle"
    with urllib.request.urlopen(f"{info['url']}/api/tags", timeout=20) as reply:
        names = [m["name"] for m in json.load(reply)["models"]]
    assert "smollm2:135m" in names, "the starter model ships inside the bundle"
    # The model runs in a child the bundle starts from itself (`serve --child`, llama-server).
    body = json.dumps(
        {"model": "smollm2:135m", "prompt": "Hi", "stream": False, "options": {"num_predict": 2}}
    )
    request = urllib.request.Request(f"{info['url']}/api/generate", data=body.encode(), method="POST")
    with urllib.request.urlopen(request, timeout=120) as reply:
        assert json.load(reply)["done"] is True, "the bundle's engine runs the starter model"

    # Closing the app leaves no engine behind.
    process.terminate()
    process.wait(timeout=30)
    desktop.wait(
        lambda: not engine.is_running() or engine.status() == psutil.STATUS_ZOMBIE,
        20,
        "the engine to exit with the app",
    )
