"""`ollama-desk docs`: knowledge bases from the terminal.

    docs add KB PATH...          create KB if new, index the files and folders (progress on stderr)
    docs list                    knowledge bases with their files and chunks
    docs search KB QUERY [--json] ranked passages with file, page and score
    docs rm KB [PATH...]         forget files (or folders), or the whole knowledge base

Embeddings come from /api/embed of the model server (--host, else OLLAMA_HOST); the built-in
engine has `all-minilm:l6-v2` offline. Results go to stdout, progress and errors to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.documents import DEFAULT_EMBED_MODEL

if TYPE_CHECKING:  # the parser is built on every launch, the GUI's too: numpy and SQLite wait
    from desktop.core.documents.indexer import Progress
    from desktop.core.documents.kb import KnowledgeStore
    from desktop.core.documents.retrieve import EmbedFn
    from desktop.core.ollama.client import OllamaClient


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", metavar="URL", help="model server address (default: OLLAMA_HOST, else 127.0.0.1:11434)"
    )
    parser.add_argument(
        "--embed-model",
        metavar="NAME",
        default=None,
        help=f"embedding model (default: the knowledge base's own, else {DEFAULT_EMBED_MODEL})",
    )
    sub = parser.add_subparsers(dest="docs_command", required=True)
    add = sub.add_parser("add", help="add files or folders to a knowledge base (created if new)")
    add.add_argument("kb", metavar="KB")
    add.add_argument("paths", metavar="PATH", nargs="+", type=Path)
    add.add_argument("--watch", action="store_true", help="keep the folders in step in the app")
    sub.add_parser("list", help="list the knowledge bases")
    search = sub.add_parser("search", help="search a knowledge base")
    search.add_argument("kb", metavar="KB")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    search.add_argument("--json", action="store_true", help="machine-readable output")
    rm = sub.add_parser("rm", help="remove files from a knowledge base, or the whole knowledge base")
    rm.add_argument("kb", metavar="KB")
    rm.add_argument("paths", metavar="PATH", nargs="*", type=Path)


class _Failure(Exception):
    pass


def run(args: argparse.Namespace) -> int:
    from desktop.core.documents.kb import KnowledgeStore
    from desktop.core.ollama.errors import OllamaError
    from desktop.core.store.errors import StoreError

    try:
        with KnowledgeStore.open_default() as store:
            return asyncio.run(_dispatch(args, store))
    except (_Failure, OllamaError, StoreError) as err:
        print(str(err), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped; run the same command again to continue where it stopped.", file=sys.stderr)
        return 130


def embedder(client: OllamaClient, model: str) -> EmbedFn:
    async def embed(texts: list[str]) -> list[list[float]]:
        return await client.embed(model, texts)

    return embed


def model_for(store: KnowledgeStore, kb: str, asked: str | None) -> str:
    found = store.collection(kb)
    return asked or (found.embed_model if found and found.embed_model else DEFAULT_EMBED_MODEL)


def progress_line(p: Progress) -> str:
    eta = f", about {p.eta:.0f} s left" if p.eta is not None and not p.finished else ""
    name = Path(p.current).name if p.current else ""
    return f"{p.files_done}/{p.files_total} files, {p.chunks_done} chunks, {p.speed:.1f} chunks/s{eta}" + (
        f"  {name}" if name else ""
    )


async def _dispatch(args: argparse.Namespace, store: KnowledgeStore) -> int:
    command = args.docs_command
    if command == "list":
        collections = store.collections()
        if not collections:
            print("No knowledge bases yet: `ollama-desk docs add NAME FILES...` makes one.", file=sys.stderr)
        for c in collections:
            failed = f", {c.failed} unreadable" if c.failed else ""
            print(f"{c.name}\t{c.files} files, {c.chunks} chunks{failed}\t{c.embed_model} ({c.dimension})")
        return 0
    if command == "rm":
        return _remove(args, store)
    from desktop.core.documents.retrieve import Retriever
    from desktop.core.ollama.client import OllamaClient

    async with OllamaClient(args.host) as client:
        if command == "add":
            return await _add(args, store, client)
        found = store.collection(args.kb)
        if found is None:
            raise _Failure(
                f"There is no knowledge base called {args.kb}; `ollama-desk docs list` shows them."
            )
        embed = embedder(client, model_for(store, args.kb, args.embed_model))
        hits = await Retriever(store).search(
            [args.kb], args.query, embed if found.dimension else None, k=args.k
        )
    if args.json:
        rows = [
            {
                "rank": i,
                "score": round(h.score, 6),
                "file": h.path,
                "page": h.page,
                "heading": h.heading,
                "start": h.start,
                "end": h.end,
                "text": h.text,
            }
            for i, h in enumerate(hits, start=1)
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("Nothing found.", file=sys.stderr)
    for i, h in enumerate(hits, start=1):
        where = h.path + (f", page {h.page}" if h.page else "")
        print(f"[{i}] {where}  (score {h.score:.4f})")
        print("    " + " ".join(h.text.split())[:300])
    return 0


async def _add(args: argparse.Namespace, store: KnowledgeStore, client: OllamaClient) -> int:
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise _Failure(f"Not found: {', '.join(missing)}.")
    from desktop.core.documents.indexer import Indexer

    model = model_for(store, args.kb, args.embed_model)
    tty = sys.stderr.isatty()

    def show(p: Progress) -> None:
        line = progress_line(p)
        if tty:
            print("\r\033[K" + line, end="" if not p.finished else "\n", file=sys.stderr, flush=True)
        elif p.finished or p.chunks_done % 160 == 0:
            print(line, file=sys.stderr, flush=True)

    progress = await Indexer(store, embedder(client, model), model).add(
        args.kb, list(args.paths), watched=args.watch, on_progress=show
    )
    for path, reason in progress.failures:
        print(f"Could not index {path}: {reason}", file=sys.stderr)
    found = store.collection(args.kb)
    total = f" ({found.files} files, {found.chunks} chunks in all)" if found else ""
    print(
        f"{args.kb}: {progress.chunks_done} chunks added from {progress.files_done - len(progress.failures)}"
        f" files{total}.",
        file=sys.stderr,
    )
    return 1 if progress.failures and len(progress.failures) == progress.files_total else 0


def _remove(args: argparse.Namespace, store: KnowledgeStore) -> int:
    found = store.collection(args.kb)
    if found is None:
        raise _Failure(f"There is no knowledge base called {args.kb}.")
    if not args.paths:
        store.delete(args.kb)
        print(f"Deleted the knowledge base {args.kb}.", file=sys.stderr)
        return 0
    gone = sum(store.remove_path(found.id, str(p.expanduser().resolve())) for p in args.paths)
    print(f"Removed {gone} files from {args.kb}.", file=sys.stderr)
    return 0 if gone else 1
