"""Chat screenshots: the real app (Desk) against a loopback Ollama (the fault server), offscreen.

    python docs/screenshots/chat_shots.py light|dark en|zh_CN OUT_DIR

SHOT_STREAMING=1 also leaves a reply streaming with a message waiting its turn. Saved at
800x600, 1280x800 and 1920x1080.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["OLLAMA_DESK_HOME"] = tempfile.mkdtemp(prefix="chat-shots-")
os.environ["PATH"] = "/nonexistent"  # no `ollama` binary may be started
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import qasync  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.ui import i18n, pyside_fix, theme  # noqa: E402
from tests.support.fault_server import FaultServer  # noqa: E402
from tests.ui.test_chat_window import FINAL, MODEL, chunk, serve_basics  # noqa: E402

CODE = "```python\ndef total(values: list[float]) -> float:\n"
EN = [
    ("Name the capital city of Germany.", ["Berlin", "."]),
    (
        "Write a short poem about the sea, then a Python function that sums a list.",
        [
            "The ocean's clear,\nthe sky is wide,\nthe gulls ride on the evening tide.\n\n",
            "Here is the function:\n\n" + CODE,
            "    return sum(v for v in values if v is not None)  # skips gaps in the data, keeps the rest",
            "\n```\n\n- It returns `0.0` for an empty list.\n- It works with **any** iterable of numbers.",
        ],
    ),
]
ZH = [
    ("德国的首都是哪座城市？", ["柏林", "。"]),
    (
        "写一首关于大海的短诗，再写一个对列表求和的 Python 函数。",
        [
            "海水清澈，\n天空辽阔，\n海鸥随着晚潮飞翔。\n\n",
            "函数如下：\n\n" + CODE,
            "    return sum(v for v in values if v is not None)  # 跳过数据中的空值，其余保留",
            "\n```\n\n- 空列表返回 `0.0`。\n- 适用于**任何**数字的可迭代对象。",
        ],
    ),
]


async def wait_for(check: object, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)


def send(desk: object, text: str) -> None:
    desk.page.composer.setPlainText(text)  # type: ignore[attr-defined]
    desk.page._on_send()  # type: ignore[attr-defined]


async def main(mode: str, lang: str, out: Path) -> None:
    loop = asyncio.get_running_loop()
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,  # type: ignore[attr-defined]
        finalizer=loop._asyncgen_finalizer_hook,  # type: ignore[attr-defined]
    )
    from desktop.app import Desk
    from desktop.core.store import Store

    app = QApplication.instance()
    server = FaultServer()
    serve_basics(server)
    os.environ["OLLAMA_HOST"] = server.url
    store = Store.open_default()
    store.set_setting("welcome.shown", True)
    desk = Desk(app, store, [])  # type: ignore[arg-type]
    desk.start(argparse.Namespace(quick_ask=None))
    theme.apply(app, mode)  # type: ignore[arg-type]
    await wait_for(lambda: desk.page.model_picker.findData(MODEL) >= 0)
    for prompt, pieces in ZH if lang == "zh_CN" else EN:
        server.route("POST", "/api/chat", lines=[*map(chunk, pieces), FINAL], delay=0.02)
        send(desk, prompt)
        await asyncio.sleep(0.3)
        await wait_for(lambda: not desk.chat.generating)
    desk.window.show()
    tag = ""
    if os.environ.get("SHOT_STREAMING"):
        lines = [chunk("Tides rise "), chunk("and fall,\n\nand the moon")]
        server.route("POST", "/api/chat", lines=lines, stall_after=2)
        send(desk, "Why does the moon pull the sea?")
        await asyncio.sleep(1.0)
        send(desk, "And what about the sun?")
        desk.page.composer.setPlainText("Still typing the next o")
        tag = "streaming-"
    for width, height in ((800, 600), (1280, 800), (1920, 1080)):
        desk.window.resize(width, height)
        await asyncio.sleep(0.4)
        desk.page._scroll_to_end()
        await asyncio.sleep(0.2)
        desk.window.grab().save(str(out / f"chat-{tag}{lang}-{mode}-{width}x{height}.png"))
    desk.chat.stop()
    await desk.aclose()
    server.close()
    await asyncio.sleep(0.2)
    app.quit()  # type: ignore[union-attr]


if __name__ == "__main__":
    mode_arg, lang_arg, out_arg = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    pyside_fix.apply()
    qt_app = QApplication(sys.argv[:1])
    i18n.install(qt_app, lang_arg)
    qasync.run(main(mode_arg, lang_arg, out_arg))
