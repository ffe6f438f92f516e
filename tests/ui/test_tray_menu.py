"""The tray menu is built from state each time it opens (the tray itself needs a real desktop)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMenu

from desktop.ui.tray import Tray, TrayMenuSignals, TrayState, build_tray_menu, tray_pixmap


def texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_online_with_models(qtbot: Any) -> None:
    menu = QMenu()
    signals = TrayMenuSignals()
    state = TrayState(server="online", models=("llama3.2:3b", "smollm2:135m"), default_model="smollm2:135m",
                      engine_running=True)
    acts = build_tray_menu(menu, state, signals)
    assert texts(menu) == ["Ollama Desk — model server online", "Quick Ask…", "New chat", "Open Ollama Desk",
                           "Default model", "Stop engine", "Quit Ollama Desk"]
    assert not menu.actions()[0].isEnabled()  # the status line is not clickable
    models = acts.models
    assert list(models) == ["llama3.2:3b", "smollm2:135m"]
    assert models["smollm2:135m"].isChecked() and not models["llama3.2:3b"].isChecked()

    with qtbot.waitSignal(signals.default_model_chosen) as chosen:
        models["llama3.2:3b"].trigger()
    assert chosen.args == ["llama3.2:3b"]
    for action, signal in ((acts.quick_ask, signals.quick_ask_requested),
                           (acts.new_chat, signals.new_chat_requested),
                           (acts.toggle_window, signals.show_window_requested),
                           (acts.engine, signals.engine_stop_requested),
                           (acts.quit, signals.quit_requested)):
        with qtbot.waitSignal(signal, timeout=1000):
            action.trigger()


def test_rebuilt_from_new_state_without_leftovers(qtbot: Any) -> None:
    menu = QMenu()
    signals = TrayMenuSignals()
    build_tray_menu(menu, TrayState(server="online", models=("a", "b", "c")), signals)
    offline = TrayState(server="offline", window_visible=True, engine_running=False)
    acts = build_tray_menu(menu, offline, signals)
    assert texts(menu) == ["Ollama Desk — model server offline", "Quick Ask…", "New chat", "Hide window",
                           "Default model", "Start engine", "Quit Ollama Desk"]
    assert acts.models == {}
    submenu = next(a.menu() for a in menu.actions() if a.text() == "Default model")
    assert [(a.text(), a.isEnabled()) for a in submenu.actions()] == [("Model server offline", False)]
    with qtbot.waitSignal(signals.engine_start_requested, timeout=1000):
        acts.engine.trigger()
    with qtbot.waitSignal(signals.hide_window_requested, timeout=1000):
        acts.toggle_window.trigger()


def test_states_in_between() -> None:
    menu = QMenu()
    signals = TrayMenuSignals()
    acts = build_tray_menu(menu, TrayState(server="engine-starting"), signals)
    assert acts.engine.text() == "Starting engine…" and not acts.engine.isEnabled()
    build_tray_menu(menu, TrayState(server="online", generating=True), signals)
    assert texts(menu)[0] == "Ollama Desk — answering…"
    acts = build_tray_menu(menu, TrayState(server="online", engine_available=False), signals)
    assert acts.engine is None and "Start engine" not in texts(menu)
    submenu = next(a.menu() for a in menu.actions() if a.text() == "Default model")
    assert [a.text() for a in submenu.actions()] == ["No models installed"]


def test_the_menu_is_rebuilt_when_it_opens(qtbot: Any) -> None:
    tray = Tray()
    tray.update_state(server="online", models=("x:1b",), default_model="x:1b")
    menu = tray.icon.contextMenu()
    menu.aboutToShow.emit()
    assert list(tray.actions.models) == ["x:1b"]
    tray.update_state(models=("x:1b", "y:2b"))
    menu.aboutToShow.emit()
    assert list(tray.actions.models) == ["x:1b", "y:2b"]
    assert tray.icon.toolTip() == "Ollama Desk — model server online"


def test_icons_differ_by_state() -> None:
    images = {name: tray_pixmap(state, 32).toImage() for name, state in {
        "online": TrayState(server="online"),
        "offline": TrayState(server="offline"),
        "generating": TrayState(server="online", generating=True),
        "pulling": TrayState(server="online", pulling=True),
    }.items()}
    assert len({img.bits().tobytes() if hasattr(img.bits(), "tobytes") else bytes(img.constBits())
                for img in images.values()}) == 4
    assert all(not img.isNull() and img.width() == 32 for img in images.values())


def test_notifications_only_when_the_window_is_hidden(monkeypatch: Any) -> None:
    tray = Tray()
    sent: list[tuple[str, str, bool]] = []
    monkeypatch.setattr(tray, "notify",
                        lambda title, message, warning=False: sent.append((title, message, warning)))
    tray.update_state(window_visible=True)
    tray.on_reply_finished("Trip plan", "Day one: …")
    assert sent == []
    tray.update_state(window_visible=False)
    tray.on_reply_finished("Trip plan", "Day one:\n  go " + "far " * 60)
    title, message, warning = sent[-1]
    assert title == "Reply ready: Trip plan" and message.startswith("Day one: go far") and len(message) <= 120
    tray.on_pull_finished("qwen2.5:7b", True)
    assert sent[-1] == ("Download finished", "qwen2.5:7b is ready to use.", False)
    tray.on_pull_finished("qwen2.5:7b", False)
    assert sent[-1][0] == "Download failed" and sent[-1][2] is True
    # With the window shown, its Models page tells the outcome: no balloon over it.
    tray.update_state(window_visible=True)
    count = len(sent)
    tray.on_pull_finished("qwen2.5:7b", False)
    tray.on_pull_finished("qwen2.5:7b", True)
    assert len(sent) == count
