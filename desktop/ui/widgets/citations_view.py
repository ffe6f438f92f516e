"""The sources under an answer: [1] file, page; clicking one shows the passage and opens the file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.messages import CitationPart, Part


class PassageDialog(QDialog):
    """The passage a source number stands for, with its file and page, and a way to open it."""

    def __init__(self, number: int, citation: CitationPart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.citation = citation
        self.setWindowTitle(self.tr("Source [%1]").replace("%1", str(number)))
        layout = QVBoxLayout(self)
        where = citation.title or Path(citation.source).name
        if citation.locator:
            where = self.tr("%1 (%2)").replace("%1", where).replace("%2", citation.locator)
        self.where = QLabel(where, self)
        self.where.setTextFormat(Qt.TextFormat.PlainText)
        self.path = QLabel(citation.source, self)
        self.path.setTextFormat(Qt.TextFormat.PlainText)
        self.path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quote = QPlainTextEdit(citation.quote, self)
        self.quote.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = buttons.addButton(self.tr("Open file"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(Path(citation.source).is_file())
        self.open_button.clicked.connect(self.open_file)
        buttons.rejected.connect(self.reject)
        for widget in (self.where, self.path, self.quote, buttons):
            layout.addWidget(widget)
        self.resize(520, 360)

    def open_file(self) -> None:
        # Only a local file that exists: a source is a path the indexer read, never a URL.
        if Path(self.citation.source).is_file():
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.citation.source))


class CitationsView(QWidget):
    """Numbered sources, one button each; hidden when the message has none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 2, 0, 0)
        self._layout.setSpacing(0)
        self.heading = QLabel(self.tr("Sources"), self)
        self._layout.addWidget(self.heading)
        self.buttons: list[QPushButton] = []
        self.citations: list[CitationPart] = []
        self.setVisible(False)

    def set_parts(self, parts: Sequence[Part]) -> None:
        citations = [p for p in parts if isinstance(p, CitationPart)]
        if citations == self.citations:
            return
        for button in self.buttons:
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        self.citations = citations
        for number, citation in enumerate(citations, start=1):
            name = citation.title or Path(citation.source).name
            label = (
                self.tr("[%1] %2, %3")
                .replace("%1", str(number))
                .replace("%2", name)
                .replace("%3", citation.locator)
                if citation.locator
                else self.tr("[%1] %2").replace("%1", str(number)).replace("%2", name)
            )
            button = QPushButton(label, self)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet("text-align: left; padding: 1px 4px;")
            button.setToolTip(citation.source)
            button.clicked.connect(lambda _=False, n=number: self.show_passage(n))
            self._layout.addWidget(button)
            self.buttons.append(button)
        # Shown or hidden, the message's layout and the list's hear of it through Qt's posted
        # layout requests, which run before the next paint: no height to force here.
        self.setVisible(bool(citations))

    def show_passage(self, number: int) -> PassageDialog:
        dialog = PassageDialog(number, self.citations[number - 1], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
