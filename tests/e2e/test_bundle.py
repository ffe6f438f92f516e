"""The PyInstaller bundle, started like a double-click on a machine without Python.

Builds nothing: `packaging/build_linux.sh` (or `python benchmarks/bundle.py`) makes
dist/ollama-desk/ first; without it these tests skip and say how to build it. The bundle
runs with an empty environment (no PATH, PYTHONHOME or PYTHONPATH), so only what is
inside the folder can be used. No model server answers, so the app must start the
built-in engine from the bundle itself (`ollama-desk serve`).

One launch of the app checks every part the spec must carry: Qt and pyqtgraph (the main window
builds the Compare page's chart at start, and the page is then opened), the mcp SDK (a saved
MCP server is connected at start: the test's server sees the handshake and the tool list), the
engine with the starter model (a chat), the offline embedder (/api/embed, converted from the
bundled model.zip with gguf on first use), and the documents stack (`ollama-desk docs` from the
bundle reads a PDF with pypdf and a .docx with python-docx, and indexes them with that embedder).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.e2e.conftest import NEEDED, Desktop, start_xvfb

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("OLLAMA_DESK_BUNDLE", ROOT / "dist" / "ollama-desk" / "ollama-desk"))
WINDOW_NAME = "^Ollama Desk"  # the main window's title (xdotool takes a regex)
MCP_SERVER = ROOT / "tests" / "core" / "tools" / "mcp_test_server.py"
STARTER = "smollm2:135m"
EMBEDDER = "all-minilm:l6-v2"
# What a missing module or a crash looks like in the bundle's output.
IMPORT_FAILURE = re.compile(r"Traceback|ModuleNotFoundError|ImportError|Failed to execute script")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not BUNDLE.is_file(), reason=f"no bundle at {BUNDLE}: build it with packaging/build_linux.sh"
    ),
]


@pytest.fixture
def screen() -> Iterator[Desktop]:
    """A bare X display (the main window needs no tray host): its own Xvfb, nothing shared."""
    missing = [name for name in NEEDED if name != "trayer" and shutil.which(name) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian: xvfb xdotool x11-utils)")
    xvfb, display = start_xvfb()
    try:
        yield Desktop(display, {"DISPLAY": display, "PATH": os.environ.get("PATH", "")})
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def bare_env(home: Path, display: str | None = None) -> dict[str, str]:
    """What a desktop session gives a launched app, minus anything Python."""
    env = {
        "XDG_SESSION_TYPE": "x11",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_RUNTIME_DIR": str(home / "runtime"),
        "OLLAMA_DESK_HOME": str(home / "desk"),
        "OLLAMA_HOST": "127.0.0.1:9",  # nothing answers there: the app must start its own engine
        "LANG": "C.UTF-8",
    }
    if display:
        env["DISPLAY"] = display
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def mcp_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The MCP test server (the official SDK, run by this Python) over streamable HTTP; its
    access log shows each request the bundled app's MCP client makes."""
    port = _free_port()
    log = tmp_path / "mcp-server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(MCP_SERVER), "http", str(port)], stdout=out, stderr=subprocess.DEVNULL
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the MCP test server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp", log
    finally:
        process.terminate()
        process.wait(timeout=10)


def _save_mcp_server(home: Path, url: str) -> None:
    """The app's own settings, as its Settings > MCP servers page saves them."""
    from desktop.core.store import DB_NAME, Store
    from desktop.core.tools.mcp_config import SETTING_KEY, McpServerConfig

    (home / "desk").mkdir(parents=True, exist_ok=True)
    with Store(home / "desk" / DB_NAME) as store:
        store.set_setting(SETTING_KEY, [McpServerConfig("probe", url=url, timeout=10).record()])


@pytest.fixture
def launched(
    screen: Desktop, tmp_path: Path, mcp_server: tuple[str, Path]
) -> Iterator[tuple[subprocess.Popen[bytes], Path, Path]]:
    home = tmp_path / "home"
    (home / "runtime").mkdir(parents=True)
    (home / "runtime").chmod(0o700)
    _save_mcp_server(home, mcp_server[0])
    log = tmp_path / "bundle.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BUNDLE)],
            env=bare_env(home, screen.display),
            cwd=str(home),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process, home, log
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def post(url: str, body: dict[str, Any], timeout: float = 120) -> Any:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as reply:
        return json.load(reply)


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def assert_no_import_failure(text: str, what: str) -> None:
    found = IMPORT_FAILURE.search(text)
    assert found is None, f"{what} failed:\n{text[max(0, found.start() - 2000):found.start() + 2000]}"


