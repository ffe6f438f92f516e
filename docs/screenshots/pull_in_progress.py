"""Make docs/screenshots/pull-in-progress.png: a real pull through the embedded engine.

Run under Xvfb (xvfb-run -s "-screen 0 1280x800x24" python docs/screenshots/pull_in_progress.py).
The engine downloads the starter GGUF from a loopback Hugging-Face-like server throttled
to a few MB/s, so the page shows one finished pull, one in progress and one waiting.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screenshots" / "pull-in-progress.png"


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="desk-shot-"))
    os.environ["OLLAMA_DESK_HOME"] = str(home / "app")
    from desktop.ui import pyside_fix

    pyside_fix.apply()
    import qasync
    from PySide6.QtWidgets import QApplication, QMainWindow

    from desktop.core.ollama.client import OllamaClient
    from desktop.engine.starter import starter_gguf
    from desktop.ui.controllers.models_controller import ModelsController
    from desktop.ui.widgets.model_manager import ModelManagerPage
    from tests.support.engine import start_engine
    from tests.support.hf_server import HFServer

    source = starter_gguf()
    assert source is not None
    hf = HFServer()
    files = {}
    for label in ("instruct", "chat", "base"):
        path = home / f"SmolLM2-135M-{label}-Q4_1.gguf"
        shutil.copyfile(source, path)
        with path.open("ab") as handle:
            handle.write(label.encode())
        files[label] = path
    hf.add_file("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", files["instruct"].name, files["instruct"])
    hf.add_file("bartowski/SmolLM2-135M-Chat-GGUF", files["chat"].name, files["chat"])
    hf.add_file("QuantFactory/SmolLM2-135M-GGUF", files["base"].name, files["base"])
    engine = start_engine(home / "engine", extra_env={"HF_ENDPOINT": hf.url})
    app = QApplication(sys.argv)
    app.setApplicationName("Ollama Desk")

    async def scene() -> None:
        client = OllamaClient(engine.url)
        controller = ModelsController(client, embedded=True, pending_path=home / "pending.json")
        window = QMainWindow()
        window.setWindowTitle("Ollama Desk — Models")
        page = ModelManagerPage(controller)
        window.setCentralWidget(page)
        window.resize(980, 600)
        window.show()
        controller.refresh()
        page.tabs.setCurrentIndex(page.downloads_index)
        done = asyncio.get_running_loop().create_future()
        controller.pull_finished.connect(lambda name, ok: done.done() or done.set_result(ok))
        page.pull("hf.co/HuggingFaceTB/SmolLM2-135M-Instruct-GGUF:Q4_1")
        await done
        hf.rate = 3_500_000  # bytes per second: a slow connection
        page.pull("hf.co/bartowski/SmolLM2-135M-Chat-GGUF:Q4_1")
        page.pull("hf.co/QuantFactory/SmolLM2-135M-GGUF:Q4_1")
        row = page.downloads.rows["hf.co/bartowski/SmolLM2-135M-Chat-GGUF:Q4_1"]
        while row.snapshot is None or (row.snapshot.fraction or 0) < 0.42:
            await asyncio.sleep(0.1)
        row.layers_button.setChecked(False)
        await asyncio.sleep(0.3)
        window.raise_()
        subprocess.run(["import", "-window", str(int(window.winId())), str(OUT)], check=True)
        await controller.aclose()
        await client.aclose()
        app.quit()

    try:
        qasync.run(scene())
    finally:
        engine.stop()
        hf.close()
        shutil.rmtree(home, ignore_errors=True)
    print(OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
