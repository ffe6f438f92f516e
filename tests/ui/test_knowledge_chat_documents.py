"""Documents in the chat (#17), through the whole app over real HTTP (the loopback fault server
stands in for Ollama): files attached to a conversation from the composer (picker and drop) are
chips the user can remove, and what the model gets from them (a file that fits goes in whole, a
large one as its best passages); the search_documents tool's passages become the answer's
numbered sources, listed under it as soon as it ends and again when it is reopened."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.exceptions import TimeoutError as WaitTimeout

from desktop.core.documents.indexer import Indexer
from desktop.core.documents.kb import KnowledgeStore
from desktop.core.messages import CitationPart
from desktop.core.tools.builtins import DOCUMENTS
from desktop.ui.widgets.image_strip import FileChip
from tests.support.documents import HashEmbedder, hashed_vector
from tests.support.fault_server import FaultServer
from tests.ui.test_chat_window import FINAL, chunk, desk, last_message, reply_is, send  # noqa: F401
from tests.ui.test_knowledge import as_the_app_looks, sources_problems  # noqa: F401 - a fixture
from tests.ui.test_tool_chat import calls_line, open_with_tools


def drop_on(widget: Any, paths: list[Path]) -> None:
    """A real drag-enter and drop of local files on `widget`, as the window system sends them."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = widget.rect().center()
    how = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with warnings.catch_warnings():
        # Qt 6 has no other constructor for a drag entering (PySide marks the QPoint one deprecated).
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(centre), *how)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(centre), *how)
    QApplication.sendEvent(widget, drop)


def drawn_whole(qtbot: Any, view: Any) -> None:
    """The sources under `view` are drawn whole once Qt has run its layout (within 3 s); what is
    wrong otherwise is the failure's message."""
    with contextlib.suppress(WaitTimeout):
        qtbot.waitUntil(lambda: not sources_problems(view), timeout=3000)
    assert sources_problems(view) == []


def chat_bodies(server: FaultServer) -> list[dict[str, Any]]:
    return [r.json() for r in server.requests if r.route_path == "/api/chat"]


def sources_text(body: dict[str, Any]) -> str:
    """The system message with the numbered sources the model got ('' when there was none)."""
    return next(
        (m["content"] for m in body["messages"] if m["role"] == "system" and "[1]" in m["content"]), ""
    )