def test_bundle_needs_no_python(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "OLLAMA_DESK_HOME": str(tmp_path / "desk")}
    out = subprocess.run([str(BUNDLE), "--help"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "serve" in out.stdout and "--quick-ask" in out.stdout
    internal = BUNDLE.parent / "_internal"
    assert (internal / "desktop" / "resources" / "catalog.json").is_file()
    assert list((internal / "desktop" / "resources" / "icons").glob("*.svg"))
    assert (internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so").is_file()
    assert (internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqoffscreen.so").is_file()
    # pyqtgraph imports both OpenGL modules when it is imported (the Compare page).
    for module in ("QtOpenGL", "QtOpenGLWidgets"):
        assert list(internal.glob(f"PySide6/{module}.*.so")), f"PySide6.{module} is missing"
    # The offline embedder's weights travel as the package's own zip, found without importing it.
    assert (internal / "all_minilm_l6_v2" / "model.zip").stat().st_size > 50_000_000
    assert not list(internal.glob("PySide6/Qt/lib/libQt6WebEngine*")), "unused Qt modules were bundled"
    assert not list(internal.glob("PySide6/Qt/lib/libQt6Quick*"))
    assert not (internal / "scipy").exists(), "scipy (75 MB) is needed by nothing the app runs"


def _highlighted(desktop: Desktop, shot: Path, x: int, y: int) -> bool:
    """Whether the pixel has the selection's accent (a strong blue; hovered, a lighter one)."""
    pixel = desktop.run("convert", str(shot), "-format", f"%[pixel:p{{{x},{y}}}]", "info:", timeout=30)
    red, _green, blue = (int(float(v)) for v in re.findall(r"[\d.]+", pixel)[:3])
    return blue - red > 100


def _open_compare_page(desktop: Desktop, window: str, shots: Path) -> None:
    """Clicks the page rail's fourth entry (Chat, Models, Hardware, Compare: 56 px each, under
    the menu bar), then reads the rail in screenshots: the selection's colour has moved from
    Chat to Compare, so the page with pyqtgraph's chart is the one shown."""
    geometry = dict(
        line.split("=", 1) for line in desktop.run("xdotool", "getwindowgeometry", "--shell", window).split()
    )
    left, top = int(geometry["X"]), int(geometry["Y"])
    menu_bar, row = 28, 56
    chat_at = (left + 16, top + menu_bar + row // 2)  # inside the highlight, left of the text
    compare_at = (left + 16, top + menu_bar + 3 * row + row // 2)
    first = shots / "chat-page.png"
    desktop.run("import", "-window", "root", str(first), timeout=30)
    assert _highlighted(desktop, first, *chat_at), "the Chat page is the one shown at start"
    assert not _highlighted(desktop, first, *compare_at)
    desktop.run("xdotool", "mousemove", "--window", window, "56", str(compare_at[1] - top), "click", "1")
    second = shots / "compare-page.png"

    def moved() -> bool:
        time.sleep(0.2)
        desktop.run("import", "-window", "root", str(second), timeout=30)
        return _highlighted(desktop, second, *compare_at) and not _highlighted(desktop, second, *chat_at)

    desktop.wait(moved, 15, "the Compare page to be selected and drawn")


def test_main_window_appears_and_the_bundled_engine_answers(
    screen: Desktop, launched: tuple, mcp_server: tuple[str, Path], tmp_path: Path
) -> None:
    desktop = screen
    process, home, log = launched
    started = time.monotonic()

    def window() -> list[str]:
        if process.poll() is not None:
            raise AssertionError(
                f"the app exited with {process.returncode}:\n{log.read_text(errors='replace')}"
            )
        return desktop.windows(WINDOW_NAME)

    windows = desktop.wait(window, 60, "the main window")
    assert windows
    print(f"main window after {time.monotonic() - started:.2f} s")

    # The saved MCP server is connected at start by the bundled mcp SDK: initialize (200), the
    # initialized notification (202), then tools/list (200) only once the handshake parsed.
    _, mcp_log = mcp_server
    desktop.wait(
        lambda: mcp_log.read_text(errors="replace").count('"POST /mcp HTTP/1.1" 200') >= 2,
        60,
        "the app's MCP client to list the test server's tools",
    )
    assert '"POST /mcp HTTP/1.1" 202' in mcp_log.read_text(errors="replace")

    # With no server at OLLAMA_HOST and no `ollama` on PATH (there is no PATH), the app starts
    # the engine from its own executable; it writes its state file once it listens.
    state = home / "desk" / "engine" / "engine.json"
    desktop.wait(state.exists, 90, "the built-in engine's state file")
    info = json.loads(state.read_text(encoding="utf-8"))
    url = info["url"]
    engine = psutil.Process(info["pid"])
    assert Path(engine.exe()).resolve() == BUNDLE.resolve(), "the engine must run from the bundle"
    with urllib.request.urlopen(f"{url}/api/tags", timeout=20) as reply:
        names = [m["name"] for m in json.load(reply)["models"]]
    assert STARTER in names, "the starter model ships inside the bundle"

    # A chat with the starter model, run in a child the bundle starts from itself (`serve --child`).
    chat = post(
        f"{url}/api/chat",
        {
            "model": STARTER,
            "messages": [{"role": "user", "content": "Say hello."}],
            "stream": False,
            "options": {"num_predict": 4, "temperature": 0, "seed": 7},
        },
    )
    assert chat["done"] is True and chat["message"]["role"] == "assistant"
    assert chat["eval_count"] >= 1 and chat["message"]["content"].strip(), chat

    # The offline embedder: converted from the bundled model.zip on this first request.
    embedded = post(f"{url}/api/embed", {"model": EMBEDDER, "input": ["cat", "kitten", "car"]}, 180)
    cat, kitten, car = embedded["embeddings"]
    assert len(cat) == 384, "all-MiniLM-L6-v2 gives 384 numbers"
    assert abs(math.sqrt(sum(x * x for x in cat)) - 1) < 1e-3, "/api/embed vectors are normalised"
    assert cosine(cat, kitten) > cosine(cat, car) + 0.05, "the vectors carry meaning"
    with urllib.request.urlopen(f"{url}/api/tags", timeout=20) as reply:
        assert EMBEDDER in [m["name"] for m in json.load(reply)["models"]]

    # Documents from the bundle's own CLI, against the bundle's engine: pypdf, python-docx and
    # the knowledge store, with its own data folder (the app's stays untouched).
    import docx  # the test's python-docx writes the file; the bundle's reads it

    from tests.support.pdfgen import write_pdf

    docs = tmp_path / "docs"
    docs.mkdir()
    pdf = write_pdf(docs / "lighthouse.pdf", [["The lighthouse keeper counts seventeen gulls at dawn."]])
    memo = docx.Document()
    memo.add_paragraph("Quarterly invoices are archived in the blue filing cabinet.")
    memo.save(str(docs / "invoices.docx"))
    cli_home = tmp_path / "cli"
    (cli_home / "runtime").mkdir(parents=True)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        out = subprocess.run(
            [str(BUNDLE), "docs", "--host", url, *args],
            env=bare_env(cli_home),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert_no_import_failure(out.stdout + out.stderr, f"ollama-desk docs {' '.join(args)}")
        assert out.returncode == 0, out.stderr
        return out

    added = cli("add", "notes", str(pdf), str(docs / "invoices.docx"))
    assert "from 2 files" in added.stderr, added.stderr
    for query, expected in (("lighthouse gulls", "lighthouse.pdf"), ("invoices cabinet", "invoices.docx")):
        hits = json.loads(cli("search", "notes", query, "--json", "-k", "1").stdout)
        assert hits and Path(hits[0]["file"]).name == expected, hits

    # The Compare page (pyqtgraph's PlotWidget) is shown without an error.
    _open_compare_page(desktop, windows[0], tmp_path)
    assert process.poll() is None, "the app quit on the Compare page"

    # Closing the app leaves no engine behind.
    process.terminate()
    process.wait(timeout=30)
    desktop.wait(
        lambda: not engine.is_running() or engine.status() == psutil.STATUS_ZOMBIE,
        20,
        "the engine to exit with the app",
    )
    assert_no_import_failure(log.read_text(errors="replace"), "the app")
    engine_log = home / "desk" / "engine" / "engine.log"  # the engine's and its children's output
    engine_output = engine_log.read_text(errors="replace") if engine_log.exists() else ""
    assert_no_import_failure(engine_output, "the engine")
