"""The system tray: an icon that shows the server's state, a menu rebuilt from state, notifications.

The menu is built by `build_tray_menu` from a plain `TrayState` each time it opens
(aboutToShow), so it never shows a stale model list or engine state; the builder works
without a tray (offscreen tests). Requests leave as signals; app.py wires them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from desktop import paths

SERVER_STATES = ("unknown", "connecting", "online", "offline", "engine-starting")


@dataclass(frozen=True)
class TrayState:
    server: str = "unknown"  # one of SERVER_STATES
    generating: bool = False
    pulling: bool = False
    models: tuple[str, ...] = ()
    default_model: str = ""
    engine_running: bool = False  # our embedded engine (or an Ollama we started) is running
    engine_available: bool = True  # there is an engine we may start or stop
    window_visible: bool = False


@dataclass
class TrayActions:
    """The actions of the last menu build, by role (tests and accessibility look them up)."""

    quick_ask: QAction | None = None
    new_chat: QAction | None = None
    toggle_window: QAction | None = None
    engine: QAction | None = None
    quit: QAction | None = None
    models: dict[str, QAction] = field(default_factory=dict)


class TrayMenuSignals(QObject):
    quick_ask_requested = Signal()
    new_chat_requested = Signal()
    show_window_requested = Signal()
    hide_window_requested = Signal()
    default_model_chosen = Signal(str)
    engine_start_requested = Signal()
    engine_stop_requested = Signal()
    quit_requested = Signal()


def status_text(state: TrayState) -> str:
    if state.generating:
        return QCoreApplication.translate("Tray", "Ollama Desk — answering…")
    if state.pulling:
        return QCoreApplication.translate("Tray", "Ollama Desk — downloading a model…")
    return {
        "online": QCoreApplication.translate("Tray", "Ollama Desk — model server online"),
        "offline": QCoreApplication.translate("Tray", "Ollama Desk — model server offline"),
        "engine-starting": QCoreApplication.translate("Tray", "Ollama Desk — starting the engine…"),
        "connecting": QCoreApplication.translate("Tray", "Ollama Desk — connecting…"),
    }.get(state.server, QCoreApplication.translate("Tray", "Ollama Desk"))


def build_tray_menu(menu: QMenu, state: TrayState, signals: TrayMenuSignals) -> TrayActions:
    """Fill `menu` (cleared first) from `state`; each action emits one of `signals`."""
    menu.clear()
    acts = TrayActions()
    status = menu.addAction(status_text(state))
    status.setEnabled(False)
    menu.addSeparator()

    acts.quick_ask = menu.addAction(QCoreApplication.translate("Tray", "Quick Ask…"))
    acts.quick_ask.triggered.connect(signals.quick_ask_requested)
    acts.new_chat = menu.addAction(QCoreApplication.translate("Tray", "New chat"))
    acts.new_chat.triggered.connect(signals.new_chat_requested)
    if state.window_visible:
        acts.toggle_window = menu.addAction(QCoreApplication.translate("Tray", "Hide window"))
        acts.toggle_window.triggered.connect(signals.hide_window_requested)
    else:
        acts.toggle_window = menu.addAction(QCoreApplication.translate("Tray", "Open Ollama Desk"))
        acts.toggle_window.triggered.connect(signals.show_window_requested)
    menu.addSeparator()

    models_menu = menu.addMenu(QCoreApplication.translate("Tray", "Default model"))
    if state.models:
        group = QActionGroup(models_menu)
        group.setExclusive(True)
        for name in state.models:
            action = models_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name == state.default_model)
            action.setActionGroup(group)
            action.triggered.connect(lambda _checked=False, n=name: signals.default_model_chosen.emit(n))
            acts.models[name] = action
    else:
        empty = models_menu.addAction(
            QCoreApplication.translate("Tray", "No models installed")
            if state.server == "online"
            else QCoreApplication.translate("Tray", "Model server offline")
        )
        empty.setEnabled(False)

    if state.engine_available:
        if state.engine_running:
            acts.engine = menu.addAction(QCoreApplication.translate("Tray", "Stop engine"))
            acts.engine.triggered.connect(signals.engine_stop_requested)
        else:
            acts.engine = menu.addAction(
                QCoreApplication.translate("Tray", "Starting engine…")
                if state.server == "engine-starting"
                else QCoreApplication.translate("Tray", "Start engine")
            )
            acts.engine.setEnabled(state.server != "engine-starting")
            acts.engine.triggered.connect(signals.engine_start_requested)
    menu.addSeparator()
    acts.quit = menu.addAction(QCoreApplication.translate("Tray", "Quit Ollama Desk"))
    acts.quit.triggered.connect(signals.quit_requested)
    return acts


# ---------------------------------------------------------------------- icons
_BADGE = {
    "online": "#2da44e",
    "offline": "#8c959f",
    "unknown": "#8c959f",
    "connecting": "#d4a72c",
    "engine-starting": "#d4a72c",
}


def _round_pen(width: float) -> QPen:
    return QPen(QColor("white"), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)


def _artwork(state: TrayState) -> Path | None:
    """The designed tray SVG for this state (resources/icons/tray-*.svg), if it is there."""
    if state.generating:
        name = "tray-busy.svg"
    elif state.server in ("offline", "unknown"):
        name = "tray-offline.svg"
    else:
        name = "tray-online.svg"
    path = paths.resource_path("icons", name)
    return path if path.is_file() else None


def tray_pixmap(state: TrayState, size: int = 64) -> QPixmap:
    """The app glyph (a speech bubble) with a corner badge: server colour, or busy marks."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = size / 64.0
        artwork = _artwork(state)
        renderer = QSvgRenderer(str(artwork)) if artwork is not None else None
        if renderer is not None and renderer.isValid():
            renderer.render(p, QRectF(0, 0, size, size))
            # The artwork has online, offline and busy badges; pulling and starting are drawn over it.
            if not state.generating and (state.pulling or state.server in ("connecting", "engine-starting")):
                _paint_badge(p, state, s)
        else:
            _paint_glyph(p, state, s)
            _paint_badge(p, state, s)
    finally:
        p.end()
    return pixmap


