"""`ollama-desk --install-desktop-entry` writes a valid launcher with a Quick Ask action."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.commands import desktop_entry
from desktop.paths import resource_path

ROOT = Path(__file__).resolve().parents[2]


def parse(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser


def test_template_has_a_quick_ask_action() -> None:
    entry = parse(resource_path("ollama-desk.desktop"))
    main = entry["Desktop Entry"]
    assert main["Type"] == "Application" and main["Icon"] == "ollama-desk"
    assert "QuickAsk" in main["Actions"].split(";")
    assert entry["Desktop Action QuickAsk"]["Exec"] == "ollama-desk --quick-ask --selection"
    assert entry["Desktop Action QuickAsk"]["Name[zh_CN]"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop entries are Linux-only")
def test_install_from_a_source_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # ollama-desk is not installed
    assert desktop_entry.install(quiet=True) == 0
    written = tmp_path / "share" / "applications" / "ollama-desk.desktop"
    icon = tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "ollama-desk.svg"
    assert icon.read_bytes() == resource_path("icons", "ollama-desk.svg").read_bytes()
    for png in resource_path("icons", "hicolor").glob("*/apps/ollama-desk.png"):
        size = png.parent.parent.name
        copied = tmp_path / "share" / "icons" / "hicolor" / size / "apps" / "ollama-desk.png"
        assert copied.read_bytes() == png.read_bytes()
    entry = parse(written)
    python = sys.executable
    assert entry["Desktop Entry"]["Exec"] == f"{python} -m desktop %U"
    assert "TryExec" not in entry["Desktop Entry"]
    quick = entry["Desktop Action QuickAsk"]["Exec"]
    assert quick == f"{python} -m desktop --quick-ask --selection"
    assert os.access(written, os.X_OK)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop entries are Linux-only")
def test_install_with_the_program_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "ollama-desk"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    assert desktop_entry.install(tmp_path / "share", quiet=True) == 0
    entry = parse(tmp_path / "share" / "applications" / "ollama-desk.desktop")
    assert entry["Desktop Entry"]["Exec"] == "ollama-desk %U"
    assert entry["Desktop Entry"]["TryExec"] == "ollama-desk"
    assert entry["Desktop Action QuickAsk"]["Exec"] == "ollama-desk --quick-ask --selection"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop entries are Linux-only")
def test_the_command_line_flag(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    proc = subprocess.run([sys.executable, "-m", "desktop", "--install-desktop-entry"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Quick Ask" in proc.stdout and "--quick-ask" in proc.stdout
    assert (tmp_path / "share" / "applications" / "ollama-desk.desktop").exists()


def test_unwritable_folder_is_a_plain_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    if not sys.platform.startswith("linux"):
        pytest.skip("freedesktop entries are Linux-only")
    assert desktop_entry.install(blocker, quiet=True) == 1
    err = capsys.readouterr().err
    assert "Could not install the menu entry" in err and "Traceback" not in err
