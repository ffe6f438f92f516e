"""Chat screenshots: the real app (Desk) against a loopback Ollama (the fault server), offscreen.

    python docs/screenshots/chat_shots.py light|dark en|zh_CN OUT_DIR

SHOT_STREAMING=1 also leaves a reply streaming with a message waiting its turn. Saved at
800x600, 1280x800 and 1920x1080.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import shot_desk

shot_desk.prepare("chat-shots-")

from shot_desk import send, wait_for  # noqa: E402

from tests.ui.desk_support import FINAL, chunk  # noqa: E402

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


async def main(mode: str, lang: str, out: Path) -> None:
    desk, server = await shot_desk.start_desk(mode)
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
    await shot_desk.finish(desk, server)


if __name__ == "__main__":
    shot_desk.run(main)
