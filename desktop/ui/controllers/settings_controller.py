"""The settings dialog's slow work, off the widget and off the UI thread.

Saving a preference, checking a server, backing up, restoring, exporting, importing and moving
the data folder: each runs through the task runner (files and SQLite on a worker thread, the
server check as a task) and reports one plain sentence. The dialog's pages only render.
Strings keep the "SettingsDialog" translation context they were filed under.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from desktop import paths
from desktop.core import export
from desktop.core.ollama.client import OllamaClient, Timeouts
from desktop.core.ollama.host import default_host, parse_host
from desktop.core.settings import Settings, SettingsBackend, SettingsError
from desktop.core.store import DB_NAME, Store
from desktop.ui.tasks import TaskRunner, plain


def normalise_server(text: str) -> str:
    """What the user typed -> "http://host:port", or ValueError with a plain reason."""
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
    async with OllamaClient(url, timeouts=Timeouts(connect=timeout, request=timeout)) as client:
        return await client.version()


def _folder_problem(folder: Path) -> str:
    """Why `folder` cannot hold the data, judged without writing ("" = worth trying)."""
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        return f"{probe} is a file, not a folder"
    return ""


T = TypeVar("T")


class _MoveFailed(Exception):
    def __init__(self, stage: str, err: BaseException) -> None:
        super().__init__(err.strerror if isinstance(err, OSError) and err.strerror else plain(err))
        self.stage = stage  # "folder" | "copy" | "pointer"


def _move_data(store: Store | None, folder: Path) -> bool:
    """The blocking part of a data folder change: True when the conversations were copied.
    The old folder is untouched until the last step succeeded."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".ollama-desk-write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as err:
        raise _MoveFailed("folder", err) from err
    copied = False
    if store is not None and not (folder / DB_NAME).exists():
        try:
            store.backup_to(folder / DB_NAME)
        except Exception as err:  # noqa: BLE001 - the store's errors are many; the message is plain
            raise _MoveFailed("copy", err) from err
        copied = True
    try:
        paths.set_data_location(folder)
    except OSError as err:
        raise _MoveFailed("pointer", err) from err
    return copied


