"""Chat view performance: a 4,000-token reply streamed at 200 tokens/s, and opening a long conversation.

Streams from a loopback NDJSON server (in its own process) through the real client,
ChatController and chat page (offscreen Qt), and measures how late a 10 ms heartbeat timer
fires: the longest stall of the event loop, which is what a user feels as a frozen window.
Then opens a stored conversation of 2,000 messages in the chat page.

    python benchmarks/stream_render.py [--tokens 4000] [--rate 200] [--messages 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qasync  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.core.ollama.types import ModelInfo  # noqa: E402
from desktop.core.session import Session  # noqa: E402
from desktop.core.settings import Settings  # noqa: E402
from desktop.core.store import Message, Store  # noqa: E402
from desktop.ui import markdown, pyside_fix  # noqa: E402
from desktop.ui.controllers.chat_controller import ChatController  # noqa: E402
from desktop.ui.widgets.chat_page import ChatPage  # noqa: E402
from desktop.ui.widgets.message_view import MessageView  # noqa: E402
from tests.support.fault_server import FaultServer  # noqa: E402

MODEL = "bench:latest"
VOCAB = [
    "the",
    "model",
    "streams",
    "tokens",
    "into",
    "a",
    "view",
    "`code`",
    "**bold**",
    "中文",
    "数据",
    "Vec<T>",
]


def reply_tokens(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    for i in range(count):
        if i % 400 == 200:
            out.append("\n\n```python\ndef f(x):\n    return x * 2\n```\n\n")
        elif i % 60 == 59:
            out.append(".\n\n- ")
        else:
            out.append(" " + rng.choice(VOCAB))
    return out


class Heartbeat:
    """A 10 ms timer; its lateness is how long the event loop was busy elsewhere."""

    def __init__(self) -> None:
        self.late: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.late.append(max(0.0, (now - self._last) * 1000 - 10))
        self._last = now

    def start(self) -> None:
        self._last = time.perf_counter()
        self.late.clear()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


def visible_words(source: str) -> list[str]:
    """The words a reader must see: Markdown punctuation and a fence's language aside."""
    source = re.sub(r"```\w*", " ", source)
    return re.findall(r"[\w<>]+", source)


def shown_as_reloaded(view: MessageView, stored: Message, page: ChatPage) -> bool:
    """The streamed view shows what the same message shows when opened from the database,
    and every word of the source is on screen (read from the visible documents)."""
    reloaded = MessageView(stored, page)
    reloaded.resize(view.size())
    shown = view.shown_text()
    same = shown == reloaded.shown_text()
    reloaded.deleteLater()
    words = visible_words(stored.content)
    at = 0
    for word in words:  # in order: nothing lost, nothing shown twice out of place
        found = shown.find(word, at)
        if found < 0:
            return False
        at = found + len(word)
    return same and bool(words)


def chat_lines(tokens: list[str], rate: float) -> list[dict[str, object]]:
    lines: list[dict[str, object]] = [
        {
            "model": MODEL,
            "created_at": "2026-11-22T00:00:00Z",
            "message": {"role": "assistant", "content": t},
            "done": False,
        }
        for t in tokens
    ]
    lines.append(
        {
            "model": MODEL,
            "created_at": "2026-11-22T00:00:01Z",
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": "stop",
            "eval_count": len(tokens),
            "eval_duration": int(len(tokens) / rate * 1e9),
        }
    )
    return lines


def serve(tokens: list[str], rate: float, urls: Any, stop: Any) -> None:
    """The model server in its own process, as Ollama is: its sending thread must not take
    the GUI's interpreter lock 200 times a second, which a real server never does."""
    server = FaultServer()
    server.route("POST", "/api/chat", lines=chat_lines(tokens, rate), delay=1.0 / rate)
    server.route("GET", "/api/version", body={"version": "0.13.0"})
    urls.put(server.url)
    stop.wait()
    server.close()


