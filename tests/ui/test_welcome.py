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
    assert "16.0 GB of RAM" in text and "a GPU" in text and "7B class" in text
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
    assert "no GPU" in w.hardware_label.text() and "3B class" in w.hardware_label.text()


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
