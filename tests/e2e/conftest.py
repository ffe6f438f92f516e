"""A virtual X display with a system tray host, for end-to-end tests of the real app.

Needs Debian's xvfb, trayer, xdotool and x11-utils (installed by .ci/run); tests skip
only when those programs are missing.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

NEEDED = ("Xvfb", "trayer", "xdotool", "xwininfo")


@dataclass
class Desktop:
    display: str
    env: dict[str, str]

    def run(self, *argv: str, check: bool = True, timeout: float = 20) -> str:
        proc = subprocess.run(list(argv), env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise AssertionError(f"{argv} failed ({proc.returncode}): {proc.stderr.strip()}")
        return proc.stdout

    def tray_icons(self) -> list[str]:
        """Names of the windows embedded in trayer's panel (one per tray icon)."""
        tree = self.run("xwininfo", "-root", "-tree")
        icons: list[str] = []
        panel_indent = None
        for line in tree.splitlines():
            indent = len(line) - len(line.lstrip())
            if '("panel" "trayer")' in line:
                panel_indent = indent
                continue
            if panel_indent is not None:
                if indent <= panel_indent and line.strip().startswith("0x"):
                    break
                nested = indent >= panel_indent + 6
                if line.strip().startswith("0x") and nested and "(has no name)" not in line:
                    icons.append(line.strip())
        return icons

    def windows(self, name: str, *, visible: bool = True) -> list[str]:
        args = ["xdotool", "search"] + (["--onlyvisible"] if visible else []) + ["--name", name]
        return self.run(*args, check=False).split()

    def wait(self, predicate, timeout: float, what: str, interval: float = 0.2):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
            time.sleep(interval)


def start_xvfb(size: str = "1280x800x24") -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a display nobody else uses, checked by connecting to it.

    Other sessions on this machine run their own X servers (some only as abstract
    sockets, invisible in /tmp/.X11-unix), so a number is taken only once a client
    really reaches our server on it.
    """
    rng = random.Random(os.getpid() ^ time.monotonic_ns())
    for number in rng.sample(range(200, 900), 12):
        if Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
            continue
        display = f":{number}"
        proc = subprocess.Popen(["Xvfb", display, "-screen", "0", size, "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while proc.poll() is None and time.monotonic() < deadline:
            probe = subprocess.run(["xdpyinfo"] if shutil.which("xdpyinfo") else ["xwininfo", "-root"],
                                   env={**os.environ, "DISPLAY": display}, capture_output=True, timeout=10)
            if probe.returncode == 0:
                return proc, display
            time.sleep(0.1)
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=5)
    raise RuntimeError("Xvfb did not start on any free display")


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    missing = [name for name in NEEDED if shutil.which(name) is None]
    if missing:
        pytest.skip(f"end-to-end test needs {', '.join(missing)} (Debian: xvfb trayer xdotool x11-utils)")
    xvfb, display = start_xvfb()
    procs: list[subprocess.Popen[bytes]] = [xvfb]
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", XDG_SESSION_TYPE="x11")
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        trayer = subprocess.Popen(
            ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24",
             "--SetDockType", "true", "--transparent", "false", "--tint", "0x202020"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(trayer)
        desk = Desktop(display, env)
        desk.wait(lambda: "trayer" in desk.run("xwininfo", "-root", "-tree"), 15, "trayer's panel")
        yield desk
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
