"""Screens of the real app at three window sizes, in light, dark and Chinese, for review.

    python docs/screenshots/shots.py OUT_DIR            # every look and size
    python docs/screenshots/shots.py OUT_DIR dark 800x600

Each look runs in its own process (translators and themes are process-wide): the whole app
(`desktop.app.Desk`) against a loopback Ollama stand-in (tests/support/fault_server.py) that
lists a few models and streams a prepared answer, with the conversations of take.py in a
fresh data folder. It saves, per size: the chat, the Models page (installed, in memory),
Quick Ask with an answer and the shortcut sheet, each with `widget.grab()`. Run it on an X
display (Xvfb) as large as the largest size, so windows are not squeezed to a smaller screen.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

LOOKS = {"light": ("light", "en"), "dark": ("dark", "en"), "zh_CN": ("light", "zh_CN")}
SIZES = ((800, 600), (1280, 800), (1920, 1080))
MODEL = "smollm2:135m"
ANSWER = {
    "en": "1. **Practise daily**: short, regular sessions beat long, rare ones.\n"
    "2. **Read good code**: the standard library is a fine teacher.\n"
    "3. **Build something small**: a script that solves a real problem of yours.",
    "zh_CN": "1. **每天练习**：短而规律的练习胜过偶尔的长时间学习。\n"
    "2. **阅读好的代码**：标准库就是很好的老师。\n3. **做一个小项目**：写个脚本解决自己的实际问题。",
}
QUESTION = {"en": "Give me three tips for learning Python.", "zh_CN": "给我三条学习 Python 的建议。"}


def _serve(server: Any, language: str) -> None:
    def model(name: str, size: int, params: str, quant: str, family: str) -> dict[str, Any]:
        details = {"format": "gguf", "family": family, "parameter_size": params, "quantization_level": quant}
        return {"name": name, "model": name, "size": size, "digest": "ab" * 32,
                "modified_at": "2026-11-30T09:00:00Z", "details": details}

    models = [model(MODEL, 98_000_000, "135M", "Q4_1", "llama"),
              model("qwen2.5:7b", 4_700_000_000, "7.6B", "Q4_K_M", "qwen2"),
              model("llama3.2:3b", 2_000_000_000, "3.2B", "Q4_K_M", "llama")]
    server.route("GET", "/api/version", body={"version": "0.13.0"})
    server.route("GET", "/", body="Ollama is running")
    server.route("GET", "/api/tags", body={"models": models})
    server.route("POST", "/api/show", body={"capabilities": ["completion"], "model_info": {},
                                           "details": models[0]["details"]})
    server.route("GET", "/api/ps", body={"models": [{**models[0], "size_vram": 0,
                                                     "expires_at": "2099-01-01T00:00:00Z"}]})
    words = ANSWER[language].split(" ")
    lines = [{"model": MODEL, "created_at": "2026-11-30T09:00:00Z", "done": False,
              "message": {"role": "assistant", "content": w + (" " if i < len(words) - 1 else "")}}
             for i, w in enumerate(words)]
    lines.append({"model": MODEL, "created_at": "2026-11-30T09:00:01Z", "done": True, "done_reason": "stop",
                  "message": {"role": "assistant", "content": ""}, "eval_count": 40,
                  "eval_duration": 1_500_000_000, "load_duration": 300_000_000})
    server.route("POST", "/api/chat", lines=lines)


async def _one_look(look: str, sizes: list[tuple[int, int]], out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    loop = asyncio.get_running_loop()
    # As app.py does: without these hooks an httpx stream is finalised outside the loop.
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,  # type: ignore[attr-defined]
        finalizer=loop._asyncgen_finalizer_hook,  # type: ignore[attr-defined]
    )

    from take import EN, ZH  # the conversations shown in the README's shots

    from desktop.app import Desk
    from desktop.core.store import Store
    from desktop.ui.shortcuts import ShortcutsDialog

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    _theme, language = LOOKS[look]
    store = Store.open_default()
    conversations = ZH if language == "zh_CN" else EN
    last = 0
    for title, turns in conversations:
        c = store.create_conversation(title=title, model=MODEL)
        last = c.id
        for role, text in turns:
            store.add_message(c.id, role, text, model=MODEL if role == "assistant" else "")
    for key, value in (("welcome.shown", True), ("default_model", MODEL), ("tray.close_hint_shown", True)):
        store.set_setting(key, value)
    desk = Desk(app, store, [])
    desk.start(__import__("argparse").Namespace(quick_ask=None))

    async def until(check: Any, seconds: float = 10) -> None:
        for _ in range(int(seconds * 20)):
            if check():
                return
            await asyncio.sleep(0.05)

    await until(lambda: desk.page.model_picker.findData(MODEL) >= 0)
    desk.chat.open(last)
    await asyncio.sleep(0.5)
    window = desk.window
    for width, height in sizes:
        tag = f"{look}-{width}x{height}"
        window.resize(width, height)
        window.show_chat()
        await asyncio.sleep(0.4)
        window.grab().save(str(out / f"main-{tag}.png"))
        window.show_page(desk.models_page)
        await asyncio.sleep(0.3)
        window.grab().save(str(out / f"models-{tag}.png"))
        desk.models_page.tabs.setCurrentIndex(1)
        await asyncio.sleep(0.3)
        window.grab().save(str(out / f"memory-{tag}.png"))
        desk.models_page.tabs.setCurrentIndex(0)
        sheet = ShortcutsDialog("Ctrl+Alt+Space", window)
        sheet.show()
        await asyncio.sleep(0.3)
        sheet.grab().save(str(out / f"shortcuts-{tag}.png"))
        sheet.close()
    popup = desk.tray.quick_ask
    popup.open(QUESTION[language])
    popup.ask()
    await until(lambda: not popup.controller.busy and bool(popup.controller.answer))
    await asyncio.sleep(0.4)
    popup.grab().save(str(out / f"quick-ask-{look}.png"))
    popup.hide()
    await desk.aclose()
    window.close()


def _child(look: str, sizes: list[tuple[int, int]], out: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from desktop.ui import i18n, pyside_fix, theme
    from tests.support.fault_server import FaultServer

    pyside_fix.apply()
    app = QApplication([])
    i18n.install(app, LOOKS[look][1])
    theme.apply(app, LOOKS[look][0])
    import qasync

    with FaultServer() as server:
        _serve(server, LOOKS[look][1])
        os.environ["OLLAMA_HOST"] = server.url
        qasync.run(_one_look(look, sizes, out))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        look, sizes_json, out = argv[1], argv[2], Path(argv[3])
        return _child(look, [tuple(s) for s in json.loads(sizes_json)], out)
    out = Path(argv[0]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    looks = [argv[1]] if len(argv) > 1 else list(LOOKS)
    sizes = [tuple(int(v) for v in argv[2].split("x"))] if len(argv) > 2 else list(SIZES)
    for look in looks:
        home = Path(tempfile.mkdtemp(prefix=f"desk-shots-{look}-"))
        env = {**os.environ, "OLLAMA_DESK_HOME": str(home), "HOME": str(home), "PATH": "/usr/bin:/bin",
               "XDG_CONFIG_HOME": str(home / "config"), "QT_SCALE_FACTOR": "1"}
        env["PATH"] = f"{Path(sys.executable).parent}:/usr/bin:/bin"  # Python, but no `ollama`
        subprocess.run([sys.executable, __file__, "--child", look, json.dumps(sizes), str(out)],
                       env=env, check=True, timeout=300)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
