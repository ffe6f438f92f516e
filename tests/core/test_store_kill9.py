"""kill -9 a process that is writing to the store: nothing it acknowledged may be lost.

The child adds messages and grows earlier ones (the way a streaming reply is saved),
and reports each write on stdout only after the commit returned. The parent kills it
with SIGKILL at random moments (sometimes while it is still opening or migrating the
database), many times over, then checks the file and every acknowledged write.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core.store import Store

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import hashlib, random, sys
from pathlib import Path
from desktop.core.store import Store

def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()

def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()

rnd = random.Random(int(sys.argv[2]))
store = Store(Path(sys.argv[1]))
convs = [c for c in store.conversations() if c.loadable]
conv = convs[0] if convs else store.create_conversation("kill -9")
pieces = ["plain ascii words ", "中文内容测试，", "emoji 🙂🚀 ", "code `x = 1`\n", "\u00e9\u00e8 "]
last = None
while True:
    text = "".join(rnd.choice(pieces) for _ in range(rnd.choice((1, 5, 40, 400, 3000))))
    if last is not None and rnd.random() < 0.4:
        message_id, old = last
        grown = old + text
        say(f"W {message_id} {digest(grown)}")
        store.update_message(message_id, content=grown)
        say(f"A {message_id} {digest(grown)}")
        last = (message_id, grown)
    else:
        message = store.add_message(conv.id, "assistant", text)
        say(f"A {message.id} {digest(text)}")
        last = (message.id, text)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "kill9.sqlite3"
    rnd = random.Random(20261122)
    acked: dict[int, str] = {}  # message id -> digest of the last acknowledged content
    maybe: dict[int, set[str]] = {}  # writes announced after that ack (committed or not)
    rounds = rounds_with_acks = 0
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    started = time.monotonic()
    while rounds < 24 and (rounds < 20 or time.monotonic() - started < 20):
        out_path = tmp_path / f"round{rounds}.out"
        with open(out_path, "wb") as out:
            command = [sys.executable, "-c", CHILD, str(db), str(rounds)]
            child = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, env=env)
            time.sleep(rnd.uniform(0.02, 0.7))
            os.kill(child.pid, signal.SIGKILL)
            _, err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL, err.decode(errors="replace")
        rounds += 1
        data = out_path.read_text("utf-8")
        # Only whole lines count: a line cut by the kill was not acknowledged.
        lines = data.splitlines()[: data.count("\n")]
        rounds_with_acks += any(line.startswith("A ") for line in lines)
        for line in lines:
            kind, message_id, digest = line.split()
            if kind == "A":
                acked[int(message_id)] = digest
                maybe[int(message_id)] = set()
            else:
                maybe.setdefault(int(message_id), set()).add(digest)
    elapsed = time.monotonic() - started

    assert rounds >= 20 and rounds_with_acks >= 10, (rounds, rounds_with_acks)
    assert len(acked) > 50
    with Store(db) as store:
        assert store.integrity_check() == "ok"
        conv = store.conversations()[0]
        present = {m.id: m.content for m in store.messages(conv.id)}
    for message_id, digest in acked.items():
        assert message_id in present, f"acknowledged message {message_id} is missing"
        got = hashlib.sha256(present[message_id].encode()).hexdigest()
        assert got == digest or got in maybe[message_id], f"message {message_id} lost acknowledged text"
    assert elapsed < 40, f"{rounds} rounds took {elapsed:.1f} s"
