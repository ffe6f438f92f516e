"""Wayland: the XDG desktop portal's GlobalShortcuts interface, over D-Bus with jeepney.

Wayland lets no client grab keys; the compositor binds them for us through
org.freedesktop.portal.GlobalShortcuts (KDE Plasma 5.27+, GNOME 48+, Hyprland, ...).
The portal asks the user to confirm the key, so registration ends later: success or
failure arrives as a signal. QtDBus in PySide6 cannot marshal the portal's
`a(sa{sv})` argument, so this talks D-Bus with jeepney (pure Python) on the asyncio
loop the app already runs.

The portal may pick a different key or the user may change it in the system settings;
the status then shows the trigger the portal reports.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from typing import Any

from desktop.ui.hotkeys.base import HotkeyBackend, HotkeyUnavailable
from desktop.ui.hotkeys.keys import Shortcut
from desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

PORTAL_BUS = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
SHORTCUTS_IFACE = "org.freedesktop.portal.GlobalShortcuts"
REQUEST_IFACE = "org.freedesktop.portal.Request"
SESSION_IFACE = "org.freedesktop.portal.Session"
SHORTCUT_ID = "quick-ask"
RESPONSE_TIMEOUT = 120.0  # the user may take a while to confirm the key in the portal dialog


def xdg_trigger(shortcut: Shortcut) -> str:
    """The shortcut in the XDG shortcuts notation: "CTRL+ALT+space"."""
    import ctypes.util

    parts = [name for flag, name in ((shortcut.ctrl, "CTRL"), (shortcut.alt, "ALT"),
                                     (shortcut.shift, "SHIFT"), (shortcut.meta, "LOGO")) if flag]
    keysym = shortcut.x11_keysym()
    key_name = ""
    lib_name = ctypes.util.find_library("xkbcommon")
    if lib_name:
        try:
            lib = ctypes.CDLL(lib_name)
            buf = ctypes.create_string_buffer(64)
            if lib.xkb_keysym_get_name(ctypes.c_uint32(keysym), buf, 64) > 0:
                key_name = buf.value.decode()
        except (OSError, AttributeError):
            key_name = ""
    if not key_name:
        key_name = {0x20: "space"}.get(keysym, chr(keysym) if 0x20 < keysym < 0x7F else "space")
    return "+".join([*parts, key_name])


class PortalError(Exception):
    pass


class PortalHotkey(HotkeyBackend):
    name = "portal"

    def __init__(self, bus_address: str | None = None) -> None:
        super().__init__()
        self._address = bus_address or os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        if not self._address:
            raise HotkeyUnavailable(self.tr("There is no desktop session bus (D-Bus)."))
        try:
            import jeepney  # noqa: F401
        except ImportError as err:
            raise HotkeyUnavailable(self.tr("The D-Bus library (jeepney) is not installed.")) from err
        self._tasks = TaskRunner(self)
        self._router: Any = None
        self._conn: Any = None
        self._session = ""
        self.trigger = ""

    def register(self, shortcut: Shortcut) -> None:
        self.unregister()
        try:
            asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError as err:
            raise HotkeyUnavailable(self.tr("The application's event loop is not running.")) from err
        # The session with the portal lives as long as the registration: one task, cancelled to
        # unregister; a failure is reported once, from the runner's done callback.
        self._tasks.start(self._run(shortcut), on_error=self._on_failed)

    def unregister(self) -> None:
        self._tasks.cancel_all()

    def _on_failed(self, err: BaseException) -> None:
        if isinstance(err, PortalError):
            message = str(err)
        elif isinstance(err, (OSError, EOFError)):
            message = self.tr("The desktop session bus could not be reached.")
        else:
            log.warning("global shortcuts portal failed", exc_info=err)
            message = self.tr("The desktop portal failed: {0}").format(err)
        self.registration_failed.emit(message)

    async def _run(self, shortcut: Shortcut) -> None:
        from jeepney import DBusAddress, MatchRule, MessageType, new_method_call
        from jeepney.io.asyncio import DBusRouter, open_dbus_connection

        conn = await open_dbus_connection(self._address)
        router = DBusRouter(conn)
        self._conn, self._router = conn, router
        try:
            portal = DBusAddress(PORTAL_PATH, bus_name=PORTAL_BUS, interface=SHORTCUTS_IFACE)
            sender = conn.unique_name.lstrip(":").replace(".", "_")

            async def call_with_response(method: str, signature: str, body: tuple[Any, ...],
                                         token: str) -> dict[str, Any]:
                # The Response signal can beat the method's reply: listen on the request
                # path (predictable from our bus name and the token) before calling.
                path = f"{PORTAL_PATH}/request/{sender}/{token}"
                rule = MatchRule(type="signal", interface=REQUEST_IFACE, member="Response", path=path)
                await self._add_match(router, rule)
                with router.filter(rule, bufsize=4) as queue:
                    reply = await router.send_and_get_reply(new_method_call(portal, method, signature, body))
                    if reply.header.message_type == MessageType.error:
                        raise PortalError(self._error_text(reply))
                    response = await asyncio.wait_for(queue.get(), RESPONSE_TIMEOUT)
                code, results = response.body
                if code == 1:
                    raise PortalError(self.tr("The shortcut was not allowed in the desktop's dialog."))
                if code != 0:
                    raise PortalError(self.tr("The desktop portal refused the global shortcut."))
                return dict(results)

            token = "odesk" + secrets.token_hex(6)
            session_token = "odesk" + secrets.token_hex(6)
            options = {"handle_token": ("s", token), "session_handle_token": ("s", session_token)}
            created = await call_with_response("CreateSession", "a{sv}", (options,), token)
            session = created.get("session_handle", ("o", ""))[1]
            if not session:
                raise PortalError(self.tr("The desktop portal did not open a shortcut session."))
            self._session = session

            activated = MatchRule(type="signal", interface=SHORTCUTS_IFACE, member="Activated",
                                  path=PORTAL_PATH)
            await self._add_match(router, activated)
            with router.filter(activated, bufsize=16) as presses:
                token = "odesk" + secrets.token_hex(6)
                description = self.tr("Open Ollama Desk's Quick Ask")
                bound = await call_with_response(
                    "BindShortcuts", "oa(sa{sv})sa{sv}",
                    (session,
                     [(SHORTCUT_ID, {"description": ("s", description),
                                     "preferred_trigger": ("s", xdg_trigger(shortcut))})],
                     "", {"handle_token": ("s", token)}),
                    token)
                self.trigger = self._bound_trigger(bound) or shortcut.native_text()
                self.registration_succeeded.emit(self.trigger)
                while True:
                    message = await presses.get()
                    body = message.body
                    if len(body) >= 2 and body[0] == session and body[1] == SHORTCUT_ID:
                        self.activated.emit()
        finally:
            await self._close(router, conn)

    async def _close(self, router: Any, conn: Any) -> None:
        from jeepney import DBusAddress, new_method_call

        if self._session:
            try:
                await router.send(new_method_call(
                    DBusAddress(self._session, bus_name=PORTAL_BUS, interface=SESSION_IFACE), "Close"))
            except Exception:  # noqa: BLE001 - the bus may be gone already
                pass
            self._session = ""
        try:
            await router.__aexit__(None, None, None)
        finally:
            await conn.close()

    @staticmethod
    async def _add_match(router: Any, rule: Any) -> None:
        from jeepney import message_bus, new_method_call

        await router.send_and_get_reply(new_method_call(message_bus, "AddMatch", "s", (rule.serialise(),)))

    def _error_text(self, reply: Any) -> str:
        from jeepney.low_level import HeaderFields

        name = str(reply.header.fields.get(HeaderFields.error_name, ""))
        if "UnknownMethod" in name or "UnknownInterface" in name or "ServiceUnknown" in name:
            return self.tr("This desktop's portal has no global shortcuts.")
        detail = reply.body[0] if reply.body else name
        return self.tr("The desktop portal refused the global shortcut ({0}).").format(detail)

    @staticmethod
    def _bound_trigger(results: dict[str, Any]) -> str:
        shortcuts = results.get("shortcuts", ("", []))[1]
        for shortcut_id, props in shortcuts:
            if shortcut_id == SHORTCUT_ID:
                return str(props.get("trigger_description", ("s", ""))[1])
        return ""
