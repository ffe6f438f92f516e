"""The conversation list: search results show where the words matched; a right-click opens the
row it highlights; the keyboard moves between conversations."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.core.store import Conversation, SearchHit
from desktop.ui import theme
from desktop.ui.widgets.conversation_sidebar import ConversationSidebar
from desktop.ui.widgets.search_hits import hit_html, terms_of
from tests.ui.theming import use_theme  # noqa: F401 - a fixture


def conv(cid: int, title: str) -> Conversation:
    return Conversation(cid, title, "m", "", {}, 0.0, 0.0)


def pixels_of(image: QImage, colour: str) -> int:
    target = QColor(colour).rgb() & 0xFFFFFF
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if (image.pixel(x, y) & 0xFFFFFF) == target
    )


def sidebar_with(qtbot: Any, *titles: str) -> ConversationSidebar:
    sidebar = ConversationSidebar()
    qtbot.addWidget(sidebar)
    sidebar.resize(280, 500)
    sidebar.set_conversations([conv(i + 1, t) for i, t in enumerate(titles)], current=1)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    return sidebar


def test_search_results_mark_the_matching_words(qtbot: Any, use_theme: Any) -> None:  # noqa: F811
    for name in ("light", "dark"):
        use_theme(name)
        c = theme.colours()
        sidebar = sidebar_with(qtbot, "Zoo trip")
        hits = [SearchHit(1, 7, "Zoo trip", "… the zebra crossing near the Zebra house …")]
        sidebar.show_results(hits, "zebra")
        assert sidebar.results.isVisible() and not sidebar.list.isVisible()
        qtbot.wait(20)
        rect = sidebar.results.visualItemRect(sidebar.results.item(0))
        assert rect.height() >= 2 * sidebar.results.fontMetrics().height()  # title and snippet lines
        marked = pixels_of(sidebar.results.viewport().grab(rect).toImage(), c.mark)
        assert marked > 100  # two words on a marked background
        # A hit where only the title matched marks nothing in a snippet it does not have.
        sidebar.show_results([SearchHit(1, 0, "Zoo trip", "")], "nothing-like-it")
        qtbot.wait(20)
        rect = sidebar.results.visualItemRect(sidebar.results.item(0))
        assert pixels_of(sidebar.results.viewport().grab(rect).toImage(), c.mark) == 0


def test_marking_is_case_insensitive_and_escapes_the_text() -> None:
    assert terms_of('"Zebra" AND crossing*') == ["crossing", "Zebra"]
    out = hit_html("<b>Zebra</b>", "a zebra & a ZEBRA", "zebra")
    assert out.count("background-color") == 3
    assert "&lt;b&gt;" in out and "&amp;" in out


def test_right_click_opens_the_row_it_highlights(qtbot: Any) -> None:
    sidebar = sidebar_with(qtbot, "First", "Second")
    opened: list[int] = []
    sidebar.conversation_selected.connect(opened.append)
    row = sidebar.list.visualItemRect(sidebar.list.item(1))
    menus: list[str] = []

    def close_menu() -> None:
        popup = QApplication.activePopupWidget()
        if popup is None:
            QTimer.singleShot(20, close_menu)
            return
        menus.append(", ".join(a.text() for a in popup.actions()))
        popup.close()

    QTimer.singleShot(20, close_menu)
    QTest.mouseClick(sidebar.list.viewport(), Qt.MouseButton.RightButton, pos=row.center())
    sidebar.list.customContextMenuRequested.emit(row.center())  # offscreen sends no context-menu event
    qtbot.waitUntil(lambda: bool(menus))
    assert opened == [2]
    assert sidebar.list.currentItem().text() == "Second" and sidebar.current_row() == 1
    assert menus == ["Rename…, Delete…"]


def test_next_and_previous_wrap_around(qtbot: Any) -> None:
    sidebar = sidebar_with(qtbot, "One", "Two", "Three")
    opened: list[int] = []
    sidebar.conversation_selected.connect(opened.append)
    sidebar.select_relative(1)
    sidebar.select_relative(1)
    sidebar.select_relative(1)
    sidebar.select_relative(-1)
    assert opened == [2, 3, 1, 3]
    assert sidebar.list.currentItem().text() == "Three"
    assert sidebar.list.visualItemRect(sidebar.list.currentItem()).intersects(sidebar.list.viewport().rect())