def test_files_attached_from_the_composer_reach_the_model_and_can_be_removed(
    qtbot: Any, desk: Any, fault_server: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    desk.window.resize(1000, 700)
    desk.window.show()
    desk.window.show_chat()
    documents = desk.page.documents
    small = tmp_path / "ferry.md"
    small.write_text("# Ferry\n\nThe ferry to the island leaves at seven in the morning.\n")
    # A long file: far more than the context (about 55,000 tokens), the lighthouse in its middle.
    big = tmp_path / "guide.txt"
    filler = [f"Paragraph {i} is about the weather and the markets of the old town." for i in range(2500)]
    filler[2000] = "The lighthouse keeper rings the bronze bell at midnight."
    big.write_text("\n\n".join(filler))
    odd = tmp_path / "photo.xyz"
    odd.write_bytes(b"\x00\x01")

    assert documents.button.isVisible() and not documents.isVisible()  # nothing attached yet
    # The picker (a new conversation: the files wait until its first message creates it).
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(small)], ""))
    documents.choose_files()
    # Drag and drop on the Documents button: the big file, and one that cannot be a document.
    drop_on(documents.button, [big, odd])
    assert documents.isVisible() and documents.chip_names() == ["ferry.md", "guide.txt"]
    assert all(chip.isVisible() and chip.label.isVisible() for chip in documents.chips)
    assert documents.note.isVisible() and "photo.xyz cannot be used as a document" in documents.note.text()
    assert not documents.chips[0].grab().toImage().isNull()

    send(desk, "When does the ferry leave, and when does the lighthouse bell ring?")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    conversation = desk.chat.current.id
    assert desk.knowledge.attached(conversation).files == (str(small), str(big))  # saved with it
    given = sources_text(chat_bodies(fault_server)[-1])
    assert "leaves at seven in the morning" in given  # the small file, whole
    assert "bronze bell at midnight" in given  # the big one: its best passage ...
    assert len(given) < len(big.read_text()) // 20  # ... not the whole file
    # The answer lists them as its sources, under it, right away.
    reply = last_message(desk)
    view = desk.page.view_for(reply.id)
    qtbot.waitUntil(lambda: view.citations.isVisible(), timeout=3000)
    labels = [b.text() for b in view.citations.buttons]
    assert labels[0] == "[1] ferry.md" and any("guide.txt" in label for label in labels)
    drawn_whole(qtbot, view)

    # Removing a chip detaches the file: the next answer gets only the other one.
    documents.chips[1].remove_button.click()
    qtbot.waitUntil(lambda: documents.chip_names() == ["ferry.md"], timeout=3000)
    assert [c for c in documents.findChildren(FileChip) if c.isVisible()] == documents.chips  # no stale one
    assert desk.knowledge.attached(conversation).files == (str(small),)
    send(desk, "And the ferry?")
    qtbot.waitUntil(lambda: len(chat_bodies(fault_server)) == 2 and reply_is(desk, "complete"), timeout=10000)
    given = sources_text(chat_bodies(fault_server)[-1])
    assert "leaves at seven" in given and "bronze bell" not in given

    # A file moved away meanwhile: its chip says so once the next answer ends (which goes on).
    moved = small.rename(tmp_path / "ferry-moved.md")
    send(desk, "Still there?")
    qtbot.waitUntil(lambda: len(chat_bodies(fault_server)) == 3 and reply_is(desk, "complete"), timeout=10000)
    assert documents.chip_names() == ["ferry.md (not found)"]
    assert "was not found" in documents.chips[0].label.toolTip()
    moved.rename(small)
    documents.refresh()
    assert documents.chip_names() == ["ferry.md"]

    # Another conversation has its own documents; coming back shows these again.
    desk.chat.new_conversation()
    assert documents.chip_names() == [] and not documents.isVisible()
    desk.chat.open(conversation)
    assert documents.chip_names() == ["ferry.md"] and documents.isVisible()
    documents.chips[0].remove_button.click()
    qtbot.waitUntil(lambda: not documents.isVisible(), timeout=3000)
    assert desk.knowledge.attached(conversation).empty

    # The Knowledge page's "Use in this chat" on a new chat: its chip, kept for the first message.
    desk.chat.new_conversation()
    desk.knowledge.create("Island")
    assert desk.knowledge_page.selected() == "Island"
    desk.knowledge_page.use_button.click()
    assert documents.chip_names() == ["Island (knowledge base)"] and documents.isVisible()
    assert "use Island" in desk.knowledge_page.status.text()
    send(desk, "Anything about the island?")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    assert desk.knowledge.attached(desk.chat.current.id).knowledge_bases == ("Island",)


def test_a_file_too_large_for_a_message_is_offered_as_a_document(
    qtbot: Any, desk: Any, tmp_path: Path  # noqa: F811
) -> None:
    desk.window.show()
    desk.window.show_chat()
    big = tmp_path / "minutes.txt"
    big.write_text("The committee met and discussed the harbour budget at length.\n" * 4000)
    tray = desk.page.composer_box.attachments
    tray.add_paths([big])
    assert tray.note.isVisible() and "too large" in tray.note.text()
    assert tray.knowledge_button.isVisible()
    assert tray.knowledge_button.text() == "Use it as a document instead"
    tray.knowledge_button.click()
    assert not tray.knowledge_button.isVisible() and not tray.note.isVisible() and tray.files == []
    assert desk.page.documents.chip_names() == ["minutes.txt"] and desk.page.documents.isVisible()


def _index_in_thread(path: Path, folder: Path) -> None:
    """Index `folder` into the app's database from another thread (the UI's loop is running)."""

    def work() -> None:
        kb = KnowledgeStore(path)
        try:
            asyncio.run(Indexer(kb, HashEmbedder(), "hash").add("Island", [folder]))
        finally:
            kb.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()


