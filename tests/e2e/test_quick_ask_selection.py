"""Quick Ask on the selected text, end to end under Xvfb: a real X client owns the PRIMARY selection.

`xclip -selection primary` holds the text (as a terminal or browser does after a drag), the
global hotkey is pressed with xdotool, the popup opens taller by the quote, Alt+1 (Translate)
sends the quote to the built-in engine and the answer streams (ChatService saves the growing
text every second; the history is turned on for that); a second launch with `--quick-ask
--selection` opens it with the quote too. With the feature turned off the same
steps read nothing: the popup opens without a quote and only the typed question is sent.

OLLAMA_DESK_SCREENSHOTS=DIR keeps the popup's screenshots there (docs/screenshots was made so).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.store import Store
from tests.e2e.conftest import Desktop
from tests.e2e.test_tray_quick_ask import ROOT, App, answers, wait_for_tray_icon

pytestmark = [pytest.mark.e2e, pytest.mark.engine]

ENGLISH = "The library opens at nine on weekdays."
CHINESE = "图书馆工作日早上九点开门。"


def seed(home: Path, **values: object) -> None:
    store = Store(home / "desk.sqlite3")
    try:
        for key, value in values.items():
            store.set_setting(key, value)
    finally:
        store.close()


@pytest.fixture
def env(desktop: Desktop, engine_url: str, tmp_path: Path, desk_home: Path) -> dict[str, str]:
    if shutil.which("xclip") is None:
        pytest.skip("needs xclip (Debian: xclip)")
    return {**desktop.env, "OLLAMA_HOST": engine_url, "OLLAMA_DESK_HOME": str(desk_home),
            "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}


@pytest.fixture
def select(desktop: Desktop) -> Iterator[object]:
    owners: list[subprocess.Popen[bytes]] = []

    def own(text: str) -> None:
        # -quiet keeps xclip in the foreground, owning the selection until we end it.
        proc = subprocess.Popen(["xclip", "-quiet", "-selection", "primary", "-i"], env=desktop.env,
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert proc.stdin is not None
        proc.stdin.write(text.encode())
        proc.stdin.close()
        owners.append(proc)
        desktop.wait(lambda: desktop.run("xclip", "-o", "-selection", "primary", check=False) == text, 10,
                     "xclip to own the selection")

    yield own
    for proc in owners:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)


TITLES = {"en": "Quick Ask", "zh_CN": "快速提问"}  # the popup's window title in each UI language


def open_quick_ask(desktop: Desktop, app: App, language: str = "en") -> str:
    """Press the global hotkey until the popup shows (the grab is made once the app is up)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        desktop.run("xdotool", "key", "ctrl+alt+space")
        shown_by = time.monotonic() + 3
        while time.monotonic() < shown_by:
            found = desktop.windows(f"^{TITLES[language]}$")
            if found:
                return found[0]
            time.sleep(0.2)
    raise AssertionError(f"Ctrl+Alt+Space never showed Quick Ask; app output:\n{app.output()}")


def popup_height(desktop: Desktop, popup: str) -> int:
    geometry = desktop.run("xdotool", "getwindowgeometry", popup)
    size = geometry.split("Geometry:")[1].split()[0]
    return int(size.split("x")[1])


def focus(desktop: Desktop, popup: str) -> None:
    desktop.wait(lambda: desktop.run("xdotool", "getwindowfocus", check=False).strip() == popup, 10,
                 "the popup to take the keyboard focus", interval=0.1)


def keep_screenshot(desktop: Desktop, popup: str, name: str, tmp_path: Path) -> Path:
    shot = tmp_path / name
    desktop.run("import", "-window", popup, str(shot), check=False)
    target = os.environ.get("OLLAMA_DESK_SCREENSHOTS")
    if target and shot.exists():
        shutil.copyfile(shot, Path(target) / name)
    return shot


