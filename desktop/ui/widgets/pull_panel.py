"""The Downloads tab: a tag field, the free-space warning, and one progress row per pull."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.core.pulls import PullSnapshot, format_bytes
from desktop.ui.controllers.models_controller import ModelsController
from desktop.ui.widgets.pull_row import PullRow as PullRow

# Ollama's name grammar, loosely: host/namespace/model:tag with letters, digits, _ . - and :.
_TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-/:]{0,400}$")
_PASTED_COMMAND_RE = re.compile(r"^\s*ollama\s+(?:pull|run)\s+", re.IGNORECASE)


def normalize_tag(text: str) -> str:
    """Accept what people paste: 'ollama run llama3.2', a Hugging Face URL, stray spaces."""
    return parse_pull_text(text)[0]


def parse_pull_text(text: str) -> tuple[str, bool]:
    """(tag, insecure): `http://host/ns/model:tag` names a plain-HTTP registry (`ollama pull --insecure`)."""
    tag = _PASTED_COMMAND_RE.sub("", text).strip()
    insecure = False
    if tag.lower().startswith("--insecure "):
        tag, insecure = tag[len("--insecure ") :].strip(), True
    for prefix in ("https://huggingface.co/", "http://huggingface.co/", "https://hf.co/", "huggingface.co/"):
        if tag.lower().startswith(prefix):
            return "hf.co/" + tag[len(prefix) :], insecure
    if tag.lower().startswith("http://"):
        tag, insecure = tag[len("http://") :], True
    elif tag.lower().startswith("https://"):
        tag = tag[len("https://") :]
    return tag, insecure


def is_valid_tag(tag: str) -> bool:
    return bool(_TAG_RE.match(tag)) and "//" not in tag and not tag.endswith((":", "/"))


class PullPanel(QWidget):
    """Type any tag (library or hf.co/...) or pick one in the catalog; see every pull."""

    browse_catalog_requested = Signal()

    def __init__(
        self,
        controller: ModelsController,
        size_lookup: object | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        # size_lookup(tag) -> download bytes or 0; the catalog knows sizes of library tags.
        self._size_lookup = size_lookup
        self.rows: dict[str, PullRow] = {}

        self.tag_edit = QLineEdit()
        self.tag_edit.setObjectName("pullTagEdit")
        self.tag_edit.setPlaceholderText(
            self.tr("Model tag, e.g. llama3.2:3b or hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M")
        )
        self.tag_edit.setClearButtonEnabled(True)
        self.pull_button = QPushButton(self.tr("Pull"))
        self.pull_button.setDefault(True)
        self.browse_button = QPushButton(self.tr("Browse catalog…"))
        self.message_label = QLabel()
        self.message_label.setObjectName("pullMessage")
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        self.space_banner = QFrame()
        self.space_banner.setObjectName("spaceBanner")
        self.space_label = QLabel()
        self.space_label.setWordWrap(True)
        self.space_anyway = QPushButton(self.tr("Pull anyway"))
        self.space_cancel = QPushButton(self.tr("Don't pull"))
        banner_layout = QHBoxLayout(self.space_banner)
        banner_layout.addWidget(self.space_label, 1)
        banner_layout.addWidget(self.space_anyway)
        banner_layout.addWidget(self.space_cancel)
        self.space_banner.hide()
        self._held: tuple[str, int, bool] | None = None

        self.empty_label = QLabel(
            self.tr("No downloads yet. Type a model tag above, or pick one from the catalog.")
        )
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rows_box = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(10)
        self.rows_layout.addWidget(self.empty_label)
        self.rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.rows_box)
        scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        entry = QHBoxLayout()
        entry.addWidget(self.tag_edit, 1)
        entry.addWidget(self.pull_button)
        entry.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.addLayout(entry)
        layout.addWidget(self.message_label)
        layout.addWidget(self.space_banner)
        layout.addWidget(scroll, 1)

        self.pull_button.clicked.connect(self._on_pull_clicked)
        self.tag_edit.returnPressed.connect(self._on_pull_clicked)
        self.browse_button.clicked.connect(self.browse_catalog_requested)
        self.space_anyway.clicked.connect(self._on_space_anyway)
        self.space_cancel.clicked.connect(self._on_space_cancel)
        controller.pull_progressed.connect(self._on_pull_progressed)
        for snap in controller.pulls():
            self._on_pull_progressed(snap)

    # -- requests --------------------------------------------------------------------------

    def request_pull(self, tag: str, size: int = 0) -> bool:
        """Check the tag and the free space, then queue; False if the user must act first."""
        tag, insecure = parse_pull_text(tag)
        if not is_valid_tag(tag):
            self._show_message(
                self.tr(
                    "“{0}” is not a model tag. Use a name like llama3.2:3b or hf.co/user/repo:Q4_K_M."
                ).format(tag)
            )
            return False
        if size <= 0 and callable(self._size_lookup):
            size = int(self._size_lookup(tag) or 0)
        check = self.controller.space_check(size)
        if check.known and not check.fits:
            self._held = (tag, size, insecure)
            self.space_label.setText(
                self.tr(
                    "{0} needs about {1} of disk space, but only {2} is free in {3}. "
                    "Free some space or choose a smaller model."
                ).format(tag, format_bytes(check.required), format_bytes(check.free or 0), str(check.path))
            )
            self.space_banner.show()
            return False
        return self._enqueue(tag, size, insecure)

    def _enqueue(self, tag: str, size: int, insecure: bool = False) -> bool:
        self.space_banner.hide()
        if not self.controller.pull(tag, size, insecure=insecure):
            self._show_message(self.tr("{0} is already being downloaded.").format(tag))
            return False
        self.message_label.hide()
        self.tag_edit.clear()
        return True

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()

    def _on_pull_clicked(self) -> None:
        text = self.tag_edit.text()
        if text.strip():
            self.request_pull(text)

    def _on_space_anyway(self) -> None:
        if self._held is not None:
            tag, size, insecure = self._held
            self._held = None
            self._enqueue(tag, size, insecure)

    def _on_space_cancel(self) -> None:
        self._held = None
        self.space_banner.hide()

    # -- rows ------------------------------------------------------------------------------

    def _on_pull_progressed(self, snap: PullSnapshot) -> None:
        row = self.rows.get(snap.model)
        if row is None:
            row = PullRow(snap.model)
            row.cancel_requested.connect(self.controller.cancel_pull)
            row.retry_requested.connect(self.controller.retry_pull)
            row.dismiss_requested.connect(self._on_dismiss)
            self.rows[snap.model] = row
            # In queue order, above the stretch at the end.
            self.rows_layout.insertWidget(self.rows_layout.count() - 1, row)
        row.update_snapshot(snap)
        self.empty_label.setVisible(not self.rows)

    def _on_dismiss(self, model: str) -> None:
        self.controller.dismiss_pull(model)
        row = self.rows.pop(model, None)
        if row is not None:
            row.deleteLater()
        self.empty_label.setVisible(not self.rows)
