"""Knowledge bases in core: parsing, chunking, keyword terms, indexing, retrieval (no Qt)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from desktop.core.documents.chunk import chunk_blocks, weight
from desktop.core.documents.indexer import Indexer, Progress, expand
from desktop.core.documents.kb import KnowledgeStore
from desktop.core.documents.parse import Block, UnreadableFile, parse
from desktop.core.documents.retrieve import Retriever, fuse
from desktop.core.documents.terms import index_text, match_any
from tests.support.documents import HashEmbedder
from tests.support.pdfgen import write_encrypted_pdf, write_pdf


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeStore:
    store = KnowledgeStore(tmp_path / "desk.sqlite3")
    yield store
    store.close()


def test_chunks_keep_offsets_headings_and_split_chinese_sentences() -> None:
    english = " ".join(f"Sentence {i} is about tea and water." for i in range(80))
    chinese = "西湖龙井是中国的名茶。它产于杭州！你喝过吗？很好喝；" * 30
    text = f"# Tea\n\n{english}\n\n{chinese}"
    chunks = chunk_blocks([Block(text, page=3, heading="Tea")])
    assert len(chunks) > 5
    for chunk in chunks:
        assert text[chunk.start : chunk.end].strip() == chunk.text
        assert chunk.page == 3 and chunk.heading == "Tea"
        assert weight(chunk.text) <= 200
    cjk = [c for c in chunks if "西湖" in c.text and "Sentence" not in c.text]
    # Split at Chinese sentence ends, never in the middle of a sentence.
    assert cjk and all(c.text[-1] in "。！？；" for c in cjk)
    # Overlap: consecutive English chunks share a sentence.
    first, second = chunks[0], chunks[1]
    assert second.start < first.end


def test_a_run_without_any_break_is_cut_into_windows() -> None:
    chunks = chunk_blocks([Block("x" * 5000)])
    assert len(chunks) >= 7 and "".join(c.text for c in chunks) == "x" * 5000


def test_parsers_txt_md_html_docx_pdf(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("plain words\n\nsecond paragraph", encoding="utf-8")
    (tmp_path / "b.md").write_text("# One\n\nalpha\n\n## Two\n\nbeta\n```\n# not a heading\n```\n")
    (tmp_path / "c.html").write_text(
        "<html><head><title>x</title><script>var hidden=1</script></head><body><h1>Head</h1>"
        "<p>Para &amp; more</p><h2>Sub</h2><p>西湖</p></body></html>", encoding="utf-8")
    import docx

    document = docx.Document()
    document.add_heading("Chapter", level=1)
    document.add_paragraph("docx body text")
    document.save(str(tmp_path / "d.docx"))
    write_pdf(tmp_path / "e.pdf", [["first page text"], ["second page text"]])
    assert [b.text for b in parse(tmp_path / "a.txt")] == ["plain words\n\nsecond paragraph"]
    md = parse(tmp_path / "b.md")
    assert [b.heading for b in md] == ["One", "Two"] and "# not a heading" in md[1].text
    page = parse(tmp_path / "c.html")
    assert [b.heading for b in page] == ["Head", "Sub"]
    assert "Para & more" in page[0].text and "hidden" not in " ".join(b.text for b in page)
    [doc] = parse(tmp_path / "d.docx")
    assert doc.heading == "Chapter" and "docx body text" in doc.text
    pdf = parse(tmp_path / "e.pdf")
    assert [(b.page, b.text.strip()) for b in pdf] == [(1, "first page text"), (2, "second page text")]


def test_unreadable_files_say_why(tmp_path: Path) -> None:
    write_pdf(tmp_path / "ok.pdf", [["secret text"]])
    write_encrypted_pdf(tmp_path / "locked.pdf", tmp_path / "ok.pdf")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100)
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "not.docx").write_bytes(b"PK not really a zip")
    reasons = {}
    for name in ("locked.pdf", "broken.pdf", "empty.txt", "binary.txt", "not.docx", "x.exe"):
        with pytest.raises(UnreadableFile) as err:
            parse(tmp_path / name)
        reasons[name] = str(err.value)
    assert "encrypted" in reasons["locked.pdf"]
    assert "not a readable PDF" in reasons["broken.pdf"]
    assert "no text" in reasons["empty.txt"] and "binary" in reasons["binary.txt"]
    assert "Word" in reasons["not.docx"] and "not a supported type" in reasons["x.exe"]


def test_chinese_keywords_of_one_and_two_characters_match(kb: KnowledgeStore) -> None:
    assert "b西湖" in index_text("我去西湖喝茶") and match_any("茶") == '"u茶"'
    texts = {"a.txt": "我去西湖喝茶。", "b.txt": "The car is red.", "c.txt": "杭州的龙井很好"}
    asyncio.run(_index_texts(kb, texts))
    retriever = Retriever(kb)
    for query, expected in (("西湖", "a.txt"), ("茶", "a.txt"), ("龙井", "c.txt"), ("car", "b.txt")):
        [hit] = asyncio.run(retriever.search(["docs"], query, None, k=5, mode="keyword"))
        assert hit.path.endswith(expected), query
    # A whole Chinese question (one run of characters) still finds the passage by its bigrams.
    [hit, *_] = asyncio.run(retriever.search(["docs"], "杭州的龙井好喝吗？", None, k=5, mode="keyword"))
    assert hit.path.endswith("c.txt")
    # FTS5 syntax is plain text.
    assert asyncio.run(retriever.search(["docs"], 'NEAR("x" AND * :', None, mode="keyword")) == []


async def _index_texts(kb: KnowledgeStore, files: dict[str, str], folder: Path | None = None) -> Progress:
    folder = folder or kb.path.parent / "texts"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return await Indexer(kb, HashEmbedder(), "hash").add("docs", [folder])


def test_folder_indexing_reports_bad_files_and_indexes_the_rest(kb: KnowledgeStore, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "good.pdf", [["The harbour opens at dawn."], ["Ships leave at noon."]])
    write_encrypted_pdf(folder / "locked.pdf", folder / "good.pdf")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<" + b"\xff" * 300)
    (folder / "notes.md").write_text("# Notes\n\nThe cat sleeps on the mat.")
    (folder / ".hidden.txt").write_text("never indexed")
    seen: list[tuple[int, int]] = []
    progress = asyncio.run(
        Indexer(kb, HashEmbedder(), "hash").add("docs", [folder], on_progress=lambda p: seen.append(
            (p.files_done, p.chunks_done)))
    )
    assert progress.finished and progress.files_total == 4 and progress.files_done == 4
    failures = dict((Path(p).name, why) for p, why in progress.failures)
    assert set(failures) == {"locked.pdf", "corrupt.pdf"} and "encrypted" in failures["locked.pdf"]
    assert seen[-1] == (4, progress.chunks_done) and len(seen) > 4
    [collection] = kb.collections()
    assert collection.files == 4 and collection.failed == 2 and collection.dimension == 64
    hits = asyncio.run(Retriever(kb).search(["docs"], "when do ships leave", HashEmbedder()))
    assert hits[0].path.endswith("good.pdf") and hits[0].page == 2


def test_changed_removed_and_unchanged_files_on_refresh(kb: KnowledgeStore, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    asyncio.run(_index_texts(kb, {"a.txt": "apples are red", "b.txt": "bananas are yellow"}, folder))
    embedder = HashEmbedder()
    indexer = Indexer(kb, embedder, "hash")
    again = asyncio.run(indexer.refresh("docs"))
    assert again.skipped == 2 and embedder.texts == 0
    (folder / "a.txt").write_text("apricots are orange now")
    (folder / "b.txt").unlink()
    asyncio.run(indexer.refresh("docs"))
    [collection] = kb.collections()
    files = kb.files(collection.id)
    assert [Path(f.path).name for f in files] == ["a.txt"]
    assert [p.text for p in kb.file_chunks(collection.id, files[0].path)] == ["apricots are orange now"]
    assert kb.keyword([collection.id], "apples", 5) == [] and kb.keyword([collection.id], "apricots", 5)


def test_a_new_embedding_model_reembeds_the_collection(kb: KnowledgeStore) -> None:
    asyncio.run(_index_texts(kb, {"a.txt": "one two three"}))
    [before] = kb.collections()
    assert before.dimension == 64 and before.embed_model == "hash"
    asyncio.run(Indexer(kb, HashEmbedder(dim=32), "other-model").refresh("docs"))
    [after] = kb.collections()
    assert after.embed_model == "other-model" and after.dimension == 32 and after.chunks == 1
    [(_, blob)] = kb.vector_rows(after.id)
    assert len(blob) == 2 * 32


def test_a_500_page_pdf_is_indexed_with_pages(kb: KnowledgeStore, tmp_path: Path) -> None:
    pages = [[f"Page {p} of the manual, line {i}: valve {p * 100 + i} is checked weekly." for i in range(12)]
             for p in range(1, 501)]
    write_pdf(tmp_path / "manual.pdf", pages)
    progress = asyncio.run(Indexer(kb, HashEmbedder(), "hash").add("docs", [tmp_path / "manual.pdf"]))
    assert progress.failures == [] and progress.chunks_done >= 500
    [collection] = kb.collections()
    chunks = kb.file_chunks(collection.id, str((tmp_path / "manual.pdf").resolve()))
    assert {c.page for c in chunks} == set(range(1, 501))
    [hit] = asyncio.run(Retriever(kb).search(["docs"], "valve 43207", None, k=1, mode="keyword"))
    assert hit.page == 432


def test_collections_create_rename_delete(kb: KnowledgeStore) -> None:
    kb.create("Work", "m")
    kb.create("  Work ", "m")  # the same one
    kb.rename("Work", "Job")
    assert [c.name for c in kb.collections()] == ["Job"]
    kb.create("Home", "m")
    from desktop.core.store.errors import StoreError

    with pytest.raises(StoreError, match="already"):
        kb.rename("Home", "Job")
    assert kb.delete("Job") and not kb.delete("Job")
    assert [c.name for c in kb.collections()] == ["Home"]


def test_reciprocal_rank_fusion_prefers_agreement() -> None:
    fused = fuse([[(1, 0.9), (2, 0.8), (3, 0.1)], [(3, 5.0), (2, 4.0)]])
    assert {cid for cid, _ in fused[:2]} == {2, 3} and fused[-1][0] == 1


def test_expand_skips_hidden_and_unsupported(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.md").write_text("a")
    (tmp_path / "x" / "b.bin").write_text("b")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.txt").write_text("c")
    assert [p.name for p in expand([tmp_path])] == ["a.md"]


def test_large_indexes_prefilter_on_a_projection_and_keep_recall() -> None:
    import numpy as np

    from desktop.core.documents.vectors import COARSE_FROM, VectorIndex

    rng = np.random.default_rng(3)
    n = COARSE_FROM + 5000
    centres = rng.standard_normal((64, 96)).astype(np.float32)
    vectors = centres[rng.integers(0, 64, n)] + 0.5 * rng.standard_normal((n, 96)).astype(np.float32)
    index = VectorIndex(96)
    for start in range(0, n, 4096):
        index.add(list(range(start, min(n, start + 4096))), vectors[start : start + 4096])
    assert index._basis is not None and index._coarse.shape == (n, 64)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    found = 0
    for q in vectors[rng.integers(0, n, 10)]:
        exact = set(np.argsort(-(unit @ (q / np.linalg.norm(q))))[:10].tolist())
        found += len(exact & {i for i, _ in index.search(q, 10)})
    assert found >= 90  # recall@10 against exact float32 search
    index.remove(list(range(100)))
    assert len(index) == n - 100 and all(i >= 100 for i, _ in index.search(vectors[5], 5))


def test_common_words_do_not_flood_the_keyword_query() -> None:
    assert match_any("what is the valve") == '"valve"'
    assert match_any("the") == '"the"'
