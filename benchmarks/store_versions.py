"""What do versions cost? Adding, reading and switching in a long conversation.

    python benchmarks/store_versions.py [--messages 2000] [--runs 15]

One conversation of --messages turns (about 900 characters each); then the medians of
add_message at its end, Store.messages(), add_version (a regenerated reply, deep in the
conversation and at its end), select_version (switch back: the thread is re-marked down
to the last turn) and delete_messages_from (a 1,000-message branch).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core.messages import Role, ThinkingPart  # noqa: E402
from desktop.core.store import Store  # noqa: E402


def _median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "bench.sqlite3") as store:
        c = store.create_conversation("versions")
        start = time.perf_counter()
        for i in range(args.messages):
            role = Role.USER if i % 2 == 0 else Role.ASSISTANT
            parts = (ThinkingPart("reasoning " * 20),) if role == Role.ASSISTANT and i % 10 == 1 else ()
            store.add_message(c.id, role, f"turn {i} " + "x" * 900, parts=parts)
        print(f"{args.messages} messages, one transaction each: {time.perf_counter() - start:.2f} s")
        add = _median_ms(lambda: store.add_message(c.id, Role.USER, "q"), 50)
        print(f"add_message at the end: {add:.3f} ms")
        print(f"Store.messages: {_median_ms(lambda: store.messages(c.id), args.runs):.1f} ms")
        thread = store.messages(c.id)
        last_reply = next(m for m in reversed(thread) if m.role == Role.ASSISTANT)
        # Regenerate what is shown each time, as the Regenerate button does.
        at_end = _median_ms(lambda: store.add_version(store.messages(c.id)[-1].id, "again"), args.runs)
        at_end -= _median_ms(lambda: store.messages(c.id), args.runs)
        print(f"add_version of the reply shown (regenerate): {at_end:.2f} ms")
        older = _median_ms(lambda: store.add_version(last_reply.id, "again"), args.runs)
        print(f"add_version of a reply not shown any more: {older:.2f} ms")
        newest = store.messages(c.id)[-1]
        switch = _median_ms(lambda: store.select_version(last_reply.id), 5)
        store.select_version(newest.id)
        print(f"select_version between two versions of the last reply: {switch:.2f} ms")
        deep = thread[5]
        branch_off = _median_ms(lambda: store.add_version(deep.id, "v"), 5)
        print(f"add_version of turn 6 (the rest leaves the thread): {branch_off:.2f} ms")
        back = _median_ms(lambda: store.select_version(deep.id), 5)
        print(f"select_version back to turn 6's first version: {back:.1f} ms")
        print(f"Store.messages after: {_median_ms(lambda: store.messages(c.id), args.runs):.1f} ms")
        branch = store.messages(c.id)[len(thread) // 2]
        start = time.perf_counter()
        store.delete_messages_from(branch.id)
        took = (time.perf_counter() - start) * 1000
        print(f"delete_messages_from (a {len(thread) - len(thread) // 2}-message branch): {took:.1f} ms")


if __name__ == "__main__":
    main()
