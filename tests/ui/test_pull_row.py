"""What a failed pull's row shows: plain words with a way out, no stale status line, no 0 % bar."""

from __future__ import annotations

from typing import Any

from desktop.core.pulls import LayerProgress, PullSnapshot, PullState
from desktop.ui.widgets.pull_row import PullRow

OFFLINE = "pull model manifest: [Errno -2] Name or service not known"


def snap(
    state: PullState, *, status: str = "pulling manifest", error: str = "", completed: int = 0
) -> PullSnapshot:
    layers = (LayerProgress("sha256:" + "a" * 64, 4_900_000_000, completed),) if completed else ()
    return PullSnapshot(
        model="llama3.1:8b",
        state=state,
        status=status,
        layers=layers,
        completed=completed,
        total=4_900_000_000 if completed else 0,
        fraction=completed / 4_900_000_000 if completed else None,
        total_settled=False,
        speed=0.0,
        eta=None,
        error=error,
        attempts=1,
        elapsed=3.0,
    )


def test_offline_failure_is_plain_with_retry_and_nothing_stale(qtbot: Any) -> None:
    row = PullRow("llama3.1:8b")
    qtbot.addWidget(row)
    row.resize(700, 160)
    row.show()
    qtbot.waitExposed(row)
    row.update_snapshot(snap(PullState.STARTING))
    assert row.figures_label.text() == "pulling manifest"  # current while it is connecting
    row.update_snapshot(snap(PullState.FAILED, error=OFFLINE))
    assert row.state_label.text() == "Failed"
    text = row.error_label.text()
    assert row.error_label.isVisible() and row.error_label.height() > 0
    assert text.startswith("No network connection: the model registry could not be reached.")
    assert "press Retry" in text and text.endswith(f"Details: {OFFLINE}")
    assert row.figures_label.text() == ""  # the stale "pulling manifest" is gone
    assert not row.bar.isVisible() and not row.percent_label.isVisible()  # no "0 %" bar
    assert row.retry_button.isVisible() and not row.cancel_button.isVisible()


def test_failure_after_some_bytes_keeps_the_bar_and_says_retry_continues(qtbot: Any) -> None:
    row = PullRow("llama3.1:8b")
    qtbot.addWidget(row)
    row.show()
    qtbot.waitExposed(row)
    row.update_snapshot(
        snap(
            PullState.FAILED,
            error="pull model manifest: All connection attempts failed",
            completed=1_225_000_000,
        )
    )
    assert row.bar.isVisible() and row.percent_label.text() == "25 %"
    assert "Retry continues from there" in row.figures_label.text()
    assert row.error_label.text().startswith("The model registry did not answer.")


def test_an_unknown_error_is_shown_as_the_server_wrote_it(qtbot: Any) -> None:
    row = PullRow("x:1")
    qtbot.addWidget(row)
    row.update_snapshot(snap(PullState.FAILED, error="something odd happened"))
    assert row.error_label.text() == "something odd happened"
