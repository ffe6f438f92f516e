"""The app's icon for windows, the taskbar and dialogs: crisp at every size and scale.

Small sizes come from the PNGs drawn on the 16 px grid (an SVG scaled down to 16 px blurs);
large and fractional-scale sizes from the SVG. Also names the .desktop file, which is how
Wayland compositors and GNOME find the icon and group the windows.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QGuiApplication, QIcon

from desktop import paths

DESKTOP_FILE_NAME = "ollama-desk"  # resources/ollama-desk.desktop, without .desktop
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


@lru_cache(maxsize=1)
def app_icon() -> QIcon:
    icon = QIcon()
    for size in PNG_SIZES:
        png = paths.resource_path("icons", "hicolor", f"{size}x{size}", "apps", "ollama-desk.png")
        if png.is_file():
            icon.addFile(str(png))
    svg = paths.resource_path("icons", "ollama-desk.svg")
    if svg.is_file():
        icon.addFile(str(svg))
    return icon


def apply(app: QGuiApplication) -> None:
    """Call once after creating the QApplication."""
    app.setWindowIcon(app_icon())
    app.setDesktopFileName(DESKTOP_FILE_NAME)
