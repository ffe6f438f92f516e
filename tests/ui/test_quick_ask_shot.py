"""The screenshot region: a drag over a still of the screen becomes a PNG sent with the question."""

from __future__ import annotations

import base64
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPixmap

from desktop.core.attachments import images
from desktop.core.ollama.types import ModelInfo
from desktop.core.store import Store
from desktop.ui.quick_ask import QuickAskWindow
from desktop.ui.quick_ask_shot import RegionGrabber, png_bytes
from tests.support.fault_server import FaultServer
from tests.ui.quick_ask_support import FINAL, MODEL, piece
from tests.ui.test_quick_ask_quote import popup  # noqa: F401 - the fixture


def still() -> QPixmap:
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    for x in range(100, 200):
        for y in range(50, 150):
            image.setPixelColor(x, y, QColor("#0000ff"))
    return QPixmap.fromImage(image)


def drag(qtbot: Any, widget: RegionGrabber, start: QPoint, end: QPoint) -> None:
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(widget, QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2))
    qtbot.mouseMove(widget, end)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def test_a_drag_cuts_that_region_as_png(qtbot: Any) -> None:
    grabber = RegionGrabber(still(), QRect(0, 0, 400, 300))
    qtbot.addWidget(grabber)
    grabber.show()
    qtbot.waitExposed(grabber)
    with qtbot.waitSignal(grabber.grabbed) as got:
        drag(qtbot, grabber, QPoint(100, 50), QPoint(200, 150))
    image = QImage.fromData(got.args[0], "PNG")
    assert (image.width(), image.height()) == (100, 100)
    assert image.pixelColor(50, 50) == QColor("#0000ff")
    assert not grabber.isVisible()


def test_a_click_or_esc_takes_nothing(qtbot: Any) -> None:
    grabber = RegionGrabber(still(), QRect(0, 0, 400, 300))
    qtbot.addWidget(grabber)
    grabber.show()
    qtbot.waitExposed(grabber)
    with qtbot.waitSignal(grabber.cancelled):
        drag(qtbot, grabber, QPoint(10, 10), QPoint(12, 12))
    grabber.show()
    with qtbot.waitSignal(grabber.cancelled):
        qtbot.keyClick(grabber, Qt.Key.Key_Escape)


def test_the_region_goes_with_the_question_as_an_ollama_image(
    qtbot: Any, popup: QuickAskWindow, fault_server: FaultServer, store: Store  # noqa: F811
) -> None:
    fault_server.route("POST", "/api/chat", lines=[piece("A blue square."), FINAL])
    popup.prefill_mode = "off"
    popup.open()
    popup.shot.set_available(True)
    png = png_bytes(still())
    popup.shot.take(png, 400, 300)
    assert popup.shot.isVisible() and popup.shot.chip.text() == "Screenshot 400 × 300 px"
    qtbot.keyClicks(popup.input, "What is this?")
    with qtbot.waitSignal(popup.controller.answer_finished, timeout=10000):
        qtbot.keyClick(popup.input, Qt.Key.Key_Return)
    message = fault_server.requests[-1].json()["messages"][0]
    assert message["content"] == "What is this?"
    assert message["images"] == [base64.b64encode(png).decode("ascii")]
    with qtbot.waitSignal(popup.controller.continue_requested) as handed:  # kept when continued
        popup.continue_button.click()
    first = store.messages(handed.args[0])[0]
    assert [p.data for p in images(first)] == [png]
    popup.shot.remove_button.click()
    assert not popup.shot.isVisible() and popup.shot.images() == ()


def test_offered_only_for_a_model_that_sees_images(qtbot: Any, client: Any, store: Store) -> None:  # noqa: F811
    from tests.ui.test_tray_integration import make

    integration, _window = make(qtbot, client, store, tray=False)
    integration.set_models([ModelInfo(name=MODEL, capabilities=("completion",))])
    integration.show_quick_ask()
    assert not integration.quick_ask.shot.button.isVisible()
    integration.set_models([ModelInfo(name="llava:7b", capabilities=("completion", "vision"))])
    integration.set_default_model("llava:7b")
    integration.show_quick_ask()
    assert integration.quick_ask.shot.button.isVisible()
    integration.close()


def test_the_button_grabs_the_screen_and_brings_the_popup_back(
    qtbot: Any, popup: QuickAskWindow  # noqa: F811
) -> None:
    popup.prefill_mode = "off"
    popup.open()
    popup.shot.set_available(True)
    popup.shot.button.click()
    assert not popup.isVisible()  # out of the picture
    qtbot.waitUntil(lambda: popup.shot.grabber is not None and popup.shot.grabber.isVisible(), timeout=5000)
    grabber = popup.shot.grabber
    assert grabber is not None
    qtbot.waitExposed(grabber)
    drag(qtbot, grabber, QPoint(20, 20), QPoint(120, 80))
    qtbot.waitUntil(popup.isVisible)
    assert popup.shot.isVisible() and popup.shot.images()
