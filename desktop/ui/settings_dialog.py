"""The settings dialog: every preference in one place.

Pages: General (theme, language, data folder), Server (server address, default model),
Quick Ask (the tray's section when there is one: shortcut, history), Conversations
(back up, restore, export as JSON or Markdown, import).

Changes apply at once (no OK/Cancel) and are saved in the Store's settings; the dialog
emits a signal per change so the app can follow (theme live, language on restart).
Slow work (export, import, backup, a server check) runs on a worker thread and reports
back through a queued signal, so the window never freezes; every failure becomes a
plain sentence in the page's status line.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import paths
from desktop.core.settings import KEYS, LANGUAGES, MAX_REMEMBERED_SERVERS, THEMES, Settings
from desktop.ui.hotkeys.settings import KEY_DEFAULT_MODEL, KEY_SAVE_HISTORY, KEY_SHORTCUT

KEY_THEME = KEYS["theme"]
KEY_LANGUAGE = KEYS["language"]
KEY_SERVER_URL = KEYS["server_url"]
KEY_SERVER_URLS = KEYS["server_urls"]
__all__ = ["KEY_DEFAULT_MODEL", "KEY_SAVE_HISTORY", "KEY_SHORTCUT", "LANGUAGES", "MAX_REMEMBERED_SERVERS",
           "THEMES", "SettingsDialog"]


def read_setting(settings: Any, key: str) -> Any:
    """A setting with its one default; a damaged store never stops the dialog from opening."""
    return Settings.of(settings).get_setting(key)


def normalise_server(text: str) -> str:
    """What the user typed -> "http://host:port", or ValueError with a plain reason."""
    from desktop.core.ollama.host import parse_host

    text = text.strip()
    if not text:
        return ""
    if any(c.isspace() for c in text):
        raise ValueError("A server address has no spaces.")
    try:
        return parse_host(text)
    except Exception as err:  # noqa: BLE001 - parse_host's own message is plain
        raise ValueError(str(err) or "This is not a server address.") from err


async def check_server(url: str, timeout: float = 5.0) -> str:
    """The server's version, or a domain error with the plain reason it failed."""
    from desktop.core.ollama.client import OllamaClient, Timeouts

    async with OllamaClient(url, timeouts=Timeouts(connect=timeout, request=timeout)) as client:
        return await client.version()


_EXECUTOR: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    # Plain Python threads (joined at exit), not the loop's default: qasync's QThread executor
    # aborts the interpreter at exit while one of its threads is alive.
    global _EXECUTOR
    if _EXECUTOR is None:
        _EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="settings-data")
    return _EXECUTOR


