"""Retrieval quality of knowledge bases (#17): recall@5 and MRR for vector, keyword and hybrid.

Corpus, built at run time from public text already on this machine (nothing is shipped):
  * English: the docstrings of Python standard-library modules (PSF licence), one file each;
  * Chinese: the zh_CN translations of bash's builtin help, apt-cache, tar and coreutils (GNU
    gettext catalogues under /usr/share/locale), one file per help text.
Each question names a phrase that its answer passage contains; a hit is a retrieved chunk that
contains it. The script counts, per question, whether it shares any content word (English words
of 3+ letters outside a stop list; Chinese: any two-character run) with its passage, and reports
the figures for those that share none separately.

    python benchmarks/retrieval_eval.py [--model all-minilm:l6-v2] [--host URL]
Without --host it starts the built-in engine (offline embedder) in a temporary home.
"""

from __future__ import annotations

import argparse
import asyncio
import gettext
import importlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from retrieval_speed import start_engine  # noqa: E402

from desktop.core.documents.indexer import Indexer  # noqa: E402
from desktop.core.documents.kb import KnowledgeStore  # noqa: E402
from desktop.core.documents.retrieve import Retriever  # noqa: E402

MODULES = ("heapq json shutil gzip difflib statistics random secrets uuid hmac csv calendar pickle shelve "
           "tempfile fnmatch sched string getopt pprint sqlite3 smtplib ftplib zlib bz2 lzma wave colorsys "
           "mimetypes plistlib turtle webbrowser mailbox quopri uu imaplib reprlib").split()
CATALOGUES = ("bash", "apt", "tar", "coreutils")

# (question, phrase in the answer passage)
QUESTIONS: list[tuple[str, str]] = [
    ("What invariant holds between a heap element and its children?", "a[k] <= a[2*k+1]"),
    ("Which data interchange format is a subset of JavaScript syntax?", "subset of JavaScript"),
    ("functions for copying and archiving directory trees", "copying and archiving"),
    ("Is random access allowed in gzipped files?", "random access is not allowed"),
    ("How do I find the closest matching words among possibilities?", "get_close_matches"),
    ("functions for calculating variance and standard deviation", "standard deviation"),
    ("generate tokens for account authentication", "account authentication"),
    ("Which RFC defines UUID objects?", "RFC 4122"),
    ("HMAC keyed hashing RFC number", "RFC 2104"),
    ("reading and writing Comma Separated Value files", "Comma Separated Value"),
    ("Which day is first in the week of these calendars by default?", "Monday"),
    ("a persistent, dictionary-like object for pickled values", "persistent, dictionary-like"),
    ("interfaces for creating temporary files and directories", "temporary files"),
    ("filename matching that always takes case into account", "fnmatchcase"),
    ("a generally useful event scheduler class", "event scheduler"),
    ("parse the command line arguments in sys.argv", "sys.argv"),
    ("Which SQLite version does the sqlite3 module require?", "3.7.15"),
    ("Which RFC covers secure SMTP over TLS?", "RFC 2487"),
    ("compute an Adler-32 checksum of a string", "adler32"),
    ("guess the MIME type and encoding of a URL", "guess_type"),
    ("generate and parse MacOSX .plist files", ".plist"),
    ("quoted-printable transport encoding", "quoted-printable"),
    # No content word in common with the passage (checked below, not assumed):
    ("which container hands back the most urgent job before the others?", "priority queue"),
    ("making an unguessable password reset link", "cryptographically strong"),
    ("dispatch an e-mail from my script", "SMTP/ESMTP client"),
    ("a little drawing robot for children learning to code", "introducing programming to kids"),
    ("open a page in Firefox or Chrome", "web browsers"),
    ("look at my local Unix inbox folders", "Maildir"),
    ("translate a pixel's tint among models like hue and lightness", "color systems"),
    ("shrink bytes so they take less space on disk", "compression"),
    ("roll dice, shuffle a deck of cards or draw lottery numbers", "Random variable generators"),
    ("turn live program data into something storable and bring it back later", "serialized"),
    ("how do I measure how spread out my numbers are?", "variance"),
    ("scratch space that vanishes afterwards", "Temporary files"),
    ("keep a microphone capture on disk", "WAVE"),
    # Chinese
    ("如何将目录添加到目录栈顶？", "将目录添加到目录栈顶"),
    ("怎样定义或显示别名？", "定义或显示别名"),
    ("怎样清空目录栈？", "清空目录栈"),
    ("怎么删除所有条目来清空历史列表？", "清空历史列表"),
    ("如何设定用户文件创建掩码？", "文件创建掩码"),
    ("怎样列出活动的任务？", "列出活动的任务"),
    ("kill 默认发送什么信号？", "SIGTERM"),
    ("如何修改 shell 资源限制？", "资源限制"),
    ("echo 怎样不追加换行？", "不要追加换行"),
    ("怎样等待任务完成并返回退出状态？", "等待任务完成"),
    ("cd 默认的目录是哪个变量的值？", "HOME"),
    ("apt-cache 工作在什么数据上？", "本地的数据缓存"),
    ("tar 能从归档中单独还原所需文件吗？", "单独还原所需文件"),
    ("在当前 shell 中执行一个文件中的命令", "在当前 shell 中读取并执行"),
    # Chinese, no content word in common
    ("怎样叫停一个后台程序？", "SIGTERM"),
    ("切换到另一个文件夹", "改变 shell 工作目录"),
    ("给很长的指令起个简短的外号", "定义或显示别名"),
    ("回看以前敲过的指令", "历史列表"),
    ("指令跑太久被强行中止时得到几号？", "超时"),
    ("把好多资料打包存档", "归档"),
    ("断网时能否查阅程序包资料？", "离线状态"),
    ("让脚本收到中断时做清理", "设置陷阱"),
]

