"""The Models page: installed models, models in memory, downloads and the catalog."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.ollama.types import ModelInfo
from desktop.core.pulls import PullSnapshot, PullState, format_bytes
from desktop.ui import theme
from desktop.ui.controllers.models_controller import ModelsController
from desktop.ui.widgets.catalog_browser import CatalogBrowser
from desktop.ui.widgets.installed_models import InstalledModelsPanel
from desktop.ui.widgets.model_details import ModelDetailsDialog, capability_names
from desktop.ui.widgets.pull_panel import PullPanel, is_valid_tag
from desktop.ui.widgets.running_models import RunningModelsPanel

# Badges carry white text on their own colour, the same in both themes (each at 4.5:1 or
# more with white, tested); text on the page's own background takes the theme's colours.
BADGE_TEXT = "#ffffff"
STATE_BADGES = {
    "": "#4b5563",
    "downloading": "#1d4ed8",
    "starting": "#1d4ed8",
    "verifying": "#7c3aed",
    "stalled": "#b45309",
    "succeeded": "#15803d",
    "failed": "#b91c1c",
}
_STYLE = """
#pullRow, #runningRow {
    border: 1px solid palette(mid);
    border-radius: 8px;
    background: palette(base);
}
#pullName { font-weight: 600; font-size: 11pt; }
#pullState {
    border-radius: 9px; padding: 1px 8px; color: %(badge_text)s; background: %(badge)s; font-size: 8pt;
}
%(state_badges)s
#pullFigures, #pullPercent { color: palette(text); }
#pullLayers { font-family: monospace; color: %(quiet)s; }
#pullError, #cpuWarning { color: %(slow)s; }
#pullRow[state="failed"] #pullError { color: %(bad)s; }
#emptyHint { color: %(quiet)s; padding: 24px; }
#spaceBanner { border: 1px solid #d97706; border-radius: 6px; background: rgba(217, 119, 6, 0.10); }
QProgressBar { border: none; border-radius: 5px; background: palette(midlight); }
QProgressBar::chunk { border-radius: 5px; background: #2f6fde; }
QProgressBar[state="succeeded"]::chunk { background: #15803d; }
QProgressBar[state="stalled"]::chunk { background: #d97706; }
QProgressBar[state="failed"]::chunk, QProgressBar[state="cancelled"]::chunk { background: #9ca3af; }
"""


def style_sheet(c: theme.Colours) -> str:
    badges = "\n".join(
        f'#pullState[state="{state}"] {{ background: {colour}; }}'
        for state, colour in STATE_BADGES.items()
        if state
    )
    return _STYLE % {
        "badge_text": BADGE_TEXT,
        "badge": STATE_BADGES[""],
        "state_badges": badges,
        "quiet": c.placeholder_text,
        "slow": c.slow,
        "bad": c.bad,
    }

# A model name users can type for copy/rename/import (tag optional).
_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-/]*(:[A-Za-z0-9_][A-Za-z0-9_.\-]*)?$")


def suggested_name_for_gguf(path: str) -> str:
    stem = Path(path).stem.lower()
    stem = re.sub(r"[^a-z0-9_.\-]+", "-", stem).strip("-.") or "imported"
    return stem


class ModelManagerPage(QWidget):
    """Construct with a ModelsController; add it to the main window with add_page."""

    pull_finished = Signal(str, bool)  # re-emitted from the controller for convenience

    def __init__(self, controller: ModelsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelManagerPage")
        self.setStyleSheet(style_sheet(theme.colours()))
        self.controller = controller
        self.cap_labels = capability_names(self)
        self.tabs = QTabWidget()
        self.installed = InstalledModelsPanel(self.cap_labels)
        self.running = RunningModelsPanel(controller)
        self.catalog = self._make_catalog()
        self.downloads = PullPanel(controller, size_lookup=self._catalog_size)
        self.tabs.addTab(self.installed, self.tr("Installed"))
        self.tabs.addTab(self.running, self.tr("In memory"))
        self.downloads_index = self.tabs.addTab(self.downloads, self.tr("Downloads"))
        self.catalog_index = -1
        if self.catalog is not None:
            self.catalog_index = self.tabs.addTab(self.catalog, self.tr("Catalog"))
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLine")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status_label)
        self._showing_error = False
        self.dialog: QWidget | None = None  # the open confirmation / input dialog (tests reach it)

        controller.models_changed.connect(self.installed.set_models)
        controller.refreshed.connect(self._on_refreshed)
        controller.operation_failed.connect(self._on_failed)
        controller.operation_succeeded.connect(self._on_succeeded)
        controller.import_progressed.connect(self._on_import_progressed)
        controller.import_finished.connect(self._on_import_finished)
        controller.pull_finished.connect(self.pull_finished)
        controller.pull_progressed.connect(self._on_pull_progressed)
        self.installed.details_requested.connect(self.show_details)
        self.installed.delete_requested.connect(self.ask_delete)
        self.installed.copy_requested.connect(lambda m: self.ask_new_name(m, rename=False))
        self.installed.rename_requested.connect(lambda m: self.ask_new_name(m, rename=True))
        self.installed.import_requested.connect(self.ask_import)
        self.installed.quantize_requested.connect(self.ask_quantize)
        self.installed.refresh_requested.connect(controller.refresh)
        self.downloads.browse_catalog_requested.connect(self._show_catalog)
        self.installed.set_models(controller.models)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self.setStyleSheet(style_sheet(theme.colours()))  # the theme changed while shown

    # -- catalog ---------------------------------------------------------------------------

    def _make_catalog(self) -> CatalogBrowser:
        browser = CatalogBrowser()
        browser.pull_requested.connect(self._on_catalog_pull)
        return browser

    def _catalog_size(self, tag: str) -> int:
        return self.catalog.download_size(tag)

    def _on_catalog_pull(self, tag: str, size: int) -> None:
        self.tabs.setCurrentIndex(self.downloads_index)
        self.downloads.request_pull(tag, size)

    def _show_catalog(self) -> None:
        if self.catalog_index >= 0:
            self.tabs.setCurrentIndex(self.catalog_index)

    def pull(self, tag: str, size: int = 0) -> bool:
        """Hand-over point for other panels (hardware suggestions): show Downloads and queue."""
        self.tabs.setCurrentIndex(self.downloads_index)
        return self.downloads.request_pull(tag, size)

    # -- actions on installed models --------------------------------------------------------

    def show_details(self, model: ModelInfo) -> ModelDetailsDialog:
        dialog = ModelDetailsDialog(self.controller, model, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def ask_delete(self, model: ModelInfo) -> QMessageBox:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Delete model"))
        box.setText(self.tr("Delete {0}?").format(model.name))
        box.setInformativeText(
            self.tr("This frees {0} of disk space. You can pull the model again later.").format(
                format_bytes(model.size)
            )
        )
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def finished() -> None:
            if box.clickedButton() is delete:
                self.controller.delete_model(model.name)
                self.status_label.setText(self.tr("Deleting {0}…").format(model.name))

        box.finished.connect(finished)
        box.open()
        self.dialog = box
        return box

    def ask_quantize(self, model: ModelInfo) -> QWidget:
        from desktop.ui.widgets.quantize_dialog import QuantizeDialog

        def made(name: str) -> None:
            self._on_succeeded(self.tr("Made {0}.").format(name))
            self.controller.refresh()

        dialog = QuantizeDialog(model, lambda: self.controller.client, made, self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def ask_new_name(self, model: ModelInfo, *, rename: bool) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Rename model") if rename else self.tr("Copy model"))
        dialog.setLabelText(
            self.tr("New name for {0}:").format(model.name)
            if rename
            else self.tr("Name of the copy of {0}:").format(model.name)
        )
        base, _, tag = model.name.partition(":")
        dialog.setTextValue(f"{base}-copy:{tag}" if tag and not rename else model.name)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)

        def accepted() -> None:
            new = dialog.textValue().strip()
            if not new or new == model.name:
                return
            if not _NAME_RE.match(new):
                self._on_failed(self.tr("“{0}” is not a valid model name.").format(new))
                return
            if rename:
                self.controller.rename_model(model.name, new)
            else:
                self.controller.copy_model(model.name, new)

        dialog.accepted.connect(accepted)
        dialog.open()
        self.dialog = dialog
        return dialog

    def ask_import(self) -> QFileDialog:
        dialog = QFileDialog(self, self.tr("Import a GGUF model file"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("GGUF model files (*.gguf)"), self.tr("All files (*)")])
        dialog.fileSelected.connect(self.ask_import_name)
        dialog.open()
        self.dialog = dialog
        return dialog

    def ask_import_name(self, path: str) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Import GGUF"))
        dialog.setLabelText(self.tr("Name for the model made from {0}:").format(Path(path).name))
        dialog.setTextValue(suggested_name_for_gguf(path))

        def accepted() -> None:
            name = dialog.textValue().strip()
            if not _NAME_RE.match(name) or not is_valid_tag(name):
                self._on_failed(self.tr("“{0}” is not a valid model name.").format(name))
                return
            self.controller.import_gguf(path, name)

        dialog.accepted.connect(accepted)
        dialog.open()
        self.dialog = dialog
        return dialog

    # -- feedback --------------------------------------------------------------------------

    def _on_failed(self, message: str) -> None:
        self._showing_error = True
        self.status_label.setStyleSheet(f"color: {theme.colours().bad};")
        self.status_label.setText(message)

    def _on_succeeded(self, message: str) -> None:
        self._showing_error = False
        self.status_label.setStyleSheet("")
        self.status_label.setText(message)

    def _on_refreshed(self) -> None:
        # The server answers now: an old "could not read the list" no longer applies.
        if self._showing_error:
            self._on_succeeded("")

    def _on_import_progressed(self, name: str, status: str) -> None:
        self._on_succeeded(self.tr("Importing {0}: {1}").format(name, status))

    def _on_import_finished(self, name: str, ok: bool, message: str) -> None:
        (self._on_succeeded if ok else self._on_failed)(message)

    def _on_pull_progressed(self, snap: PullSnapshot) -> None:
        if snap.state is PullState.SUCCEEDED:
            self._on_succeeded(self.tr("{0} is installed and ready to use.").format(snap.model))

    # -- visibility drives polling ---------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.controller.set_running_polling(True)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.controller.set_running_polling(False)