def test_search_documents_results_are_the_answers_sources(
    qtbot: Any, desk: Any, fault_server: FaultServer, tmp_path: Path  # noqa: F811
) -> None:
    folder = tmp_path / "island"
    folder.mkdir()
    (folder / "ferry.txt").write_text("The ferry to the island leaves at nine from pier two.\n")
    (folder / "garden.txt").write_text("Tomatoes need sun and water every day.\n")
    _index_in_thread(desk.store.path, folder)
    desk.knowledge.refresh()
    query = "ferry island"
    fault_server.route("POST", "/api/embed", body={"model": "hash", "embeddings": [hashed_vector(query)]})
    call = calls_line((DOCUMENTS, {"query": query}))
    fault_server.route("POST", "/api/chat", once=True, lines=[call, FINAL])
    answer = ["The ferry leaves ", "at nine [1]."]
    fault_server.route("POST", "/api/chat", once=True, lines=[*map(chunk, answer), FINAL], delay=0.02)
    desk.window.resize(1000, 700)
    desk.window.show()
    desk.window.show_chat()
    conversation = open_with_tools(desk, {DOCUMENTS})
    send(desk, "When does the ferry leave?")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=15000)

    tool_message = chat_bodies(fault_server)[-1]["messages"][-1]
    assert tool_message["role"] == "tool" and "leaves at nine" in tool_message["content"]
    reply = last_message(desk)
    cited = [p for p in reply.parts if isinstance(p, CitationPart)]
    assert [Path(c.source) for c in cited][0] == folder / "ferry.txt"
    # On screen at once, without reopening: the numbered list under the answer, drawn whole.
    view = desk.page.view_for(reply.id)
    assert view is not None and view.text() == "".join(answer)
    qtbot.waitUntil(lambda: view.citations.isVisible(), timeout=3000)
    assert view.citations.buttons[0].text() == "[1] ferry.txt"
    assert all(b.isVisible() for b in view.citations.buttons)
    drawn_whole(qtbot, view)
    dialog = view.citations.show_passage(1)
    assert "leaves at nine from pier two" in dialog.quote.toPlainText()
    assert dialog.path.text() == str(folder / "ferry.txt") and dialog.open_button.isEnabled()
    dialog.close()
    labels = [b.text() for b in view.citations.buttons]
    # The same from the store, as after a restart.
    desk.chat.open(conversation)
    qtbot.waitUntil(lambda: desk.page.view_for(reply.id) is not None, timeout=3000)
    reopened = desk.page.view_for(reply.id)
    qtbot.waitUntil(lambda: reopened.citations.isVisible(), timeout=3000)
    assert [b.text() for b in reopened.citations.buttons] == labels


def test_knowledge_bases_from_the_documents_menu_follow_a_rename_and_a_delete(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    from desktop.ui.controllers.knowledge_controller import KnowledgeController
    from desktop.ui.widgets.conversation_documents import ConversationDocuments

    store = KnowledgeStore(tmp_path / "desk.sqlite3")
    controller = KnowledgeController(store, lambda model: HashEmbedder(), "hash")
    documents = ConversationDocuments(controller)
    qtbot.addWidget(documents)
    documents.show()
    try:
        controller.create("Travel")
        controller.create("Recipes")
        documents.set_conversation(7)
        documents.menu.aboutToShow.emit()
        entries = {a.text(): a for a in documents.menu.actions() if a.text()}
        assert list(entries) == ["Recipes", "Travel", "Attach files…"]
        assert not entries["Travel"].isChecked()
        entries["Travel"].trigger()
        assert documents.chip_names() == ["Travel (knowledge base)"] and documents.isVisible()
        assert controller.attached(7).knowledge_bases == ("Travel",)
        documents.menu.aboutToShow.emit()
        assert {a.text(): a.isChecked() for a in documents.menu.actions() if a.isCheckable()} == {
            "Recipes": False,
            "Travel": True,
        }

        # Many files: three chips, the rest behind "+N more", whose menu removes them too; the
        # row never asks for more width than the composer has.
        files = []
        for i in range(4):
            files.append(tmp_path / f"the minutes of the harbour committee, meeting number {i}.md")
            files[-1].write_text(f"Meeting {i}.")
        documents.attach_files(files)
        shown = [chip for chip in documents.chips if chip.isVisible()]
        assert len(shown) == 3 and documents.more.isVisible() and documents.more.text() == "+2 more"
        assert shown[1].label.text() != files[0].name and "…" in shown[1].label.text()  # shortened
        assert documents.chip_names()[1] == files[0].name and len(documents.chip_names()) == 5
        assert documents.sizePolicy().horizontalPolicy().name == "Ignored"
        removing = documents.more_menu.actions()[0]
        assert removing.text() == f"Remove {files[2].name}"
        removing.trigger()
        assert controller.attached(7).files == tuple(str(f) for f in (files[0], files[1], files[3]))
        assert documents.more.text() == "+1 more"
        for path in controller.attached(7).files:
            documents.remove_file(path)
        assert not documents.more.isVisible()

        controller.rename("Travel", "Trips")  # the chat keeps it, under its new name
        assert controller.attached(7).knowledge_bases == ("Trips",)
        assert documents.chip_names() == ["Trips (knowledge base)"]
        controller.delete("Trips")
        assert controller.attached(7).empty and documents.chip_names() == [] and not documents.isVisible()
        controller.create("Trips")  # a later namesake is not attached by itself
        assert controller.attached(7).empty
    finally:
        controller.close()
        store.close()
