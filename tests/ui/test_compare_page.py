"""The Compare page against the real engine: the starter model and its Q8_0 requantization."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.core.bench import BenchResult
from desktop.core.bench_store import BenchStore
from desktop.core.ollama import OllamaClient, Timeouts
from desktop.ui.controllers.compare_controller import CompareController
from desktop.ui.widgets.compare_page import ComparePage

pytestmark = pytest.mark.engine
MODEL = "smollm2:135m"
Q8 = "smollm2-q8:135m"
QUESTION = "What is the capital city of France? Answer with one word."
SHOTS = os.environ.get("OLLAMA_DESK_SHOTS")  # a folder: the screenshot for docs/ is saved there


@pytest.fixture(scope="module")
def compare_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.support.engine import start_engine

    engine = start_engine(tmp_path_factory.mktemp("compare-engine"))
    try:
        # Plain HTTP: the UI tests' qasync loop counts as running, so no asyncio.run here.
        body = {"model": Q8, "from": MODEL, "quantize": "q8_0", "stream": False}
        made = httpx.post(f"{engine.url}/api/create", json=body, timeout=240)
        assert made.status_code == 200 and made.json()["status"] == "success", made.text
        yield engine.url
    finally:
        engine.stop()


def _cells(table: Any, row: int) -> list[str]:
    return [table.item(row, c).text() if table.item(row, c) else "" for c in range(table.columnCount())]


def test_comparing_two_real_models_shows_the_servers_figures(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, compare_engine: str, tmp_path: Path
) -> None:
    client = OllamaClient(compare_engine, timeouts=Timeouts(first_token=120, idle=60))
    store = BenchStore(tmp_path / "bench")
    controller = CompareController(lambda: client, store)
    page = ComparePage(controller)
    qtbot.addWidget(page)
    page.resize(1280, 860)
    page.show()
    try:
        qtbot.waitUntil(lambda: page.models.count() >= 2, timeout=20000)
        page.tick([MODEL, Q8])
        page.prompt.setPlainText(QUESTION)
        page.runs.setValue(2)
        page.num_predict.setValue(12)
        with qtbot.waitSignal(controller.finished, timeout=180000) as done:
            page.run_button.click()
            qtbot.waitUntil(lambda: page.stop_button.isEnabled(), timeout=5000)
        result: BenchResult = done.args[0]
        qtbot.waitUntil(lambda: page.saved.count() == 1, timeout=10000)

        # Each model alone, two runs each, the server's own figures on screen.
        first, second = result.models  # the list's order: the page runs them top to bottom
        assert {first, second} == {MODEL, Q8} and result.models == page.chosen_models()
        assert [r.model for r in result.runs] == [first, first, second, second]
        assert all(r.ok and 0 < r.eval_count <= 12 for r in result.runs)
        assert page.runs_table.rowCount() == 4
        for row, r in enumerate(result.runs):
            cells = _cells(page.runs_table, row)
            assert cells[0] == r.model and cells[1] == str(r.run)
            assert cells[4] == str(r.prompt_eval_count)
            assert cells[6] == str(r.eval_count)
            assert cells[7] == f"{r.eval_count / (r.eval_duration / 1e9):.1f}"
            assert cells[2] == f"{r.load_duration / 1e9:.2f}"
            assert cells[9] == f"{r.size / 1024**2:.0f}" and r.size > 0
        rows = {_cells(page.summary, i)[0]: _cells(page.summary, i) for i in range(page.summary.rowCount())}
        for model, row in rows.items():
            speeds = sorted(r.eval_count / (r.eval_duration / 1e9) for r in result.runs_of(model))
            median = sum(speeds) / 2
            assert row[5].startswith(f"{median:.1f}")
        # Q8_0 weights are ~43 MB larger than Q4_1's; the context cache (same for both) comes on top.
        sizes = dict(zip(result.models, page.chart.memory.values, strict=True))
        assert 30 < sizes[Q8] - sizes[MODEL] < 60
        assert page.chart.speed.values == pytest.approx(
            [result.summary(m).figures["tokens_per_second"].median for m in result.models]
        )
        # Answers side by side, as the server sent them.
        assert page.answers.boxes[MODEL].toPlainText() == result.runs_of(MODEL)[-1].answer
        assert "Paris" in page.answers.boxes[Q8].toPlainText()
        assert page.answers.boxes[MODEL].isVisible() and page.answers.boxes[Q8].isVisible()
        assert page.chart.speed.isVisible() and page.chart.speed.height() >= 150
        # The saved comparison reopens from the list.
        assert store.list()[0].id == result.id
        assert "tokens/s" in page.saved.item(0).text()
        shot = page.grab()
        assert not shot.toImage().isNull()
        if SHOTS:  # never into the checkout by itself
            shot.save(str(Path(SHOTS) / "compare-view.png"))
    finally:
        task = asyncio.ensure_future(controller.aclose(), loop=qloop)
        qtbot.waitUntil(task.done, timeout=10000)
        closing = asyncio.ensure_future(client.aclose(), loop=qloop)
        qtbot.waitUntil(closing.done, timeout=10000)
        page.close()
