"""The settings dialog against a real Store, real files and a real loopback server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop import paths
from desktop.core.store import DB_NAME, Store
from desktop.ui import settings_dialog as sd
from desktop.ui.settings_dialog import SettingsDialog
from tests.support.fault_server import FaultServer


@pytest.fixture(autouse=True)
def _loop(event_loop_qt: Any) -> None:
    """The dialog runs its file work on the loop's executor and its server check as a task."""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "desk.sqlite3")
    yield s
    s.close()


@pytest.fixture
def dialog(store: Store, qtbot: Any, tmp_path: Path) -> SettingsDialog:
    d = SettingsDialog(store, store=store, models=["llama3.2:1b", "qwen2.5:7b"], data_folder=tmp_path)
    qtbot.addWidget(d)
    return d


def fill(store: Store, count: int) -> None:
    for i in range(count):
        c = store.create_conversation(title=f"Talk {i} 对话", model="smollm2:135m", system="Be brief.")
        store.add_message(c.id, "user", f"Question {i}: what is `Vec<String>`?")
        store.add_message(
            c.id,
            "assistant",
            f"Answer {i}\n\n```rust\nlet v: Vec<String> = vec![];\n```",
            model="smollm2:135m",
        )


def test_starts_from_stored_values(store: Store, qtbot: Any, tmp_path: Path) -> None:
    store.set_setting(sd.KEY_THEME, "dark")
    store.set_setting(sd.KEY_LANGUAGE, "zh_CN")
    store.set_setting(sd.KEY_SERVER_URL, "http://10.0.0.5:11434")
    store.set_setting(sd.KEY_SERVER_URLS, ["http://10.0.0.5:11434", "http://127.0.0.1:11434"])
    store.set_setting(sd.KEY_DEFAULT_MODEL, "qwen2.5:7b")
    store.set_setting(sd.KEY_SAVE_HISTORY, False)
    d = SettingsDialog(store, store=store, models=["qwen2.5:7b"], data_folder=tmp_path)
    qtbot.addWidget(d)
    assert d.theme_combo.currentData() == "dark"
    assert d.language_combo.currentData() == "zh_CN"
    assert d.server_combo.currentText() == "http://10.0.0.5:11434"
    assert d.server_combo.count() == 2
    assert d.model_combo.currentText() == "qwen2.5:7b"
    assert d.history_check.isChecked() is False
    assert d.folder_field.text() == str(tmp_path)
    assert [d.tabs.tabText(i) for i in range(d.tabs.count())] == [
        "General",
        "Server",
        "Quick Ask",
        "Conversations",
        "Concurrency",
    ]


def test_defaults_with_no_settings(qtbot: Any, tmp_path: Path) -> None:
    d = SettingsDialog(None, data_folder=tmp_path)
    qtbot.addWidget(d)
    assert d.theme_combo.currentData() == "system"
    assert d.language_combo.currentData() == "system"
    assert d.server_combo.currentText() == ""
    # Without a store the data buttons are off and say why.
    assert not d.export_json_button.isEnabled()
    assert "not available" in d.data_status.text()


def test_theme_and_language_are_saved_and_announced(dialog: SettingsDialog, store: Store, qtbot: Any) -> None:
    with qtbot.waitSignal(dialog.theme_changed) as theme:
        dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("light"))
    assert theme.args == ["light"]
    assert store.get_setting(sd.KEY_THEME) == "light"
    assert not dialog.language_note.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.language_changed) as lang:
        dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    assert lang.args == ["zh_CN"]
    assert store.get_setting(sd.KEY_LANGUAGE) == "zh_CN"
    assert dialog.language_note.isVisibleTo(dialog)


def test_server_address_is_normalised_remembered_and_announced(
    dialog: SettingsDialog, store: Store, qtbot: Any
) -> None:
    dialog.server_combo.setEditText("  10.0.0.7  ")
    with qtbot.waitSignal(dialog.server_changed) as changed:
        dialog.apply_server_button.click()
    assert changed.args == ["http://10.0.0.7:11434"]
    assert store.get_setting(sd.KEY_SERVER_URL) == "http://10.0.0.7:11434"
    assert store.get_setting(sd.KEY_SERVER_URLS) == ["http://10.0.0.7:11434"]
    # Empty = automatic again; the remembered list stays.
    dialog.server_combo.setEditText("")
    with qtbot.waitSignal(dialog.server_changed) as changed:
        dialog.apply_server_button.click()
    assert changed.args == [""]
    assert store.get_setting(sd.KEY_SERVER_URL) == ""
    assert store.get_setting(sd.KEY_SERVER_URLS) == ["http://10.0.0.7:11434"]
    assert "Automatic" in dialog.server_status.text()


def test_bad_server_address_is_refused_in_plain_words(
    dialog: SettingsDialog, store: Store, qtbot: Any
) -> None:
    dialog.server_combo.setEditText("my server")
    with qtbot.assertNotEmitted(dialog.server_changed):
        dialog.apply_server_button.click()
    assert "no spaces" in dialog.server_status.text()
    assert store.get_setting(sd.KEY_SERVER_URL) is None


