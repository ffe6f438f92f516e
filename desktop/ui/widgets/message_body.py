"""The text of one message on screen: prose views and code blocks that scroll on their own.

A reply is cut into blocks at points that never move as text arrives (markdown.block_ends).
Finished blocks are committed once, in order, by the same code whether they arrive in a
stream or all at once from the database, so a streamed reply, the same reply once finished
and the same reply reloaded are the same documents. Only the growing last block is
re-rendered while a reply streams.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import markdown

# How long a Copy button says "Copied".
COPIED_MS = 1500


def flash_copied(button: QAbstractButton, copied: str) -> None:
    """The button says it worked for a moment (the clipboard shows nothing by itself)."""
    if button.property("label") is None:
        button.setProperty("label", button.text())
    button.setText(copied)
    QTimer.singleShot(COPIED_MS, button, lambda: button.setText(str(button.property("label"))))


class _Browser(markdown.SafeTextBrowser):
    """A read-only view whose vertical wheel scrolls the chat, not itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        delta = event.angleDelta()
        if abs(delta.y()) >= abs(delta.x()):
            event.ignore()  # the chat's scroll area takes it
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _extra_height(self) -> int:
        return 4

    def _fit(self, *_: object) -> None:
        height = int(self.document().size().height()) + self._extra_height()
        if height != self.height():
            self.setFixedHeight(height)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(400, int(self.document().size().height()) + self._extra_height())


