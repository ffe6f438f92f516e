"""The Knowledge page: knowledge bases, their files, indexing progress; files and folders come
in by the pickers or by drag and drop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.documents.indexer import Progress
from desktop.core.documents.kb import Collection
from desktop.ui.controllers.knowledge_controller import KnowledgeController

ENGLISH_ONLY = {"all-minilm:l6-v2", "all-minilm", "nomic-embed-text"}


class KnowledgePage(QWidget):
    def __init__(
        self,
        controller: KnowledgeController,
        current_conversation: Callable[[], int | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.current_conversation = current_conversation
        # Set by the app: attaches a knowledge base to the conversation on screen, new or not.
        self.use_in_chat: Callable[[str], None] | None = None
        self.setAcceptDrops(True)
        self._files_shown = -1
        root = QHBoxLayout(self)

        left = QVBoxLayout()
        self.bases = QListWidget(self)
        self.bases.setAccessibleName(self.tr("Knowledge bases"))
        self.bases.currentItemChanged.connect(lambda *_: self._show_files())
        left.addWidget(QLabel(self.tr("Knowledge bases"), self))
        left.addWidget(self.bases)
        row = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New…"), self)
        self.rename_button = QPushButton(self.tr("Rename…"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        for button in (self.new_button, self.rename_button, self.delete_button):
            row.addWidget(button)
        left.addLayout(row)
        root.addLayout(left, 1)

        right = QVBoxLayout()
        self.title = QLabel(self.tr("Drop files or folders here, or create a knowledge base."), self)
        self.title.setWordWrap(True)
        self.files = QListWidget(self)
        self.files.setAccessibleName(self.tr("Files"))
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.hint = QLabel(
            self.tr(
                "The built-in embedding model understands English only: Chinese "
                "documents are still found by their words, and a multilingual "
                "model (bge-m3 or qwen3-embedding on Ollama) finds them by meaning too."
            ),
            self,
        )
        self.hint.setWordWrap(True)
        self.hint.setVisible(False)
        buttons = QHBoxLayout()
        self.add_files_button = QPushButton(self.tr("Add files…"), self)
        self.add_folder_button = QPushButton(self.tr("Add folder…"), self)
        self.use_button = QPushButton(self.tr("Use in this chat"), self)
        for button in (self.add_files_button, self.add_folder_button, self.use_button):
            buttons.addWidget(button)
        for widget in (self.title, self.files, self.progress, self.status, self.hint):
            right.addWidget(widget)
        right.addLayout(buttons)
        root.addLayout(right, 2)

        self.new_button.clicked.connect(self._new)
        self.rename_button.clicked.connect(self._rename)
        self.delete_button.clicked.connect(self._delete)
        self.add_files_button.clicked.connect(self._pick_files)
        self.add_folder_button.clicked.connect(self._pick_folder)
        self.use_button.clicked.connect(self._use)
        controller.collections_changed.connect(self.show_collections)
        controller.progress_changed.connect(self.show_progress)
        controller.indexing_finished.connect(self.show_finished)
        controller.failed.connect(lambda message: self.status.setText(message))
        self.show_collections(controller.collections())

    def selected(self) -> str:
        item = self.bases.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def show_collections(self, collections: list[Collection]) -> None:
        keep = self.selected()
        self.bases.clear()
        for c in collections:
            text = (
                self.tr("%1 — %2 files, %3 chunks")
                .replace("%1", c.name)
                .replace("%2", str(c.files))
                .replace("%3", str(c.chunks))
            )
            item = QListWidgetItem(text, self.bases)
            item.setData(Qt.ItemDataRole.UserRole, c.name)
            if c.name == keep:
                self.bases.setCurrentItem(item)
        if self.bases.currentItem() is None and self.bases.count():
            self.bases.setCurrentRow(0)
        has = self.bases.count() > 0
        for button in (
            self.rename_button,
            self.delete_button,
            self.add_files_button,
            self.add_folder_button,
            self.use_button,
        ):
            button.setEnabled(has)
        self._show_files()

    def _show_files(self) -> None:
        name = self.selected()
        self.files.clear()
        found = next((c for c in self.controller.collections() if c.name == name), None)
        self.hint.setVisible(found is not None and (found.embed_model or "all-minilm:l6-v2") in ENGLISH_ONLY)
        if not name:
            return
        self.title.setText(self.tr("%1: drop files or folders here to add them.").replace("%1", name))
        for info in self.controller.files(name):
            if info.status == "failed":
                text = (
                    self.tr("%1 — not indexed: %2")
                    .replace("%1", Path(info.path).name)
                    .replace("%2", info.error)
                )
            elif info.status == "done":
                text = (
                    self.tr("%1 — %2 chunks")
                    .replace("%1", Path(info.path).name)
                    .replace("%2", str(info.chunk_count))
                )
            else:
                text = self.tr("%1 — indexing…").replace("%1", Path(info.path).name)
            item = QListWidgetItem(text, self.files)
            item.setToolTip(info.path)

    def show_progress(self, p: Progress) -> None:
        if p.files_done != self._files_shown:  # a file finished: its row and the totals change
            self._files_shown = p.files_done
            self.show_collections(self.controller.collections())
        self.progress.setVisible(True)
        self.progress.setMaximum(max(1, p.files_total))
        self.progress.setValue(p.files_done)
        eta = self.tr(", about %1 s left").replace("%1", f"{p.eta:.0f}") if p.eta is not None else ""
        self.status.setText(
            self.tr("Indexing %1: %2 of %3 files, %4 chunks, %5 chunks/s%6")
            .replace("%1", p.collection)
            .replace("%2", str(p.files_done))
            .replace("%3", str(p.files_total))
            .replace("%4", str(p.chunks_done))
            .replace("%5", f"{p.speed:.1f}")
            .replace("%6", eta)
        )

    def show_finished(self, p: Progress) -> None:
        self._files_shown = -1
        self.progress.setVisible(False)
        failed = len(p.failures)
        text = (
            self.tr("%1: %2 chunks added from %3 files.")
            .replace("%1", p.collection)
            .replace("%2", str(p.chunks_done))
            .replace("%3", str(p.files_done - failed))
        )
        if failed:
            text += " " + self.tr("%1 files could not be read (see the list).").replace("%1", str(failed))
        self.status.setText(text)
        self._show_files()

    # --- actions ------------------------------------------------------------------------

    def _new(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New knowledge base"), self.tr("Name:"))
        if ok and name.strip():
            self.controller.create(name)

    def _rename(self) -> None:
        old = self.selected()
        name, ok = QInputDialog.getText(
            self, self.tr("Rename knowledge base"), self.tr("New name:"), text=old
        )
        if ok and name.strip() and name != old:
            self.controller.rename(old, name)

    def _delete(self) -> None:
        name = self.selected()
        answer = QMessageBox.question(
            self,
            self.tr("Delete knowledge base"),
            self.tr("Delete %1 and its index? Your files stay where they are.").replace("%1", name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.delete(name)

    def _pick_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add files"), "", self.tr("Documents (*.txt *.md *.pdf *.docx *.html *.htm)")
        )
        self.add([Path(p) for p in paths])

    def _pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add folder"))
        if folder:
            self.add([Path(folder)])

    def add(self, paths: list[Path]) -> None:
        name = self.selected()
        if not paths:
            return
        if not name:
            self.status.setText(self.tr("Create a knowledge base first, then add files to it."))
            return
        self.controller.add_paths(name, paths)

    def _use(self) -> None:
        if self.use_in_chat is not None:  # the chat's documents row: a new chat takes it too
            self.use_in_chat(self.selected())
            self.status.setText(
                self.tr("The next answers in this conversation use %1.").replace("%1", self.selected())
            )
            return
        conversation = self.current_conversation()
        if conversation is None:
            self.status.setText(self.tr("Open a conversation first, then attach the knowledge base to it."))
            return
        current = self.controller.attached(conversation)
        names = tuple(dict.fromkeys((*current.knowledge_bases, self.selected())))
        self.controller.attach(conversation, names, current.files)
        self.status.setText(
            self.tr("The next answers in this conversation use %1.").replace("%1", self.selected())
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        self.add(paths)
        event.acceptProposedAction()
