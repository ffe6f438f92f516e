"""Knowledge-base speed on this machine (#17).

1. Indexing throughput with the offline embedder (all-minilm:l6-v2 on the built-in engine):
   chunks per second through the real Indexer (parse, chunk, /api/embed, SQLite).
2. Query latency and memory at 10k and 100k chunks (384 dimensions, query embedding excluded),
   each beside its alternatives in the same run: the path of ae943eb (retrieval_legacy.py:
   index grown per page, per-query chunk count, join before ranking, halves one after the
   other); the int8 rows scored without the projection first; numpy float32 exact; usearch's
   HNSW. Times are wall-clock median and p95 with the process's CPU time beside them (this
   machine is shared: the wall clock counts waiting for a core); memory is tracemalloc's peak
   and, in a fresh process, the growth of the peak RSS while the index loads.

    python benchmarks/retrieval_speed.py [--sizes 10000,100000] [--skip-embed] [--skip-usearch]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from desktop.core.documents.chunk import Chunk  # noqa: E402
from desktop.core.documents.indexer import Indexer  # noqa: E402
from desktop.core.documents.kb import KnowledgeStore, Passage  # noqa: E402
from desktop.core.documents.retrieve import INDEXES, Retriever  # noqa: E402

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


def timed(fn: Callable[[], object], repeat: int = 30) -> dict[str, float]:
    """Wall-clock median and p95, and the median CPU time of this process (all its threads):
    on a machine shared with other work the wall clock also counts the time spent waiting for a
    core, which the CPU time does not."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    walls.sort()
    return {"median": round(statistics.median(walls), 2), "p95": round(walls[int(len(walls) * 0.95) - 1], 2),
            "cpu_median": round(statistics.median(cpus), 2)}


def ratio(old: dict[str, float], new: dict[str, float]) -> float:
    return round(old["median"] / new["median"], 1) if new["median"] else 0.0


def load_peak_rss(db: Path, legacy: bool) -> dict[str, float]:
    """The index loaded in a fresh process (this script with --measure-load): how much its peak
    RSS grows over the process with the database open (the kernel's high-water mark, numpy and
    SQLite's page cache included)."""
    command = [sys.executable, __file__, "--measure-load", str(db)] + (["--legacy"] if legacy else [])
    figures: dict[str, float] = json.loads(subprocess.run(command, check=True, capture_output=True).stdout)
    return figures


def measure_load(db: Path, legacy: bool) -> None:
    import resource

    import retrieval_legacy

    with KnowledgeStore(db) as store:
        [collection] = store.collections()
        store.signature(collection.id)
        before = high_water_kib() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        if legacy:
            retrieval_legacy.load(store, collection.id, collection.dimension)
        else:
            Retriever(store).index_for(collection)
        seconds = time.perf_counter() - started
        after = high_water_kib() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_rss_growth_MiB": round((after - before) / 1024, 1), "load_s": round(seconds, 2)}))