def _plain(err: BaseException) -> str:
    text = str(err).strip()
    return text if text else type(err).__name__


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
        settings: Settings | None,
        *,
        store: Any = None,
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
        self._settings = settings
        self._store = store
        self._data_folder = data_folder or paths.data_dir()
        self._active_server = active_server
        self._busy = False
        self._pending: set[asyncio.Future[Any]] = set()

        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_page(), self.tr("General"))
        self.tabs.addTab(self._server_page(models), self.tr("Server"))
        self.tabs.addTab(self._quick_ask_page(quick_ask_section), self.tr("Quick Ask"))
        self.tabs.addTab(self._conversations_page(), self.tr("Conversations"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close settings"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    # ------------------------------------------------------------------ pages
    def _general_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)

        self.theme_combo = QComboBox()
        self.theme_combo.setAccessibleName(self.tr("Theme"))
        for value, label in (("system", self.tr("Follow the system")), ("light", self.tr("Light")),
                             ("dark", self.tr("Dark"))):
            self.theme_combo.addItem(label, value)
        self._select(self.theme_combo, read_setting(self._settings, KEY_THEME))
        self.theme_combo.currentIndexChanged.connect(self._on_theme_changed)
        form.addRow(self.tr("&Theme:"), self.theme_combo)

        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(self.tr("Language"))
        # Language names in their own language, so anyone can find theirs.
        for value, label in (("system", self.tr("Follow the system")), ("en", "English"),
                             ("zh_CN", "简体中文")):
            self.language_combo.addItem(label, value)
        self._select(self.language_combo, read_setting(self._settings, KEY_LANGUAGE))
        self.language_combo.currentIndexChanged.connect(self._on_language_changed)
        form.addRow(self.tr("&Language:"), self.language_combo)
        self.language_note = QLabel(self.tr("A new language is used after Ollama Desk restarts."))
        self.language_note.setWordWrap(True)
        self.language_note.setVisible(False)
        form.addRow("", self.language_note)

        folder_row = QHBoxLayout()
        self.folder_field = QLineEdit(str(self._data_folder))
        self.folder_field.setReadOnly(True)
        self.folder_field.setAccessibleName(self.tr("Data folder"))
        self.open_folder_button = QPushButton(self.tr("Open"))
        self.open_folder_button.setToolTip(self.tr("Show the data folder in the file manager"))
        self.open_folder_button.clicked.connect(self._on_open_folder)
        self.change_folder_button = QPushButton(self.tr("Change…"))
        self.change_folder_button.clicked.connect(self._on_change_folder)
        if os.environ.get("OLLAMA_DESK_HOME"):
            self.change_folder_button.setEnabled(False)
            self.change_folder_button.setToolTip(
                self.tr("The data folder is set by the OLLAMA_DESK_HOME environment variable."))
        folder_row.addWidget(self.folder_field, 1)
        folder_row.addWidget(self.open_folder_button)
        folder_row.addWidget(self.change_folder_button)
        form.addRow(self.tr("Data folder:"), folder_row)
        self.folder_status = QLabel()
        self.folder_status.setWordWrap(True)
        self.folder_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.folder_status)
        return page

    def _server_page(self, models: Sequence[str]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)

        self.server_combo = QComboBox()
        self.server_combo.setEditable(True)
        self.server_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.server_combo.setAccessibleName(self.tr("Model server address"))
        line = self._line_edit(self.server_combo)
        line.setPlaceholderText(self.tr("Automatic"))  # the hint below says what that means
        line.setClearButtonEnabled(True)
        remembered = read_setting(self._settings, KEY_SERVER_URLS)
        for url in remembered if isinstance(remembered, list) else []:
            if isinstance(url, str) and url:
                self.server_combo.addItem(url)
        self.server_combo.setEditText(str(read_setting(self._settings, KEY_SERVER_URL) or ""))
        row = QHBoxLayout()
        row.addWidget(self.server_combo, 1)
        self.test_button = QPushButton(self.tr("Test"))
        self.test_button.setToolTip(self.tr("Check that a model server answers at this address"))
        self.test_button.clicked.connect(self._on_test_server)
        self.apply_server_button = QPushButton(self.tr("Use"))
        self.apply_server_button.setToolTip(self.tr("Connect to this server from now on"))
        self.apply_server_button.clicked.connect(self._on_apply_server)
        row.addWidget(self.test_button)
        row.addWidget(self.apply_server_button)
        server_label = QLabel(self.tr("&Server:"))
        server_label.setBuddy(self.server_combo)  # a row of widgets gets no buddy by itself
        form.addRow(server_label, row)
        self.server_status = QLabel()
        self.server_status.setWordWrap(True)
        self.server_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if self._active_server:
            self.server_status.setText(self.tr("Connected to {0}.").format(self._active_server))
        form.addRow("", self.server_status)
        hint = QLabel(self.tr("Leave it empty to use Ollama on this computer, or the built-in engine when "
                              "Ollama is not installed. Another computer's Ollama: http://host:11434."))
        hint.setWordWrap(True)
        hint.setEnabled(False)
        form.addRow("", hint)

        self.model_combo = QComboBox()
        self.model_combo.setEditable(True)
        self.model_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_combo.setAccessibleName(self.tr("Default model"))
        self._line_edit(self.model_combo).setPlaceholderText(self.tr("The first installed model"))
        self.set_models(models)
        self._line_edit(self.model_combo).editingFinished.connect(self._on_default_model_edited)
        self.model_combo.activated.connect(lambda _i: self._on_default_model_edited())
        form.addRow(self.tr("&Default model:"), self.model_combo)
        return page

    def _quick_ask_page(self, section: QWidget | None) -> QWidget:
        if section is not None:
            # The tray's own section: it registers the hotkey live and reports whether it works.
            return section
        page = QWidget()
        form = QFormLayout(page)
        self.shortcut_edit = QKeySequenceEdit(QKeySequence(str(read_setting(self._settings, KEY_SHORTCUT))))
        self.shortcut_edit.setMaximumSequenceLength(1)
        self.shortcut_edit.setClearButtonEnabled(True)
        self.shortcut_edit.setAccessibleName(self.tr("Quick Ask shortcut"))
        self.shortcut_edit.editingFinished.connect(self._on_shortcut_edited)
        form.addRow(self.tr("Quick Ask shortcut:"), self.shortcut_edit)
        note = QLabel(self.tr("The new shortcut is registered the next time Ollama Desk starts."))
        note.setWordWrap(True)
        note.setEnabled(False)
        form.addRow("", note)
        self.history_check = QCheckBox(self.tr("Keep quick questions in the chat history"))
        self.history_check.setChecked(bool(read_setting(self._settings, KEY_SAVE_HISTORY)))
        self.history_check.toggled.connect(lambda on: self._save(KEY_SAVE_HISTORY, bool(on)))
        form.addRow("", self.history_check)
        return page

    def _conversations_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)

        backup = QGroupBox(self.tr("Backup"))
        row = QHBoxLayout(backup)
        self.backup_button = QPushButton(self.tr("Back Up…"))
        self.backup_button.setToolTip(self.tr("Save a copy of every conversation and setting in one file"))
        self.backup_button.clicked.connect(self._on_backup)
        self.restore_button = QPushButton(self.tr("Restore…"))
        self.restore_button.setToolTip(self.tr("Replace all conversations with those of a backup"))
        self.restore_button.clicked.connect(self._on_restore)
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        layout.addWidget(backup)

        exchange = QGroupBox(self.tr("Export and import"))
        row = QHBoxLayout(exchange)
        self.export_json_button = QPushButton(self.tr("Export as JSON…"))
        self.export_json_button.setToolTip(
            self.tr("Every conversation in one file that can be imported again"))
        self.export_json_button.clicked.connect(self._on_export_json)
        self.export_markdown_button = QPushButton(self.tr("Export as Markdown…"))
        self.export_markdown_button.setToolTip(self.tr("One readable file per conversation, in a folder"))
        self.export_markdown_button.clicked.connect(self._on_export_markdown)
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.setToolTip(
            self.tr("Add the conversations of a JSON export; those already here are skipped"))
        self.import_button.clicked.connect(self._on_import)
        for button in (self.export_json_button, self.export_markdown_button, self.import_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addWidget(exchange)

        self.data_status = QLabel()
        self.data_status.setWordWrap(True)
        self.data_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.data_status)
        layout.addStretch(1)
        self._data_buttons = (self.backup_button, self.restore_button, self.export_json_button,
                              self.export_markdown_button, self.import_button)
        if self._store is None:
            for button in self._data_buttons:
                button.setEnabled(False)
            self.data_status.setText(self.tr("The conversation history is not available."))
        return page

    # ------------------------------------------------------------------ public
    def set_models(self, models: Sequence[str]) -> None:
        """The installed models for the default-model picker (keeps what is typed)."""
        current = str(read_setting(self._settings, KEY_DEFAULT_MODEL) or "")
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for name in models:
            self.model_combo.addItem(name)
        self.model_combo.setEditText(current)
        self.model_combo.blockSignals(False)

    def show_page(self, name: str) -> None:
        """Open on one page: "general", "server", "quick_ask" or "conversations"."""
        index = {"general": 0, "server": 1, "quick_ask": 2, "conversations": 3}.get(name)
        if index is not None:
            self.tabs.setCurrentIndex(index)

    @property
    def busy(self) -> bool:
        return self._busy

    # ------------------------------------------------------------------ general
    @staticmethod
    def _line_edit(combo: QComboBox) -> QLineEdit:
        line = combo.lineEdit()
        assert line is not None  # the combo boxes that call this are editable
        return line

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(0, index))

    def _save(self, key: str, value: Any) -> bool:
        if self._settings is None:
            return True
        try:
            self._settings.set_setting(key, value)
        except Exception as err:  # noqa: BLE001 - e.g. a full disk; say so and keep going
            self.folder_status.setText(self.tr("Could not save the setting: {0}").format(_plain(err)))
            return False
        return True

    def _on_theme_changed(self, _index: int) -> None:
        value = str(self.theme_combo.currentData())
        self._save(KEY_THEME, value)
        self.theme_changed.emit(value)

    def _on_language_changed(self, _index: int) -> None:
        value = str(self.language_combo.currentData())
        self._save(KEY_LANGUAGE, value)
        self.language_note.setVisible(True)
        self.language_changed.emit(value)

    def _on_open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._data_folder)))

    def _on_change_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder for Ollama Desk's data"),
                                                  str(self._data_folder))
        if chosen:
            self.change_data_folder(Path(chosen))

    def change_data_folder(self, folder: Path) -> bool:
        """Use `folder` from the next start on, taking a copy of the conversations along."""
        from desktop.core.store import DB_NAME

        folder = Path(folder)
        if folder.resolve() == Path(self._data_folder).resolve():
            return False
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / ".ollama-desk-write-test"
            probe.write_text("ok", encoding="utf-8")
            probe.unlink()
        except OSError as err:
            self.folder_status.setText(
                self.tr("Cannot use {0}: {1}").format(str(folder), err.strerror or str(err)))
            return False
        copied = False
        if self._store is not None and not (folder / DB_NAME).exists():
            try:
                self._store.backup_to(folder / DB_NAME)
                copied = True
            except Exception as err:  # noqa: BLE001 - the old folder is untouched; say why and stop
                self.folder_status.setText(
                    self.tr("Could not copy the conversations to {0}: {1}").format(str(folder), _plain(err)))
                return False
        try:
            paths.set_data_location(folder)
        except OSError as err:
            self.folder_status.setText(self.tr("Could not save the new location: {0}").format(
                err.strerror or str(err)))
            return False
        self.folder_field.setText(str(folder))
        message = self.tr("Ollama Desk will use {0} after a restart.").format(str(folder))
        if copied:
            message += " " + self.tr("Your conversations were copied there; downloaded models stay in the "
                                     "old folder until you delete them.")
        self.folder_status.setText(message)
        self.data_folder_changed.emit(str(folder))
        return True

    # ------------------------------------------------------------------ server
    def _typed_server(self) -> str | None:
        try:
            return normalise_server(self.server_combo.currentText())
        except ValueError as err:
            self._set_server_status(
                self.tr("This address does not work: {0}").format(_plain(err)), error=True)
            return None

    def _set_server_status(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        colour = "#cf222e" if error else "#1a7f37" if ok else ""
        self.server_status.setStyleSheet(f"color: {colour};" if colour else "")
        self.server_status.setText(text)

    def _on_test_server(self) -> None:
        url = self._typed_server()
        if url is None:
            return
        from desktop.core.ollama.host import default_host

        target = url or default_host()
        self.test_button.setEnabled(False)
        self._set_server_status(self.tr("Checking {0}…").format(target))

        def done(version: Any, error: BaseException | None) -> None:
            self.test_button.setEnabled(True)
            if error is not None:
                self._set_server_status(_plain(error), error=True)
            else:
                self._set_server_status(self.tr("A model server answers at {0} (Ollama API {1}).").format(
                    target, str(version)), ok=True)

        self._track(asyncio.ensure_future(check_server(target)), done, busy=False)

    def _on_apply_server(self) -> None:
        url = self._typed_server()
        if url is None:
            return
        self._save(KEY_SERVER_URL, url)
        if url:
            remembered = [u for u in read_setting(self._settings, KEY_SERVER_URLS) or [] if u != url]
            remembered = [url, *remembered][:MAX_REMEMBERED_SERVERS]
            self._save(KEY_SERVER_URLS, remembered)
            if self.server_combo.findText(url) < 0:
                self.server_combo.insertItem(0, url)
        self.server_combo.setEditText(url)
        self._set_server_status(
            self.tr("Connecting to {0}.").format(url) if url
            else self.tr("Automatic: Ollama on this computer, else the built-in engine."))
        self.server_changed.emit(url)

    def _on_default_model_edited(self) -> None:
        name = self.model_combo.currentText().strip()
        if name == str(read_setting(self._settings, KEY_DEFAULT_MODEL) or ""):
            return
        self._save(KEY_DEFAULT_MODEL, name)
        self.default_model_changed.emit(name)

    def _on_shortcut_edited(self) -> None:
        text = self.shortcut_edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
        self._save(KEY_SHORTCUT, text)

    # ------------------------------------------------------------------ conversations
    def _run(self, fn: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None],
             *, busy: bool = True) -> None:
        """Run blocking core work on the loop's executor; `on_done` runs on the UI thread.

        `fn` must not hold the dialog: the worker thread drops its references when it ends, and
        a Qt object must never be freed from another thread. Nothing Qt is touched there.
        """
        self._track(asyncio.get_event_loop().run_in_executor(_executor(), fn), on_done, busy=busy)

    def _track(self, future: asyncio.Future[Any], on_done: Callable[[Any, BaseException | None], None],
               *, busy: bool) -> None:
        self._pending.add(future)
        if busy:
            self._set_busy(True)

        def finished(f: asyncio.Future[Any]) -> None:
            self._pending.discard(f)
            try:
                if busy:
                    self._set_busy(False)
                if f.cancelled():
                    on_done(None, RuntimeError(self.tr("Cancelled.")))
                else:
                    error = f.exception()
                    on_done(None if error is not None else f.result(), error)
            except RuntimeError:
                pass  # the dialog was closed and deleted meanwhile: nothing left to update

        future.add_done_callback(finished)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in self._data_buttons:
            button.setEnabled(not busy and self._store is not None)
        self.busy_changed.emit(busy)

    def _set_data_status(self, text: str, *, error: bool = False) -> None:
        self.data_status.setStyleSheet("color: #cf222e;" if error else "")
        self.data_status.setText(text)

    def _default_name(self, suffix: str) -> str:
        return str(Path.home() / f"ollama-desk-{time.strftime('%Y-%m-%d')}{suffix}")

    def _on_backup(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Back up conversations"),
                                              self._default_name(".sqlite3"),
                                              self.tr("Ollama Desk backup (*.sqlite3)"))
        if path:
            self.backup_to(Path(path))

    def _on_restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Restore a backup"), str(Path.home()),
                                              self.tr("Ollama Desk backup (*.sqlite3);;All files (*)"))
        if not path:
            return
        answer = QMessageBox.question(
            self, self.tr("Restore a backup?"),
            self.tr("Every conversation and setting will be replaced by those in {0}. A copy of the current "
                    "ones is kept next to the database.").format(Path(path).name),
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from(Path(path))

    def _on_export_json(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export conversations"),
                                              self._default_name(".json"), self.tr("JSON (*.json)"))
        if path:
            self.export_json_to(Path(path))

    def _on_export_markdown(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export conversations as Markdown into"),
                                                  str(Path.home()))
        if folder:
            self.export_markdown_to(Path(folder))

    def _on_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import conversations"), str(Path.home()),
                                              self.tr("JSON (*.json);;All files (*)"))
        if path:
            self.import_json_from(Path(path))

    # The work itself; public so the app (and tests) can call them without the file dialogs.
    def backup_to(self, path: Path) -> None:
        from desktop.core import export

        self._set_data_status(self.tr("Backing up…"))

        def done(result: Any, error: BaseException | None) -> None:
            if error is not None:
                self._set_data_status(self.tr("The backup failed: {0}").format(_plain(error)), error=True)
            else:
                self._set_data_status(self.tr("Backed up to {0}.").format(str(result)))

        store = self._store
        self._run(lambda: export.backup_database(store, path), done)

    def restore_from(self, path: Path) -> None:
        from desktop.core import export

        self._set_data_status(self.tr("Restoring…"))

        def done(result: Any, error: BaseException | None) -> None:
            if error is not None:
                self._set_data_status(self.tr("Nothing was changed: {0}").format(_plain(error)), error=True)
                return
            self._set_data_status(
                self.tr("Restored. The conversations you had before are saved in {0}.").format(str(result)))
            self.conversations_changed.emit()

        store = self._store
        self._run(lambda: export.restore_database(store, path), done)

    def export_json_to(self, path: Path) -> None:
        from desktop.core import export

        self._set_data_status(self.tr("Exporting…"))

        def done(count: Any, error: BaseException | None) -> None:
            if error is not None:
                self._set_data_status(self.tr("The export failed: {0}").format(_plain(error)), error=True)
            else:
                self._set_data_status(
                    self.tr("Exported {0} conversations to {1}.").format(int(count), str(path)))

        store = self._store
        self._run(lambda: export.export_json(store, path), done)

    def export_markdown_to(self, folder: Path) -> None:
        from desktop.core import export

        self._set_data_status(self.tr("Exporting…"))

        def done(written: Any, error: BaseException | None) -> None:
            if error is not None:
                self._set_data_status(self.tr("The export failed: {0}").format(_plain(error)), error=True)
            else:
                self._set_data_status(self.tr("Exported {0} conversations as Markdown to {1}.").format(
                    len(written), str(folder)))

        store = self._store
        self._run(lambda: export.export_markdown(store, folder), done)

    def import_json_from(self, path: Path) -> None:
        from desktop.core import export

        self._set_data_status(self.tr("Importing…"))

        def done(result: Any, error: BaseException | None) -> None:
            if error is not None:
                self._set_data_status(self.tr("Nothing was imported: {0}").format(_plain(error)), error=True)
                return
            text = self.tr("Imported {0} conversations; {1} were already here.").format(
                result.imported, result.skipped)
            if result.failed:
                text += " " + self.tr("{0} could not be read: {1}").format(
                    len(result.failed), result.failed[0])
            self._set_data_status(text, error=bool(result.failed))
            if result.imported:
                self.conversations_changed.emit()

        store = self._store
        self._run(lambda: export.import_json(store, path), done)
