"""The first-run welcome: which server is in use, what this computer suits, one model to pull.

Shown once (Store setting `welcome.shown`), never modal: the main window works behind it,
offline included. It fills in as facts arrive: the server from the server manager, the
hardware report from the HardwareController; until then it says it is still looking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop import paths
from desktop.core.hardware.machine import gb
from desktop.core.hardware.recommend import Suggestion
from desktop.core.hardware.report import HardwareReport
from desktop.core.pulls import PullSnapshot, PullState, error_kind, format_bytes
from desktop.core.settings import SettingsBackend
from desktop.ui.widgets import hardware_text as words

if TYPE_CHECKING:
    from desktop.ui.controllers.models_controller import ModelsController

KEY_WELCOME_SHOWN = "welcome.shown"


@dataclass(frozen=True)
class ServerSummary:
    """What the welcome needs to know about the server (built from ServerManager.info)."""

    kind: str  # a ServerKind value: "ollama" | "external" | "managed-ollama" | "engine"
    url: str
    version: str = ""
    models: tuple[str, ...] = field(default_factory=tuple)  # installed models, when known


def should_show(settings: SettingsBackend | None) -> bool:
    """True until the welcome was shown once (a damaged store: do not pester)."""
    if settings is None:
        return True
    try:
        return not bool(settings.get_setting(KEY_WELCOME_SHOWN, False))
    except Exception:  # noqa: BLE001
        return False


def _section(title: str, body: QLabel) -> QFrame:
    frame = QFrame()
    frame.setObjectName("welcomeSection")
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    # Not Maximum: that caps a section at its size hint, shorter than its wrapped text needs.
    frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    layout = QVBoxLayout(frame)
    heading = QLabel(title)
    font = heading.font()
    font.setBold(True)
    heading.setFont(font)
    layout.addWidget(heading)
    body.setWordWrap(True)
    body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(body)
    return frame


class WelcomeDialog(QDialog):
    pull_requested = Signal(str, object)  # tag, download size in bytes (int; 0 = unknown; may exceed 2**31)

    def __init__(
        self,
        settings: SettingsBackend | None = None,
        *,
        server: ServerSummary | None = None,
        report: HardwareReport | None = None,
        language: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle(self.tr("Welcome to Ollama Desk"))
        self.setModal(False)
        self.setMinimumWidth(520)
        self._settings = settings
        self._language = language or QLocale().name()
        self._server: ServerSummary | None = None
        self._recommended: tuple[str, int] | None = None
        self._requested = False
        self._pull: PullSnapshot | None = None  # the latest state of the recommended tag's pull

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        header = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(QIcon(str(paths.resource_path("icons", "ollama-desk.svg"))).pixmap(56, 56))
        header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        title = QLabel(self.tr("Welcome to Ollama Desk"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        titles.addWidget(title)
        intro = QLabel(self.tr("Chat with language models that run on this computer. "
                               "What you type stays here, and it works offline."))
        intro.setWordWrap(True)
        titles.addWidget(intro)
        header.addLayout(titles, 1)
        layout.addLayout(header)

        self.server_label = QLabel()
        layout.addWidget(_section(self.tr("Model server"), self.server_label))
        self.hardware_label = QLabel()
        layout.addWidget(_section(self.tr("This computer"), self.hardware_label))

        self.model_label = QLabel()
        model_frame = _section(self.tr("A model to start with"), self.model_label)
        self.pull_button = QPushButton()
        self.pull_button.setAccessibleName(self.tr("Download the recommended model"))
        self.pull_button.clicked.connect(self._on_pull)
        self.pull_button.setVisible(False)
        self.pull_status = QLabel()
        self.pull_status.setObjectName("welcomePullStatus")
        self.pull_status.setWordWrap(True)
        self.pull_status.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.pull_button)
        row.addStretch(1)
        box = model_frame.layout()
        assert isinstance(box, QVBoxLayout)
        box.addLayout(row)
        box.addWidget(self.pull_status)
        layout.addWidget(model_frame)

        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.start_button = QPushButton(self.tr("Start chatting"))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.accept)
        buttons.addWidget(self.start_button)
        layout.addLayout(buttons)

        self.set_server(server)
        self.set_report(report)

    # ------------------------------------------------------------------ facts
    def set_server(self, server: ServerSummary | None, error: str = "") -> None:
        self._server = server
        if server is None:
            if error:
                self.server_label.setText(self.tr(
                    "No model server is running yet: {0} Your conversations are still here to read; start "
                    "Ollama, or the built-in engine from the tray menu, to chat.").format(error))
            else:
                self.server_label.setText(self.tr("Looking for a model server…"))
        elif server.kind == "engine":
            starter = next((m for m in server.models if m.startswith("smollm2")), "smollm2:135m")
            self.server_label.setText(self.tr(
                "Ollama is not installed here, so Ollama Desk runs its built-in engine with the small "
                "starter model {0}: you can chat right away, even offline. Install Ollama for larger, "
                "faster models.").format(starter))
        elif server.kind == "external":
            self.server_label.setText(self.tr("Using the Ollama server at {0}.").format(server.url))
        else:
            version = server.version or self.tr("unknown version")
            self.server_label.setText(self.tr("Ollama found on this computer ({0}) at {1}.").format(
                version, server.url))
        self._update_pull_button()

    def set_report(self, report: HardwareReport | None) -> None:
        """A HardwareReport (desktop.core.hardware.report), or None while the check runs."""
        if report is None:
            self.hardware_label.setText(self.tr("Checking this computer…"))
            self.model_label.setText(self.tr("A suggestion follows once the check is done."))
            self._recommended = None
            self._update_pull_button()
            return
        budget = report.budget
        ram = gb(report.machine.memory.total)  # the hardware panel's units, so both pages agree
        if budget.unified and budget.gpu_names:
            machine = self.tr("{0} of memory, shared with the {1}.").format(ram, budget.gpu_names[0])
        elif budget.has_gpu:
            machine = self.tr("{0} of RAM and {1} with {2} for models.").format(
                ram, " + ".join(budget.gpu_names), gb(budget.gpu))
        else:
            machine = self.tr(
                "{0} of RAM and no GPU that models can use, so they run on the processor.").format(ram)
        # The hardware page's sentences, so both pages say the same: the table's class, and why
        # the suggestion is smaller where that class would answer too slowly here.
        text = words.two_sentences(machine, words.tier_sentence(report))
        smaller = words.smaller_sentence(report)
        self.hardware_label.setText(words.two_sentences(text, smaller) if smaller else text)

        suggestion = self._pick(report.suggestions)
        if suggestion is None:
            self._recommended = None
            self.model_label.setText(self.tr("No model in the catalog fits this computer well."))
        else:
            chinese = self._language.startswith("zh")
            description = (suggestion.description_zh if chinese and suggestion.description_zh
                           else suggestion.description)
            self._recommended = (suggestion.tag, int(suggestion.download_size))
            # Measured here, predicted from what was measured, or estimated and why: the same words
            # as the hardware page's.
            text = self.tr("{0} ({1} download, {2}): {3}").format(
                suggestion.tag, format_bytes(suggestion.download_size),
                words.speed_here(report, suggestion.tag, suggestion.verdict), description)
            slower = words.slower_sentence(report, suggestion)
            self.model_label.setText(words.two_sentences(text, slower) if slower else text)
        self._update_pull_button()

    def follow_pulls(self, models: ModelsController) -> None:
        """Show how the recommended model's download goes (ModelsController.pull_progressed)."""
        models.pull_progressed.connect(self.set_pull_snapshot)

    def set_pull_snapshot(self, snap: PullSnapshot) -> None:
        if self._recommended is None or snap.model != self._recommended[0]:
            return
        self._pull = snap
        if snap.state is PullState.CANCELLED:
            self._requested = False
        self._update_pull_button()

    def set_probe_failed(self, message: str) -> None:
        self.hardware_label.setText(self.tr("This computer could not be checked: {0}").format(message))
        self._fit_text()

    def _fit_text(self) -> None:
        """Grow to the text: the facts arrive after the dialog is shown, and a dialog keeps the
        height it opened with, cutting the longer sentences off mid-line. Measured once the
        labels' new sizes are known (after the layout requests they post)."""
        if self.isVisible():
            QTimer.singleShot(0, self._fit_now)

    def _fit_now(self) -> None:
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        layout.invalidate()
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else 0
        if needed > self.height():
            self.resize(self.width(), needed)

    @property
    def recommended(self) -> tuple[str, int] | None:
        return self._recommended

    # ------------------------------------------------------------------ internals
    def _pick(self, suggestions: Sequence[Suggestion]) -> Suggestion | None:
        wanted = "chat_zh" if self._language.startswith("zh") else "chat_en"
        by_use = {s.use: s for s in suggestions}
        return by_use.get(wanted) or by_use.get("chat_en") or (suggestions[0] if suggestions else None)

    def _update_pull_button(self) -> None:
        if self._recommended is None:
            self.pull_button.setVisible(False)
            self._fit_text()
            return
        tag = self._recommended[0]
        self.pull_button.setVisible(True)
        installed = self._server is not None and tag in self._server.models
        snap = self._pull
        self.pull_status.setVisible(False)
        if installed or (snap is not None and snap.state is PullState.SUCCEEDED):
            self.pull_button.setText(self.tr("{0} is installed").format(tag))
            self.pull_button.setEnabled(False)
        elif snap is not None and snap.state is PullState.FAILED:
            self.pull_button.setText(self.tr("Retry downloading {0}").format(tag))
            self.pull_button.setEnabled(True)
            self.pull_status.setText(self._failure_text(snap))
            self.pull_status.setVisible(True)
        elif self._requested:
            if snap is not None and snap.fraction is not None:
                percent = int(snap.fraction * 100)
                self.pull_button.setText(self.tr("Downloading {0}: {1} %").format(tag, percent))
            else:
                self.pull_button.setText(self.tr("Downloading {0}; see Models").format(tag))
            self.pull_button.setEnabled(False)
        else:
            self.pull_button.setText(self.tr("Download {0}").format(tag))
            self.pull_button.setEnabled(True)
            if self._server is None:
                self.pull_button.setToolTip(self.tr("The download starts once a model server runs."))
        self._fit_text()

    def _failure_text(self, snap: PullSnapshot) -> str:
        kind = error_kind(snap.error)
        if kind == "offline":
            return self.tr("The download failed: this computer is offline. Connect to the internet, then press Retry. You can chat with the starter model meanwhile.")  # noqa: E501
        if kind == "unreachable":
            return self.tr("The download failed: the model registry did not answer. Check the connection, then press Retry.")  # noqa: E501
        if kind == "disk":
            return self.tr("The download failed: the disk is full. Free some space, then press Retry.")
        return self.tr("The download failed: {0}").format(snap.error)

    def _on_pull(self) -> None:
        failed = self._pull is not None and self._pull.state is PullState.FAILED
        if self._recommended is None or (self._requested and not failed):
            return
        self._requested = True
        self._pull = None
        self._update_pull_button()
        self.pull_requested.emit(*self._recommended)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._settings is not None:
            try:
                self._settings.set_setting(KEY_WELCOME_SHOWN, True)
            except Exception:  # noqa: BLE001 - at worst it shows again next time
                pass