class ProseView(_Browser):
    """Committed blocks, then the growing tail, in one document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prose")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        # A long word or address breaks anywhere rather than running off the right edge.
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDocumentMargin(2)
        self._committed = False
        self._committed_end = 0
        self._last_formats = (QTextBlockFormat(), QTextCharFormat())

    def append(self, html: str) -> None:
        """Add a finished block after the committed ones (the tail is dropped first)."""
        self.set_tail("")
        if not self._committed:
            self.document().setHtml(html)
            self._committed = True
        else:
            self._insert_at_end(html)
        self._committed_end = self.document().characterCount() - 1
        last = self.document().lastBlock()
        self._last_formats = (last.blockFormat(), last.charFormat())

    def set_tail(self, html: str) -> None:
        """Show `html` after the committed blocks, in place of the previous tail."""
        if not self._committed:
            if html or not self.document().isEmpty():
                self.document().setHtml(html)
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._committed_end)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        if cursor.hasSelection():
            cursor.removeSelectedText()
            # Deleting from an empty last block gives it the format of the block deleted
            # into it (a table's trailing block took a paragraph's margins): put it back.
            cursor.setBlockFormat(self._last_formats[0])
            cursor.setBlockCharFormat(self._last_formats[1])
        if html:
            self._insert_at_end(html)

    def _insert_at_end(self, html: str) -> None:
        # Inserted HTML merges its first block into the last one of the document (a paragraph
        # break lost, the heading format dropped). A leading <br/> takes that merge; removing
        # the line separator it left leaves the same blocks as one setHtml of all the HTML.
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        start = cursor.position()
        cursor.insertHtml("<br/>" + html)
        cursor.setPosition(start)
        cursor.setPosition(start + 1, QTextCursor.MoveMode.KeepAnchor)
        if cursor.selectedText() in ("\u2028", "\u2029"):
            cursor.removeSelectedText()


class _CodeBrowser(_Browser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeText")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDocumentMargin(6)
        self.horizontalScrollBar().rangeChanged.connect(self._fit)

    def _extra_height(self) -> int:
        bar = self.horizontalScrollBar()
        shown = self.lineWrapMode() == QTextBrowser.LineWrapMode.NoWrap and bar.maximum() > 0
        return 2 + (bar.sizeHint().height() if shown else 0)


class CodeView(QFrame):
    """One code block: its language, a wrap toggle, Copy, and code that scrolls sideways alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeBlock")
        self.setAutoFillBackground(True)
        self._code = ""
        self._lang = ""
        self._dark = False
        self._styled: bool | None = None
        self.lang_label = QLabel(self)
        self.lang_label.setObjectName("codeLanguage")
        self.lang_label.setTextFormat(Qt.TextFormat.PlainText)
        self.wrap_button = QToolButton(self)
        self.wrap_button.setText(self.tr("Wrap"))
        self.wrap_button.setToolTip(self.tr("Wrap long lines of this code"))
        self.wrap_button.setCheckable(True)
        self.wrap_button.setAutoRaise(True)
        self.wrap_button.toggled.connect(self._set_wrap)
        self.copy_button = QToolButton(self)
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy this code"))
        self.copy_button.setAutoRaise(True)
        self.copy_button.clicked.connect(self.copy)
        self.text = _CodeBrowser(self)
        self.text.setAccessibleName(self.tr("Code"))
        head = QHBoxLayout()
        head.setContentsMargins(8, 2, 4, 0)
        head.addWidget(self.lang_label, 1)
        head.addWidget(self.wrap_button)
        head.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(head)
        layout.addWidget(self.text)

    def set_code(self, code: str, lang: str, dark: bool) -> None:
        if (code, lang, dark) == (self._code, self._lang, self._dark):
            return
        self._code, self._lang, self._dark = code, lang, dark
        self.lang_label.setText(lang or self.tr("text"))
        if self._styled != dark:
            # Colours through the palette: a style sheet here would restyle the scroll bar
            # apart from the theme's (a black handle on the light theme).
            self._styled = dark
            bg, fg = markdown.code_colors(dark)
            palette = self.palette()
            palette.setColor(QPalette.ColorRole.Window, QColor(bg))
            palette.setColor(QPalette.ColorRole.Text, QColor(fg))
            palette.setColor(QPalette.ColorRole.WindowText, QColor("#a0a0a0" if dark else "#57606a"))
            palette.setColor(QPalette.ColorRole.ButtonText, QColor(fg))
            self.setPalette(palette)
        self.text.setHtml(markdown.code_block_html(code, lang, dark))

    def code(self) -> str:
        return self._code

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self._code)
        flash_copied(self.copy_button, self.tr("Copied"))

    def toPlainText(self) -> str:  # noqa: N802 - as the prose views say it
        return self.text.toPlainText()

    def _set_wrap(self, wrap: bool) -> None:
        mode = QTextBrowser.LineWrapMode.WidgetWidth if wrap else QTextBrowser.LineWrapMode.NoWrap
        self.text.setLineWrapMode(mode)
        self.text._fit()


