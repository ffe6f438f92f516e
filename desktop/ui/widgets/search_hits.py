"""Search results drawn with the matched words marked, as in a browser's find bar."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.ui import theme

HTML_ROLE = int(Qt.ItemDataRole.UserRole) + 10
PADDING = 6


def terms_of(query: str) -> list[str]:
    """The words to mark: the query's words without quotes and operators, longest first."""
    words = [w.strip("\"'*()") for w in query.split()]
    words = [w for w in words if w and w.upper() not in ("AND", "OR", "NOT")]
    return sorted(set(words), key=len, reverse=True)


def marked_html(text: str, terms: list[str]) -> str:
    """`text` as HTML with every case-insensitive occurrence of a term marked."""
    if not terms:
        return html.escape(text).replace("\n", "<br>")
    c = theme.colours()
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last:match.start()]))
        out.append(
            f'<span style="background-color:{c.mark}; color:{c.mark_text}; font-weight:600;">'
            f"{html.escape(match.group())}</span>"
        )
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out).replace("\n", "<br>")


def hit_html(title: str, snippet: str, query: str) -> str:
    terms = terms_of(query)
    body = f"<b>{marked_html(title, terms)}</b>"
    if snippet:
        body += f"<br>{marked_html(snippet, terms)}"
    return body


class HitDelegate(QStyledItemDelegate):
    """Paints an item's HTML_ROLE text (wrapped) over the style's usual item background."""

    def _document(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        doc.setHtml(str(index.data(HTML_ROLE) or ""))
        width = option.rect.width() if option.rect.width() > 0 else 240
        doc.setTextWidth(max(40, width - 2 * PADDING))
        return doc

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if not index.data(HTML_ROLE):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget: QWidget | None = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        doc = self._document(opt, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(QPointF(opt.rect.left() + PADDING, opt.rect.top() + PADDING))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        if not index.data(HTML_ROLE):
            return super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        view = opt.widget
        if view is not None and hasattr(view, "viewport"):
            opt.rect.setWidth(view.viewport().width())
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()) + 2 * PADDING, int(doc.size().height()) + 2 * PADDING)
