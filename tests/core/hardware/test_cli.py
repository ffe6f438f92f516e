"""`ollama-desk hardware` as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "desktop", "hardware", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
        check=False,
    )


def test_json_for_a_planned_machine() -> None:
    done = _run("--json", "--ram", "32G", "--vram", "12G")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["hypothetical"] is True
    assert data["ram"]["total"] == 32 * 1024**3
    assert [g["vram_total"] for g in data["gpus"]] == [12 * 1024**3]
    assert data["battery"] is None
    assert data["tier"] == "13B"
    assert [t["this_machine"] for t in data["tiers"]] == [False, False, True, False]
    uses = {s["use"]: s for s in data["suggestions"]}
    assert set(uses) == {"chat_zh", "chat_en", "code", "fast", "embedding"}
    assert uses["chat_zh"]["tag"].startswith("qwen2.5:")
    assert uses["embedding"]["tag"] == "nomic-embed-text:v1.5"
    for s in data["suggestions"]:
        assert s["verdict"] == "gpu"
        assert s["need_bytes"] >= s["weights_bytes"] + s["kv_cache_bytes"] > 0
        assert s["need_bytes"] <= s["gpu_budget_bytes"]
    assert any("13B" in line for line in data["explanation"])


def test_text_report_for_a_small_laptop() -> None:
    done = _run("--ram", "8G", "--vram", "0")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Hardware (hypothetical machine)" in out
    assert "> 3B" in out
    assert "llama3.2:3b" in out and "qwen2.5:3b" in out
    assert "no GPU that Ollama can use" in out
    assert "It suits 3B models (the table's class for 8 GB of RAM)" in out
    assert "The seed's advice (minimum for 7B / recommended for 13B)" in out
    assert "Disk    unknown" in out  # a planned machine's disk is not this one's


def test_this_machine_and_bad_input() -> None:
    done = _run("--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["hypothetical"] is False and data["ram"]["total"] > 0
    assert data["tier"] in {"3B", "7B", "13B", "70B"}
    disk = {r["part"]: r for r in data["requirements"]}["disk"]
    assert disk["verdict"] in {"recommended", "minimum", "below"} and disk["have"] > 0
    assert data["models_folder"]["free_bytes"] > 0
    bad = _run("--ram", "lots")
    assert bad.returncode == 2 and "not a size" in bad.stderr
    short = _run("--ctx", "10")
    assert short.returncode == 2 and "--ctx" in short.stderr


def test_sixteen_gigabytes_is_a_7b_machine() -> None:
    # The seed's table: 16 GB of RAM is the 7B class (the issue found 13B here).
    done = _run("--json", "--ram", "16G", "--vram", "0")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["tier"] == "7B" and data["tier_basis"] == "ram"
    assert data["usable_tokens_per_second"] == 8.0
    for s in data["suggestions"]:
        assert s["rating"] in {"gpu", "partial", "cpu", "slow"}
        assert s["disk_bytes"] > s["download_bytes"] > 0
    chat = {s["use"]: s for s in data["suggestions"]}["chat_en"]
    assert chat["tokens_per_second"] >= 8 and chat["rating"] != "slow"
    parts = {r["part"]: r["verdict"] for r in data["requirements"]}
    assert parts["memory"] == "minimum" and parts["gpu"] == "minimum"
