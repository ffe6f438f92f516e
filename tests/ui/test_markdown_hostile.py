"""Hostile model output: nothing is loaded, nothing crashes, no character is lost.

A sentinel HTTP server on loopback records every request; rendering must send it none.
"""

from __future__ import annotations

import http.server
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl

from desktop.core.store import Message
from desktop.ui import markdown
from desktop.ui.widgets.message_view import MessageView


class _Sentinel(http.server.ThreadingHTTPServer):
    hits: list[str]


@pytest.fixture
def sentinel() -> Iterator[_Sentinel]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            server.hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = _Sentinel(("127.0.0.1", 0), Handler)
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def corpus(port: int, fifo: Path) -> list[str]:
    return [
        "![x](/dev/zero)",
        f"![fifo]({fifo})",
        f"<img src=http://127.0.0.1:{port}/raw-img>",
        f"![remote](http://127.0.0.1:{port}/md-img)",
        '<img src="file:///dev/zero">',
        "[click](javascript:alert(1))",
        "[file](file:///etc/passwd)",
        "[data](data:text/html,<b>x</b>)",
        "Use `Vec<String>` and Vec<String> outside code, <script>alert(1)</script>, a < b > c",
        "```rust\nlet v: Vec<Option<&str>> = vec![];\n```",
        "中文段落：模型输出不能丢字。 Emoji 😀🎉",
        "| a | b |\n|---|---|\n| <x> | &y |",
        "```\nan unclosed fence mid-stream <T>",
        f'<a href="http://127.0.0.1:{port}/link">a raw link</a>',
        f"[![img in link](http://127.0.0.1:{port}/nested)](https://example.com)",
    ]


def visible_words(source: str) -> list[str]:
    """The words a reader must see: markdown punctuation and link destinations aside (a safe
    link's address is its anchor, not text), every run of letters, digits and <>."""
    source = re.sub(r"\]\((?:https?|mailto):[^()\s]*\)", "]", source.replace("```", " "))
    return re.findall(r"[\w<>]+", source)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def test_rendering_hostile_markdown_loads_nothing_and_keeps_every_word(
    qtbot: Any, sentinel: _Sentinel, fifo: Path
) -> None:
    port = sentinel.server_address[1]
    texts = corpus(int(port), fifo)
    browser = markdown.SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.resize(600, 400)
    browser.show()
    for text in texts:
        browser.setHtml(markdown.render(text))
        qtbot.wait(20)
        shown = browser.toPlainText()
        for word in visible_words(text):
            assert word in shown, (word, text, shown)
    # The whole corpus as one message in a MessageView, shown on screen.
    message = Message(
        id=1,
        conversation_id=1,
        role="assistant",
        content="\n\n".join(texts),
        status="complete",
        model="m",
        created_at=0.0,
        metrics={},
        error="",
    )
    view = MessageView(message)
    qtbot.addWidget(view)
    view.resize(700, 900)
    view.show()
    qtbot.wait(300)
    assert "Vec<String>" in view.body.toPlainText()
    assert sentinel.hits == []


def test_only_safe_links_are_clickable(qtbot: Any) -> None:
    browser = markdown.SafeTextBrowser()
    qtbot.addWidget(browser)
    requested: list[QUrl] = []
    copied: list[int] = []
    browser.link_requested.connect(requested.append)
    browser.copy_code_requested.connect(copied.append)
    html = markdown.render(
        "[js](javascript:alert(1)) [f](file:///etc/passwd) [ok](https://example.com/a?b=<c>) "
        "[mail](mailto:a@example.com)\n\n```py\nprint(1)\n```"
    )
    assert 'href="javascript' not in html
    assert 'href="file:' not in html
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ftp://x/y"):
        browser.anchorClicked.emit(QUrl(url))
    assert requested == []
    browser.anchorClicked.emit(QUrl("https://example.com/a"))
    browser.anchorClicked.emit(QUrl("mailto:a@example.com"))
    browser.anchorClicked.emit(QUrl("copy-code:0"))
    assert [u.scheme() for u in requested] == ["https", "mailto"]
    assert copied == [0]
    assert markdown.code_blocks("```py\nprint(1)\n```") == ["print(1)\n"]


def test_streaming_partial_markdown_never_loses_text(qtbot: Any) -> None:
    text = "Here is code:\n```python\ndef f(x: list[int]) -> dict[str, int]:\n    return {}\n```\nAnd `a<b>`."
    browser = markdown.SafeTextBrowser()
    qtbot.addWidget(browser)
    for end in range(1, len(text) + 1):
        prefix = text[:end]
        browser.setHtml(markdown.render(prefix))
        shown = browser.toPlainText()
        for word in visible_words(prefix)[:-1]:  # the last word may still be growing
            assert word in shown, (word, prefix)


def test_stable_prefix_ends_after_finished_blocks_outside_fences() -> None:
    text = "para one\n\n```py\nx = 1\n\ny = 2\n```\n\nlast grow"
    split = markdown.stable_prefix(text)
    assert text[:split].endswith("```\n\n") and text[split:] == "last grow"
    assert markdown.stable_prefix("no blank line yet") == 0
    assert markdown.stable_prefix("```\nopen fence\n\nstill code") == 0


def test_a_streamed_message_shows_the_same_words_as_a_full_render(qtbot: Any) -> None:
    pieces = [
        "Intro `Vec<T>` para.",
        "\n\n",
        "```rust\n",
        "let a = 1;\n",
        "\n",
        "let b = 2;\n",
        "```\n\n",
        "- item one\n",
        "- item two\n\n",
        "中文结尾 <end>",
    ]
    streaming = Message(
        id=2,
        conversation_id=1,
        role="assistant",
        content="",
        status="streaming",
        model="m",
        created_at=0.0,
        metrics={},
        error="",
    )
    view = MessageView(streaming)
    qtbot.addWidget(view)
    view.resize(600, 600)
    view.show()
    for piece in pieces:
        view.append_delta(piece)
        view.flush()
        shown = view.body.toPlainText()
        # A code block's language is its header label, not part of its text.
        for word in visible_words(re.sub(r"```\w+", "```", view.text())):
            assert word in shown, (word, shown)
    full = "".join(pieces)
    view.set_message(
        Message(
            id=2,
            conversation_id=1,
            role="assistant",
            content=full,
            status="complete",
            model="m",
            created_at=0.0,
            metrics={},
            error="",
        )
    )
    for word in visible_words(re.sub(r"```\w+", "```", full)):
        assert word in view.body.toPlainText()
    assert view.text() == full
