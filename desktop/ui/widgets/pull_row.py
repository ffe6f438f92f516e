"""One pull's row on the Downloads tab: name, state, bar, figures, layers, and the failure in
plain words with Cancel / Retry / Remove."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.pulls import PullSnapshot, PullState, error_kind, format_bytes, format_duration


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
        if snap.state is PullState.FAILED and snap.completed > 0:
            parts.append(self.tr("the downloaded part is kept; Retry continues from there"))
        # The server's own status line ("pulling manifest") only while it is current.
        if not parts and snap.status and snap.state.is_active:
            parts.append(snap.status)
        return "  ·  ".join(parts)

    def error_text(self, snap: PullSnapshot) -> str:
        """The failure in plain words, with a way out; the server's message follows as details."""
        kind = error_kind(snap.error)
        if kind == "offline":
            text = self.tr(
                "No network connection: the model registry could not be reached. Connect to the internet, then press Retry."  # noqa: E501
            )
        elif kind == "unreachable":
            text = self.tr(
                "The model registry did not answer. Check the internet connection (or a proxy or firewall), then press Retry."  # noqa: E501
            )
        elif kind == "missing":
            text = self.tr(
                "{0} is not in the registry. Check the name and the tag, e.g. llama3.2:3b."
            ).format(snap.model)
        elif kind == "disk":
            text = self.tr("The disk is full. Free some space, then press Retry.")
        else:
            return snap.error
        return self.tr("{0}\nDetails: {1}").format(text, snap.error)

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
        elif snap.state.is_final and snap.state is not PullState.SUCCEEDED and not snap.completed:
            # Nothing arrived: a 0 % bar would only suggest a download that never started.
            self.bar.setRange(0, 1000)
            self.bar.setValue(0)
            self.percent_label.setText("")
        else:
            self.bar.setRange(0, 1000)
            fraction = snap.fraction or 0.0
            self.bar.setValue(int(fraction * 1000))
            # Floor: "100 %" only once the server confirmed the whole model.
            self.percent_label.setText(f"{int(fraction * 100)} %")
        figures = self.figures_text(snap)
        self.figures_label.setText(figures)
        self.figures_label.setVisible(bool(figures))
        active = not snap.state.is_final
        self.cancel_button.setVisible(active)
        self.retry_button.setVisible(snap.state in (PullState.FAILED, PullState.CANCELLED))
        self.dismiss_button.setVisible(snap.state.is_final)
        nothing = snap.state.is_final and snap.state is not PullState.SUCCEEDED and not snap.completed
        self.bar.setVisible(not nothing)
        self.percent_label.setVisible(not nothing)
        self.error_label.setVisible(bool(snap.error))
        self.error_label.setText(self.error_text(snap) if snap.error else "")
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
