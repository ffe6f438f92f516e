"""Thumbnails of a message's images and chips naming its attached files.

Used in the chat history (read-only) and in the composer (each item with a remove button).
Image bytes are decoded with QImage from memory only: nothing here reads a path a model wrote.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.attachments import TextAttachment
from desktop.core.messages import ImagePart
from desktop.ui import theme

THUMB = 96


def decode(part: ImagePart) -> QImage:
    image = QImage()
    image.loadFromData(QByteArray(part.data))
    return image


class ImageViewer(QDialog):
    """An image at full size (scaled down to the screen), opened from its thumbnail."""

    def __init__(self, part: ImagePart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(part.name or self.tr("Image"))
        image = decode(part)
        label = QLabel(self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if image.isNull():
            label.setText(self.tr("This image could not be shown."))
        else:
            screen = self.screen().availableGeometry().size() * 0.85 if self.screen() else QSize(1200, 900)
            pixmap = QPixmap.fromImage(image)
            if pixmap.width() > screen.width() or pixmap.height() > screen.height():
                pixmap = pixmap.scaled(
                    screen, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            label.setPixmap(pixmap)
        scroll = QScrollArea(self)
        scroll.setWidget(label)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        self.resize(min(label.sizeHint().width() + 40, 1200), min(label.sizeHint().height() + 40, 900))


class Thumbnail(QToolButton):
    def __init__(self, part: ImagePart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.part = part
        self.setObjectName("imageThumbnail")
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        image = decode(part)
        if image.isNull():
            self.setText(self.tr("Unreadable image"))
        else:
            thumb = image.scaled(
                THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
            self.setIcon(QPixmap.fromImage(thumb))
            self.setIconSize(thumb.size())
        name = part.name or self.tr("image")
        self.setToolTip(self.tr("%1 (click to view)").replace("%1", name))
        self.setAccessibleName(self.tr("Image %1").replace("%1", name))
        self.clicked.connect(self.open_viewer)
        self.viewer: ImageViewer | None = None

    def open_viewer(self) -> None:
        self.viewer = ImageViewer(self.part, self.window())
        self.viewer.show()


class FileChip(QWidget):
    removed = Signal()

    def __init__(self, name: str, detail: str, *, removable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fileChip")
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setText(name)
        self.label.setToolTip(detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 2, 2)
        row.setSpacing(2)
        row.addWidget(self.label)
        self.remove_button: QToolButton | None = None
        if removable:
            self.remove_button = QToolButton(self)
            self.remove_button.setText("×")
            self.remove_button.setAutoRaise(True)
            self.remove_button.setToolTip(self.tr("Remove %1").replace("%1", name))
            self.remove_button.setAccessibleName(self.tr("Remove %1").replace("%1", name))
            self.remove_button.clicked.connect(self.removed)
            row.addWidget(self.remove_button)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        border = theme.colours().field_border
        self.setStyleSheet(f"#fileChip {{ border: 1px solid {border}; border-radius: 10px; }}")


class MediaStrip(QWidget):
    """A row of thumbnails and file chips; hidden when it has none."""

    image_removed = Signal(int)  # index among the images
    file_removed = Signal(int)  # index among the files

    def __init__(self, parent: QWidget | None = None, *, removable: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("mediaStrip")
        self._removable = removable
        self.thumbnails: list[Thumbnail] = []
        self.chips: list[FileChip] = []
        self._items: list[QWidget] = []
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        self._row.addStretch(1)
        self.hide()

    def set_items(self, images: Sequence[ImagePart], files: Sequence[TextAttachment]) -> None:
        for widget in self._items:
            self._row.removeWidget(widget)
            widget.deleteLater()
        self.thumbnails, self.chips, self._items = [], [], []
        position = 0
        for index, part in enumerate(images):
            if self._removable:
                box = QWidget(self)
                col = QVBoxLayout(box)
                col.setContentsMargins(0, 0, 0, 0)
                col.setSpacing(0)
                thumb = Thumbnail(part, box)
                col.addWidget(thumb)
                remove = QToolButton(box)
                remove.setText(self.tr("Remove"))
                remove.setAutoRaise(True)
                remove.setAccessibleName(self.tr("Remove %1").replace("%1", part.name or self.tr("image")))
                remove.clicked.connect(lambda _=False, i=index: self.image_removed.emit(i))
                col.addWidget(remove)
                self._row.insertWidget(position, box)
                box.show()
                self._items.append(box)
            else:
                thumb = Thumbnail(part, self)
                self._row.insertWidget(position, thumb)
                thumb.show()
                self._items.append(thumb)
            self.thumbnails.append(thumb)
            position += 1
        for index, file in enumerate(files):
            chip = FileChip(
                file.name,
                self.tr("%1 tokens (estimate)").replace("%1", str(file.tokens)),
                removable=self._removable,
                parent=self,
            )
            chip.removed.connect(lambda i=index: self.file_removed.emit(i))
            self.chips.append(chip)
            self._items.append(chip)
            self._row.insertWidget(position, chip, 0, Qt.AlignmentFlag.AlignVCenter)
            chip.show()
            position += 1
        self.setVisible(bool(images or files))

    def names(self) -> list[str]:
        """What the strip shows, in order: image names, then file names."""
        return [t.part.name for t in self.thumbnails] + [
            c.label.text() for c in self.chips
        ]
