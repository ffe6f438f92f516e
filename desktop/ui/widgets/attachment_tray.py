"""What waits to be sent with the next message: images and text files, shown as thumbnails and
chips above the box, with an Attach button and a line saying why something is not offered."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.core.attachments import (
    AttachmentError,
    TextAttachment,
    estimate_tokens,
    image_type,
    is_document,
    is_text_file,
    read_document,
    read_text_file,
)
from desktop.core.capabilities import Missing, ModelAbilities
from desktop.core.messages import ImagePart, Part
from desktop.ui.image_prep import ImageError, load_image_file, prepare
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.image_strip import MediaStrip

# The share of the context the attached files may fill (the rest is the question and answer).
CONTEXT_SHARE = 0.75
DEFAULT_CONTEXT = 4096


class AttachmentTray(QWidget):
    changed = Signal()
    knowledge_requested = Signal(str)  # a file too large for the context: the path, as a document instead

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images: list[ImagePart] = []
        self.files: list[TextAttachment] = []
        self._abilities: ModelAbilities | None = None
        self._context = 0  # the conversation's num_ctx, 0 = the model's
        self.strip = MediaStrip(self, removable=True)
        self.strip.image_removed.connect(self._remove_image)
        self.strip.file_removed.connect(self._remove_file)
        self.attach_button = QPushButton(self.tr("Attach…"), self)
        self.attach_button.setObjectName("attachButton")
        self.attach_button.setFlat(True)
        self.attach_button.clicked.connect(self.choose_files)
        self.note = QLabel(self)
        self.note.setObjectName("attachmentNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        self.knowledge_button = QPushButton(self.tr("Use it as a document instead"), self)
        self.knowledge_button.setToolTip(
            self.tr("Attach it to the conversation: each answer then uses its most relevant passages")
        )
        self.knowledge_button.setFlat(True)
        self.knowledge_button.hide()
        self.knowledge_button.clicked.connect(self._on_knowledge)
        self._too_large = ""
        # PDF and Word files are read on a worker thread. The runner has no Qt parent: a reading
        # that ends after the tray is gone must find it alive to report to (it then does nothing).
        self._runner = TaskRunner()
        self._alive = True
        self._late_problems: list[str] = []  # from documents read meanwhile, shown once all are read
        self.destroyed.connect(self._on_destroyed)
        # Set by the app where the conversation's documents take files too large for a message.
        self.knowledge_offered = False
        row = QHBoxLayout()
        self._row = row
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.attach_button)
        row.addWidget(self.note, 1)
        row.addWidget(self.knowledge_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.strip)
        layout.addLayout(row)
        self._update()

    def add_leading(self, widget: QWidget) -> None:
        """Another control on the tray's row, before Attach (the saved-prompt picker)."""
        self._row.insertWidget(0, widget)

    # ----- what the model can do -----

    def set_abilities(self, abilities: ModelAbilities | None, context: int = 0) -> None:
        self._abilities = abilities
        self._context = context
        self._update()

    def images_allowed(self) -> bool:
        return self._abilities is not None and self._abilities.why_no_images() is None

    def why_no_images(self) -> str:
        if self._abilities is None:
            return self.tr("Choose a model first.")
        reason = self._abilities.why_no_images()
        if reason == Missing.NO_VISION:
            return self.tr("%1 cannot read images. Choose a vision model to send pictures.").replace(
                "%1", self._abilities.model
            )
        if reason == Missing.UNKNOWN_MODEL:
            return self.tr("The server did not say whether %1 can read images.").replace(
                "%1", self._abilities.model or self.tr("this model")
            )
        return ""

    # ----- adding and removing -----

    def choose_files(self) -> None:
        filters = [
            self.tr("Text and code files (%1)").replace(
                "%1", "*.txt *.md *.csv *.json *.py *.js *.ts *.pdf *.docx"
            )
        ]
        if self.images_allowed():
            patterns = "*.png *.jpg *.jpeg *.webp *.txt *.md *.csv *.json *.py *.pdf *.docx"
            filters.insert(0, self.tr("Images and text files (%1)").replace("%1", patterns))
        filters.append(self.tr("All files (*)"))
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Attach files"), "", ";;".join(filters))
        self.add_paths([Path(p) for p in paths])

    def add_paths(self, paths: Iterable[Path]) -> None:
        problems: list[str] = []
        for path in paths:
            try:
                if image_type(path):
                    if not self.images_allowed():
                        problems.append(self.why_no_images())
                        continue
                    self.images.append(load_image_file(path))
                elif is_text_file(path):
                    self._add_file(read_text_file(path), path)
                elif is_document(path):
                    self._read_later(path)
                else:
                    problems.append(
                        self.tr(
                            "%1 cannot be attached: only images (PNG, JPEG, WebP) and text files."
                        ).replace("%1", path.name)
                    )
            except (AttachmentError, ImageError) as err:
                problems.append(str(err))
        self._update(" ".join(dict.fromkeys(problems)))

    def add_image(self, image: QImage, name: str = "") -> None:
        """A pasted (or dropped) picture."""
        if not self.images_allowed():
            self._update(self.why_no_images())
            return
        try:
            self.images.append(prepare(image, name or self.tr("pasted image.png")))
        except ImageError as err:
            self._update(str(err))
            return
        self._update()

    def _add_file(self, attachment: TextAttachment, path: Path) -> None:
        budget = int((self._context or self._model_context() or DEFAULT_CONTEXT) * CONTEXT_SHARE)
        used = sum(f.tokens for f in self.files)
        if used + attachment.tokens > budget:
            self._too_large = str(path)
            raise AttachmentError(
                self.tr("%1 is too large for this conversation's context (about %2 tokens, room for %3).")
                .replace("%1", attachment.name)
                .replace("%2", str(attachment.tokens))
                .replace("%3", str(max(0, budget - used)))
            )
        self.files.append(attachment)

    def _on_destroyed(self, *_: object) -> None:
        self._alive = False
        self._runner.cancel_all()

    def _read_later(self, path: Path) -> None:
        def failed(err: BaseException) -> None:
            if self._alive:
                self._late_problems.append(str(err))
                self._update()

        def parsed(attachment: TextAttachment) -> None:
            if not self._alive:
                return
            try:
                self._add_file(attachment, path)
            except AttachmentError as err:
                self._late_problems.append(str(err))
            self._update()

        self._runner.run_blocking(lambda: read_document(path), on_result=parsed, on_error=failed)

    def reading(self) -> bool:
        """A document is still being read."""
        return self._runner.busy

    async def aclose(self) -> None:
        await self._runner.aclose()

    def _model_context(self) -> int:
        return self._abilities.context_length if self._abilities is not None else 0

    def _remove_image(self, index: int) -> None:
        if 0 <= index < len(self.images):
            del self.images[index]
            self._update()

    def _remove_file(self, index: int) -> None:
        if 0 <= index < len(self.files):
            del self.files[index]
            self._update()

    def parts(self) -> list[Part]:
        return [*self.images, *(f.part() for f in self.files)]

    def tokens(self) -> int:
        return sum(estimate_tokens(f.text) for f in self.files)

    def clear(self) -> None:
        self.images.clear()
        self.files.clear()
        self._update()

    def say(self, text: str) -> None:
        self._update(text)

    def _on_knowledge(self) -> None:
        if self._too_large:
            path = self._too_large
            self._update()  # the note about it is answered
            self.knowledge_requested.emit(path)

    def _update(self, problem: str = "") -> None:
        self.strip.set_items(self.images, self.files)
        if self.images_allowed():
            tip = self.tr("Attach images or text files")
        else:
            # Why the image control is missing, where the user looks for it.
            tip = self.tr("Attach text files. %1").replace("%1", self.why_no_images())
        self.attach_button.setToolTip(tip)
        self.attach_button.setAccessibleName(tip)
        note = problem
        if not note and self.reading():
            note = self.tr("Reading the attached documents…")
        elif not note and self._late_problems:
            note = problem = " ".join(self._late_problems)
            self._late_problems.clear()
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.knowledge_button.setVisible(bool(problem) and bool(self._too_large) and self.knowledge_offered)
        if not problem:
            self._too_large = ""
        self.changed.emit()
