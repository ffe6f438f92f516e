"""Clipped and overlapping text, measured with each widget's own font metrics.

`problems(window)` walks the visible labels, buttons and check boxes of a window and reports,
in words, every text that does not fit the space the widget got, every widget cut off by its
parent, and every two text widgets of one layout that overlap on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QToolButton,
    QWidget,
)

SLACK = 1  # px: rounding between the metrics and the layout


def _name(w: QWidget) -> str:
    text = w.text() if isinstance(w, (QLabel, QAbstractButton)) else ""
    return f"{type(w).__name__}({w.objectName() or '-'}) {text[:50]!r}"


def _shown(w: QWidget) -> bool:
    return w.isVisible() and w.width() > 0 and w.height() > 0


def _in_scroll_area(w: QWidget) -> bool:
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _mnemonic_free(text: str) -> str:
    """The text as drawn: "&Theme:" shows as "Theme:" (an underlined T), "&&" as "&"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if label.buddy() is not None:
        text = _mnemonic_free(text)
    if not text or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    rect = label.contentsRect()
    margin = label.margin() * 2 + label.indent() * 0
    if label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    ):
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setHtml(text)
        doc.setDocumentMargin(0)
        if label.wordWrap():
            doc.setTextWidth(rect.width() - margin)
            need_h, need_w = doc.size().height(), 0.0
        else:
            need_w, need_h = doc.idealWidth(), doc.size().height()
    else:
        fm = label.fontMetrics()
        if label.wordWrap():
            flags = int(Qt.TextFlag.TextWordWrap)
            box = fm.boundingRect(QRect(0, 0, rect.width() - margin, 100000), flags, text)
            need_w, need_h = 0.0, float(box.height())
        else:
            lines = text.split("\n")
            need_w = float(max(fm.horizontalAdvance(line) for line in lines))
            need_h = float(fm.height() * len(lines))
    if need_w > rect.width() - margin + SLACK:
        return f"{_name(label)} needs {need_w:.0f} px wide, has {rect.width() - margin}"
    if need_h > rect.height() - margin + SLACK + 2:
        return f"{_name(label)} needs {need_h:.0f} px high, has {rect.height() - margin}"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    text = _mnemonic_free(button.text())
    if not text:
        return None
    fm = button.fontMetrics()
    need = fm.horizontalAdvance(text)
    if isinstance(button, (QCheckBox, QRadioButton)):
        # Indicator and its spacing, as the style lays them out.
        style = button.style()
        indicator = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, button)
        spacing = style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing, None, button)
        need += indicator + spacing
        if button.width() + SLACK < need:
            return f"{_name(button)} needs {need} px, has {button.width()}"
        return None
    if isinstance(button, QPushButton):
        opt = QStyleOptionButton()
        button.initStyleOption(opt)
        if not button.icon().isNull():
            need += button.iconSize().width() + 4
        # The style's own margins around the text (Fusion: about 2 x 6 px).
        margin = button.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, opt, button)
        if button.width() + SLACK < need + margin:
            return f"{_name(button)} needs {need + margin} px, has {button.width()}"
        return None
    if isinstance(button, QToolButton) and button.width() + SLACK < need:
        return f"{_name(button)} needs {need} px, has {button.width()}"
    return None


def _cut_by_parent(w: QWidget) -> str | None:
    parent = w.parentWidget()
    if parent is None or w.isWindow() or _in_scroll_area(w):
        return None
    inside = parent.rect()
    if not inside.contains(w.geometry().adjusted(SLACK, SLACK, -SLACK, -SLACK)):
        size = f"{inside.width()}x{inside.height()}"
        return f"{_name(w)} at {w.geometry().getRect()} is cut off by its parent ({size})"
    return None


def problems(window: QWidget) -> list[str]:
    found: list[str] = []
    kinds = (QLabel, QAbstractButton, QComboBox)
    shown = [w for w in window.findChildren(QWidget) if isinstance(w, kinds) and _shown(w)]
    shown = [w for w in shown if not isinstance(w.parentWidget(), QTabBar)]
    for w in shown:
        if isinstance(w, QLabel):
            issue = _label_problem(w)
        elif isinstance(w, QAbstractButton):
            issue = _button_problem(w)
        else:
            issue = None
        issue = issue or _cut_by_parent(w)
        if issue:
            found.append(issue)
    # Overlaps: two text widgets drawn on one another (siblings, or in one window when not
    # inside a scroll area), in window coordinates.
    rects = [
        (w, QRect(w.mapTo(window, w.rect().topLeft()), w.size())) for w in shown if not _in_scroll_area(w)
    ]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1:]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            overlap = ra.intersected(rb)
            if overlap.width() > 2 and overlap.height() > 2:
                found.append(f"{_name(a)} overlaps {_name(b)} by {overlap.width()}x{overlap.height()}")
    return found
