"""The safe renderer: code blocks, link policy, Copy anchors, text fidelity on ordinary Markdown."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from desktop.ui import markdown


def _plain(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def test_code_blocks_fenced_and_indented_in_order() -> None:
    text = "intro\n\n```python\nprint(1)\n```\n\npara\n\n    indented()\n\n```\nunclosed"
    assert markdown.code_blocks(text) == ["print(1)\n", "indented()\n", "unclosed"]


def test_link_policy() -> None:
    for ok in ("https://example.org", "http://x.test/a", "mailto:a@b.c", QUrl("https://q.test")):
        assert markdown.is_safe_link(ok)
    bad_links = ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ftp://x", "copy-code:1")
    for bad in bad_links:
        assert not markdown.is_safe_link(bad)


def test_every_visible_character_survives(qtbot: QtBot) -> None:
    corpus = [
        "Use Vec<String> and a < b > c",
        "中文段落，包含标点。 😀🎉",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "- one\n  - nested\n    1. deep",
        "~~gone~~ **bold** _it_",
    ]
    for source in corpus:
        plain = _plain(markdown.render(source))
        for word in source.replace("|", " ").replace("-", " ").replace("~~", " ").replace("**", " ").split():
            word = word.strip("_")
            if word and not (word.endswith(".") and word[:-1].isdigit()):  # list numbers are Qt list formats
                assert word in plain, (word, source, plain)
    # CommonMark decodes entities, as a browser shows them; a bare & stays.
    assert _plain(markdown.render("&amp; &lt; &copy; AT&T")).strip() == "& < © AT&T"


def test_copy_anchor_emits_index_and_safe_link_is_requested(qtbot: QtBot) -> None:
    browser = markdown.SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(markdown.render("```py\na\n```\n\n```sh\nb\n```\n\n[site](https://example.org)"))
    assert "copy-code:1" in markdown.render("```py\na\n```\n\n```sh\nb\n```")
    with qtbot.waitSignal(browser.copy_code_requested) as copied:
        browser.anchorClicked.emit(QUrl("copy-code:1"))
    assert copied.args == [1]
    with qtbot.waitSignal(browser.link_requested) as link:
        browser.anchorClicked.emit(QUrl("https://example.org"))
    assert link.args[0].toString() == "https://example.org"
    with qtbot.assertNotEmitted(browser.link_requested):
        browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
