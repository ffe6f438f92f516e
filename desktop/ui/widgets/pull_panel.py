"""The Downloads tab: a tag field, the free-space warning, and one progress row per pull."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.pulls import PullSnapshot, PullState, format_bytes, format_duration
from desktop.ui.controllers.models_controller import ModelsController

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


class PullRow(QFrame):
    """One pull: name, state, bar, figures, layers, Cancel / Retry / Remove."""

    cancel_requested = Signal(str)
    retry_requested = Signal(str)
    dismiss_requested = Signal(str)

    def __init__(self, model: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setObjectName("pullRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name_label = QLabel(model)
        self.name_label.setObjectName("pullName")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state_label = QLabel()
        self.state_label.setObjectName("pullState")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.retry_button = QPushButton(self.tr("Retry"))
        self.dismiss_button = QToolButton()
        self.dismiss_button.setText("×")
        self.dismiss_button.setToolTip(self.tr("Remove from the list"))
        self.dismiss_button.setAutoRaise(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        self.percent_label = QLabel()
        self.percent_label.setObjectName("pullPercent")
        self.percent_label.setMinimumWidth(48)
        self.percent_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.figures_label = QLabel()
        self.figures_label.setObjectName("pullFigures")
        self.error_label = QLabel()
        self.error_label.setObjectName("pullError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.layers_button = QToolButton()
        self.layers_button.setCheckable(True)
        self.layers_button.setAutoRaise(True)
        self.layers_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.layers_button.setArrowType(Qt.ArrowType.RightArrow)
        self.layers_button.toggled.connect(self._on_layers_toggled)
        self.layers_label = QLabel()
        self.layers_label.setObjectName("pullLayers")
        self.layers_label.setTextFormat(Qt.TextFormat.PlainText)
        self.layers_label.hide()

        top = QHBoxLayout()
        top.addWidget(self.name_label)
        top.addWidget(self.state_label)
        top.addStretch(1)
        top.addWidget(self.cancel_button)
        top.addWidget(self.retry_button)
        top.addWidget(self.dismiss_button)
        bar_row = QHBoxLayout()
        bar_row.addWidget(self.bar, 1)
        bar_row.addWidget(self.percent_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.figures_label, 1)
        bottom.addWidget(self.layers_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(bar_row)
        layout.addLayout(bottom)
        layout.addWidget(self.layers_label)
        layout.addWidget(self.error_label)

        self.cancel_button.clicked.connect(lambda: self.cancel_requested.emit(self.model))
        self.retry_button.clicked.connect(lambda: self.retry_requested.emit(self.model))
        self.dismiss_button.clicked.connect(lambda: self.dismiss_requested.emit(self.model))
        self.snapshot: PullSnapshot | None = None

    def state_text(self, snap: PullSnapshot) -> str:
        state = snap.state
        if state is PullState.QUEUED:
            return self.tr("Waiting")
        if state is PullState.STARTING:
            return self.tr("Connecting…") if snap.attempts <= 1 else self.tr("Resuming…")
        if state is PullState.DOWNLOADING:
            return self.tr("Downloading")
        if state is PullState.STALLED:
            return self.tr("Stalled, retrying")
        if state is PullState.VERIFYING:
            return self.tr("Verifying")
        if state is PullState.SUCCEEDED:
            return self.tr("Installed")
        if state is PullState.CANCELLED:
            return self.tr("Cancelled")
        return self.tr("Failed")

    def figures_text(self, snap: PullSnapshot) -> str:
        parts: list[str] = []
        if snap.total > 0:
            if snap.total_settled or snap.state.is_final:
                parts.append(
                    self.tr("{0} of {1}").format(format_bytes(snap.completed), format_bytes(snap.total))
                )
            else:
                # More layers may still be announced: say so rather than let the total jump.
                parts.append(
                    self.tr("{0} of {1} so far").format(
                        format_bytes(snap.completed), format_bytes(snap.total)
                    )
                )
        if snap.state is PullState.DOWNLOADING and snap.speed > 0:
            parts.append(self.tr("{0}/s").format(format_bytes(snap.speed)))
        if snap.eta is not None and snap.state is PullState.DOWNLOADING:
            parts.append(self.tr("about {0} left").format(format_duration(snap.eta)))
        if snap.state is PullState.STALLED:
            parts.append(self.tr("no data for a while; trying again (attempt {0})").format(snap.attempts + 1))
        if snap.state is PullState.SUCCEEDED and snap.elapsed > 0:
            parts.append(self.tr("took {0}").format(format_duration(snap.elapsed)))
        if snap.state is PullState.QUEUED:
            parts.append(self.tr("starts when the downloads above finish"))
        if not parts and snap.status:
            parts.append(snap.status)
        return "  ·  ".join(parts)

    def update_snapshot(self, snap: PullSnapshot) -> None:
        self.snapshot = snap
        self.setProperty("state", snap.state.value)
        self.state_label.setText(self.state_text(snap))
        self.state_label.setProperty("state", snap.state.value)
        self.bar.setProperty("state", snap.state.value)
        # Dynamic-property selectors apply only after a re-polish of each styled widget.
        for widget in (self, self.state_label, self.bar):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        if snap.state is PullState.QUEUED:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int((snap.fraction or 0.0) * 1000))
            self.percent_label.setText("")
        elif snap.fraction is None and snap.state.is_active:
            self.bar.setRange(0, 0)  # busy indicator until the first sizes arrive
            self.percent_label.setText("")
        else:
            self.bar.setRange(0, 1000)
            fraction = snap.fraction or 0.0
            self.bar.setValue(int(fraction * 1000))
            # Floor: "100 %" only once the server confirmed the whole model.
            self.percent_label.setText(f"{int(fraction * 100)} %")
        self.figures_label.setText(self.figures_text(snap))
        active = not snap.state.is_final
        self.cancel_button.setVisible(active)
        self.retry_button.setVisible(snap.state in (PullState.FAILED, PullState.CANCELLED))
        self.dismiss_button.setVisible(snap.state.is_final)
        self.error_label.setVisible(bool(snap.error))
        self.error_label.setText(snap.error)
        self.layers_button.setVisible(len(snap.layers) > 1)
        self.layers_button.setText(self.tr("{0} layers").format(len(snap.layers)))
        self._render_layers(snap)

    def _render_layers(self, snap: PullSnapshot) -> None:
        lines = []
        for layer in snap.layers:
            if layer.done:
                mark = "✓"
            elif layer.completed:
                mark = f"{layer.completed * 100 // max(layer.total, 1):>3d}%"
            else:
                mark = "…"
            size = f"{format_bytes(layer.completed)} / {format_bytes(layer.total)}" if layer.total else ""
            lines.append(f"{layer.short_digest}   {size:<22} {mark}")
        self.layers_label.setText("\n".join(lines))

    def _on_layers_toggled(self, shown: bool) -> None:
        self.layers_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.layers_label.setVisible(shown)


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
