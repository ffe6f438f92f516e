"""Screenshots of #18: an answer with its thinking block, an image conversation, the composer
with attachments. The real app (Desk) against a loopback Ollama (the fault server), offscreen.

    python docs/screenshots/media_shots.py light|dark en|zh_CN OUT_DIR
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import shot_desk

shot_desk.prepare("media-shots-")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter  # noqa: E402
from shot_desk import send, wait_for  # noqa: E402

from tests.ui.desk_support import FINAL, MODEL, chunk  # noqa: E402

THOUGHT = [
    'The user asks how many r\'s are in "strawberry". ',
    "Let me spell it: s-t-r-a-w-b-e-r-r-y. ",
    "r appears at position 3, then 8 and 9. That is three.",
]
ANSWER = ["There are **three** r's in *strawberry*: st**r**awbe**rr**y."]


def thinking(text: str) -> dict[str, object]:
    return {"model": MODEL, "message": {"role": "assistant", "content": "", "thinking": text}, "done": False}


def picture(path: Path) -> Path:
    """A small sunset: a sky gradient, a sun and the sea."""
    image = QImage(640, 420, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    sky = QLinearGradient(QPointF(0, 0), QPointF(0, 280))
    sky.setColorAt(0, QColor("#203a74"))
    sky.setColorAt(1, QColor("#f59e5b"))
    painter.fillRect(QRectF(0, 0, 640, 280), sky)
    painter.setBrush(QColor("#ffd25e"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QPointF(320, 270), 70, 70)
    painter.fillRect(QRectF(0, 280, 640, 140), QColor("#1d5c85"))
    painter.end()
    image.save(str(path), "PNG")
    return path


async def shoot(desk: object, out: Path, name: str) -> None:
    desk.window.resize(1280, 800)  # type: ignore[attr-defined]
    await asyncio.sleep(0.4)
    desk.page._scroll_to_end()  # type: ignore[attr-defined]
    await asyncio.sleep(0.2)
    desk.window.grab().save(str(out / name))  # type: ignore[attr-defined]


async def main(mode: str, lang: str, out: Path) -> None:
    show = {"capabilities": ["completion", "vision", "thinking"], "model_info": {}}
    desk, server = await shot_desk.start_desk(mode, show)
    await wait_for(desk.page.composer_box.attachments.images_allowed)
    desk.window.show()
    suffix = f"{lang}-{mode}"

    # 1. An answer with its thinking block (opened).
    server.route("POST", "/api/chat", lines=[*map(thinking, THOUGHT), *map(chunk, ANSWER), FINAL], delay=0.3)
    send(desk, "How many r's are in strawberry?")
    await asyncio.sleep(0.5)
    await wait_for(lambda: not desk.chat.generating, 10)
    views = desk.page.findChildren(
        type(desk.page.view_for(desk.chat._store.messages(desk.chat.current.id)[-1].id))
    )
    for view in views:
        if view.thinking.text():
            view.thinking.set_open(True)
    await shoot(desk, out, f"thinking-{suffix}.png")

    # 2. The composer with attachments.
    desk.chat.new_conversation()
    await asyncio.sleep(0.2)
    folder = Path(tempfile.mkdtemp(prefix="media-files-"))
    notes = folder / "trip-notes.md"
    notes.write_text("# Trip\nWe watched the sunset from the pier.\n", "utf-8")
    tray = desk.page.composer_box.attachments
    tray.add_paths([picture(folder / "sunset.png"), notes])
    desk.page.composer.setPlainText("Describe this photo and suggest a caption for my notes.")
    await shoot(desk, out, f"composer-attachments-{suffix}.png")

    # 3. The image conversation.
    server.route(
        "POST",
        "/api/chat",
        lines=[
            chunk("A sunset over the sea: a low yellow sun, an orange-to-blue sky and calm water. "),
            chunk("\n\nCaption: *Last light from the pier.*"),
            FINAL,
        ],
        delay=0.05,
    )
    desk.page._on_send()
    await asyncio.sleep(0.5)
    await wait_for(lambda: not desk.chat.generating, 10)
    await shoot(desk, out, f"image-chat-{suffix}.png")

    await shot_desk.finish(desk, server)


if __name__ == "__main__":
    shot_desk.run(main)
