"""Text out of the files a knowledge base takes: .txt, .md, .pdf, .docx, .html.

Each parser returns blocks (text, page, heading) in reading order; the chunker splits them.
A file that cannot be read raises UnreadableFile with a sentence for the user (corrupt,
encrypted, empty, unsupported), never a library's exception.

PDF: pypdf, measured against pypdfium2 on a generated 500-page file here: pdfium extracted it in
0.87 s, pypdf in 2.5 s, but pdfium is C running in the app's process and a hostile PDF there
can crash it, while pypdf is pure Python; parsing is a small part of indexing (embedding the
same file's chunks takes far longer), so pypdf.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm")
MAX_BYTES = 200 * 1024 * 1024  # one file; beyond this it is refused, not read into memory


class UnreadableFile(Exception):
    """The file cannot be indexed; str() is the reason, for the user."""


@dataclass(frozen=True)
class Block:
    text: str
    page: int = 0  # 1-based for paged formats (PDF); 0 where there are no pages
    heading: str = ""


def supported(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def parse(path: Path) -> list[Block]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(f"{path.suffix or 'files without an extension'} is not a supported type")
    try:
        size = path.stat().st_size
    except OSError as err:
        raise UnreadableFile(f"it cannot be opened ({err.strerror or err})") from err
    if size > MAX_BYTES:
        raise UnreadableFile(f"it is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if suffix == ".pdf":
        blocks = _pdf(path)
    elif suffix == ".docx":
        blocks = _docx(path)
    else:
        text = _read_text(path)
        if suffix in (".html", ".htm"):
            blocks = _html(text)
        elif suffix in (".md", ".markdown"):
            blocks = _markdown(text)
        else:
            blocks = [Block(text)]
    blocks = [b for b in blocks if b.text.strip()]
    if not blocks:
        raise UnreadableFile("it has no text to index (a scanned PDF needs OCR first)")
    return blocks


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableFile(f"it cannot be read ({err.strerror or err})") from err
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("it looks like a binary file, not text")
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _markdown(text: str) -> list[Block]:
    blocks: list[Block] = []
    heading = ""
    current: list[str] = []
    fenced = False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        found = None if fenced else _MD_HEADING.match(line.rstrip("\n"))
        if found:
            if current:
                blocks.append(Block("".join(current), heading=heading))
            heading = found.group(2)
            current = [line]
        else:
            current.append(line)
    if current:
        blocks.append(Block("".join(current), heading=heading))
    return blocks


class _HTMLText(html.parser.HTMLParser):
    _SKIP = {"script", "style", "noscript", "template", "head"}
    _BREAK = {"p", "div", "br", "li", "tr", "section", "article", "blockquote", "pre", "table", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._heading = ""
        self._parts: list[str] = []
        self._skip = 0
        self._in_heading = False
        self._heading_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self._in_heading = True
            self._heading_parts = []
        elif tag in self._BREAK:
            self._parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif re.fullmatch(r"h[1-6]", tag) and self._in_heading:
            self._in_heading = False
            self._heading = " ".join("".join(self._heading_parts).split())
            self._parts.append(self._heading + "\n\n")
        elif tag in self._BREAK:
            self._parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_heading:
            self._heading_parts.append(data)
        else:
            self._parts.append(data)

    def _flush(self) -> None:
        text = "".join(self._parts)
        if text.strip():
            self.blocks.append(Block(text, heading=self._heading))
        self._parts = []

    def close(self) -> None:
        super().close()
        self._flush()


def _html(text: str) -> list[Block]:
    parser = _HTMLText()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as err:  # html.parser's own errors on broken markup
        raise UnreadableFile(f"the HTML could not be read ({err})") from err
    return [Block(re.sub(r"\n{3,}", "\n\n", b.text), heading=b.heading) for b in parser.blocks]


def _pdf(path: Path) -> list[Block]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                # Many "protected" PDFs only restrict printing: they open with an empty password.
                if not reader.decrypt(""):
                    raise UnreadableFile("it is encrypted with a password")
            except (NotImplementedError, FileNotDecryptedError, PdfReadError) as err:
                raise UnreadableFile("it is encrypted with a password") from err
        blocks: list[Block] = []
        for number, page in enumerate(reader.pages, start=1):
            blocks.append(Block(page.extract_text() or "", page=number))
        return blocks
    except UnreadableFile:
        raise
    except FileNotDecryptedError as err:
        raise UnreadableFile("it is encrypted with a password") from err
    except Exception as err:  # noqa: BLE001 - pypdf raises many types on damaged files
        raise UnreadableFile(f"it is not a readable PDF (damaged or incomplete: {err})") from err


def _docx(path: Path) -> list[Block]:
    try:
        import docx
    except ImportError as err:  # pragma: no cover - python-docx is a dependency
        raise UnreadableFile("reading .docx needs the python-docx package") from err
    try:
        document = docx.Document(str(path))
    except Exception as err:  # noqa: BLE001 - zip, XML and package errors alike
        raise UnreadableFile(f"it is not a readable Word document ({err})") from err
    blocks: list[Block] = []
    heading = ""
    current: list[str] = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.lower().startswith(("heading", "title")) and paragraph.text.strip():
            if current:
                blocks.append(Block("\n\n".join(current), heading=heading))
            heading = paragraph.text.strip()
            current = [heading]
        elif paragraph.text.strip():
            current.append(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            current.append(" | ".join(cell.text for cell in row.cells))
    if current:
        blocks.append(Block("\n\n".join(current), heading=heading))
    return blocks
