"""The app icon: every size there and sharp, the source PNGs match their folders."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from desktop import paths
from desktop.ui import app_icon


def test_icon_has_every_size_and_the_svg(qapp: Any) -> None:
    icon = app_icon.app_icon()
    assert not icon.isNull()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert {(16, 16), (24, 24), (32, 32), (256, 256), (512, 512)} <= sizes
    assert icon.pixmap(QSize(16, 16)).size() == QSize(16, 16)


def test_rendered_pngs_match_their_folder_and_have_transparent_corners() -> None:
    for size in app_icon.PNG_SIZES:
        image = QImage(
            str(paths.resource_path("icons", "hicolor", f"{size}x{size}", "apps", "ollama-desk.png"))
        )
        assert image.width() == size and image.height() == size
        assert image.pixelColor(0, 0).alpha() == 0  # rounded tile: the corner is see-through
        assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_tray_state_icons_exist_for_every_state() -> None:
    for state in ("online", "offline", "busy"):
        assert paths.resource_path("icons", f"tray-{state}.svg").is_file()
        for size in (16, 22, 24, 32, 48, 64):
            assert (
                QImage(str(paths.resource_path("icons", "tray", f"tray-{state}-{size}.png"))).width() == size
            )


def test_apply_sets_the_window_icon_and_desktop_file(qapp: Any) -> None:
    app_icon.apply(qapp)
    assert not qapp.windowIcon().isNull()
    assert qapp.desktopFileName() == "ollama-desk"
