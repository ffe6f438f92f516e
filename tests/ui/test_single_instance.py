"""Single instance: a second launch forwards its argv; a crash leaves nothing that blocks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.ui.single_instance import (
    SingleInstance,
    claim_or_forward,
    decode_message,
    encode_message,
    forward,
    instance_key,
)

ROOT = Path(__file__).resolve().parents[2]

LAUNCH = textwrap.dedent(
    """
    import sys
    from desktop.ui.single_instance import claim_or_forward
    kept = claim_or_forward(sys.argv[1:], wait=3.0)
    print("first" if kept is not None else "forwarded", flush=True)
    sys.exit(0)
    """
)


def launch(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", LAUNCH, *argv],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def finish(qtbot, proc: subprocess.Popen[str], timeout: int = 10000) -> tuple[int, str, str]:
    # The first instance answers from this thread's event loop, so wait without blocking it.
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=timeout)
    out, err = proc.communicate()
    return proc.returncode, out, err


def test_second_launch_forwards_argv_and_exits_zero(qtbot) -> None:
    first = SingleInstance()
    assert first.acquire()
    try:
        assert first.listening
        with qtbot.waitSignal(first.message_received, timeout=10000) as blocker:
            proc = launch("--quick-ask", "什么是 Vec<String>?")
            code, out, err = finish(qtbot, proc)
        assert (code, out.strip()) == (0, "forwarded"), err
        assert blocker.args == [["--quick-ask", "什么是 Vec<String>?"]]
    finally:
        first.release()


def test_two_forwards_in_a_row_both_arrive(qtbot) -> None:
    first = SingleInstance()
    assert first.acquire()
    received: list[list[str]] = []
    first.message_received.connect(received.append)
    try:
        for text in ("one", "two"):
            code, out, err = finish(qtbot, launch("--quick-ask", text))
            assert (code, out.strip()) == (0, "forwarded"), err
        qtbot.waitUntil(lambda: len(received) == 2)
        assert received == [["--quick-ask", "one"], ["--quick-ask", "two"]]
    finally:
        first.release()


def test_lock_is_exclusive_while_the_owner_lives() -> None:
    first = SingleInstance()
    assert first.acquire()
    try:
        second = SingleInstance()
        assert not second.acquire()
    finally:
        first.release()
    third = SingleInstance()
    assert third.acquire()
    third.release()


def test_stale_lock_and_socket_after_a_crash_do_not_block(qtbot, desk_home: Path) -> None:
    crash = textwrap.dedent(
        """
        import os, signal
        from PySide6.QtCore import QCoreApplication
        from desktop.ui.single_instance import SingleInstance
        app = QCoreApplication([])
        inst = SingleInstance()
        assert inst.acquire() and inst.listening
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    proc = subprocess.run([sys.executable, "-c", crash], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    key = instance_key()
    assert (desk_home / f"{key}.lock").exists()  # what the crash left behind

    survivor = SingleInstance()
    assert survivor.acquire()
    try:
        assert survivor.listening
        with qtbot.waitSignal(survivor.message_received, timeout=10000) as blocker:
            code, out, err = finish(qtbot, launch("--quick-ask"))
        assert (code, out.strip()) == (0, "forwarded"), err
        assert blocker.args == [["--quick-ask"]]
    finally:
        survivor.release()


def test_first_launch_keeps_the_instance(qapp) -> None:
    kept = claim_or_forward(["--quick-ask"])
    assert kept is not None and kept.listening
    kept.release()


def test_other_data_folders_are_other_instances(tmp_path: Path) -> None:
    assert instance_key(tmp_path / "a") != instance_key(tmp_path / "b")


@pytest.mark.parametrize("data", [b"not json\n", b'{"argv": "x"}\n', b'{"argv": [1]}\n', b"\xff\n"])
def test_garbage_is_refused(data: bytes) -> None:
    assert decode_message(data) is None


def test_message_round_trip() -> None:
    assert decode_message(encode_message(["--quick-ask", "é"])) == ["--quick-ask", "é"]


def test_claimed_before_the_application_exists_then_listens() -> None:
    """app.py claims before QApplication (a forwarding launch exits fast), then listens."""
    first = textwrap.dedent(
        """
        from desktop.ui.single_instance import claim_or_forward
        inst = claim_or_forward([])
        assert inst is not None and not inst.listening
        from PySide6.QtCore import QCoreApplication, QTimer
        app = QCoreApplication([])
        assert inst.listen() and inst.listen()
        inst.message_received.connect(lambda argv: (print("got", argv, flush=True), app.quit()))
        print("ready", flush=True)
        QTimer.singleShot(20000, app.quit)
        app.exec()
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", first], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        assert forward(["--quick-ask", "hi"])  # blocking is fine: the server is in the other process
        assert proc.stdout.readline().strip() == "got ['--quick-ask', 'hi']"
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
