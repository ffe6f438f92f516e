"""The composer's attachments: text files as chips, a file too large for the context said so
(with the knowledge-base offer once a Knowledge page takes it), refusals in plain words."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from desktop.core.capabilities import ModelAbilities
from desktop.ui.widgets.attachment_tray import AttachmentTray

TEXT_MODEL = ModelAbilities("smollm2:135m", True, False, False, False, False, 8192)


def test_files_are_chips_and_refusals_are_plain(qtbot: Any, tmp_path: Path) -> None:
    tray = AttachmentTray()
    qtbot.addWidget(tray)
    tray.set_abilities(TEXT_MODEL)
    tray.show()
    code = tmp_path / "main.py"
    code.write_text("print('hi')\n", "utf-8")
    data = tmp_path / "table.csv"
    data.write_text("a,b\n1,2\n", "utf-8")
    tray.add_paths([code, data])
    assert [c.label.text() for c in tray.strip.chips] == ["main.py", "table.csv"]
    assert all(c.isVisibleTo(tray) for c in tray.strip.chips)
    assert not tray.note.isVisibleTo(tray)
    # Remove the first: only the second is left, on screen too.
    remove = tray.strip.chips[0].remove_button
    assert remove is not None
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert [f.name for f in tray.files] == ["table.csv"]
    qtbot.waitUntil(lambda: [c.label.text() for c in tray.strip.chips] == ["table.csv"], timeout=2000)

    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    archive = tmp_path / "x.zip"
    archive.write_bytes(b"PK")
    tray.add_paths([binary, archive])
    assert tray.note.isVisibleTo(tray)
    assert "blob.txt looks like a binary file, not text." in tray.note.text()
    assert "x.zip cannot be attached" in tray.note.text()
    assert [f.name for f in tray.files] == ["table.csv"]


def test_a_file_too_large_for_the_context_says_so_and_offers_a_knowledge_base(
    qtbot: Any, tmp_path: Path
) -> None:
    tray = AttachmentTray()
    qtbot.addWidget(tray)
    tray.set_abilities(TEXT_MODEL, context=2048)
    tray.show()
    big = tmp_path / "book.md"
    big.write_text("word " * 20000, "utf-8")
    tray.add_paths([big])
    assert tray.files == []
    assert "book.md is too large for this conversation's context" in tray.note.text()
    assert tray.note.isVisibleTo(tray)
    assert not tray.knowledge_button.isVisibleTo(tray)  # no Knowledge page to offer
    tray.knowledge_offered = True
    tray.add_paths([big])
    assert tray.knowledge_button.isVisibleTo(tray)
    with qtbot.waitSignal(tray.knowledge_requested) as asked:
        qtbot.mouseClick(tray.knowledge_button, Qt.MouseButton.LeftButton)
    assert asked.args == [str(big)]
    # Chinese text counts about one token a character.
    wide = tmp_path / "中文.txt"
    wide.write_text("中" * 1700, "utf-8")
    tray.add_paths([wide])
    assert "中文.txt is too large" in tray.note.text()


def test_pdf_and_word_files_are_read_off_the_ui_thread(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    import docx

    from tests.support.pdfgen import write_pdf

    tray = AttachmentTray()
    qtbot.addWidget(tray)
    tray.set_abilities(TEXT_MODEL)
    tray.show()
    pdf = write_pdf(tmp_path / "report.pdf", [["first page text"], ["second page text"]])
    document = docx.Document()
    document.add_paragraph("word body text")
    document.save(str(tmp_path / "memo.docx"))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    tray.add_paths([pdf, tmp_path / "memo.docx", broken])
    assert tray.note.text() == "Reading the attached documents…" and tray.note.isVisibleTo(tray)
    qtbot.waitUntil(lambda: not tray.reading(), timeout=20000)
    assert sorted(f.name for f in tray.files) == ["memo.docx", "report.pdf"]
    report = next(f for f in tray.files if f.name == "report.pdf")
    assert report.text == "[page 1]\n\nfirst page text\n\n[page 2]\n\nsecond page text"
    assert "broken.pdf cannot be attached" in tray.note.text()
    assert sorted(c.label.text() for c in tray.strip.chips) == ["memo.docx", "report.pdf"]
