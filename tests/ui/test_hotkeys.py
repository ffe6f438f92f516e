"""Global hotkey backends: the X11 grab under Xvfb, the Wayland portal against a fake portal
on a private D-Bus, and the chooser's plain reports."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.ui.hotkeys import FALLBACK_COMMAND, HotkeyManager
from desktop.ui.hotkeys.base import HotkeyBackend, HotkeyUnavailable
from desktop.ui.hotkeys.keys import Shortcut, ShortcutError

PORTAL_BUS = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
IFACE = "org.freedesktop.portal.GlobalShortcuts"




# ----------------------------------------------------------------------------- shortcuts
def test_shortcut_parsing_and_platform_codes() -> None:
    s = Shortcut.parse("Ctrl+Alt+Space")
    assert s.text() == "Ctrl+Alt+Space"
    assert (s.x11_keysym(), s.x11_modifiers()) == (0x20, 4 | 8)
    assert (s.windows_vk(), s.windows_modifiers()) == (0x20, 0x4000 | 1 | 2)
    assert (s.mac_keycode(), s.mac_modifiers()) == (0x31, 0x100 | 0x800)
    k = Shortcut.parse("Meta+Shift+K")
    assert (k.x11_keysym(), k.x11_modifiers()) == (ord("k"), 1 | 64)
    assert Shortcut.parse("F9").x11_keysym() == 0xFFC6


@pytest.mark.parametrize("text", ["", "K", "Shift+K", "Ctrl+", "Ctrl+A, Ctrl+B"])
def test_unusable_shortcuts_are_refused_plainly(text: str) -> None:
    with pytest.raises(ShortcutError):
        Shortcut.parse(text)


# ----------------------------------------------------------------------------- chooser
class _Broken(HotkeyBackend):
    def __init__(self) -> None:
        super().__init__()
        raise HotkeyUnavailable("There is no X11 display (DISPLAY is not set).")


def test_when_nothing_works_the_status_says_so_and_names_the_fallback(qtbot: Any) -> None:
    manager = HotkeyManager([("x11", _Broken)])
    with qtbot.waitSignal(manager.status_changed) as changed:
        status = manager.register("Ctrl+Alt+Space")
    assert changed.args == [status]
    assert status.state == "failed" and not status.active
    assert "There is no X11 display" in status.message and FALLBACK_COMMAND in status.message


def test_a_bad_shortcut_is_reported_not_raised(qtbot: Any) -> None:
    status = HotkeyManager([("x11", _Broken)]).register("Q")
    assert status.state == "failed" and "needs Ctrl, Alt or Meta" in status.message


def test_an_empty_shortcut_turns_it_off() -> None:
    assert HotkeyManager([("x11", _Broken)]).register("").state == "off"


# ----------------------------------------------------------------------------- X11
@pytest.fixture
def xvfb(tmp_path: Path) -> Iterator[str]:
    if not all(shutil.which(tool) for tool in ("Xvfb", "xdotool", "xwininfo")):
        pytest.skip("Xvfb, xdotool and xwininfo are not installed (Debian: xvfb xdotool x11-utils)")
    from tests.e2e.conftest import start_xvfb

    proc, display = start_xvfb("800x600x24")
    try:
        yield display
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_x11_grab_fires_on_the_key_and_reports_a_taken_key(qtbot: Any, xvfb: str) -> None:
    from desktop.ui.hotkeys.x11 import X11Hotkey

    manager = HotkeyManager([("x11", lambda: X11Hotkey(xvfb))])
    status = manager.register("Ctrl+Alt+Space")
    assert status.active and status.backend == "x11"
    assert status.message == "Ctrl+Alt+Space opens Quick Ask from any application."
    with qtbot.waitSignal(manager.activated, timeout=5000):
        subprocess.run(["xdotool", "key", "ctrl+alt+space"], env={**os.environ, "DISPLAY": xvfb}, check=True)

    # A second program asking for the same key gets a plain "taken" with the fallback.
    other = HotkeyManager([("x11", lambda: X11Hotkey(xvfb))])
    taken = other.register("Ctrl+Alt+Space")
    assert taken.state == "failed" and "already used by another program" in taken.message
    assert FALLBACK_COMMAND in taken.message

    # Changing the shortcut frees the old key.
    assert manager.register("Ctrl+Alt+K").active
    assert other.register("Ctrl+Alt+Space").active
    other.close()
    manager.close()


def test_no_display_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.hotkeys.x11 import X11Hotkey

    monkeypatch.delenv("DISPLAY", raising=False)
    with pytest.raises(HotkeyUnavailable):
        X11Hotkey()


# ----------------------------------------------------------------------------- portal
class FakePortal:
    """org.freedesktop.portal.GlobalShortcuts on a private bus, in a thread (jeepney blocking)."""

    def __init__(self, address: str, *, deny: bool = False) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self.address = address
        self.deny = deny
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.session = ""
        self._conn = open_dbus_connection(address)
        from jeepney import message_bus, new_method_call

        self._conn.send_and_get_reply(new_method_call(message_bus, "RequestName", "su", (PORTAL_BUS, 4)))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        from jeepney import DBusAddress, MessageType, new_method_return, new_signal
        from jeepney.low_level import HeaderFields

        while not self._stop.is_set():
            try:
                msg = self._conn.receive(timeout=0.2)
            except TimeoutError:
                continue
            except (OSError, EOFError):
                return
            if msg.header.message_type != MessageType.method_call:
                continue
            member = msg.header.fields.get(HeaderFields.member)
            sender = msg.header.fields[HeaderFields.sender].lstrip(":").replace(".", "_")
            self.calls.append((member, msg.body))
            if member == "CreateSession":
                options = msg.body[0]
                request = f"{PORTAL_PATH}/request/{sender}/{options['handle_token'][1]}"
                self.session = f"{PORTAL_PATH}/session/{sender}/{options['session_handle_token'][1]}"
                self._conn.send(new_method_return(msg, "o", (request,)))
                results = {"session_handle": ("s", self.session)}
            elif member == "BindShortcuts":
                request = f"{PORTAL_PATH}/request/{sender}/{msg.body[3]['handle_token'][1]}"
                self._conn.send(new_method_return(msg, "o", (request,)))
                results = {"shortcuts": ("a(sa{sv})", [("quick-ask", {
                    "description": msg.body[1][0][1]["description"],
                    "trigger_description": ("s", "Press Ctrl+Alt+Space")})])}
            else:
                self._conn.send(new_method_return(msg))
                continue
            code = 1 if self.deny and member == "BindShortcuts" else 0
            self._conn.send(new_signal(DBusAddress(request, interface="org.freedesktop.portal.Request"),
                                       "Response", "ua{sv}", (code, results)))

    def press(self) -> None:
        from jeepney import DBusAddress, new_signal

        self._conn.send(new_signal(DBusAddress(PORTAL_PATH, interface=IFACE), "Activated", "osta{sv}",
                                   (self.session, "quick-ask", 1234, {})))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._conn.close()


@pytest.fixture
def session_bus(tmp_path: Path) -> Iterator[str]:
    if not shutil.which("dbus-daemon"):
        pytest.skip("dbus-daemon is not installed")
    pytest.importorskip("jeepney")
    proc = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1", f"--address=unix:dir={tmp_path}"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    address = proc.stdout.readline().strip()
    try:
        yield address
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


def test_portal_binds_the_shortcut_and_reports_presses(
    qtbot: Any, session_bus: str, event_loop_qt: Any
) -> None:
    from desktop.ui.hotkeys.portal import PortalHotkey

    portal = FakePortal(session_bus)
    manager = HotkeyManager([("portal", lambda: PortalHotkey(session_bus))])
    try:
        with qtbot.waitSignals([manager.status_changed, manager.status_changed], timeout=10000):
            first = manager.register("Ctrl+Alt+Space")
        assert first.state == "pending" and "Asking the desktop" in first.message
        assert manager.status.active and manager.status.backend == "portal"
        assert manager.status.message == "Press Ctrl+Alt+Space opens Quick Ask from any application."
        bind = next(body for member, body in portal.calls if member == "BindShortcuts")
        assert bind[1][0][0] == "quick-ask"
        assert bind[1][0][1]["preferred_trigger"] == ("s", "CTRL+ALT+space")
        with qtbot.waitSignal(manager.activated, timeout=5000):
            portal.press()
        manager.close()
        qtbot.waitUntil(lambda: any(member == "Close" for member, _ in portal.calls), timeout=5000)
    finally:
        portal.close()


def test_portal_denied_is_a_plain_failure(qtbot: Any, session_bus: str, event_loop_qt: Any) -> None:
    from desktop.ui.hotkeys.portal import PortalHotkey

    portal = FakePortal(session_bus, deny=True)
    manager = HotkeyManager([("portal", lambda: PortalHotkey(session_bus))])
    try:
        with qtbot.waitSignal(manager.status_changed, timeout=10000,
                              check_params_cb=lambda s: s.state == "failed"):
            manager.register("Ctrl+Alt+Space")
        assert "was not allowed" in manager.status.message and FALLBACK_COMMAND in manager.status.message
    finally:
        manager.close()
        portal.close()


def test_no_portal_on_the_bus_is_a_plain_failure(qtbot: Any, session_bus: str, event_loop_qt: Any) -> None:
    from desktop.ui.hotkeys.portal import PortalHotkey

    manager = HotkeyManager([("portal", lambda: PortalHotkey(session_bus))])
    failed = lambda s: s.state == "failed"  # noqa: E731
    with qtbot.waitSignal(manager.status_changed, timeout=10000, check_params_cb=failed):
        manager.register("Ctrl+Alt+Space")
    assert "no global shortcuts" in manager.status.message
    manager.close()


# ----------------------------------------------------------------------------- settings section
class _Recorder(HotkeyBackend):
    name = "fake"
    taken = {"Ctrl+Alt+T"}

    def register(self, shortcut: Shortcut) -> None:
        from desktop.ui.hotkeys.base import HotkeyTaken

        if shortcut.text() in self.taken:
            raise HotkeyTaken(f"{shortcut.text()} is already used by another program.")
        self.registration_succeeded.emit(shortcut.text())

    def unregister(self) -> None:
        pass


class _DictSettings(dict):  # type: ignore[type-arg]
    def get_setting(self, key: str, default: Any = None) -> Any:
        return self.get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        self[key] = value


def test_settings_section_changes_the_shortcut_and_shows_the_fallback(qtbot: Any) -> None:
    from PySide6.QtGui import QGuiApplication, QKeySequence

    from desktop.ui.hotkeys import settings as hs

    store = _DictSettings()
    manager = HotkeyManager([("fake", _Recorder)])
    manager.register(hs.setting(store, hs.KEY_SHORTCUT))
    section = hs.QuickAskSettingsSection(store, manager)
    qtbot.addWidget(section)
    section.show()
    assert section.status_label.text() == "Ctrl+Alt+Space opens Quick Ask from any application."
    assert not section._fallback_row.isVisible()

    section.shortcut_edit.setKeySequence(QKeySequence("Ctrl+Alt+T"))
    section.shortcut_edit.editingFinished.emit()
    assert "already used by another program" in section.status_label.text()
    assert FALLBACK_COMMAND in section.status_label.text()
    assert section._fallback_row.isVisible() and hs.KEY_SHORTCUT not in store
    section.copy_command.click()
    assert QGuiApplication.clipboard().text() == FALLBACK_COMMAND

    section.shortcut_edit.setKeySequence(QKeySequence("Ctrl+Alt+Q"))
    section.shortcut_edit.editingFinished.emit()
    assert manager.status.active and store[hs.KEY_SHORTCUT] == "Ctrl+Alt+Q"

    section.save_history.setChecked(True)  # off by default (#19)
    section.close_to_tray.setChecked(False)
    section.prefill.setCurrentIndex(section.prefill.findData("off"))
    assert store[hs.KEY_SAVE_HISTORY] is True and store[hs.KEY_CLOSE_TO_TRAY] is False
    assert store[hs.KEY_PREFILL] == "off"


def test_windows_message_filter_reads_wm_hotkey(qapp: Any) -> None:
    """The part of the Windows backend that does not need Windows: reading MSG structures."""
    import ctypes

    from PySide6.QtCore import QByteArray, QObject, Signal

    from desktop.ui.hotkeys.windows import _MSG, HOTKEY_ID, WM_HOTKEY, _Filter

    class Backend(QObject):
        activated = Signal()

    backend = Backend()
    hits: list[int] = []
    backend.activated.connect(lambda: hits.append(1))
    native = _Filter(backend)  # type: ignore[arg-type]
    def feed(kind: bytes, msg: _MSG | None) -> tuple[bool, int]:
        return native.nativeEventFilter(QByteArray(kind), ctypes.addressof(msg) if msg else 0)

    assert feed(b"windows_dispatcher_MSG", _MSG(message=WM_HOTKEY, wParam=HOTKEY_ID)) == (True, 0)
    assert feed(b"windows_generic_MSG", _MSG(message=0x0100, wParam=HOTKEY_ID)) == (False, 0)  # WM_KEYDOWN
    assert feed(b"windows_generic_MSG", _MSG(message=WM_HOTKEY, wParam=HOTKEY_ID + 1)) == (False, 0)
    assert feed(b"xcb_generic_event_t", None) == (False, 0)
    assert hits == [1]
