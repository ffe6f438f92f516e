"""What the screenshot scripts share: the real app (Desk) offscreen against a loopback Ollama (the
fault server), in its own data folder, driven from a qasync main.

    import shot_desk  # first: it sets the environment and the import path
    shot_desk.prepare("chat-shots-")
    ...
    if __name__ == "__main__":
        shot_desk.run(main)  # main(mode, lang, out_dir), from `light|dark en|zh_CN OUT_DIR`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def prepare(prefix: str) -> None:
    """Offscreen, a fresh data folder, no `ollama` binary that could be started, the repo importable."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["OLLAMA_DESK_HOME"] = tempfile.mkdtemp(prefix=prefix)
    os.environ["PATH"] = "/nonexistent"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


async def wait_for(check: Callable[[], object], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)


def send(desk: Any, text: str) -> None:
    desk.page.composer.setPlainText(text)
    desk.page._on_send()


async def start_desk(mode: str, show: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """The app on a fault server that serves the basics (and `show` as /api/show), themed, with its
    model listed: (desk, server)."""
    from PySide6.QtWidgets import QApplication

    from desktop.app import Desk
    from desktop.core.store import Store
    from desktop.ui import theme
    from tests.support.fault_server import FaultServer
    from tests.ui.desk_support import MODEL, serve_basics

    loop = asyncio.get_running_loop()
    # qasync.run never installs these; an abandoned httpx stream is then finalised on the loop.
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,  # type: ignore[attr-defined]
        finalizer=loop._asyncgen_finalizer_hook,  # type: ignore[attr-defined]
    )
    app = QApplication.instance()
    server = FaultServer()
    serve_basics(server)
    if show is not None:
        server.route("POST", "/api/show", body=show)
    os.environ["OLLAMA_HOST"] = server.url
    store = Store.open_default()
    store.set_setting("welcome.shown", True)
    desk = Desk(app, store, [])  # type: ignore[arg-type]
    desk.start(argparse.Namespace(quick_ask=None))
    theme.apply(app, mode)  # type: ignore[arg-type]
    await wait_for(lambda: desk.page.model_picker.findData(MODEL) >= 0)
    return desk, server


async def finish(desk: Any, server: Any) -> None:
    from PySide6.QtWidgets import QApplication

    await desk.aclose()
    server.close()
    await asyncio.sleep(0.2)
    QApplication.instance().quit()  # type: ignore[union-attr]


def run(main: Callable[[str, str, Path], Coroutine[Any, Any, None]]) -> None:
    """`script.py light|dark en|zh_CN OUT_DIR`: the app's language installed, then main on qasync."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from desktop.ui import i18n, pyside_fix

    mode, lang, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    pyside_fix.apply()
    app = QApplication(sys.argv[:1])
    i18n.install(app, lang)
    qasync.run(main(mode, lang, out))