@pytest.mark.parametrize(("language", "text", "instruction"), [
    ("en", ENGLISH, "into Simplified Chinese"),
    ("zh_CN", CHINESE, "into English"),
])
def test_the_hotkey_quotes_the_selection_and_translate_streams_an_answer(
    desktop: Desktop, env: dict[str, str], select: object, tmp_path: Path, language: str, text: str,
    instruction: str,
) -> None:
    home = Path(env["OLLAMA_DESK_HOME"])
    seed(home, **{"quick_ask.save_history": True, "ui.language": language})
    app = App(desktop, env, tmp_path / "app.log")
    try:
        wait_for_tray_icon(desktop, app)
        empty = open_quick_ask(desktop, app, language)  # nothing selected yet: no quote
        bare = popup_height(desktop, empty)
        focus(desktop, empty)  # Esc pressed before the popup holds the focus goes elsewhere
        desktop.run("xdotool", "key", "Escape")
        desktop.wait(lambda: not desktop.windows(f"^{TITLES[language]}$"), 10, "Esc to hide Quick Ask")

        select(text)  # type: ignore[operator]
        popup = open_quick_ask(desktop, app, language)
        desktop.wait(lambda: popup_height(desktop, popup) >= bare + 40, 10, "the popup to grow by the quote")
        keep_screenshot(desktop, popup, f"quick-ask-quote-{language}.png", tmp_path)
        focus(desktop, popup)
        desktop.run("xdotool", "key", "alt+1")

        def streamed() -> list[tuple[str, str, str]]:
            return [m for m in answers(home) if m[0] == "assistant" and m[1].strip()]

        try:
            desktop.wait(streamed, 180, "the translation to stream into the history", interval=0.3)
        except AssertionError:
            raise AssertionError(f"no answer; history {answers(home)}; app output:\n{app.output()}") from None
        asked = [m[1] for m in answers(home) if m[0] == "user"]
        assert len(asked) == 1 and instruction in asked[0] and f"\n{text}\n" in asked[0]
        finished = lambda: [m for m in streamed() if m[2] == "complete"]  # noqa: E731
        try:
            desktop.wait(finished, 40, "the answer to finish", interval=0.5)
        except AssertionError:
            pass  # a 135M model may ramble; what streamed is the proof
        time.sleep(0.5)
        keep_screenshot(desktop, popup, f"quick-ask-translate-{language}.png", tmp_path)
        desktop.run("xdotool", "key", "Escape")
        desktop.wait(lambda: not desktop.windows(f"^{TITLES[language]}$"), 10, "Esc to hide Quick Ask")

        # What a desktop's own shortcut runs (GNOME Wayland without the portal): a second launch.
        second = subprocess.run([sys.executable, "-m", "desktop", "--quick-ask", "--selection"], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        shown = desktop.wait(lambda: desktop.windows(f"^{TITLES[language]}$"), 15, "the forwarded Quick Ask")
        desktop.wait(lambda: popup_height(desktop, shown[0]) >= bare + 40, 10, "the forwarded popup's quote")
    finally:
        app.stop()


def test_turned_off_the_hotkey_reads_nothing(
    desktop: Desktop, env: dict[str, str], select: object, tmp_path: Path
) -> None:
    home = Path(env["OLLAMA_DESK_HOME"])
    seed(home, **{"quick_ask.save_history": True, "quick_ask.prefill": "off"})
    app = App(desktop, env, tmp_path / "app.log")
    try:
        wait_for_tray_icon(desktop, app)
        empty = open_quick_ask(desktop, app)
        bare = popup_height(desktop, empty)
        focus(desktop, empty)  # Esc pressed before the popup holds the focus goes elsewhere
        desktop.run("xdotool", "key", "Escape")
        desktop.wait(lambda: not desktop.windows("^Quick Ask$"), 10, "Esc to hide Quick Ask")

        select(ENGLISH)  # type: ignore[operator]
        popup = open_quick_ask(desktop, app)
        time.sleep(1)
        assert popup_height(desktop, popup) == bare  # no quote
        focus(desktop, popup)
        desktop.run("xdotool", "key", "alt+1")  # no quote: the action does nothing
        time.sleep(1)
        assert answers(home) == []
        desktop.run("xdotool", "type", "--delay", "15", "Hi")
        desktop.run("xdotool", "key", "Return")
        desktop.wait(lambda: [m for m in answers(home) if m[0] == "user"], 60, "the typed question")
        assert [m[1] for m in answers(home) if m[0] == "user"] == ["Hi"]
        assert not any("library" in m[1] for m in answers(home))
        desktop.run("xdotool", "key", "Escape")
    finally:
        app.stop()
