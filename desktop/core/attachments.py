"""Files the user attaches to a message: text-like files as context, images for vision models.

A text file is kept with the message as a TextPart whose text is a `<file name="...">`
block: the model reads it before the typed text, the chat shows its name as a chip, and
search and export see its contents like any other part. Images are ImageParts (the bytes
in the store), sent as Ollama `images`: plain base64, no `data:` prefix.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path

from desktop.core.messages import ImagePart, Message, Part, Role, TextPart

# What counts as a text file to attach (anything else is refused with a reason).
TEXT_SUFFIXES = frozenset(
    ".txt .md .markdown .rst .csv .tsv .json .jsonl .yaml .yml .toml .ini .cfg .xml .html .css .log "
    ".py .js .ts .tsx .jsx .java .c .h .cpp .hpp .cc .cs .go .rs .rb .php .swift .kt .sh .bat .ps1 .sql "
    ".r .lua .pl .m .scala .dart .vue .tex".split()
)
# Parsed by the documents work's parsers (desktop/core/documents/parse.py), off the UI thread.
DOCUMENT_SUFFIXES = frozenset({".pdf", ".docx"})
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}
# A file this big is never read whole into a message (the context check comes after).
MAX_TEXT_BYTES = 2 * 1024 * 1024
# Rough: 1 token per 3.5 characters of English; Chinese is nearer 1 per character, so
# the count is taken on the larger of the two estimates.
CHARS_PER_TOKEN = 3.5

_HEADER = re.compile(r'\A<file name="([^"]*)">\n')
_FOOTER = "\n</file>"


class AttachmentError(ValueError):
    """A plain sentence saying why a file cannot be attached."""


@dataclass(frozen=True)
class TextAttachment:
    name: str
    text: str

    def part(self) -> TextPart:
        return TextPart(f'<file name="{html.escape(self.name, quote=True)}">\n{self.text}{_FOOTER}')

    @property
    def tokens(self) -> int:
        return estimate_tokens(self.text)


def estimate_tokens(text: str) -> int:
    wide = sum(1 for ch in text if ord(ch) > 0x2E80)
    return int(max(len(text) / CHARS_PER_TOKEN, wide + (len(text) - wide) / CHARS_PER_TOKEN)) + 1


def is_text_file(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES


def is_document(path: Path) -> bool:
    return path.suffix.lower() in DOCUMENT_SUFFIXES


def read_document(path: Path) -> TextAttachment:
    """The text of a PDF or Word file, pages marked; slow for big files: call it off the UI thread."""
    from desktop.core.documents.parse import UnreadableFile, parse

    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
            raise AttachmentError(f"{path.name} is too large to attach (at most {limit} MB).")
        blocks = parse(path)
    except OSError as err:
        raise AttachmentError(f"{path.name} could not be read ({err.strerror or err}).") from err
    except UnreadableFile as err:
        raise AttachmentError(f"{path.name} cannot be attached: {err}.") from err
    pieces: list[str] = []
    page = 0
    for block in blocks:
        if block.page and block.page != page:
            page = block.page
            pieces.append(f"[page {page}]")
        pieces.append(block.text.strip())
    return TextAttachment(path.name, "\n\n".join(pieces))


def image_type(path: Path) -> str:
    """The media type of an image file we accept, "" for anything else."""
    return IMAGE_TYPES.get(path.suffix.lower(), "")


def read_text_file(path: Path) -> TextAttachment:
    """Read a text-like file; AttachmentError with a plain reason otherwise."""
    if not is_text_file(path):
        raise AttachmentError(f"{path.name} is not a text file this app can attach.")
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            limit = MAX_TEXT_BYTES // 1024
            raise AttachmentError(
                f"{path.name} is too large to attach ({size // 1024} KB; at most {limit} KB)."
            )
        data = path.read_bytes()[: MAX_TEXT_BYTES + 1]
    except OSError as err:
        raise AttachmentError(f"{path.name} could not be read ({err.strerror or err}).") from err
    if b"\x00" in data[:8192]:
        raise AttachmentError(f"{path.name} looks like a binary file, not text.")
    text = data.decode("utf-8", errors="replace")
    return TextAttachment(path.name, text.replace("\r\n", "\n"))


def attachment_of(part: Part) -> TextAttachment | None:
    """The attached file a part carries, None for any other part."""
    if not isinstance(part, TextPart):
        return None
    match = _HEADER.match(part.text)
    if match is None or not part.text.endswith(_FOOTER):
        return None
    body = part.text[match.end() : len(part.text) - len(_FOOTER)]
    return TextAttachment(html.unescape(match.group(1)), body)


def attachments(message: Message) -> list[TextAttachment]:
    return [a for a in (attachment_of(p) for p in message.parts) if a is not None]


def images(message: Message) -> list[ImagePart]:
    return [p for p in message.parts if isinstance(p, ImagePart)]


def history_text(message: Message) -> str:
    """What the model reads of a message: a user's attached files first, then the text."""
    if message.role != Role.USER:
        return message.content
    files = [p.text for p in message.parts if isinstance(p, TextPart) and attachment_of(p) is not None]
    return "\n\n".join([*files, message.content]) if files else message.content


def image_payloads(message: Message) -> tuple[str, ...]:
    """Ollama's `images`: plain base64 of each image, no data: prefix."""
    if message.role != Role.USER:
        return ()
    return tuple(base64.b64encode(p.data).decode("ascii") for p in images(message))
