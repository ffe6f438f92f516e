"""Make docs/screenshots/light.png, dark.png and zh_CN.png from the real app.

    python docs/screenshots/take.py            # all three
    python docs/screenshots/take.py dark       # one

Each shot: a fresh data folder holding a few conversations, the theme and language set
in the settings (`ui.theme`, `ui.language`), a real embedded engine with the starter
model, `python -m desktop` on its own Xvfb display, and `import -window` (ImageMagick)
once the main window is mapped. The conversations are written into the store first, so
the pictures show a readable exchange rather than what a 135M model makes up.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screenshots"
MODEL = "smollm2:135m"
SIZE = (1180, 740)

EN = [
    (
        "Trip ideas for a rainy weekend",
        [
            ("user", "Three ideas for a rainy weekend in Edinburgh?"),
            (
                "assistant",
                "1. **National Museum of Scotland**: free, huge, and the rooftop terrace has a view.\n"
                "2. **The Scotch Whisky Experience** on the Royal Mile.\n"
                "3. A long lunch in **Stockbridge**, then the Sunday market if it clears.",
            ),
        ],
    ),
    (
        "Summarise the meeting notes",
        [
            (
                "user",
                "Summarise: we agreed to ship on Friday, Ana owns the release notes, QA starts Wednesday.",
            ),
            ("assistant", "- Ship: **Friday**\n- Release notes: **Ana**\n- QA starts: **Wednesday**"),
        ],
    ),
    (
        "Reverse a list in Python",
        [
            ("user", "How do I reverse a list in Python without changing the original?"),
            (
                "assistant",
                "Use slicing, which returns a new list:\n\n```python\nnumbers = [1, 2, 3, 4]\n"
                "backwards = numbers[::-1]\nprint(backwards)  # [4, 3, 2, 1]\nprint(numbers)    # unchanged\n"
                "```\n\n`reversed(numbers)` gives an iterator instead, and `numbers.reverse()` changes the "
                "list in place.",
            ),
        ],
    ),
]

ZH = [
    (
        "周末出行建议",
        [
            ("user", "下雨的周末在杭州可以去哪里？"),
            (
                "assistant",
                "1. **浙江省博物馆**：免费，展品丰富。\n2. **中国茶叶博物馆**：雨中的茶园别有风味。\n"
                "3. 在**河坊街**吃小吃，再找一家茶馆坐坐。",
            ),
        ],
    ),
    (
        "会议纪要总结",
        [
            ("user", "总结一下：周五发布，安娜负责发布说明，测试周三开始。"),
            ("assistant", "- 发布：**周五**\n- 发布说明：**安娜**\n- 测试开始：**周三**"),
        ],
    ),
    (
        "用 Python 反转列表",
        [
            ("user", "在 Python 里怎样反转一个列表而不修改原列表？"),
            (
                "assistant",
                "使用切片，它会返回一个新列表：\n\n```python\nnumbers = [1, 2, 3, 4]\n"
                "backwards = numbers[::-1]\n"
                "print(backwards)  # [4, 3, 2, 1]\nprint(numbers)    # 原列表不变\n```\n\n"
                "`reversed(numbers)` 返回迭代器，`numbers.reverse()` 会原地修改列表。",
            ),
        ],
    ),
]

SHOTS = {"light": ("light", "en", EN), "dark": ("dark", "en", EN), "zh_CN": ("system", "zh_CN", ZH)}


def fill(home: Path, theme: str, language: str, conversations: list) -> None:
    from desktop.core.store import Store

    with Store(home / "desk.sqlite3") as store:
        for title, turns in conversations:
            c = store.create_conversation(title=title, model=MODEL)
            for role, text in turns:
                store.add_message(c.id, role, text, model=MODEL if role == "assistant" else "")
        store.set_setting("ui.theme", theme)
        store.set_setting("ui.language", language)
        store.set_setting("welcome.shown", True)
        store.set_setting("default_model", MODEL)
        store.set_setting("tray.close_hint_shown", True)


def xdo(env: dict[str, str], *args: str) -> str:
    return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=30).stdout


def shoot(name: str, engine_url: str, display: str) -> Path:
    theme, language, conversations = SHOTS[name]
    tmp = Path(tempfile.mkdtemp(prefix=f"desk-shot-{name}-"))
    home = tmp / "desk"
    home.mkdir()
    fill(home, theme, language, conversations)
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        OLLAMA_DESK_HOME=str(home),
        OLLAMA_HOST=engine_url,
        HOME=str(tmp),
        XDG_CONFIG_HOME=str(tmp / "config"),
        XDG_SESSION_TYPE="x11",
        LANG="zh_CN.UTF-8" if language.startswith("zh") else "en_US.UTF-8",
        QT_SCALE_FACTOR="1",
    )
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    log = (tmp / "app.log").open("wb")
    app = subprocess.Popen(
        [sys.executable, "-m", "desktop"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        wid = ""
        while not wid:
            if app.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"no main window:\n{(tmp / 'app.log').read_text(errors='replace')[-3000:]}")
            wid = (xdo(env, "search", "--onlyvisible", "--name", "^Ollama Desk").split() or [""])[0]
            time.sleep(0.2)
        xdo(env, "windowsize", wid, str(SIZE[0]), str(SIZE[1]))
        xdo(env, "windowmove", wid, "0", "0")
        time.sleep(1.0)
        # Open the newest conversation (the first in the list) the way a user would.
        xdo(env, "windowactivate", "--sync", wid)
        xdo(env, "key", "--window", wid, "ctrl+Page_Down")
        xdo(env, "key", "--window", wid, "ctrl+Page_Up")
        time.sleep(2.5)  # the engine comes online, the model list fills in
        target = OUT / f"{name}.png"
        subprocess.run(["import", "-window", wid, str(target)], env=env, check=True, timeout=30)
        return target
    finally:
        app.terminate()
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait(timeout=10)
        log.close()


def main() -> int:
    from tests.support.engine import start_engine

    wanted = sys.argv[1:] or list(SHOTS)
    number = next(n for n in range(160, 400) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    display = f":{number}"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    engine = start_engine(Path(tempfile.mkdtemp(prefix="desk-shot-engine-")))
    try:
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            time.sleep(0.05)
        for name in wanted:
            print(shoot(name, engine.url, display))
    finally:
        engine.stop()
        xvfb.terminate()
        xvfb.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
