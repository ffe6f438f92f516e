"""The settings dialog: every preference in one place, in four pages.

Changes apply at once (no OK/Cancel) and are saved through desktop.core.settings; the dialog
emits a signal per change so the app can follow (theme live, language on restart). The slow
work (export, import, backup, a server check, moving the data folder) belongs to the
SettingsController, which runs it off the UI thread; the pages only render and ask.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from desktop import paths
from desktop.core.settings import Settings, SettingsBackend
from desktop.core.store import Store
from desktop.ui.controllers.settings_controller import SettingsController
from desktop.ui.hotkeys.settings import QuickAskSettingsSection
from desktop.ui.settings.concurrency_page import ConcurrencyPage
from desktop.ui.settings.conversations_page import ConversationsPage
from desktop.ui.settings.general_page import GeneralPage
from desktop.ui.settings.quick_ask_page import QuickAskPage
from desktop.ui.settings.server_page import ServerPage

PAGES = ("general", "server", "quick_ask", "conversations")


class SettingsDialog(QDialog):
    theme_changed = Signal(str)
    language_changed = Signal(str)
    server_changed = Signal(str)  # "" = automatic
    default_model_changed = Signal(str)
    conversations_changed = Signal()  # after an import or a restore: reload the list
    data_folder_changed = Signal(str)  # used from the next start on
    busy_changed = Signal(bool)

    def __init__(
        self,
        settings: Settings | SettingsBackend | None,
        *,
        store: Store | None = None,
        models: Sequence[str] = (),
        quick_ask_section: QWidget | None = None,
        data_folder: Path | None = None,
        active_server: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(560)
        self._settings = Settings.of(settings)
        self.controller = SettingsController(self._settings, store, data_folder or paths.data_dir(), self)
        values = self._settings.current

        self.general = GeneralPage(values, self.controller.data_folder)
        self.server = ServerPage(values, (), active_server)
        self.quick_ask = quick_ask_section if quick_ask_section is not None else QuickAskPage(values)
        self.conversations = ConversationsPage(store is not None)
        if isinstance(self.quick_ask, QuickAskSettingsSection):  # the tray's own section
            self.general.host_tray_option(self.quick_ask.take_tray_option())
        self.tabs = QTabWidget()
        self.tabs.addTab(self.general, self.tr("General"))
        self.tabs.addTab(self.server, self.tr("Server"))
        self.tabs.addTab(self.quick_ask, self.tr("Quick Ask"))
        self.tabs.addTab(self.conversations, self.tr("Conversations"))
        self.tabs.addTab(ConcurrencyPage(values, self.controller.save), self.tr("Concurrency"))
        self._expose_controls()
        self._wire()
        self.set_models(models)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close settings"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _expose_controls(self) -> None:
        # The pages' controls, by the names the app's tests and accessibility checks use.
        g, s, c = self.general, self.server, self.conversations
        self.theme_combo, self.language_combo, self.language_note = (
            g.theme_combo,
            g.language_combo,
            g.language_note,
        )
        self.folder_field, self.folder_status = g.folder_field, g.folder_status
        self.open_folder_button, self.change_folder_button = g.open_folder_button, g.change_folder_button
        self.server_combo, self.server_status, self.model_combo = (
            s.server_combo,
            s.server_status,
            s.model_combo,
        )
        self.test_button, self.apply_server_button = s.test_button, s.apply_server_button
        self.backup_button, self.restore_button, self.import_button = (
            c.backup_button,
            c.restore_button,
            c.import_button,
        )
        self.export_json_button, self.export_markdown_button = c.export_json_button, c.export_markdown_button
        self.data_status = c.data_status
        if isinstance(self.quick_ask, QuickAskPage):
            self.shortcut_edit, self.history_check = (
                self.quick_ask.shortcut_edit,
                self.quick_ask.history_check,
            )

    def _wire(self) -> None:
        ctl, g, s, c = self.controller, self.general, self.server, self.conversations
        g.theme_chosen.connect(self._on_theme)
        g.language_chosen.connect(self._on_language)
        g.folder_chosen.connect(self.change_data_folder)
        ctl.saved_failed.connect(g.folder_status.setText)
        ctl.folder_status.connect(g.folder_status.setText)
        ctl.data_folder_changed.connect(self._on_data_folder_changed)
        s.test_requested.connect(self._on_test)
        s.use_requested.connect(self._on_use)
        s.default_model_chosen.connect(self._on_default_model)
        ctl.server_checked.connect(self._on_checked)
        if isinstance(self.quick_ask, QuickAskPage):
            self.quick_ask.shortcut_chosen.connect(lambda text: ctl.save(quick_ask_shortcut=text))
            self.quick_ask.history_toggled.connect(lambda on: ctl.save(quick_ask_save_history=on))
            self.quick_ask.prefill_chosen.connect(lambda mode: ctl.save(quick_ask_prefill=mode))
        c.backup_requested.connect(self.backup_to)
        c.restore_requested.connect(self.restore_from)
        c.export_json_requested.connect(self.export_json_to)
        c.export_markdown_requested.connect(self.export_markdown_to)
        c.import_requested.connect(self.import_json_from)
        ctl.data_finished.connect(lambda text, error: c.set_status(text, error=error))
        ctl.conversations_changed.connect(self.conversations_changed)
        ctl.busy_changed.connect(self._on_busy)

    # ------------------------------------------------------------------ public
    def set_models(self, models: Sequence[str]) -> None:
        """The installed models for the default-model picker (keeps the saved choice)."""
        self.server.set_models(models, self._settings.current.default_model)

    def show_page(self, name: str) -> None:
        """Open on one page: "general", "server", "quick_ask" or "conversations"."""
        if name in PAGES:
            self.tabs.setCurrentIndex(PAGES.index(name))

    @property
    def busy(self) -> bool:
        return self.controller.busy

    def change_data_folder(self, folder: Path) -> bool:
        """Use `folder` from the next start on (the conversations are copied there)."""
        return self.controller.change_data_folder(folder)

    # The work itself; public so the app (and tests) can call it without the file dialogs.
    def backup_to(self, path: Path) -> None:
        self._data(self.tr("Backing up…"), self.controller.backup_to, path)

    def restore_from(self, path: Path) -> None:
        self._data(self.tr("Restoring…"), self.controller.restore_from, path)

    def export_json_to(self, path: Path) -> None:
        self._data(self.tr("Exporting…"), self.controller.export_json_to, path)

    def export_markdown_to(self, folder: Path) -> None:
        self._data(self.tr("Exporting…"), self.controller.export_markdown_to, folder)

    def import_json_from(self, path: Path) -> None:
        self._data(self.tr("Importing…"), self.controller.import_json_from, path)

    def done(self, result: int) -> None:  # noqa: D401 - Qt's name
        # Closed: a running server check has nobody to tell; file work finishes on its thread.
        self.controller.cancel()
        super().done(result)

    # ------------------------------------------------------------------ handlers
    def _data(self, status: str, work: Callable[[Path], None], path: Path) -> None:
        self.conversations.set_status(status)
        work(path)

    def _on_theme(self, value: str) -> None:
        self.controller.save(theme=value)
        self.theme_changed.emit(value)

    def _on_language(self, value: str) -> None:
        self.controller.save(language=value)
        self.language_changed.emit(value)

    def _on_default_model(self, name: str) -> None:
        self.controller.save(default_model=name)
        self.default_model_changed.emit(name)

    def _on_busy(self, busy: bool) -> None:
        self.conversations.set_busy(busy)
        self.busy_changed.emit(busy)

    def _on_test(self, url: str) -> None:
        target = self.controller.check(url)
        self.server.set_status(self.tr("Checking {0}…").format(target))

    def _on_checked(self, text: str, ok: bool) -> None:
        self.server.test_button.setEnabled(True)
        self.server.set_status(text, error=not ok, ok=ok)

    def _on_use(self, url: str) -> None:
        self.controller.use_server(url)
        self.server.show_used(url)
        self.server_changed.emit(url)

    def _on_data_folder_changed(self, folder: str) -> None:
        self.general.folder_field.setText(folder)
        self.data_folder_changed.emit(folder)