def _paint_glyph(p: QPainter, state: TrayState, s: float) -> None:
    offline = state.server in ("offline", "unknown")
    body = QColor("#57606a") if offline else QColor("#1f6feb")
    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(4 * s, 6 * s, 52 * s, 38 * s), 12 * s, 12 * s)
    tail = QPainterPath()
    tail.moveTo(14 * s, 40 * s)
    tail.lineTo(10 * s, 56 * s)
    tail.lineTo(28 * s, 42 * s)
    tail.closeSubpath()
    p.fillPath(bubble.united(tail), QBrush(body))
    # Three dots: "a model can talk here".
    p.setBrush(QColor("white"))
    p.setPen(Qt.PenStyle.NoPen)
    for i in range(3):
        p.drawEllipse(QPointF((18 + 12 * i) * s, 25 * s), 4 * s, 4 * s)


def _paint_badge(p: QPainter, state: TrayState, s: float) -> None:
    badge_rect = QRectF(38 * s, 38 * s, 24 * s, 24 * s)
    p.setPen(QPen(QColor("white"), 3 * s))
    if state.generating:
        p.setBrush(QColor("#8250df"))
        p.drawEllipse(badge_rect)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("white"))
        for i in range(3):  # a typing indicator
            p.drawEllipse(QPointF((44 + 6 * i) * s, 50 * s), 2.2 * s, 2.2 * s)
    elif state.pulling:
        p.setBrush(QColor("#1f6feb"))
        p.drawEllipse(badge_rect)
        p.setPen(_round_pen(3 * s))
        p.drawLine(QPointF(50 * s, 43 * s), QPointF(50 * s, 56 * s))  # a down arrow
        p.drawLine(QPointF(44 * s, 50 * s), QPointF(50 * s, 56 * s))
        p.drawLine(QPointF(56 * s, 50 * s), QPointF(50 * s, 56 * s))
    else:
        p.setBrush(QColor(_BADGE.get(state.server, "#8c959f")))
        p.drawEllipse(badge_rect)


def tray_icon(state: TrayState) -> QIcon:
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64):
        icon.addPixmap(tray_pixmap(state, size))
    return icon


class Tray(QObject):
    """The QSystemTrayIcon with its state, menu and notifications."""

    toggle_window_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.signals = TrayMenuSignals(self)
        self.state = TrayState()
        self.actions = TrayActions()
        self._menu = QMenu()
        self._menu.aboutToShow.connect(self._on_menu_about_to_show)
        self._icon = QSystemTrayIcon(self)
        self._icon.setContextMenu(self._menu)
        self._icon.activated.connect(self._on_icon_activated)
        self._apply_state()
        build_tray_menu(self._menu, self.state, self.signals)  # some hosts read it before opening it

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    @property
    def icon(self) -> QSystemTrayIcon:
        return self._icon

    def show(self) -> None:
        self._icon.show()

    def hide(self) -> None:
        self._icon.hide()

    def update_state(self, **changes: object) -> None:
        # The keyword names are TrayState's fields (replace() raises on any other); their types vary.
        new = replace(self.state, **changes)  # type: ignore[arg-type]
        if new != self.state:
            self.state = new
            self._apply_state()

    def notify(self, title: str, message: str, *, warning: bool = False) -> None:
        if not self._icon.isVisible() or not QSystemTrayIcon.supportsMessages():
            return
        kind = QSystemTrayIcon.MessageIcon.Warning if warning else QSystemTrayIcon.MessageIcon.Information
        self._icon.showMessage(title, message, kind, 8000)

    # Handlers for other parts' signals ------------------------------------------------
    def on_reply_finished(self, title: str, text: str) -> None:
        """A reply finished: worth a notification only when the user cannot see it."""
        if self.state.window_visible:
            return
        preview = " ".join(text.split())
        if len(preview) > 120:
            preview = preview[:119] + "…"
        self.notify(
            self.tr("Reply ready: {0}").format(title) if title else self.tr("Reply ready"),
            preview or self.tr("The model finished its reply."),
        )

    def on_pull_finished(self, name: str, ok: bool) -> None:
        # With the window on screen the Models page shows the outcome (and its Retry); a
        # balloon saying "open the Models page" over that page would be noise.
        if self.state.window_visible:
            return
        if ok:
            self.notify(self.tr("Download finished"), self.tr("{0} is ready to use.").format(name))
        else:
            self.notify(
                self.tr("Download failed"),
                self.tr("{0} could not be downloaded. Open the Models page to retry.").format(name),
                warning=True,
            )

    # ----------------------------------------------------------------------------------
    def _apply_state(self) -> None:
        self._icon.setIcon(tray_icon(self.state))
        self._icon.setToolTip(status_text(self.state))

    def _on_menu_about_to_show(self) -> None:
        self.actions = build_tray_menu(self._menu, self.state, self.signals)

    def _on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.toggle_window_requested.emit()
        elif reason == QSystemTrayIcon.ActivationReason.MiddleClick:
            self.signals.quick_ask_requested.emit()
