"""The documents of this conversation, by the composer: the knowledge bases and single files
attached to it as chips the user can remove, a Documents menu to attach them, and drops.

An attached file is not sent with one message: before each answer it goes in whole when it
fits the context, otherwise its most relevant passages are retrieved (documents/context.py).
A new conversation has no id until its first message; what is attached meanwhile is kept
here and saved to the conversation when it is created.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.core.documents.chat_hook import Attachments
from desktop.core.documents.parse import supported
from desktop.ui.controllers.knowledge_controller import KnowledgeController
from desktop.ui.widgets.image_strip import FileChip

SHOWN_CHIPS = 3
CHIP_TEXT_PX = 160  # a longer name is shortened in the middle (the tooltip has it whole)


def _local_files(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    return [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]


class DocumentsButton(QPushButton):
    """Documents ▾ on the composer's row; files dropped on it are attached as documents."""

    def __init__(self, documents: ConversationDocuments, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.documents = documents
        self.setText(self.tr("Documents"))
        self.setObjectName("documentsButton")
        self.setFlat(True)
        self.setAcceptDrops(True)
        tip = self.tr("Attach knowledge bases or files to this conversation (or drop files here)")
        self.setToolTip(tip)
        self.setAccessibleName(tip)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if _local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        self.documents.attach_files(_local_files(event))
        event.acceptProposedAction()


class ConversationDocuments(QWidget):
    """The chips row and a line under it saying what could not be attached (hidden while both are
    empty), and its `button` for the composer's row."""

    def __init__(self, controller: KnowledgeController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationDocuments")
        self.controller = controller
        self._conversation = 0
        self._draft = Attachments()
        self.setAcceptDrops(True)
        self.button = DocumentsButton(self)
        self.menu = QMenu(self.button)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.button.setMenu(self.menu)
        self.heading = QLabel(self.tr("Answers here use:"), self)
        self.chips: list[FileChip] = []
        self._names: list[str] = []  # the chips' names in full (a long one is shortened on screen)
        self.note = QLabel(self)
        self.note.setObjectName("documentsNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(4)
        # Past a few chips the rest wait behind "+N more" (a menu to remove them): a long row
        # would widen the composer and with it the window.
        self.more = QPushButton(self)
        self.more.setFlat(True)
        self.more_menu = QMenu(self.more)
        self.more.setMenu(self.more_menu)
        self.more.hide()
        self._row.addWidget(self.heading)
        self._row.addWidget(self.more)
        self._row.addStretch(1)  # the chips keep their own width, at the left
        layout = QVBoxLayout(self)
        # Never wider than the composer: what does not fit is cut, the window keeps its width.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self._row)
        layout.addWidget(self.note)
        controller.attachments_changed.connect(self._on_attachments_changed)
        controller.collections_changed.connect(lambda _collections: self.refresh())
        self.refresh()

    # ----- which conversation -----

    def set_conversation(self, conversation_id: int, fresh: bool = False) -> None:
        """The chat shows `conversation_id` (0: a new one, not stored yet). `fresh`: it was just
        created from the new one on screen, which takes what was attached meanwhile."""
        draft, self._draft = self._draft, Attachments()
        if conversation_id and not self._conversation and fresh and not draft.empty:
            self.controller.attach(conversation_id, draft.knowledge_bases, draft.files)
        self._conversation = conversation_id
        self._say("")
        self.refresh()

    @property
    def conversation_id(self) -> int:
        return self._conversation

    def attached(self) -> Attachments:
        if self._conversation:
            return self.controller.attached(self._conversation)
        return self._draft

    def _save(self, value: Attachments) -> None:
        if self._conversation:
            self.controller.attach(self._conversation, value.knowledge_bases, value.files)
        else:
            self._draft = value
            self.refresh()

    def _on_attachments_changed(self, conversation_id: int) -> None:
        if conversation_id in (0, self._conversation):
            self.refresh()

    # ----- attaching and removing -----

    def attach_files(self, paths: Iterable[Path]) -> None:
        current = self.attached()
        files = list(current.files)
        problems = []
        for path in (Path(p) for p in paths):
            if path.is_dir():
                problems.append(
                    self.tr("%1 is a folder: add it to a knowledge base on the Knowledge page.").replace(
                        "%1", path.name
                    )
                )
            elif not supported(path):
                problems.append(
                    self.tr(
                        "%1 cannot be used as a document: PDF, Word, text, Markdown and HTML files can."
                    ).replace("%1", path.name)
                )
            elif not path.is_file():
                problems.append(self.tr("%1 was not found.").replace("%1", str(path)))
            elif str(path.absolute()) not in files:
                files.append(str(path.absolute()))
        if len(files) != len(current.files):
            self._save(Attachments(current.knowledge_bases, tuple(files)))
        self._say(" ".join(dict.fromkeys(problems)))

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Attach documents to this conversation"),
            "",
            self.tr("Documents (*.txt *.md *.pdf *.docx *.html *.htm)"),
        )
        self.attach_files([Path(p) for p in paths])

    def set_knowledge_base(self, name: str, on: bool) -> None:
        current = self.attached()
        names = [n for n in current.knowledge_bases if n != name] + ([name] if on else [])
        self._save(Attachments(tuple(names), current.files))

    def remove_file(self, path: str) -> None:
        current = self.attached()
        self._save(Attachments(current.knowledge_bases, tuple(f for f in current.files if f != path)))

    def _fill_menu(self) -> None:
        self.menu.clear()
        attached = set(self.attached().knowledge_bases)
        collections = self.controller.collections()
        for collection in collections:
            action = self.menu.addAction(collection.name)
            action.setCheckable(True)
            action.setChecked(collection.name in attached)
            action.toggled.connect(lambda on, n=collection.name: self.set_knowledge_base(n, on))
        if not collections:
            empty = self.menu.addAction(self.tr("No knowledge bases yet: create one on the Knowledge page"))
            empty.setEnabled(False)
        self.menu.addSeparator()
        self.menu.addAction(self.tr("Attach files…"), self.choose_files)

    # ----- what is shown -----

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self._update_visibility()

    def _update_visibility(self) -> None:
        self.setVisible(bool(self.chips) or self.note.isVisibleTo(self))

    def chip_names(self) -> list[str]:
        """Every attached document's chip, shown or behind "+N more", in full."""
        return list(self._names)

    def _chip(self, name: str, detail: str) -> FileChip:
        chip = FileChip(name, detail, removable=True, parent=self)
        metrics = chip.label.fontMetrics()
        chip.label.setText(metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, CHIP_TEXT_PX))
        self._names.append(name)
        return chip

    def refresh(self) -> None:
        for chip in self.chips:
            self._row.removeWidget(chip)
            chip.hide()  # not drawn until its deletion runs
            chip.deleteLater()
        self.chips = []
        self._names = []
        attached = self.attached()
        known = {c.name for c in self.controller.collections()}
        for name in attached.knowledge_bases:
            if name not in known:
                continue  # deleted meanwhile: the answers no longer use it either
            chip = self._chip(
                self.tr("%1 (knowledge base)").replace("%1", name),
                self.tr("The answers in this conversation search %1.").replace("%1", name),
            )
            chip.removed.connect(lambda n=name: self.set_knowledge_base(n, False))
            self.chips.append(chip)
        for path in attached.files:
            if Path(path).is_file():
                chip = self._chip(
                    Path(path).name,
                    self.tr(
                        "%1\nUsed whole when it fits the context; otherwise its most relevant passages."
                    ).replace("%1", path),
                )
            else:  # moved or deleted: the answers go on without it, and the user sees why
                chip = self._chip(
                    self.tr("%1 (not found)").replace("%1", Path(path).name),
                    self.tr(
                        "%1 was not found, so the answers do without it. Remove it or put it back."
                    ).replace("%1", path),
                )
            chip.removed.connect(lambda p=path: self.remove_file(p))
            self.chips.append(chip)
        for index, chip in enumerate(self.chips, start=1):
            self._row.insertWidget(index, chip)
            chip.setVisible(index <= SHOWN_CHIPS)  # now, not when the layout's queued show runs
        hidden = self.chips[SHOWN_CHIPS:]
        self.more.setVisible(bool(hidden))
        self.more.setText(self.tr("+%1 more").replace("%1", str(len(hidden))))
        self.more_menu.clear()
        for chip, name in zip(hidden, self._names[SHOWN_CHIPS:], strict=True):
            action = self.more_menu.addAction(self.tr("Remove %1").replace("%1", name))
            action.triggered.connect(chip.removed)
        self._update_visibility()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if _local_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        self.attach_files(_local_files(event))
        event.acceptProposedAction()
