"""`ollama-desk --install-desktop-entry`: the launcher and its Quick Ask action in the Linux menu.

Writes the .desktop file and the icon into the user's XDG data folder (no root, no
system files). When `ollama-desk` is not on PATH (a source checkout), the Exec lines
run this Python with `-m desktop` instead, so the menu entry and the Quick Ask action
work either way. Any desktop can then bind a key to the Quick Ask action's command.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop import paths

DESKTOP_FILE = "ollama-desk.desktop"
ICON_NAME = "ollama-desk"
QUICK_ASK_ARGS = "--quick-ask --selection"


@dataclass(frozen=True)
class Installed:
    desktop_file: Path
    icon: Path
    command: str  # how the entry starts the app


def xdg_data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def launch_command() -> str:
    found = shutil.which("ollama-desk")
    if found:
        return "ollama-desk"
    if getattr(sys, "frozen", False):  # the PyInstaller bundle: its executable is the app
        return shlex.quote(sys.executable)
    return f"{shlex.quote(sys.executable)} -m desktop"


def render_entry(template: str, command: str) -> str:
    """The template with Exec lines pointing at `command`; TryExec only where it can be checked."""
    lines = []
    for line in template.splitlines():
        key, sep, value = line.partition("=")
        if sep and key == "Exec":
            rest = value.split(" ", 1)[1] if " " in value else ""
            line = f"Exec={command} {rest}".rstrip()
        elif sep and key == "TryExec" and command != "ollama-desk":
            continue  # TryExec takes a single program, not "python -m desktop"
        lines.append(line)
    return "\n".join(lines) + "\n"


def install(data_home: Path | None = None, *, quiet: bool = False) -> int:
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        print("Desktop entries are a Linux (freedesktop) feature; on this system, pin the app instead.")
        return 1
    home = data_home or xdg_data_home()
    template = paths.resource_path(DESKTOP_FILE).read_text(encoding="utf-8")
    command = launch_command()
    apps = home / "applications"
    icons = home / "icons" / "hicolor" / "scalable" / "apps"
    try:
        apps.mkdir(parents=True, exist_ok=True)
        icons.mkdir(parents=True, exist_ok=True)
        entry = apps / DESKTOP_FILE
        tmp = entry.with_suffix(".tmp")
        tmp.write_text(render_entry(template, command), encoding="utf-8")
        tmp.chmod(0o755)  # some file managers only trust executable launchers
        tmp.replace(entry)
        icon = icons / f"{ICON_NAME}.svg"
        shutil.copyfile(paths.resource_path("icons", f"{ICON_NAME}.svg"), icon)
        # Rendered sizes too, where the build has them: some menus and docks prefer PNGs.
        rendered = paths.resource_path("icons", "hicolor")
        if rendered.is_dir():
            for png in rendered.glob(f"*/apps/{ICON_NAME}.png"):
                target = home / "icons" / "hicolor" / png.relative_to(rendered)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(png, target)
    except OSError as err:
        print(f"Could not install the menu entry into {home}: {err.strerror or err}.", file=sys.stderr)
        return 1
    _refresh_caches(home)
    if not quiet:
        print(f"Installed {entry}")
        print(f"Installed {icon}")
        print("Ollama Desk is now in your applications menu, with a Quick Ask action.")
        print(f"To open Quick Ask with a key of your choice, add a custom keyboard shortcut running: "
              f"{command} {QUICK_ASK_ARGS}")
    return 0


def _refresh_caches(home: Path) -> None:
    # Menus pick the entry up without these on most desktops; they only speed it up.
    for argv in (["update-desktop-database", str(home / "applications")],
                 ["gtk-update-icon-cache", "-q", "-t", str(home / "icons" / "hicolor")]):
        if shutil.which(argv[0]):
            try:
                subprocess.run(argv, check=False, capture_output=True, timeout=20)
            except (OSError, subprocess.SubprocessError):
                pass