class MessageBody(QWidget):
    """The segments of one message, committed block by block, plus the growing tail."""

    link_requested = Signal(QUrl)

    # Set by _reset(), which also starts a message over; declared here so their types are known.
    _source: str  # the text shown so far
    _stable_len: int  # how much of it is committed in finished blocks

    def __init__(self, copy_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._copy_label = copy_label
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._dark = False
        self._reset()

    # ----- what the message view asks for -----

    def show_text(self, text: str, *, dark: bool, streaming: bool) -> None:
        if dark != self._dark or not text.startswith(self._source[: self._stable_len]):
            self._reset()
            self._dark = dark
        if streaming:
            ends = markdown.block_ends(text, self._stable_len)
            tail_start = ends[-1] if ends else self._stable_len
        else:
            ends = [*markdown.block_ends(text, self._stable_len), len(text)]
            tail_start = len(text)
        self._source = text
        for end in ends:
            if end > self._stable_len:
                self._commit(text[self._stable_len : end])
                self._stable_len = end
        self._set_live(text[tail_start:])

    def segment_widgets(self) -> list[QWidget]:
        return [*self._done, *self._live]

    def toPlainText(self) -> str:  # noqa: N802 - as Qt's text views say it
        """What is on screen, segment by segment: the text a reader sees."""
        # Every segment is a ProseView or a CodeView, and both have toPlainText(); the lists hold QWidget.
        parts = [w.toPlainText() for w in self.segment_widgets() if not w.isHidden()]  # type: ignore[attr-defined]
        return "\n".join(parts)

    def nested_code(self, index: int) -> str:
        """The code block a Copy anchor numbers: a committed one, or one in the growing tail."""
        codes = [*self._codes, *self._live_codes]
        return codes[index] if 0 <= index < len(codes) else ""

    # ----- internals -----

    def _reset(self) -> None:
        for widget in getattr(self, "_done", []) + getattr(self, "_live", []):
            widget.hide()
            widget.deleteLater()
        self._done: list[QWidget] = []
        self._live: list[QWidget] = []
        self._source = ""
        self._stable_len = 0
        self._code_count = 0
        self._codes: list[str] = []  # every code block, in order: the Copy anchors' numbers
        self._live_codes: list[str] = []  # those of the growing tail

    def _commit(self, piece: str) -> None:
        # The tail shown after the last prose view is what is being committed now.
        if self._done and isinstance(self._done[-1], ProseView):
            self._done[-1].set_tail("")
        segs, self._code_count = markdown.finished_segments(
            piece, dark=self._dark, copy_label=self._copy_label, first_code_index=self._code_count
        )
        for seg in segs:
            self._codes.extend((seg.code,) if seg.kind == "code" else seg.nested)
            last = self._done[-1] if self._done else None
            if seg.kind == "prose" and isinstance(last, ProseView):
                last.append(seg.html)
                continue
            widget = self._take_live(ProseView if seg.kind == "prose" else CodeView)
            if isinstance(widget, ProseView):
                widget.append(seg.html)
            elif isinstance(widget, CodeView):
                widget.set_code(seg.code, seg.lang, self._dark)
            self._done.append(widget)

    def _set_live(self, tail: str) -> None:
        segs = markdown.segments(
            tail, dark=self._dark, copy_label=self._copy_label, first_code_index=self._code_count
        )[0] if tail else []
        self._live_codes = [c for seg in segs for c in ((seg.code,) if seg.kind == "code" else seg.nested)]
        last = self._done[-1] if self._done else None
        if isinstance(last, ProseView):
            if segs and segs[0].kind == "prose":
                last.set_tail(segs.pop(0).html)
            else:
                last.set_tail("")
        for i, seg in enumerate(segs):
            kind = ProseView if seg.kind == "prose" else CodeView
            if i < len(self._live) and not isinstance(self._live[i], kind):
                for stale in self._live[i:]:
                    stale.hide()
                    stale.deleteLater()
                del self._live[i:]
            if i >= len(self._live):
                widget = self._new(kind)
                self._layout.addWidget(widget)
                self._live.append(widget)
            widget = self._live[i]
            if isinstance(widget, ProseView):
                widget.set_tail(seg.html)
            elif isinstance(widget, CodeView):
                widget.set_code(seg.code, seg.lang, self._dark)
        for stale in self._live[len(segs) :]:
            stale.hide()
            stale.deleteLater()
        del self._live[len(segs) :]

    def _take_live(self, kind: type[QWidget]) -> QWidget:
        """The first live widget, when it is of this kind (a block just finished: no flicker),
        or a new one placed after the committed ones."""
        if self._live and isinstance(self._live[0], kind):
            return self._live.pop(0)
        widget = self._new(kind)
        self._layout.insertWidget(len(self._done), widget)
        return widget

    def _new(self, kind: type[QWidget]) -> QWidget:
        widget = kind(self)
        if isinstance(widget, ProseView):
            widget.link_requested.connect(self.link_requested)
            widget.copy_code_requested.connect(self._copy_nested)
        widget.show()  # a layout shows new children only at the next event loop pass
        return widget

    def _copy_nested(self, index: int) -> None:
        code = self.nested_code(index)
        if code:
            QGuiApplication.clipboard().setText(code)
