"""Pulls from a loopback Hugging-Face-like server: resolution, progress lines, Range resume
after a cut connection and after a cancelled pull, and sha256 verification."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.engine.starter import starter_gguf
from tests.support.engine import EngineProcess, start_engine
from tests.support.hf_server import HFServer

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def hf() -> Iterator[HFServer]:
    server = HFServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def engine(hf: HFServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    process = start_engine(tmp_path_factory.mktemp("pull-engine"), extra_env={"HF_ENDPOINT": hf.url})
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(autouse=True)
def reset_server(hf: HFServer) -> None:
    hf.cut_after, hf.cuts, hf.rate, hf.lie_sha256 = None, 0, None, False
    hf.requests.clear()


def variant(tmp_path: Path, tag: bytes) -> Path:
    """The real SmolLM2 GGUF plus trailing padding: still loadable, with a digest of its own."""
    source = starter_gguf()
    assert source is not None
    path = tmp_path / "model.gguf"
    shutil.copyfile(source, path)
    with path.open("ab") as handle:
        handle.write(tag.ljust(64, b"\0"))
    return path


def pull_lines(url: str, model: str) -> list[dict]:
    with httpx.stream("POST", url + "/api/pull", json={"model": model}, timeout=120) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/x-ndjson"
        return [json.loads(line) for line in response.iter_lines() if line]


def names(url: str) -> list[str]:
    return [m["name"] for m in httpx.get(url + "/api/tags").json()["models"]]


def partial_files(engine: EngineProcess) -> list[Path]:
    return list((engine.home / "engine" / "models" / "blobs").glob("*-partial"))


def test_pull_streams_ollama_progress_and_registers_the_model(
    engine: EngineProcess, hf: HFServer, tmp_path: Path
) -> None:
    hosted = hf.add_file("tester/SmolLM2-GGUF", "SmolLM2-135M-Instruct-Q4_1.gguf", variant(tmp_path, b"a"))
    hf.add_file("tester/SmolLM2-GGUF", "README-not-a-model.txt", variant(tmp_path, b"a"))
    lines = pull_lines(engine.url, "hf.co/tester/SmolLM2-GGUF:Q4_1")
    statuses = [line["status"] for line in lines]
    assert statuses[0] == "pulling manifest"
    assert statuses[-3:] == ["verifying sha256 digest", "writing manifest", "success"]
    digest = f"sha256:{hosted.sha256}"
    layer = [line for line in lines if line.get("digest") == digest]
    assert layer and all(line["status"] == f"pulling {hosted.sha256[:12]}" for line in layer)
    assert all(line["total"] == hosted.size for line in layer)
    assert layer[-1]["completed"] == hosted.size
    completed = [line.get("completed", 0) for line in layer]
    assert completed == sorted(completed)
    assert "hf.co/tester/SmolLM2-GGUF:Q4_1" in names(engine.url)
    reply = httpx.post(
        engine.url + "/api/generate",
        timeout=60,
        json={
            "model": "hf.co/tester/SmolLM2-GGUF:Q4_1",
            "prompt": "Hi",
            "stream": False,
            "options": {"num_predict": 3},
        },
    )
    assert reply.json()["done"] is True
    again = pull_lines(engine.url, "hf.co/tester/SmolLM2-GGUF:Q4_1")  # already there: one line per layer
    cached = [line for line in again if line.get("digest") == digest]
    assert len(cached) == 1 and cached[0]["completed"] == hosted.size
    assert len(hf.downloads()) == 1
    assert (
        httpx.request(
            "DELETE", engine.url + "/api/delete", json={"model": "hf.co/tester/SmolLM2-GGUF:Q4_1"}
        ).status_code
        == 200
    )


def test_pull_without_tag_prefers_q4_k_m(engine: EngineProcess, hf: HFServer, tmp_path: Path) -> None:
    wanted = hf.add_file("tester/choice", "choice-Q4_K_M.gguf", variant(tmp_path, b"b"))
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    hf.add_file("tester/choice", "choice-Q8_0.gguf", variant(other_dir, b"c"))
    lines = pull_lines(engine.url, "hf.co/tester/choice")
    assert lines[-1] == {"status": "success"}
    assert any(line.get("digest") == f"sha256:{wanted.sha256}" for line in lines)
    assert "hf.co/tester/choice:latest" in names(engine.url)
    httpx.request("DELETE", engine.url + "/api/delete", json={"model": "hf.co/tester/choice"})


def test_pull_errors_follow_ollama(engine: EngineProcess, hf: HFServer, tmp_path: Path) -> None:
    assert pull_lines(engine.url, "hf.co/nobody/nothing:Q4_0") == [
        {"status": "pulling manifest"},
        {"error": "pull model manifest: file does not exist"},
    ]
    hf.add_file("tester/onlyq4", "m-Q4_1.gguf", variant(tmp_path, b"d"))
    lines = pull_lines(engine.url, "hf.co/tester/onlyq4:Q2_K")
    assert lines[-1]["error"].startswith("pull model manifest: 400: The specified tag is not available")
    response = httpx.post(engine.url + "/api/pull", json={"model": "hf.co/nobody/nothing", "stream": False})
    assert response.status_code == 500 and response.json() == {
        "error": "pull model manifest: file does not exist"
    }
    invalid = httpx.post(engine.url + "/api/pull", json={"model": "hf.co/../../etc"})
    assert invalid.status_code == 400 and invalid.json() == {"error": "invalid model name"}


def test_a_cut_transfer_resumes_with_range(engine: EngineProcess, hf: HFServer, tmp_path: Path) -> None:
    hosted = hf.add_file("tester/cut", "cut-Q4_1.gguf", variant(tmp_path, b"e"))
    hf.cut_after, hf.cuts = 20_000_000, 1
    lines = pull_lines(engine.url, "hf.co/tester/cut:Q4_1")
    assert lines[-1] == {"status": "success"}
    downloads = hf.downloads()
    assert len(downloads) == 2
    assert "range" not in downloads[0].headers
    assert downloads[1].headers["range"] == "bytes=20000000-"
    assert "hf.co/tester/cut:Q4_1" in names(engine.url)
    blob = engine.home / "engine/models/blobs" / f"sha256-{hosted.sha256}"
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == hosted.sha256
    httpx.request("DELETE", engine.url + "/api/delete", json={"model": "hf.co/tester/cut:Q4_1"})


def test_a_cancelled_pull_registers_nothing_and_resumes_next_time(
    engine: EngineProcess, hf: HFServer, tmp_path: Path
) -> None:
    hosted = hf.add_file("tester/slow", "slow-Q4_1.gguf", variant(tmp_path, b"f"))
    hf.rate = 15_000_000  # bytes per second: a 98 MB file takes several seconds
    with httpx.stream(
        "POST", engine.url + "/api/pull", json={"model": "hf.co/tester/slow:Q4_1"}, timeout=60
    ) as r:
        for line in r.iter_lines():
            if json.loads(line).get("completed", 0) > 5_000_000:
                break  # leaving the block closes the connection: the client went away
    time.sleep(1.0)
    partials = partial_files(engine)
    assert len(partials) == 1
    size = partials[0].stat().st_size
    time.sleep(1.0)
    assert partials[0].stat().st_size == size, "the download must stop when the client disconnects"
    assert 5_000_000 < size < hosted.size
    assert "hf.co/tester/slow:Q4_1" not in names(engine.url)
    hf.rate = None
    lines = pull_lines(engine.url, "hf.co/tester/slow:Q4_1")
    assert lines[-1] == {"status": "success"}
    assert hf.downloads()[-1].headers["range"] == f"bytes={size}-"
    first = next(line for line in lines if line.get("digest") == f"sha256:{hosted.sha256}")
    assert first["completed"] == size  # progress starts from the bytes already on disk
    assert "hf.co/tester/slow:Q4_1" in names(engine.url)
    assert not partial_files(engine)
    httpx.request("DELETE", engine.url + "/api/delete", json={"model": "hf.co/tester/slow:Q4_1"})


def test_a_sha256_mismatch_is_refused_and_the_bad_file_removed(
    engine: EngineProcess, hf: HFServer, tmp_path: Path
) -> None:
    hf.add_file("tester/liar", "liar-Q4_1.gguf", variant(tmp_path, b"g"))
    hf.lie_sha256 = True
    lines = pull_lines(engine.url, "hf.co/tester/liar:Q4_1")
    assert lines[-1]["error"].startswith(
        "digest mismatch, file must be downloaded again: want sha256:" + "0" * 64
    )
    assert "hf.co/tester/liar:Q4_1" not in names(engine.url)
    assert not partial_files(engine)


def test_pull_from_an_ollama_registry_keeps_the_model_parameters(
    engine: EngineProcess, hf: HFServer, tmp_path: Path
) -> None:
    gguf = variant(tmp_path, b"registry")
    manifest = hf.add_registry_model(
        "library/smol", "1", gguf, params={"stop": ["<|im_end|>"], "temperature": 0.3}
    )
    host = hf.url.removeprefix("http://")
    name = f"{host}/library/smol:1"
    with httpx.stream(
        "POST", engine.url + "/api/pull", json={"model": name, "insecure": True}, timeout=120
    ) as r:
        lines = [json.loads(line) for line in r.iter_lines() if line]
    assert lines[0] == {"status": "pulling manifest"} and lines[-1] == {"status": "success"}
    pulled = {line["digest"] for line in lines if "digest" in line}
    assert pulled == {layer["digest"] for layer in [*manifest["layers"], manifest["config"]]}
    assert name in names(engine.url)
    show = httpx.post(engine.url + "/api/show", json={"model": name}).json()
    assert "temperature                    0.3" in show["parameters"]
    reply = httpx.post(
        engine.url + "/api/generate",
        timeout=60,
        json={"model": name, "prompt": "Hi", "stream": False, "options": {"num_predict": 3}},
    )
    assert reply.json()["done"] is True
    assert httpx.request("DELETE", engine.url + "/api/delete", json={"model": name}).status_code == 200


def test_registry_manifests_with_bad_digests_or_foreign_layers_are_refused(
    engine: EngineProcess, hf: HFServer, tmp_path: Path
) -> None:
    host = hf.url.removeprefix("http://")
    hf.add_registry_model("library/evil", "1", variant(tmp_path, b"evil"))
    hf.manifests["library/evil:1"]["layers"][0]["digest"] = "sha256:../../../../etc/passwd"
    lines = pull_lines_insecure(engine.url, f"{host}/library/evil:1")
    assert lines[-1] == {"error": "invalid digest format"}
    hf.add_registry_model(
        "library/tensors",
        "1",
        variant(tmp_path, b"tensor"),
        extra_layers=[
            {"mediaType": "application/vnd.ollama.image.tensor", "digest": "sha256:" + "b" * 64, "size": 10}
        ],
    )
    lines = pull_lines_insecure(engine.url, f"{host}/library/tensors:1")
    assert "cannot run" in lines[-1]["error"]
    assert pull_lines_insecure(engine.url, f"{host}/library/absent:1")[-1] == {
        "error": "pull model manifest: file does not exist"
    }
    assert not [n for n in names(engine.url) if host in n]
    assert not list((engine.home / "engine" / "models").rglob("passwd"))


def pull_lines_insecure(url: str, model: str) -> list[dict]:
    with httpx.stream(
        "POST", url + "/api/pull", json={"model": model, "insecure": True}, timeout=60
    ) as response:
        return [json.loads(line) for line in response.iter_lines() if line]