STOP = set(
    "the a an and or of to in on for is are be by with from as at it its this that which what how do i my "
    "me can does there their they them into than then when who whom whose".split()
)
ZH_STOP = {"怎样", "怎么", "如何", "什么", "一个", "是否", "能否", "时能"}


def flat(text: str) -> str:
    return " ".join(text.split())


def english_words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z][a-z0-9.+-]{2,}", text.lower()) if w not in STOP}


def chinese_bigrams(text: str) -> set[str]:
    runs = re.findall(r"[\u4e00-\u9fff]+", text)
    return {r[i : i + 2] for r in runs for i in range(len(r) - 1)} - ZH_STOP


def shares_content(question: str, passage: str) -> bool:
    return bool(english_words(question) & english_words(passage)) or bool(
        chinese_bigrams(question) & chinese_bigrams(passage))


def build_corpus(folder: Path) -> int:
    count = 0
    for name in MODULES:
        try:
            doc = importlib.import_module(name).__doc__ or ""
        except ImportError:
            continue
        if doc.strip():
            (folder / f"py-{name}.txt").write_text(doc, encoding="utf-8")
            count += 1
    for domain in CATALOGUES:
        path = Path(f"/usr/share/locale/zh_CN/LC_MESSAGES/{domain}.mo")
        if not path.exists():
            print(f"note: {path} is missing; its questions will miss", file=sys.stderr)
            continue
        with path.open("rb") as handle:
            catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        for i, (msgid, text) in enumerate(catalogue.items()):
            if isinstance(msgid, str) and msgid and len(text) > 120:
                (folder / f"zh-{domain}-{i:04}.txt").write_text(text, encoding="utf-8")
                count += 1
    return count


async def evaluate(url: str, model: str, work: Path) -> dict[str, object]:
    from desktop.core.ollama.client import OllamaClient

    corpus = work / "corpus"
    corpus.mkdir(exist_ok=True)
    files = build_corpus(corpus)
    async with OllamaClient(url) as client:
        async def embed(texts: list[str]) -> list[list[float]]:
            return await client.embed(model, texts)

        with KnowledgeStore(work / "eval.sqlite3") as store:
            await Indexer(store, embed, model).add("eval", [corpus])
            [collection] = store.collections()
            texts = store._query("SELECT text FROM kb_chunks")
            retriever = Retriever(store)
            results: dict[str, dict[str, list[float]]] = {}
            details = []
            for question, phrase in QUESTIONS:
                gold = next((str(t[0]) for t in texts if phrase in flat(str(t[0]))), "")
                overlap = shares_content(question, gold) if gold else True
                row = {"q": question, "zh": bool(re.search(r"[\u4e00-\u9fff]", question)),
                       "no_overlap": not overlap, "found_gold": bool(gold)}
                for mode in ("vector", "keyword", "hybrid"):
                    hits = await retriever.search(["eval"], question, embed, k=5, mode=mode)  # type: ignore[arg-type]
                    rank = next((i for i, h in enumerate(hits, start=1) if phrase in flat(h.text)), 0)
                    row[mode] = rank
                details.append(row)
            groups = (("all", lambda r: True), ("english", lambda r: not r["zh"]),
                      ("chinese", lambda r: r["zh"]), ("no_shared_word", lambda r: r["no_overlap"]))
            for group, keep in groups:
                rows = [r for r in details if keep(r)]
                results[group] = {"questions": [len(rows)]}
                for mode in ("vector", "keyword", "hybrid"):
                    recall = sum(1 for r in rows if r[mode]) / len(rows) if rows else 0.0
                    mrr = sum(1 / r[mode] for r in rows if r[mode]) / len(rows) if rows else 0.0
                    results[group][mode] = [round(recall, 3), round(mrr, 3)]
    return {"model": model, "files": files, "chunks": collection.chunks, "dimension": collection.dimension,
            "questions": len(QUESTIONS), "chinese": sum(1 for r in details if r["zh"]),
            "no_shared_word": sum(1 for r in details if r["no_overlap"]),
            "missing_gold": [r["q"] for r in details if not r["found_gold"]],
            "recall@5, MRR": results, "per_question": details}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="all-minilm:l6-v2")
    parser.add_argument("--host", default=None)
    parser.add_argument("--out", type=Path, default=None, help="write the full JSON report here")
    parser.add_argument("--work", type=Path, default=None,
                        help="keep the corpus, index and engine home here: a second run with the same folder "
                             "skips the unchanged files (no re-embedding) and measures retrieval alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) if args.work is None else args.work.resolve()
        work.mkdir(parents=True, exist_ok=True)
        process = None
        url = args.host
        if url is None:
            process, url = start_engine(work / "home")
        try:
            report = asyncio.run(evaluate(url, args.model, work))
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=20)
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    summary = {k: v for k, v in report.items() if k != "per_question"}
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    main()
