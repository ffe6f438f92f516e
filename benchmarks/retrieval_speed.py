"""Knowledge-base speed on this machine (#17).

1. Indexing throughput with the offline embedder (all-minilm:l6-v2 on the built-in engine):
   chunks per second through the real Indexer (parse, chunk, /api/embed, SQLite).
2. Query latency and memory at 10k and 100k chunks (384 dimensions, query embedding excluded):
   the int8 brute-force index the app uses, usearch's HNSW for comparison, the keyword half
   (FTS5 with CJK bigrams) and the whole hybrid retrieval through Retriever.search.

    python benchmarks/retrieval_speed.py [--sizes 10000,100000] [--skip-embed]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from desktop.core.documents.chunk import Chunk  # noqa: E402
from desktop.core.documents.indexer import Indexer  # noqa: E402
from desktop.core.documents.kb import KnowledgeStore  # noqa: E402
from desktop.core.documents.retrieve import Retriever  # noqa: E402

DIM = 384
_SYLLABLES = "ka ri to ne mo la shi vu en or al de pa qu ix so".split()
# A Zipf-like vocabulary of 4096 made-up words plus common English and some Chinese: real text has
# a few very common words and a long tail, which is what the keyword index's speed depends on.
WORDS = ("the of and to in is for valve harbour 龙井 西湖 茶".split()
         + [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES])
WEIGHTS = [1.0 / (rank + 1) for rank in range(len(WORDS))]


def start_engine(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = {**os.environ, "OLLAMA_DESK_HOME": str(home), "OLLAMA_DESK_PARENT_PID": str(os.getpid())}
    process = subprocess.Popen([sys.executable, "-m", "desktop", "serve", "--host", "127.0.0.1:0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=str(REPO))
    assert process.stdout is not None
    for raw in process.stdout:
        line = raw.decode().strip()
        if line.startswith("listening on "):
            return process, line.split(" ", 2)[2]
    raise RuntimeError("the engine did not start")


def indexing_throughput(work: Path) -> dict[str, float]:
    from desktop.core.ollama.client import OllamaClient

    corpus = work / "corpus"
    corpus.mkdir()
    sources = sorted(Path(sys.prefix).glob("lib/python3*/site-packages/*.dist-info/METADATA"))[:80]
    for i, source in enumerate(sources):
        (corpus / f"{i:03}.md").write_text(source.read_text(errors="replace")[:6000])
    process, url = start_engine(work / "home")
    try:
        async def run() -> dict[str, float]:
            async with OllamaClient(url) as client:
                async def embed(texts: list[str]) -> list[list[float]]:
                    return await client.embed("all-minilm:l6-v2", texts)

                started = time.perf_counter()
                await embed(["warm up: converts and loads the model"])
                first = time.perf_counter() - started
                with KnowledgeStore(work / "index.sqlite3") as store:
                    progress = await Indexer(store, embed, "all-minilm:l6-v2").add("bench", [corpus])
                return {"first_use_s": round(first, 2), "files": progress.files_done,
                        "chunks": progress.chunks_done, "seconds": round(progress.elapsed, 2),
                        "chunks_per_s": round(progress.speed, 1)}

        return asyncio.run(run())
    finally:
        process.terminate()
        process.wait(timeout=20)


def fill_store(store: KnowledgeStore, n: int, vectors: np.ndarray) -> None:
    collection = store.create("bench", "synthetic")
    store.set_model("bench", "synthetic", DIM)
    rng = random.Random(7)
    per_file = 1000
    for f in range(0, n, per_file):
        file_id, _ = store.begin_file(collection.id, f"/bench/file{f // per_file}.txt", 0, 0, str(f))
        chunks = [Chunk(" ".join(rng.choices(WORDS, WEIGHTS, k=60)) + f" item{f + i}", 1, "", 0, 0)
                  for i in range(min(per_file, n - f))]
        store.write_chunks(file_id, 0, chunks, vectors[f : f + len(chunks)].tolist(), last=True)


def timed(fn, repeat: int = 30) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return round(statistics.median(times), 2), round(times[int(len(times) * 0.95) - 1], 2)


def query_figures(work: Path, n: int) -> dict[str, object]:
    rng = np.random.default_rng(1)
    # Clustered vectors, as real embeddings are, rather than uniform noise.
    centres = rng.standard_normal((256, DIM)).astype(np.float32)
    vectors = centres[rng.integers(0, 256, n)] + 0.6 * rng.standard_normal((n, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = vectors[rng.integers(0, n, 30)] + 0.1 * rng.standard_normal((30, DIM)).astype(np.float32)
    out: dict[str, object] = {"chunks": n}
    db = work / f"kb-{n}.sqlite3"
    with KnowledgeStore(db) as store:
        started = time.perf_counter()
        fill_store(store, n, vectors)
        out["fill_s"] = round(time.perf_counter() - started, 1)
        retriever = Retriever(store)
        [collection] = store.collections()
        tracemalloc.start()
        started = time.perf_counter()
        index = retriever.index_for(collection)
        out["index_load_from_db_s"] = round(time.perf_counter() - started, 2)
        out["index_MiB"] = round(index.nbytes / 2**20, 1)
        out["index_load_peak_MiB"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.reset_peak()
        qi = iter(list(queries) * 10)
        out["vector_ms_median_p95"] = timed(lambda: index.search(next(qi), 50))
        out["vector_search_peak_MiB"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 2)
        tracemalloc.stop()
        ids = index.ids
        unit = vectors  # row i is chunk ids[i] (filled in order)
        recall = []
        for q in queries[:10]:
            exact = set(ids[np.argsort(-(unit @ (q / np.linalg.norm(q))))[:10]].tolist())
            recall.append(len(exact & {i for i, _ in index.search(q, 10)}) / 10)
        out["vector_recall_at_10_vs_exact_float32"] = round(float(np.mean(recall)), 3)
        qi = iter(list(queries) * 10)

        async def fixed(texts: list[str]) -> list[list[float]]:
            return [next(qi).tolist()]  # the query embedding, excluded from the timing

        # Words of the long tail, as a question's useful words are, with common ones around them.
        question = f"what is the {WORDS[700]} of the {WORDS[2500]} and {WORDS[3900]}"
        out["keyword_ms_median_p95"] = timed(lambda: store.keyword([collection.id], question, 50))
        out["hybrid_ms_median_p95"] = timed(
            lambda: asyncio.run(retriever.search(["bench"], question, fixed, k=5)))
    out["db_MiB"] = round(db.stat().st_size / 2**20, 1)
    qi = iter(list(queries) * 10)
    out["float32_exact_ms_median_p95"] = timed(lambda: np.argpartition(-(vectors @ next(qi)), 50)[:50])
    out["float32_MiB"] = round(vectors.nbytes / 2**20, 1)
    try:
        from usearch.index import Index

        started = time.perf_counter()
        hnsw = Index(ndim=DIM, metric="cos", dtype="i8")
        hnsw.add(np.arange(n), vectors)
        out["usearch_build_s"] = round(time.perf_counter() - started, 2)
        qi = iter(list(queries) * 10)
        out["usearch_i8_ms_median_p95"] = timed(lambda: hnsw.search(next(qi), 50))
        out["usearch_MiB"] = round(hnsw.memory_usage / 2**20, 1)
        recall = []
        for q in queries[:10]:
            exact = set(np.argsort(-(vectors @ (q / np.linalg.norm(q))))[:10].tolist())
            recall.append(len(exact & {int(k) for k in hnsw.search(q, 10).keys}) / 10)
        out["usearch_recall_at_10"] = round(float(np.mean(recall)), 3)
    except ImportError:
        out["usearch"] = "not installed"
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--skip-embed", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results: dict[str, object] = {}
        if not args.skip_embed:
            results["indexing"] = indexing_throughput(work)
            print(json.dumps(results["indexing"]), flush=True)
        for n in (int(x) for x in args.sizes.split(",")):
            results[str(n)] = query_figures(work, n)
            print(json.dumps(results[str(n)], ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
