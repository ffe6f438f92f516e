"""Images and files in the chat, on screen and on the wire: attach by button path, paste and
drop; EXIF orientation and scaling; thumbnails in the composer and the history; the exact
Ollama payload (plain base64); a model without vision says so before anything is sent."""

from __future__ import annotations

import argparse
import asyncio
import base64
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, Qt, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from desktop.core.messages import ImagePart
from desktop.core.store import Store
from desktop.ui.image_prep import MAX_SIDE, load_image_file
from tests.support.fault_server import FaultServer
from tests.ui.test_chat_window import FINAL, MODEL, chunk, last_message, reply_is, send, serve_basics


def jpeg_with_orientation(width: int, height: int, orientation: int) -> bytes:
    """A JPEG whose EXIF says how to turn it (6: 90 degrees clockwise), as phones write them."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", 90)
    jpeg = bytes(data.data())
    tiff = b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", 1)
    tiff += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0)
    app1 = b"Exif\x00\x00" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:]


def png(path: Path, width: int, height: int, colour: str = "blue") -> Path:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG")
    return path


def test_exif_orientation_is_applied_and_large_images_scaled(tmp_path: Path) -> None:
    photo = tmp_path / "phone.jpg"
    photo.write_bytes(jpeg_with_orientation(400, 200, 6))
    part = load_image_file(photo)
    shown = QImage.fromData(part.data)
    assert (shown.width(), shown.height()) == (200, 400)  # stands as it was taken
    big = load_image_file(png(tmp_path / "wide.png", 4000, 1000))
    image = QImage.fromData(big.data)
    assert (image.width(), image.height()) == (MAX_SIDE, MAX_SIDE // 4)
    small_path = png(tmp_path / "small.png", 64, 32)
    assert load_image_file(small_path).data == small_path.read_bytes()  # nothing to change: sent as is


@pytest.fixture
def vision() -> bool:
    return True


@pytest.fixture
def desk(
    qtbot: Any,
    qloop: asyncio.AbstractEventLoop,
    fault_server: FaultServer,
    monkeypatch: pytest.MonkeyPatch,
    vision: bool,
) -> Iterator[Any]:
    from desktop.app import Desk

    serve_basics(fault_server)
    fault_server.route(
        "POST",
        "/api/show",
        body={
            "capabilities": ["completion", *(["vision"] if vision else [])],
            "model_info": {},
            "details": {},
        },
    )
    fault_server.route("POST", "/api/chat", lines=[chunk("A blue"), chunk(" square."), FINAL], delay=0.02)
    monkeypatch.setenv("OLLAMA_HOST", fault_server.url)
    monkeypatch.setenv("PATH", "/nonexistent")
    store = Store.open_default()
    store.set_setting("welcome.shown", True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    desk = Desk(app, store, [])
    desk.start(argparse.Namespace(quick_ask=None))
    qtbot.waitUntil(lambda: desk.page.model_picker.findData(MODEL) >= 0, timeout=10000)
    tray = desk.page.composer_box.attachments
    qtbot.waitUntil(lambda: tray.images_allowed() == vision and tray._abilities.known, timeout=10000)
    desk.window.resize(1000, 760)
    desk.window.show()
    try:
        yield desk
    finally:
        task = asyncio.ensure_future(desk.aclose(), loop=qloop)
        qtbot.waitUntil(task.done, timeout=10000)
        desk.window.close()
        desk.window.deleteLater()


def test_an_image_message_shows_thumbnails_and_sends_plain_base64(
    qtbot: Any, desk: Any, fault_server: FaultServer, tmp_path: Path
) -> None:
    tray = desk.page.composer_box.attachments
    picture = png(tmp_path / "square.png", 120, 120)
    tray.add_paths([picture])
    # Pasted and dropped too.
    pasted = QMimeData()
    pasted.setImageData(QImage(str(picture)))
    desk.page.composer.insertFromMimeData(pasted)
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\nThe square is blue.\n", "utf-8")
    dropped = QMimeData()
    dropped.setUrls([QUrl.fromLocalFile(str(notes))])
    desk.page.composer.insertFromMimeData(dropped)
    assert desk.page.composer.toPlainText() == ""  # nothing landed as text
    qtbot.waitUntil(lambda: len(tray.strip.thumbnails) == 2 and len(tray.strip.chips) == 1, timeout=3000)
    assert all(t.isVisibleTo(desk.window) for t in tray.strip.thumbnails)
    assert tray.strip.chips[0].label.text() == "notes.md"
    assert not tray.strip.thumbnails[0].icon().isNull()

    send(desk, "What is in the picture?")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    chats = [r.json() for r in fault_server.requests if r.path == "/api/chat"]
    user = chats[0]["messages"][0]
    assert user["role"] == "user"
    assert user["content"].startswith('<file name="notes.md">\n# Notes\nThe square is blue.\n')
    assert user["content"].endswith("What is in the picture?")
    assert user["images"][0] == base64.b64encode(picture.read_bytes()).decode("ascii")
    assert len(user["images"]) == 2 and not any(i.startswith("data:") for i in user["images"])
    assert tray.parts() == [] and not tray.strip.isVisibleTo(desk.window)

    reply = last_message(desk)
    conv_messages = desk.chat._store.messages(desk.chat.current.id)
    sent = conv_messages[0]
    assert [p.name for p in sent.parts if isinstance(p, ImagePart)] == ["square.png", "pasted image.png"]
    view = desk.page.view_for(sent.id)
    assert view is not None and len(view.media.thumbnails) == 2
    assert view.media.isVisibleTo(view) and view.media.thumbnails[0].isVisibleTo(view)
    assert view.media.names()[-1] == "notes.md"
    assert view.shown_text() == "What is in the picture?"
    qtbot.mouseClick(view.media.thumbnails[0], Qt.MouseButton.LeftButton)
    viewer = view.media.thumbnails[0].viewer
    assert viewer is not None and viewer.isVisible()
    viewer.close()
    assert reply.content == "A blue square."


@pytest.mark.parametrize("vision", [False])
def test_a_model_without_vision_says_so_before_sending(
    qtbot: Any, desk: Any, fault_server: FaultServer, tmp_path: Path
) -> None:
    tray = desk.page.composer_box.attachments
    assert "cannot read images" in tray.attach_button.toolTip()
    tray.add_paths([png(tmp_path / "x.png", 10, 10)])
    assert tray.images == []
    assert tray.note.isVisibleTo(desk.window)
    assert tray.note.text() == f"{MODEL} cannot read images. Choose a vision model to send pictures."
    assert not [r for r in fault_server.requests if r.path == "/api/chat"]
