"""The one safe renderer of model text: Markdown -> Qt rich-text HTML.

Measured here (see ARCHITECTURE.md): Qt reads any local path in `<img src>` (a
`![](/dev/zero)` ran the process out of memory, a FIFO froze the UI) and its own
Markdown parser drops text after `<`. So model text goes through markdown-it-py with raw
HTML disabled, images become text, only http/https/mailto become links, and every
widget that shows it is a SafeTextBrowser, whose resource loader never touches a file
or the network.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
COPY_SCHEME = "copy-code"

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable(["table", "strikethrough"])


def is_safe_link(url: QUrl | str) -> bool:
    qurl = url if isinstance(url, QUrl) else QUrl(url)
    return qurl.isValid() and qurl.scheme().lower() in SAFE_SCHEMES and bool(qurl.toString())


def code_blocks(text: str) -> list[str]:
    return [tok.content for tok in _md.parse(text) if tok.type in ("fence", "code_block")]


def code_colors(dark: bool) -> tuple[str, str]:
    """Background and text colour of a code block."""
    return ("#272822", "#f8f8f2") if dark else ("#f4f5f7", "#1f2328")


def highlight_code(code: str, lang: str, dark: bool) -> str:
    """The code as coloured, escaped HTML spans (no wrapper), without its final newline."""
    style = "monokai" if dark else "friendly"
    formatter = HtmlFormatter(noclasses=True, nowrap=True, style=style)
    try:
        lexer = get_lexer_by_name(lang) if lang else None
    except ClassNotFound:
        lexer = None
    if lexer is not None:
        body = str(highlight(code, lexer, formatter))  # Pygments is untyped; with no outfile it gives str
    else:
        body = html.escape(code)
    # Pygments adds a newline; a trailing one in <pre> shows as an empty line.
    return body[:-1] if body.endswith("\n") else body


def code_block_html(code: str, lang: str, dark: bool) -> str:
    """The inside of a code block widget: a <pre> that wraps only when its view wraps."""
    fg = code_colors(dark)[1]
    return (
        f'<pre style="color:{fg}; font-family:monospace; margin:0; white-space:pre-wrap;">'
        f"{highlight_code(code, lang, dark)}</pre>"
    )


def _code_html(code: str, lang: str, index: int, dark: bool, copy_label: str) -> str:
    body = highlight_code(code, lang, dark)
    bg, fg = code_colors(dark)
    head_fg = "#a0a0a0" if dark else "#57606a"
    label = html.escape(lang or "text")
    return (
        f'<table width="100%" cellspacing="0" cellpadding="6" style="background-color:{bg};'
        f' margin-top:4px; margin-bottom:4px;">'
        f'<tr><td><span style="color:{head_fg}; font-size:small;">{label}</span></td>'
        f'<td align="right"><a href="{COPY_SCHEME}:{index}" style="font-size:small;">'
        f"{html.escape(copy_label)}</a></td></tr>"
        f'<tr><td colspan="2"><pre style="color:{fg}; font-family:monospace; margin:0;'
        f' white-space:pre-wrap;">{body}</pre>'
        f"</td></tr></table>"
    )


class _Renderer:
    def __init__(self, dark: bool, copy_label: str) -> None:
        self.dark = dark
        self.copy_label = copy_label
        self.code_index = 0
        self.link_stack: list[bool] = []

    def inline(self, tokens: Sequence[Token]) -> str:
        out: list[str] = []
        for tok in tokens:
            t = tok.type
            if t == "text":
                out.append(html.escape(tok.content))
            elif t == "code_inline":
                out.append(f'<code style="font-family:monospace;">{html.escape(tok.content)}</code>')
            elif t == "softbreak":
                # The model's own line breaks are kept: poems and line-by-line lists.
                out.append("<br/>")
            elif t == "hardbreak":
                out.append("<br/>")
            elif t == "strong_open":
                out.append("<b>")
            elif t == "strong_close":
                out.append("</b>")
            elif t == "em_open":
                out.append("<i>")
            elif t == "em_close":
                out.append("</i>")
            elif t == "s_open":
                out.append("<s>")
            elif t == "s_close":
                out.append("</s>")
            elif t == "link_open":
                href = str(tok.attrs.get("href", ""))
                safe = is_safe_link(href)
                self.link_stack.append(safe)
                if safe:
                    out.append(f'<a href="{html.escape(href, quote=True)}">')
            elif t == "link_close":
                if self.link_stack.pop() if self.link_stack else False:
                    out.append("</a>")
            elif t == "image":
                # Never an <img>: the alt text and the address are shown as text.
                alt = "".join(c.content for c in (tok.children or []))
                src = str(tok.attrs.get("src", ""))
                out.append(f"<i>[{html.escape(alt or 'image')}]</i> {html.escape(src)}")
            elif t in ("html_inline",):
                out.append(html.escape(tok.content))
            else:
                out.append(html.escape(tok.content))
        return "".join(out)

    def block(self, tokens: Sequence[Token]) -> str:
        out: list[str] = []
        for tok in tokens:
            t = tok.type
            if t == "inline":
                out.append(self.inline(tok.children or []))
            elif t in ("fence", "code_block"):
                lang = tok.info.strip().split(" ")[0] if tok.info else ""
                out.append(_code_html(tok.content, lang, self.code_index, self.dark, self.copy_label))
                self.code_index += 1
            elif t == "paragraph_open":
                out.append("" if tok.hidden else "<p>")
            elif t == "paragraph_close":
                out.append("" if tok.hidden else "</p>")
            elif t == "heading_open":
                out.append(f"<{tok.tag}>")
            elif t == "heading_close":
                out.append(f"</{tok.tag}>")
            elif t in ("bullet_list_open", "ordered_list_open"):
                start = tok.attrs.get("start")
                out.append(f'<{tok.tag} start="{int(start)}">' if start else f"<{tok.tag}>")
            elif t in ("bullet_list_close", "ordered_list_close", "list_item_close"):
                out.append(f"</{tok.tag}>")
            elif t == "list_item_open":
                out.append("<li>")
            elif t == "blockquote_open":
                out.append('<blockquote style="color:gray;">')
            elif t == "blockquote_close":
                out.append("</blockquote>")
            elif t == "hr":
                out.append("<hr/>")
            elif t == "table_open":
                out.append('<table border="1" cellspacing="0" cellpadding="4" style="border-color:gray;">')
            elif t in ("table_close", "thead_open", "thead_close", "tbody_open", "tbody_close"):
                out.append("</table>" if t == "table_close" else "")
            elif t == "tr_open":
                out.append("<tr>")
            elif t == "tr_close":
                out.append("</tr>")
            elif t in ("th_open", "td_open"):
                out.append(f"<{tok.tag}>")
            elif t in ("th_close", "td_close"):
                out.append(f"</{tok.tag}>")
            elif t == "html_block":
                out.append(f"<pre>{html.escape(tok.content)}</pre>")
        return "".join(out)


def render(text: str, *, dark: bool = False, copy_label: str = "Copy", first_code_index: int = 0) -> str:
    """Qt rich-text HTML for model text; every character of the source's text survives.

    first_code_index numbers the Copy anchors of a piece rendered after earlier pieces.
    """
    return render_piece(text, dark=dark, copy_label=copy_label, first_code_index=first_code_index)[0]


def render_piece(
    text: str, *, dark: bool = False, copy_label: str = "Copy", first_code_index: int = 0
) -> tuple[str, int]:
    """render(), plus the index the next piece's first code block gets."""
    renderer = _Renderer(dark, copy_label)
    renderer.code_index = first_code_index
    html = renderer.block(_md.parse(text))
    return html, renderer.code_index