class SettingsController(QObject):
    busy_changed = Signal(bool)  # data work (backup, export, ...) is running
    saved_failed = Signal(str)  # a preference could not be saved
    server_checked = Signal(str, bool)  # plain sentence, ok
    data_finished = Signal(str, bool)  # plain sentence, error
    conversations_changed = Signal()  # after an import or a restore: reload the list
    folder_status = Signal(str)  # plain sentence about the data folder
    data_folder_changed = Signal(str)  # used from the next start on

    def __init__(
        self,
        settings: Settings | SettingsBackend | None,
        store: Store | None,
        data_folder: Path,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = Settings.of(settings)
        self.store = store
        self.data_folder = data_folder
        self._data = TaskRunner(self)  # file and database work: one at a time, shown as busy
        self._checks = TaskRunner(self)  # server checks: not "busy"
        self._data.busy_changed.connect(self.busy_changed)

    @property
    def busy(self) -> bool:
        return self._data.busy

    def save(self, **changes: Any) -> bool:
        try:
            self.settings.update(**changes)
        except SettingsError as err:
            self.saved_failed.emit(
                QCoreApplication.translate("SettingsDialog", "Could not save the setting: {0}").format(
                    str(err)
                )
            )
            return False
        return True

    def use_server(self, url: str) -> bool:
        """Connect to `url` from now on ("" = automatic), remembered first among the servers used."""
        try:
            self.settings.remember_server(url)
        except SettingsError as err:
            self.saved_failed.emit(
                QCoreApplication.translate("SettingsDialog", "Could not save the setting: {0}").format(
                    str(err)
                )
            )
            return False
        return True

    def cancel(self) -> None:
        """The dialog closed: a server check has nobody left to tell (file work runs to its end)."""
        self._checks.cancel_all()

    # ------------------------------------------------------------------ server
    def check(self, url: str) -> str:
        """Ask the server at `url` ("" = the default) for its version; returns the address checked."""
        target = url or default_host()

        def answered(version: str) -> None:
            self.server_checked.emit(
                QCoreApplication.translate(
                    "SettingsDialog", "A model server answers at {0} (Ollama API {1})."
                ).format(target, version),
                True,
            )

        self._checks.start(
            check_server(target),
            on_result=answered,
            on_error=lambda err: self.server_checked.emit(plain(err), False),
        )
        return target

    # ------------------------------------------------------------------ conversations
    def _run(self, fn: Callable[[Store], T], done: Callable[[T], None], failed: str) -> None:
        """`failed`: the translated sentence for an error, with {0} for its reason."""
        store = self.store
        if store is None:
            return

        def on_error(err: BaseException) -> None:
            self.data_finished.emit(failed.format(plain(err)), True)

        self._data.run_blocking(lambda: fn(store), on_result=done, on_error=on_error)

    def backup_to(self, path: Path) -> None:
        self._run(
            lambda s: export.backup_database(s, path),
            lambda result: self.data_finished.emit(
                QCoreApplication.translate("SettingsDialog", "Backed up to {0}.").format(str(result)), False
            ),
            QCoreApplication.translate("SettingsDialog", "The backup failed: {0}"),
        )

    def restore_from(self, path: Path) -> None:
        def done(result: Path) -> None:
            self.data_finished.emit(
                QCoreApplication.translate(
                    "SettingsDialog", "Restored. The conversations you had before are saved in {0}."
                ).format(str(result)),
                False,
            )
            self.conversations_changed.emit()

        self._run(
            lambda s: export.restore_database(s, path),
            done,
            QCoreApplication.translate("SettingsDialog", "Nothing was changed: {0}"),
        )

    def export_json_to(self, path: Path) -> None:
        self._run(
            lambda s: export.export_json(s, path),
            lambda count: self.data_finished.emit(
                QCoreApplication.translate("SettingsDialog", "Exported {0} conversations to {1}.").format(
                    int(count), str(path)
                ),
                False,
            ),
            QCoreApplication.translate("SettingsDialog", "The export failed: {0}"),
        )

    def export_markdown_to(self, folder: Path) -> None:
        self._run(
            lambda s: export.export_markdown(s, folder),
            lambda written: self.data_finished.emit(
                QCoreApplication.translate(
                    "SettingsDialog", "Exported {0} conversations as Markdown to {1}."
                ).format(len(written), str(folder)),
                False,
            ),
            QCoreApplication.translate("SettingsDialog", "The export failed: {0}"),
        )

    def import_json_from(self, path: Path) -> None:
        def done(result: export.ImportResult) -> None:
            text = QCoreApplication.translate(
                "SettingsDialog", "Imported {0} conversations; {1} were already here."
            ).format(result.imported, result.skipped)
            if result.failed:
                text += " " + QCoreApplication.translate(
                    "SettingsDialog", "{0} could not be read: {1}"
                ).format(len(result.failed), result.failed[0])
            self.data_finished.emit(text, bool(result.failed))
            if result.imported:
                self.conversations_changed.emit()

        self._run(
            lambda s: export.import_json(s, path),
            done,
            QCoreApplication.translate("SettingsDialog", "Nothing was imported: {0}"),
        )

    # ------------------------------------------------------------------ data folder
    def change_data_folder(self, folder: Path) -> bool:
        """Use `folder` from the next start on, taking a copy of the conversations along.

        False (and a plain reason) at once when it obviously cannot work; otherwise the writing
        runs on a worker thread and `data_folder_changed` follows."""
        folder = Path(folder)
        if folder.resolve() == Path(self.data_folder).resolve():
            return False
        problem = _folder_problem(folder)
        if problem:
            self.folder_status.emit(
                QCoreApplication.translate("SettingsDialog", "Cannot use {0}: {1}").format(
                    str(folder), problem
                )
            )
            return False
        store = self.store

        def done(copied: bool) -> None:
            message = QCoreApplication.translate(
                "SettingsDialog", "Ollama Desk will use {0} after a restart."
            ).format(str(folder))
            if copied:
                message += " " + QCoreApplication.translate(
                    "SettingsDialog",
                    "Your conversations were copied there; downloaded models stay in the "
                    "old folder until you delete them.",
                )
            self.folder_status.emit(message)
            self.data_folder_changed.emit(str(folder))

        def failed(err: BaseException) -> None:
            stage = err.stage if isinstance(err, _MoveFailed) else "folder"
            if stage == "copy":
                text = QCoreApplication.translate(
                    "SettingsDialog", "Could not copy the conversations to {0}: {1}"
                )
                self.folder_status.emit(text.format(str(folder), plain(err)))
            elif stage == "pointer":
                text = QCoreApplication.translate("SettingsDialog", "Could not save the new location: {0}")
                self.folder_status.emit(text.format(plain(err)))
            else:
                text = QCoreApplication.translate("SettingsDialog", "Cannot use {0}: {1}")
                self.folder_status.emit(text.format(str(folder), plain(err)))

        self._data.run_blocking(lambda: _move_data(store, folder), on_result=done, on_error=failed)
        return True

    async def aclose(self) -> None:
        await self._checks.aclose()
        await self._data.aclose()
