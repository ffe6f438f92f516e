"""The catalog browser with the bundled catalog and a probed machine: what its labels, filter
and count show agree with each other and with the hardware page's suggestions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from desktop.core import catalog
from desktop.core.catalog import load_catalog
from desktop.core.hardware.machine import GIB, Cpu, Gpu, Machine, Memory
from desktop.core.hardware.report import build_report
from desktop.ui.widgets.catalog_browser import CatalogBrowser

TWO_CORES = Machine(memory=Memory(int(23.5 * GIB), 22 * GIB), cpu=Cpu("AMD EPYC", 2, 2), os="Linux")
GPU_8GB = Machine(
    memory=Memory(int(15.5 * GIB), 12 * GIB),
    cpu=Cpu("Ryzen", 6, 12),
    gpus=(Gpu("RTX 4060", "nvidia", "cuda", 8188 * 2**20, 7776 * 2**20),),
    os="Linux",
)


@pytest.fixture(autouse=True)
def forget_machine() -> Iterator[None]:
    yield
    catalog.set_machine(None)


def shown(browser: CatalogBrowser) -> dict[str, str]:
    """Tag -> the verdict text in the tree, as it is drawn."""
    tree = browser.tree
    out = {}
    for i in range(tree.topLevelItemCount()):
        parent = tree.topLevelItem(i)
        for j in range(parent.childCount()):
            out[parent.child(j).text(0)] = parent.child(j).text(4)
    return out


def browser_for(qtbot: Any, machine: Machine) -> CatalogBrowser:
    catalog.set_machine(machine)
    browser = CatalogBrowser()
    qtbot.addWidget(browser)
    browser.resize(900, 600)
    browser.show()
    qtbot.waitExposed(browser)
    return browser


def test_cpu_only_but_fast_enough_is_its_own_label(qtbot: Any) -> None:
    labels = shown(browser_for(qtbot, TWO_CORES))
    assert "CPU only (slow)" not in labels.values()
    assert labels["qwen2.5:0.5b"].startswith("Runs on the CPU, about ")
    assert labels["nomic-embed-text:v1.5"].startswith("Runs on the CPU, about ")
    assert labels["qwen2.5:14b"].startswith("Fits, slow: about ")
    assert labels["qwen2.5:14b"].endswith("tokens/s")
    assert labels["llama3.1:70b"] == "Too large"
    assert len(set(labels.values())) > 10  # speeds differ per tag


@pytest.mark.parametrize("machine", [TWO_CORES, GPU_8GB])
def test_the_runs_well_filter_shows_exactly_the_well_labelled_tags(qtbot: Any, machine: Machine) -> None:
    browser = browser_for(qtbot, machine)
    every = shown(browser)
    browser.fits_check.setChecked(True)
    well = shown(browser)
    assert well and set(well) == {
        tag for tag, text in every.items() if not text.startswith(("Fits, slow", "Too large"))
    }
    assert browser.count_label.text() == f"Tags listed: {len(well)}"


def test_no_tags_always_says_why(qtbot: Any) -> None:
    browser = browser_for(qtbot, TWO_CORES)
    browser.fits_check.setChecked(True)
    browser.search_edit.setText("qwen2.5:72b")
    assert shown(browser) == {} and browser.count_label.text() == "Tags listed: 0"
    reason = browser.empty_label
    assert reason.isVisible() and reason.height() > 0
    assert reason.text() == (
        "Nothing that matches runs at 8 tokens/s or more here (matching tags: 1). "
        "Untick “Only what runs well here” to see them."
    )
    assert browser.width() <= 900  # the reason wraps: it does not widen the page
    browser.fits_check.setChecked(False)
    assert browser.count_label.text() == "Tags listed: 1" and shown(browser) == {"qwen2.5:72b": "Too large"}
    assert not reason.isVisible()
    browser.search_edit.setText("no-such-model-anywhere")
    assert reason.isVisible() and reason.text() == (
        "No tag matches “no-such-model-anywhere”. Try a shorter word, or another use."
    )


@pytest.mark.parametrize("machine", [TWO_CORES, GPU_8GB])
def test_also_good_never_lists_what_the_catalog_calls_too_large(qtbot: Any, machine: Machine) -> None:
    labels = shown(browser_for(qtbot, machine))
    report = build_report(machine, load_catalog())
    for s in report.suggestions:
        for tag, _verdict in s.alternatives:
            assert not labels[tag].startswith(("Too large", "Fits, slow")), (s.use, tag, labels[tag])
        if s.tag in labels:
            assert not labels[s.tag].startswith("Too large")
        if s.slower is not None:
            assert labels[s.slower[0]].startswith("Fits, slow: about ")