def test_test_button_reports_a_live_server(
    dialog: SettingsDialog, fault_server: FaultServer, qtbot: Any
) -> None:
    fault_server.route("GET", "/api/version", body={"version": "0.13.0"})
    dialog.server_combo.setEditText(fault_server.url)
    dialog.test_button.click()
    assert not dialog.test_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10_000)
    assert "0.13.0" in dialog.server_status.text()
    assert fault_server.requests[0].path == "/api/version"


def test_test_button_reports_a_dead_server(dialog: SettingsDialog, qtbot: Any) -> None:
    dialog.server_combo.setEditText("http://127.0.0.1:9")  # discard port: refused at once
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10_000)
    assert "Cannot reach the model server" in dialog.server_status.text()
    assert "Traceback" not in dialog.server_status.text()


def test_default_model_is_shared_with_quick_ask(dialog: SettingsDialog, store: Store, qtbot: Any) -> None:
    assert dialog.model_combo.count() == 2
    with qtbot.waitSignal(dialog.default_model_changed) as changed:
        dialog.model_combo.setCurrentIndex(1)
        dialog.model_combo.activated.emit(1)
    assert changed.args == ["qwen2.5:7b"]
    assert store.get_setting("default_model") == "qwen2.5:7b"
    dialog.set_models(["gemma3:1b"])  # a refreshed list keeps the choice
    assert dialog.model_combo.currentText() == "qwen2.5:7b"


def test_quick_ask_fallback_controls_save(dialog: SettingsDialog, store: Store) -> None:
    dialog.history_check.setChecked(True)  # off by default (#19)
    assert store.get_setting(sd.KEY_SAVE_HISTORY) is True
    from PySide6.QtGui import QKeySequence

    dialog.shortcut_edit.setKeySequence(QKeySequence("Ctrl+Shift+K"))
    dialog.shortcut_edit.editingFinished.emit()
    assert store.get_setting(sd.KEY_SHORTCUT) == "Ctrl+Shift+K"


def test_quick_ask_section_from_the_tray_is_hosted(store: Store, qtbot: Any, tmp_path: Path) -> None:
    section = QWidget()
    section.setObjectName("traySection")
    d = SettingsDialog(store, store=store, quick_ask_section=section, data_folder=tmp_path)
    qtbot.addWidget(d)
    d.show_page("quick_ask")
    assert d.tabs.currentWidget() is section


def test_export_then_import_100_conversations_loses_nothing(
    store: Store, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, 100)
    before = [
        (c.title, c.model, c.system, [(m.role, m.content, m.status) for m in store.messages(c.id)])
        for c in store.conversations()
    ]
    target = tmp_path / "export.json"
    source = SettingsDialog(store, store=store, data_folder=tmp_path)
    qtbot.addWidget(source)
    source.show_page("conversations")
    # Through the button, as a user would: the save dialog answers with our path.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    source.export_json_button.click()
    assert source.busy and not source.export_json_button.isEnabled()
    qtbot.waitUntil(lambda: not source.busy, timeout=30_000)
    assert "Exported 100 conversations" in source.data_status.text()
    assert len(json.loads(target.read_text(encoding="utf-8"))["conversations"]) == 100

    fresh = Store(tmp_path / "other" / "desk.sqlite3")
    try:
        other = SettingsDialog(fresh, store=fresh, data_folder=tmp_path / "other")
        qtbot.addWidget(other)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(target), "")))
        with qtbot.waitSignal(other.conversations_changed, timeout=30_000):
            other.import_button.click()
        assert "Imported 100 conversations; 0 were already here" in other.data_status.text()
        after = [
            (c.title, c.model, c.system, [(m.role, m.content, m.status) for m in fresh.messages(c.id)])
            for c in fresh.conversations()
        ]
        assert sorted(after) == sorted(before)
        # A second import adds nothing and says so.
        other.import_json_from(target)
        qtbot.waitUntil(lambda: not other.busy, timeout=30_000)
        assert "Imported 0 conversations; 100 were already here" in other.data_status.text()
        assert len(fresh.conversations()) == 100
    finally:
        fresh.close()


def test_markdown_export_writes_one_file_per_conversation(
    dialog: SettingsDialog, store: Store, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, 3)
    folder = tmp_path / "md"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    dialog.export_markdown_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    files = sorted(folder.glob("*.md"))
    assert len(files) == 3
    assert "Vec<String>" in files[0].read_text(encoding="utf-8")
    assert "as Markdown" in dialog.data_status.text()