def high_water_kib() -> int:
    """VmHWM, this process's peak RSS (Linux): ru_maxrss would carry the parent's peak over
    exec, hiding the load's growth; 0 where /proc is missing."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)


def traced_load(load: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    tracemalloc.start()
    started = time.perf_counter()
    index = load()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return index, {"load_s_traced": round(seconds, 2), "index_MiB": round(index.nbytes / 2**20, 1),
                   "load_peak_MiB_tracemalloc": round(peak / 2**20, 1)}


def query_figures(work: Path, n: int, usearch: bool = True) -> dict[str, object]:
    import retrieval_legacy as legacy

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
    out["db_MiB"] = round(db.stat().st_size / 2**20, 1)
    out["load_new"] = load_peak_rss(db, legacy=False)
    out["load_old"] = load_peak_rss(db, legacy=True)
    with KnowledgeStore(db) as store:
        [collection] = store.collections()
        INDEXES.clear()
        index, out["load_new_traced"] = traced_load(lambda: Retriever(store).index_for(collection))
        old_index, out["load_old_traced"] = traced_load(lambda: legacy.load(store, collection.id, DIM))
        out["signature_ms"] = {"new": timed(lambda: store.signature(collection.id)),
                               "old": timed(lambda: legacy.signature(store, collection.id))}

        def each(search: Callable[[Any, int], object]) -> Callable[[], object]:
            qi = iter(list(queries) * 10)
            return lambda: search(next(qi), 50)

        exact_int8 = copy.copy(index)
        exact_int8._basis = None  # the int8 rows scored one by one, no projection first
        vector: dict[str, Any] = {"new": timed(each(index.search)), "old": timed(each(old_index.search)),
                  "int8_all_rows": timed(each(exact_int8.search)),
                  "numpy_float32_exact": timed(each(lambda q, k: np.argpartition(-(vectors @ q), k)[:k]))}
        tracemalloc.start()
        index.search(queries[0], 50)
        vector["search_peak_MiB"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 2)
        tracemalloc.stop()
        out["vector_ms"] = vector
        out["vector_speedup_old_over_new"] = ratio(vector["old"], vector["new"])
        ids = index.ids
        recall = []
        for q in queries[:10]:
            exact = set(ids[np.argsort(-(vectors[ids - 1] @ (q / np.linalg.norm(q))))[:10]].tolist())
            recall.append(len(exact & {i for i, _ in index.search(q, 10)}) / 10)
        out["vector_recall_at_10_vs_exact_float32"] = round(float(np.mean(recall)), 3)

        # Words of the long tail, as a question's useful words are, with common ones around them.
        question = f"what is the {WORDS[700]} of the {WORDS[2500]} and {WORDS[3900]}"
        # and one of words found in most chunks: FTS5 must score every chunk that has one
        common = f"the {WORDS[7]} and the {WORDS[8]}"
        out["keyword_ms"] = {
            "new": timed(lambda: store.keyword([collection.id], question, 50)),
            "old": timed(lambda: legacy.keyword(store, [collection.id], question, 50)),
        }
        out["keyword_speedup_old_over_new"] = ratio(
            out["keyword_ms"]["old"], out["keyword_ms"]["new"])  # type: ignore[index]
        out["keyword_common_words_ms"] = {
            "new": timed(lambda: store.keyword([collection.id], common, 50), repeat=5),
            "old": timed(lambda: legacy.keyword(store, [collection.id], common, 50), repeat=5),
        }
        qi = iter(list(queries) * 10)

        async def fixed(texts: list[str]) -> list[list[float]]:
            return [next(qi).tolist()]  # the query embedding, excluded from the timing

        qo = iter(list(queries) * 10)
        cache: dict[int, object] = {}
        asyncio.run(legacy.search(store, cache, collection.id, DIM, question, next(qo)))  # type: ignore[arg-type]
        new_top = [p.chunk_id for p in asyncio.run(retriever_search(store, question, queries[3]))]
        old_top = [p.chunk_id for p in asyncio.run(
            legacy.search(store, cache, collection.id, DIM, question, queries[3]))]  # type: ignore[arg-type]
        out["hybrid_top5_shared_with_old"] = len(set(new_top) & set(old_top))  # old fused 50 a half, new 10
        # On one event loop that stays, as in the app (qasync's loop, its executor's threads
        # kept); asyncio.run per query also starts and joins the worker threads every time, which
        # on a busy machine is most of the wall time (kept below, comparable with earlier runs).
        loop = asyncio.new_event_loop()
        try:
            out["hybrid_ms"] = {
                "new": timed(lambda: loop.run_until_complete(
                    Retriever(store).search(["bench"], question, fixed, k=5))),
                "old": timed(lambda: loop.run_until_complete(legacy.search(
                    store, cache, collection.id, DIM, question, next(qo)))),  # type: ignore[arg-type]
            }
        finally:
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()
        out["hybrid_speedup_old_over_new"] = ratio(
            out["hybrid_ms"]["old"], out["hybrid_ms"]["new"])  # type: ignore[index]
        out["hybrid_ms_asyncio_run_each"] = {
            "new": timed(lambda: asyncio.run(Retriever(store).search(["bench"], question, fixed, k=5))),
            "old": timed(lambda: asyncio.run(legacy.search(
                store, cache, collection.id, DIM, question, next(qo)))),  # type: ignore[arg-type]
        }
    out["float32_MiB"] = round(vectors.nbytes / 2**20, 1)
    try:
        if not usearch:
            raise ImportError
        from usearch.index import Index

        started = time.perf_counter()
        hnsw = Index(ndim=DIM, metric="cos", dtype="i8")
        hnsw.add(np.arange(n), vectors)
        out["usearch_build_s"] = round(time.perf_counter() - started, 2)
        qi = iter(list(queries) * 10)
        out["usearch_i8_ms"] = timed(lambda: hnsw.search(next(qi), 50))
        out["usearch_MiB"] = round(hnsw.memory_usage / 2**20, 1)
        recall = []
        for q in queries[:10]:
            exact = set(np.argsort(-(vectors @ (q / np.linalg.norm(q))))[:10].tolist())
            recall.append(len(exact & {int(k) for k in hnsw.search(q, 10).keys}) / 10)
        out["usearch_recall_at_10"] = round(float(np.mean(recall)), 3)
    except ImportError:
        out["usearch"] = "not installed" if usearch else "skipped"
    return out


async def retriever_search(store: KnowledgeStore, question: str, vector: np.ndarray) -> list[Passage]:
    async def embed(texts: list[str]) -> list[list[float]]:
        return [vector.tolist()]

    return await Retriever(store).search(["bench"], question, embed, k=5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--skip-embed", action="store_true")
    parser.add_argument("--skip-usearch", action="store_true", help="its HNSW build takes minutes at 100k")
    parser.add_argument("--measure-load", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--legacy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_load:
        measure_load(args.measure_load, args.legacy)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results: dict[str, object] = {}
        if not args.skip_embed:
            results["indexing"] = indexing_throughput(work)
            print(json.dumps(results["indexing"]), flush=True)
        for n in (int(x) for x in args.sizes.split(",")):
            results[str(n)] = query_figures(work, n, usearch=not args.skip_usearch)
            print(json.dumps(results[str(n)], ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
