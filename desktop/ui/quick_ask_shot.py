"""A screenshot region for Quick Ask: drag a rectangle over a still of the screen, it goes in as a PNG.

Offered only where the model that answers can see images (its capabilities say "vision").
The popup hides while the screen is grabbed, so it is not in the picture, and comes back
with the region shown as a removable chip; the PNG bytes go with the next question.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

MIN_SIDE = 8  # a click, not a drag: no region
GRAB_DELAY_MS = 200  # the popup's own window must be off the screen first


def png_bytes(pixmap: QPixmap) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


class RegionGrabber(QWidget):
    """A full-screen still of one screen; a drag picks the region, Esc or a click cancels."""

    grabbed = Signal(bytes)  # PNG
    cancelled = Signal()

    def __init__(self, still: QPixmap, geometry: QRect) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(self.tr("Drag over the part of the screen to ask about"))
        self.still = still
        self._start: QPoint | None = None
        self._end: QPoint | None = None
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setGeometry(geometry)

    def selection(self) -> QRect:
        if self._start is None or self._end is None:
            return QRect()
        a, b = self._start, self._end  # corners: the drag covers b - a pixels, not one more
        return QRect(min(a.x(), b.x()), min(a.y(), b.y()), abs(b.x() - a.x()), abs(b.y() - a.y()))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.drawPixmap(self.rect(), self.still)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 110))  # dim all but the region
        region = self.selection()
        if not region.isEmpty():
            ratio = self.still.devicePixelRatio() or 1.0
            source = QRect(int(region.x() * ratio), int(region.y() * ratio),
                           int(region.width() * ratio), int(region.height() * ratio))
            painter.drawPixmap(region, self.still, source)
            painter.setPen(QColor("#3d8bfd"))
            painter.drawRect(region.adjusted(0, 0, -1, -1))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self._start = self._end = event.position().toPoint()
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._start is not None:
            self._end = event.position().toPoint()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self._end = event.position().toPoint()
        region = self.selection()
        self.hide()
        if region.width() < MIN_SIDE or region.height() < MIN_SIDE:
            self.cancelled.emit()
            return
        ratio = self.still.devicePixelRatio() or 1.0
        cut = self.still.copy(QRect(int(region.x() * ratio), int(region.y() * ratio),
                                    int(region.width() * ratio), int(region.height() * ratio)))
        self.grabbed.emit(png_bytes(cut))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class ShotControl(QWidget):
    """The popup's screenshot button and the chip of the region taken (with its Remove)."""

    def __init__(self, popup: QWidget) -> None:
        super().__init__(popup)
        self._popup = popup
        self.png: bytes = b""
        self.grabber: RegionGrabber | None = None
        self.button = QToolButton()
        self.button.setText(self.tr("Screenshot region"))
        self.button.setToolTip(self.tr("Drag a rectangle on the screen: the model sees it with the question"))
        self.button.setAutoRaise(True)
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.button.clicked.connect(self.start)
        self.button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.chip = QLabel()
        self.remove_button = QToolButton()
        self.remove_button.setText("×")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip(self.tr("Remove the screenshot"))
        self.remove_button.clicked.connect(self.clear)
        layout.addWidget(self.chip)
        layout.addWidget(self.remove_button)
        layout.addStretch(1)
        self.hide()

    def set_available(self, available: bool) -> None:
        """Only where the answering model can see images; without it a region is dropped."""
        self.button.setVisible(available)
        if not available:
            self.clear()

    def images(self) -> tuple[bytes, ...]:
        return (self.png,) if self.png else ()

    def clear(self) -> None:
        self.png = b""
        self.hide()
        self._popup.adjustSize()

    def start(self) -> None:
        self._popup.hide()
        QTimer.singleShot(GRAB_DELAY_MS, self._grab)

    def _grab(self) -> None:
        screen = self._popup.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self._popup.show()
            return
        self.grabber = RegionGrabber(screen.grabWindow(0), screen.geometry())
        self.grabber.grabbed.connect(self._on_grabbed)
        self.grabber.cancelled.connect(self._back)
        self.grabber.show()
        self.grabber.activateWindow()

    def take(self, png: bytes, width: int, height: int) -> None:
        self.png = png
        self.chip.setText(self.tr("Screenshot {0} × {1} px").format(width, height))
        self.show()
        self._popup.adjustSize()

    def _on_grabbed(self, png: bytes) -> None:
        image = QPixmap()
        image.loadFromData(png, "PNG")
        self.take(png, image.width(), image.height())
        self._back()

    def _back(self) -> None:
        self._popup.show()
        self._popup.raise_()
        self._popup.activateWindow()