async def stream_case(page: ChatPage, store: Store, tokens: list[str], rate: float) -> dict[str, float]:
    context = multiprocessing.get_context("spawn")
    urls, stop = context.Queue(), context.Event()
    child = context.Process(target=serve, args=(tokens, rate, urls, stop), daemon=True)
    child.start()
    url = await asyncio.get_running_loop().run_in_executor(None, urls.get, True, 60)
    settings = Settings(store)
    settings.update(server_url=url)
    session = Session(settings)
    session.set_models([ModelInfo(name=MODEL)])
    controller = ChatController(store, session)
    controller.message_added.connect(page.append_message)
    controller.reply_started.connect(page.begin_stream)
    controller.reply_delta.connect(page.stream_delta)
    controller.message_updated.connect(page.update_message)
    beat = Heartbeat()
    done = asyncio.get_running_loop().create_future()
    controller.generating_changed.connect(lambda on: None if on or done.done() else done.set_result(None))
    beat.start()
    started = time.perf_counter()
    controller.send("Write a long answer.")
    await done
    elapsed = time.perf_counter() - started
    beat.stop()
    conv = controller.current
    assert conv is not None
    stored = store.messages(conv.id)[-1]
    view = page.view_for(stored.id)
    assert view is not None
    view.flush()
    expected = "".join(tokens)
    ok = stored.content == expected and shown_as_reloaded(view, stored, page)
    await session.aclose()
    stop.set()
    child.join(10)
    late = sorted(beat.late)
    return {
        "seconds": elapsed,
        "max_stall_ms": late[-1] if late else 0.0,
        "p99_stall_ms": late[int(len(late) * 0.99)] if late else 0.0,
        "median_stall_ms": statistics.median(late) if late else 0.0,
        "text_equal": float(ok),
    }


def open_case(page: ChatPage, store: Store, count: int) -> dict[str, float]:
    rng = random.Random(2)
    conv = store.create_conversation(title="long", model=MODEL)
    for i in range(count):
        words = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(10, 400)))
        store.add_message(conv.id, "user" if i % 2 == 0 else "assistant", words)
    app = QApplication.instance()
    assert app is not None
    times = []
    settled = []
    for _ in range(5):
        started = time.perf_counter()
        conversation = store.conversation(conv.id)
        messages = store.messages(conv.id)
        page.show_conversation(conversation, messages)
        app.processEvents()
        times.append((time.perf_counter() - started) * 1000)
        # The messages above the newest few are rendered a couple per pass afterwards.
        while page.rendering():
            app.processEvents()
        settled.append((time.perf_counter() - started) * 1000)
    # The first opening parses every message; later ones find the parsed blocks remembered
    # (markdown.finished_segments), as when a user goes back to a conversation.
    return {
        "open_ms_first": times[0],
        "open_ms_median": statistics.median(times),
        "open_ms_max": max(times),
        "all_rendered_ms_median": statistics.median(settled),
    }


async def main(args: argparse.Namespace) -> None:
    loop = asyncio.get_running_loop()
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,  # type: ignore[attr-defined]
        finalizer=loop._asyncgen_finalizer_hook,  # type: ignore[attr-defined]
    )
    home = Path(tempfile.mkdtemp(prefix="bench-home-"))
    store = Store(home / "desk.sqlite3")
    markdown.warm_up()  # as the app does when it starts
    page = ChatPage()
    page.resize(900, 800)
    page.show()
    result = await stream_case(page, store, reply_tokens(args.tokens), args.rate)
    print(
        f"stream {args.tokens} tokens at {args.rate:.0f}/s: {result['seconds']:.1f} s, "
        f"max stall {result['max_stall_ms']:.1f} ms, p99 {result['p99_stall_ms']:.1f} ms, "
        f"median {result['median_stall_ms']:.2f} ms, "
        f"shown text (visible documents) equals the reloaded reply's and keeps every word: "
        f"{bool(result['text_equal'])}"
    )
    await asyncio.sleep(0.2)  # closed streams finalise before open_case pumps events by hand
    opened = open_case(page, store, args.messages)
    print(
        f"open a conversation of {args.messages} messages: first {opened['open_ms_first']:.0f} ms, "
        f"median of 5 {opened['open_ms_median']:.0f} ms, max {opened['open_ms_max']:.0f} ms "
        f"(every shown message rendered: median {opened['all_rendered_ms_median']:.0f} ms)"
    )
    store.close()
    await asyncio.sleep(0.2)  # let closed streams finalise inside the loop
    QApplication.instance().quit()  # type: ignore[union-attr]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=4000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--messages", type=int, default=2000)
    pyside_fix.apply()
    app = QApplication(sys.argv[:1])
    qasync.run(main(parser.parse_args()))