def test_import_of_a_wrong_file_changes_nothing_and_says_why(
    dialog: SettingsDialog, store: Store, qtbot: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    with qtbot.assertNotEmitted(dialog.conversations_changed, wait=100):
        dialog.import_json_from(bad)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert "Nothing was imported" in dialog.data_status.text()
    assert "not an Ollama Desk conversation export" in dialog.data_status.text()
    assert store.conversations() == []
    assert dialog.import_button.isEnabled()


def test_backup_then_restore_brings_conversations_back(
    dialog: SettingsDialog, store: Store, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, 5)
    backup = tmp_path / "backup.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(backup), "")))
    dialog.backup_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert backup.exists() and "Backed up to" in dialog.data_status.text()

    for c in store.conversations()[:3]:
        store.delete_conversation(c.id)
    assert len(store.conversations()) == 2

    asked: list[str] = []

    def question(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(backup), "")))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    with qtbot.waitSignal(dialog.conversations_changed, timeout=10_000):
        dialog.restore_button.click()
    assert asked and "backup.sqlite3" in asked[0]
    assert len(store.conversations()) == 5
    assert "Restored" in dialog.data_status.text()


def test_restore_cancelled_changes_nothing(
    dialog: SettingsDialog, store: Store, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store, 2)
    backup = tmp_path / "b.sqlite3"
    store.backup_to(backup)
    store.delete_conversation(store.conversations()[0].id)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(backup), "")))
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Cancel)
    )
    dialog.restore_button.click()
    assert not dialog.busy
    assert len(store.conversations()) == 1


def test_restore_from_a_damaged_file_keeps_everything(
    dialog: SettingsDialog, store: Store, qtbot: Any, tmp_path: Path
) -> None:
    fill(store, 2)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    dialog.restore_from(junk)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert "Nothing was changed" in dialog.data_status.text()
    assert len(store.conversations()) == 2


def test_change_data_folder_copies_conversations_and_points_there(
    store: Store, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OLLAMA_DESK_HOME")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    fill(store, 4)
    d = SettingsDialog(store, store=store, data_folder=tmp_path / "old")
    qtbot.addWidget(d)
    assert d.change_folder_button.isEnabled()
    new = tmp_path / "new place"
    with qtbot.waitSignal(d.data_folder_changed) as changed:
        assert d.change_data_folder(new)
    assert changed.args == [str(new)]
    assert paths.data_location() == new.resolve()
    assert paths.data_dir() == new.resolve()
    with Store(new / DB_NAME) as copy:
        assert len(copy.conversations()) == 4
    assert "after a restart" in d.folder_status.text()
    paths.set_data_location(None)
    assert paths.data_location() is None
    assert paths.data_dir() == tmp_path / "xdg-data" / "ollama-desk"


def test_change_data_folder_refuses_an_unwritable_place(
    dialog: SettingsDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert not dialog.change_data_folder(blocker / "sub")
    assert "Cannot use" in dialog.folder_status.text()
    assert paths.data_location() is None


def test_data_folder_set_by_environment_cannot_be_changed_here(dialog: SettingsDialog) -> None:
    # conftest sets OLLAMA_DESK_HOME for every test.
    assert not dialog.change_folder_button.isEnabled()
    assert "OLLAMA_DESK_HOME" in dialog.change_folder_button.toolTip()


def test_controls_have_accessible_names(dialog: SettingsDialog) -> None:
    for widget in (
        dialog.theme_combo,
        dialog.language_combo,
        dialog.server_combo,
        dialog.model_combo,
        dialog.folder_field,
        dialog.shortcut_edit,
    ):
        assert widget.accessibleName()


def test_keep_running_in_the_tray_sits_under_general(store: Store, qtbot: Any, tmp_path: Path) -> None:
    from desktop.ui.hotkeys import HotkeyManager
    from desktop.ui.hotkeys.settings import KEY_CLOSE_TO_TRAY, QuickAskSettingsSection

    section = QuickAskSettingsSection(store, HotkeyManager([]))
    d = SettingsDialog(store, store=store, quick_ask_section=section, data_folder=tmp_path)
    qtbot.addWidget(d)
    d.show()
    box = section.close_to_tray
    assert box.text() == "Keep running in the system tray when the window is closed"
    d.show_page("general")
    assert box.isVisible() and d.general.isAncestorOf(box)
    d.show_page("quick_ask")
    assert not box.isVisible() and not section.isAncestorOf(box)
    box.setChecked(False)
    assert store.get_setting(KEY_CLOSE_TO_TRAY) is False


def test_the_dialog_does_its_file_work_off_the_ui_thread(
    dialog: SettingsDialog, store: Store, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from desktop.core import export

    fill(store, 1)
    threads: list[str] = []
    real = export.export_json

    def spy(s: Store, path: Path) -> int:
        threads.append(threading.current_thread().name)
        return real(s, path)

    monkeypatch.setattr(export, "export_json", spy)
    dialog.export_json_to(tmp_path / "x.json")
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert threads and threads[0] != threading.current_thread().name
    assert "Exported 1 conversations" in dialog.data_status.text()
    assert not hasattr(dialog, "_pending")  # the dialog owns no pool and no task bookkeeping
