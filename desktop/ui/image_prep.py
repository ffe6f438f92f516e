"""Images made ready to send: EXIF orientation applied, large ones scaled down, in PNG/JPEG.

Vision models see a few hundred pixels a side (llava 336, qwen2.5-vl up to about 1300):
a 12-megapixel photo sent whole costs seconds of upload and encoding for nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader, QImageWriter

from desktop.core.attachments import image_type
from desktop.core.messages import ImagePart

# The longest side sent to the model.
MAX_SIDE = 1568
# Files above this are refused before decoding (a decompression bomb is checked by Qt's own
# allocation limit too, see QImageReader.setAllocationLimit).
MAX_FILE_BYTES = 40 * 1024 * 1024
ALLOCATION_LIMIT_MB = 512


class ImageError(ValueError):
    """A plain sentence: why this image cannot be attached."""


def _encode(image: QImage, media_type: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # QImageWriter, not QImage.save: PySide6's stub wants save()'s format as bytes, its binding a str.
    jpeg = media_type == "image/jpeg"
    writer = QImageWriter(buffer, b"JPEG" if jpeg else b"PNG")
    writer.setQuality(90 if jpeg else -1)
    writer.write(image)
    buffer.close()
    return bytes(data.data())


def prepare(image: QImage, name: str, media_type: str = "image/png", original: bytes = b"") -> ImagePart:
    """An ImagePart of `image`, scaled so its longest side is at most MAX_SIDE.

    The original bytes are kept when nothing had to change (no scaling, no rotation, a
    type every server reads); WebP is re-encoded as PNG, which every vision server takes.
    """
    if image.isNull():
        raise ImageError(f"{name} could not be read as an image.")
    scaled = max(image.width(), image.height()) > MAX_SIDE
    if scaled:
        image = image.scaled(
            MAX_SIDE, MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    if original and not scaled and media_type in ("image/png", "image/jpeg"):
        return ImagePart(media_type, original, name)
    if media_type not in ("image/png", "image/jpeg"):
        media_type = "image/png"
    return ImagePart(media_type, _encode(image, media_type), name)


def load_image_file(path: Path) -> ImagePart:
    media_type = image_type(path)
    if not media_type:
        raise ImageError(f"{path.name} is not a PNG, JPEG or WebP image.")
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ImageError(f"{path.name} could not be read ({err.strerror or err}).") from err
    if size > MAX_FILE_BYTES:
        raise ImageError(f"{path.name} is too large to attach ({size // (1024 * 1024)} MB).")
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # EXIF orientation: a phone photo stands as it was taken
    reader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    image = reader.read()
    if image.isNull():
        raise ImageError(f"{path.name} could not be read as an image ({reader.errorString()}).")
    rotated = reader.transformation() != QImageIOHandler.Transformation.TransformationNone
    original = b"" if rotated else path.read_bytes()
    return prepare(image, path.name, media_type, original)