def warm_up() -> None:
    """Load the parser and the most common lexers once, when the app is idle, so the first
    code block of a streaming reply does not stall the window while Pygments imports."""
    for lang in ("python", "bash", "javascript", "json"):
        render(f"**w** `x`\n\n```{lang}\nx\n```\n")


def block_ends(text: str, start: int = 0) -> list[int]:
    """Where the finished top-level blocks of a growing text end, searched from `start`
    (itself such a point): after a blank line outside a code fence that is followed by an
    unindented line (an indented one may continue a list item). Text on each side of such a
    point renders the same whatever is appended, and the points found never move as text
    arrives, so a streamed reply is cut into the same blocks as the finished one."""
    ends: list[int] = []
    in_fence = False
    pos = start
    size = len(text)
    while pos < size:
        newline = text.find("\n", pos)
        if newline < 0:
            break
        line = text[pos:newline]
        pos = newline + 1
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and not stripped and pos < size and text[pos] not in " \t\r\n":
            ends.append(pos)
    return ends


def stable_prefix(text: str, start: int = 0) -> int:
    """The end of the last finished block (see block_ends); `start` when there is none."""
    ends = block_ends(text, start)
    return ends[-1] if ends else start


def split_blocks(text: str) -> list[str]:
    """The text cut at every block end: the pieces a stream commits one by one."""
    cuts = [0, *block_ends(text), len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


@dataclass(frozen=True)
class Segment:
    """A run of prose as Qt HTML, or one top-level code block shown by its own widget."""

    kind: str  # "prose" or "code"
    html: str = ""
    code: str = ""
    lang: str = ""
    # The prose's own (nested) code blocks, in order, for its Copy anchors.
    nested: tuple[str, ...] = ()


def segments(
    text: str, *, dark: bool = False, copy_label: str = "Copy", first_code_index: int = 0
) -> tuple[list[Segment], int]:
    """The text's top-level code blocks as their own segments and the prose between them as
    HTML, plus the index the next piece's first code block gets. Code nested in a list or a
    quote stays in the prose, wrapped, with a numbered Copy anchor (as code_blocks counts)."""
    renderer = _Renderer(dark, copy_label)
    renderer.code_index = first_code_index
    out: list[Segment] = []
    run: list[Token] = []

    def flush() -> None:
        if run:
            prose = renderer.block(run)
            nested = tuple(t.content for t in run if t.type in ("fence", "code_block"))
            if prose:
                out.append(Segment("prose", html=prose, nested=nested))
            run.clear()

    for tok in _md.parse(text):
        if tok.level == 0 and tok.type in ("fence", "code_block"):
            flush()
            lang = tok.info.strip().split(" ")[0] if tok.info else ""
            out.append(Segment("code", code=tok.content, lang=lang))
            renderer.code_index += 1
        else:
            run.append(tok)
    flush()
    return out, renderer.code_index


@functools.lru_cache(maxsize=512)
def finished_segments(
    text: str, *, dark: bool = False, copy_label: str = "Copy", first_code_index: int = 0
) -> tuple[tuple[Segment, ...], int]:
    """segments() of a finished block, remembered: going back to a conversation (or to
    another version of a reply) renders its messages without parsing them again."""
    found, next_index = segments(text, dark=dark, copy_label=copy_label, first_code_index=first_code_index)
    return tuple(found), next_index


class SafeTextBrowser(QTextBrowser):
    """A read-only view of rendered model text that never loads a resource.

    Returning a placeholder image matters: returning None makes Qt fall back to reading
    the file itself.
    """

    link_requested = Signal(QUrl)
    copy_code_requested = Signal(int)

    _placeholder: QImage | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.anchorClicked.connect(self._on_anchor_clicked)

    # Any as in Qt's own signature: the result is a QVariant (an image here, an empty string otherwise).
    def loadResource(self, kind: int, name: QUrl | str, /) -> Any:  # noqa: N802 - Qt's name
        if kind in (QTextDocument.ResourceType.ImageResource, QTextDocument.ResourceType.ImageResource.value):
            if SafeTextBrowser._placeholder is None:
                image = QImage(1, 1, QImage.Format.Format_ARGB32)
                image.fill(QColor(0, 0, 0, 0))
                SafeTextBrowser._placeholder = image
            return SafeTextBrowser._placeholder
        return ""

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == COPY_SCHEME:
            try:
                self.copy_code_requested.emit(int(url.path()))
            except ValueError:
                pass
            return
        if is_safe_link(url):
            self.link_requested.emit(url)
