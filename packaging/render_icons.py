"""Render the app icon's PNG sizes, the Windows .ico and the macOS .icns from the SVGs.

    python packaging/render_icons.py

The SVGs in resources/icons/ are the sources; everything this writes is generated and
committed so that building needs no SVG tool. Sizes up to 24 px come from
ollama-desk-small.svg, drawn on the 16 px grid, because the big drawing turns to mush there.
Uses QtSvg (already a dependency), so it runs anywhere the app runs.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
SMALL_MAX = 24
TRAY = ("tray-online", "tray-offline", "tray-busy")


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG for QtSvg")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def app_icon(size: int) -> QImage:
    source = "ollama-desk-small.svg" if size <= SMALL_MAX else "ollama-desk.svg"
    return render(ICONS / source, size)


def write_ico(path: Path, sizes: tuple[int, ...]) -> None:
    # Qt's ico writer stores one image; Explorer wants several, so write the container
    # by hand with PNG-compressed entries (valid since Windows Vista).
    blobs = [png_bytes(app_icon(s)) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries = b""
    for size, blob in zip(sizes, blobs, strict=True):
        dim = 0 if size >= 256 else size  # 0 means 256 in the ICO directory
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    path.write_bytes(header + entries + b"".join(blobs))


def write_icns(path: Path) -> None:
    # PNG-based icns entries (macOS 10.7+): type code -> pixel size.
    kinds = (("icp4", 16), ("ic11", 32), ("icp5", 32), ("ic12", 64), ("ic07", 128),
             ("ic13", 256), ("ic08", 256), ("ic14", 512), ("ic09", 512), ("ic10", 1024))
    body = b""
    for code, size in kinds:
        blob = png_bytes(app_icon(size))
        body += code.encode("ascii") + struct.pack(">I", 8 + len(blob)) + blob
    path.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # QSvgRenderer needs a GUI application
    written: list[Path] = []
    for size in SIZES:
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / "ollama-desk.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not app_icon(size).save(str(target), "PNG"):
            raise SystemExit(f"could not write {target}")
        written.append(target)
    scalable = ICONS / "hicolor" / "scalable" / "apps" / "ollama-desk.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes((ICONS / "ollama-desk.svg").read_bytes())
    written.append(scalable)
    for name in TRAY:
        for size in (16, 22, 24, 32, 48, 64):
            target = ICONS / "tray" / f"{name}-{size}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            render(ICONS / f"{name}.svg", size).save(str(target), "PNG")
            written.append(target)
    write_ico(ICONS / "ollama-desk.ico", (16, 24, 32, 48, 64, 128, 256))
    write_icns(ICONS / "ollama-desk.icns")
    written += [ICONS / "ollama-desk.ico", ICONS / "ollama-desk.icns"]
    for path in written:
        print(path.relative_to(ROOT))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
