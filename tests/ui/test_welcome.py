"""The first-run welcome with real hardware reports (hypothetical machines) and a real Store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.catalog import load_catalog
from desktop.core.hardware.probe import probe
from desktop.core.hardware.report import HardwareReport, build_report
from desktop.core.store import Store
from desktop.ui.welcome import KEY_WELCOME_SHOWN, ServerSummary, WelcomeDialog, should_show

GIB = 2**30


@pytest.fixture(autouse=True)
def _pinned_refcounts() -> None:
    from desktop.ui import pyside_fix

    pyside_fix.apply()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "desk.sqlite3")
    yield s
    s.close()


def report(ram: int, vram: int) -> HardwareReport:
    return build_report(probe(ram=ram * GIB, vram=vram * GIB), load_catalog())


ENGINE = ServerSummary(
    kind="engine", url="http://127.0.0.1:11434", version="0.13.0", models=("smollm2:135m",)
)


def test_engine_with_the_starter_model_and_a_gpu_machine(qtbot: Any, store: Store) -> None:
    w = WelcomeDialog(store, server=ENGINE, report=report(16, 8), language="en")
    qtbot.addWidget(w)
    assert "built-in engine" in w.server_label.text()
    assert "smollm2:135m" in w.server_label.text()
    assert "offline" in w.server_label.text()
    text = w.hardware_label.text()
    assert "16.0 GB of RAM" in text and "a GPU" in text and "It suits 7B models" in text
    assert w.recommended is not None and w.recommended[0].startswith("llama3.1:8b")
    assert w.pull_button.isVisibleTo(w) and w.pull_button.isEnabled()
    assert w.pull_button.text() == f"Download {w.recommended[0]}"


def test_chinese_users_get_the_chinese_chat_model_and_description(qtbot: Any) -> None:
    r = report(8, 0)
    w = WelcomeDialog(None, server=ENGINE, report=r, language="zh_CN")
    qtbot.addWidget(w)
    assert w.recommended is not None and w.recommended[0].startswith("qwen2.5:")
    zh = next(s for s in r.suggestions if s.use == "chat_zh")
    assert zh.description_zh and zh.description_zh in w.model_label.text()
    assert "no GPU" in w.hardware_label.text() and "It suits 3B models" in w.hardware_label.text()


def test_pull_is_requested_once_with_the_catalog_size(qtbot: Any) -> None:
    w = WelcomeDialog(None, server=ENGINE, report=report(16, 8), language="en")
    qtbot.addWidget(w)
    assert w.recommended is not None
    tag, size = w.recommended
    with qtbot.waitSignal(w.pull_requested) as pulled:
        w.pull_button.click()
    assert pulled.args == [tag, size] and size > 1_000_000_000
    assert not w.pull_button.isEnabled() and "Downloading" in w.pull_button.text()
    with qtbot.assertNotEmitted(w.pull_requested):
        w.pull_button.click()


def test_an_installed_recommendation_is_not_offered_again(qtbot: Any) -> None:
    w = WelcomeDialog(None, report=report(8, 0), language="en")
    qtbot.addWidget(w)
    assert w.recommended is not None
    tag = w.recommended[0]
    w.set_server(ServerSummary(kind="ollama", url="http://127.0.0.1:11434", version="0.13.0", models=(tag,)))
    assert "Ollama found on this computer (0.13.0)" in w.server_label.text()
    assert not w.pull_button.isEnabled() and "is installed" in w.pull_button.text()


def test_facts_arrive_later_and_offline_never_blocks(qtbot: Any, store: Store) -> None:
    w = WelcomeDialog(store)
    qtbot.addWidget(w)
    assert not w.isModal()
    assert "Looking for a model server" in w.server_label.text()
    assert "Checking this computer" in w.hardware_label.text()
    assert not w.pull_button.isVisibleTo(w)
    w.set_server(None, error="Cannot reach the model server at http://127.0.0.1:11434; is Ollama running?")
    assert "conversations are still here" in w.server_label.text()
    w.set_probe_failed("The memory size could not be read.")
    assert "could not be checked" in w.hardware_label.text()
    w.set_report(report(32, 24))
    assert w.recommended is not None and w.pull_button.isEnabled()
    w.set_server(ServerSummary(kind="external", url="http://10.0.0.5:11434"))
    assert "http://10.0.0.5:11434" in w.server_label.text()
    # "Start Chatting" just closes it.
    w.show()
    qtbot.waitExposed(w)
    w.start_button.click()
    assert not w.isVisible()


def test_shown_once(qtbot: Any, store: Store) -> None:
    assert should_show(store)
    w = WelcomeDialog(store, server=ENGINE)
    qtbot.addWidget(w)
    assert should_show(store)  # built but not shown yet
    w.show()
    qtbot.waitExposed(w)
    assert store.get_setting(KEY_WELCOME_SHOWN) is True
    assert not should_show(store)
    w.close()


def test_should_show_without_a_store_and_with_a_broken_one() -> None:
    class Broken:
        def get_setting(self, key: str, default: Any = None) -> Any:
            raise OSError("disk gone")

    assert should_show(None)
    assert not should_show(Broken())


def test_the_two_core_machine_is_not_told_13b(qtbot: Any) -> None:
    # The issue: "suits models of about 13B" and qwen2.5:14b "at roughly 2 tokens a second".
    from desktop.core.hardware.machine import Cpu, Machine, Memory

    machine = Machine(memory=Memory(int(23.5 * GIB), 22 * GIB), cpu=Cpu("AMD EPYC", 2, 2), os="Linux")
    r = build_report(machine, load_catalog())
    w = WelcomeDialog(None, server=ENGINE, report=r, language="zh_CN")
    qtbot.addWidget(w)
    hardware = w.hardware_label.text()
    assert "13B" not in hardware and "It suits 7B models" in hardware
    assert "so the suggestions are smaller models that reach at least 8 tokens/s" in hardware
    assert w.recommended is not None and w.recommended[0] != "qwen2.5:14b"
    text = w.model_label.text()
    assert text.startswith(f"{w.recommended[0]} (") and "tokens/s here" in text
    speed = float(text.split("about ")[1].split(" tokens/s")[0])
    assert speed >= 8
    assert "qwen2.5:7b also fits, slow: about 2.3 tokens/s." in text


def test_a_failed_download_turns_the_button_into_retry(
    qtbot: Any, qloop: Any, fault_server: Any, tmp_path: Path
) -> None:
    from desktop.core.ollama.client import OllamaClient
    from desktop.ui.controllers.models_controller import ModelsController
    from tests.ui.test_model_manager import run

    offline = "pull model manifest: [Errno -2] Name or service not known"
    fault_server.route("GET", "/api/tags", body={"models": []})
    fault_server.route("GET", "/api/ps", body={"models": []})
    fault_server.route(
        "POST", "/api/pull", lines=[{"status": "pulling manifest"}, {"error": offline}], once=True
    )
    fault_server.route("POST", "/api/pull", lines=[{"status": "pulling manifest"}, {"status": "success"}])
    client = OllamaClient(fault_server.url)
    models = ModelsController(client, retry_delay=0.05, pending_path=tmp_path / "pending.json")
    try:
        w = WelcomeDialog(None, server=ENGINE, report=report(16, 8), language="en")
        qtbot.addWidget(w)
        w.follow_pulls(models)
        w.pull_requested.connect(lambda tag, size: models.pull(tag, int(size)))
        w.show()
        qtbot.waitExposed(w)
        assert w.recommended is not None
        tag = w.recommended[0]
        with qtbot.waitSignal(models.pull_finished, timeout=10_000):
            w.pull_button.click()
        # What the user sees: a Retry button and the reason in plain words, not "Downloading…".
        assert w.pull_button.text() == f"Retry downloading {tag}" and w.pull_button.isEnabled()
        assert w.pull_status.isVisible() and w.pull_status.height() > 0
        assert w.pull_status.text().startswith("The download failed: this computer is offline.")
        assert "Errno" not in w.pull_status.text()
        with qtbot.waitSignal(models.pull_finished, timeout=10_000) as done:
            w.pull_button.click()
        assert done.args == [tag, True]
        assert w.pull_button.text() == f"{tag} is installed" and not w.pull_button.isEnabled()
        assert not w.pull_status.isVisible()
    finally:
        run(qtbot, qloop, models.aclose())
        run(qtbot, qloop, client.aclose())


def test_text_that_arrives_after_showing_is_not_cut_off(qtbot: Any) -> None:
    from PySide6.QtWidgets import QLabel

    # As in the app: shown first, with short "still looking" lines; the facts come later.
    w = WelcomeDialog(None, language="en")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    opened = w.height()
    w.set_server(ENGINE)
    w.set_report(report(16, 8))
    qtbot.wait(50)
    assert w.height() > opened
    for label in w.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text():
            # Every wrapped line is drawn: the label is as tall as its text needs at its width.
            assert label.height() >= label.heightForWidth(label.width()), label.text()
