"""How long does opening a long conversation take? (Store.messages on 2,000 messages)

    python benchmarks/store_open.py [--messages 2000] [--runs 15]

Builds a throwaway database with one conversation of realistic turns (short questions,
long answers with code, Chinese, metrics on every reply) and prints the median time of
Store.messages() over several runs, plus the other things a user waits for around it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core.store import Store  # noqa: E402

WORDS = "the model answer context token memory layer quantized window local private offline".split()
CHINESE = "模型上下文量化本地离线隐私回答问题内存显卡速度"


def _prose(rnd: random.Random, chars: int) -> str:
    out: list[str] = []
    size = 0
    while size < chars:
        if rnd.random() < 0.2:
            word = "".join(rnd.choice(CHINESE) for _ in range(rnd.randint(2, 8)))
        else:
            word = rnd.choice(WORDS)
        out.append(word)
        size += len(word) + 1
    return " ".join(out)


def _answer(rnd: random.Random) -> str:
    text = _prose(rnd, rnd.randint(300, 2500))
    if rnd.random() < 0.3:
        code = "\n".join(f"    value_{i} = compute({i}, 'x')" for i in range(rnd.randint(3, 40)))
        text += f"\n\n```python\ndef example():\n{code}\n```\n"
    return text


def build(store: Store, count: int, seed: int = 7) -> int:
    rnd = random.Random(seed)
    conv = store.create_conversation("Benchmark", "llama3.2:3b", "You are helpful.", {"num_ctx": 8192})
    for i in range(count):
        if i % 2 == 0:
            store.add_message(conv.id, "user", _prose(rnd, rnd.randint(20, 400)))
        else:
            reply = store.add_message(conv.id, "assistant", _answer(rnd), model="llama3.2:3b")
            store.update_message(
                reply.id,
                metrics={"eval_count": rnd.randint(50, 900), "tokens_per_second": 31.4, "load_seconds": 0.2},
            )
    return conv.id


def median_ms(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        with Store(path) as store:
            started = time.perf_counter()
            conv_id = build(store, args.messages)
            build_s = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
        with Store(path) as store:
            started = time.perf_counter()
            first = store.messages(conv_id)
            first_ms = (time.perf_counter() - started) * 1000
            chars = sum(len(m.content) for m in first)
            open_ms = median_ms(lambda: store.messages(conv_id), args.runs)
            list_ms = median_ms(store.conversations, args.runs)
            search_ms = median_ms(lambda: store.search("quantized"), args.runs)
            search_zh_ms = median_ms(lambda: store.search("量化"), args.runs)
        reopen_ms = median_ms(lambda: Store(path).close(), args.runs)
    print(f"conversation: {len(first)} messages, {chars / 1e6:.2f} M characters, database {size_mb:.1f} MB")
    print(f"building it (one transaction per write, {2 * args.messages} writes): {build_s:.2f} s")
    print(f"Store.messages, first call after opening: {first_ms:.1f} ms")
    print(f"Store.messages, median of {args.runs} runs: {open_ms:.1f} ms")
    print(f"Store() open + close, median: {reopen_ms:.1f} ms")
    print(f"Store.conversations, median: {list_ms:.2f} ms")
    print(f"Store.search('quantized') (trigram), median: {search_ms:.1f} ms")
    print(f"Store.search('量化') (two characters: LIKE scan), median: {search_zh_ms:.1f} ms")


if __name__ == "__main__":
    main()
