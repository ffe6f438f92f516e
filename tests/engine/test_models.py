"""create (from an uploaded blob or another model; a local path is refused, see
test_hostile_routes), copy, delete, and a model whose file went bad after it was registered."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from desktop.engine.starter import starter_gguf
from tests.support.engine import EngineProcess, start_engine

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    process = start_engine(tmp_path_factory.mktemp("models-engine"))
    try:
        yield process
    finally:
        process.stop()


def upload(url: str, path: Path) -> str:
    """The app's import: the GGUF's bytes to /api/blobs, then named in create's `files`."""
    data = path.read_bytes()
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    assert httpx.post(f"{url}/api/blobs/{digest}", content=data, timeout=120).status_code in (200, 201)
    return digest


def names(url: str) -> list[str]:
    return [m["name"] for m in httpx.get(url + "/api/tags").json()["models"]]


def test_create_from_an_uploaded_file_with_system_and_parameters(engine: EngineProcess) -> None:
    source = starter_gguf()
    assert source is not None
    with httpx.stream(
        "POST",
        engine.url + "/api/create",
        json={
            "model": "pirate:1",
            "files": {"model.gguf": upload(engine.url, source)},
            "system": "You are a pirate.",
            "parameters": {"temperature": 0.1, "stop": ["<|im_end|>", "Arr"]},
        },
        timeout=120,
    ) as response:
        statuses = [json.loads(line)["status"] for line in response.iter_lines() if line]
    assert statuses[0] == "parsing GGUF" and statuses[-2:] == ["writing manifest", "success"]
    assert "pirate:1" in names(engine.url)
    show = httpx.post(engine.url + "/api/show", json={"model": "pirate:1"}).json()
    assert show["system"] == "You are a pirate."
    assert "temperature                    0.1" in show["parameters"]
    assert show["parameters"].count("stop") == 2
    reply = httpx.post(
        engine.url + "/api/chat",
        json={
            "model": "pirate:1",
            "stream": False,
            "messages": [{"role": "user", "content": "Hi"}],
            "options": {"num_predict": 4},
        },
        timeout=60,
    )
    assert reply.json()["done"] is True


def test_create_from_uploaded_blob_then_copy_and_delete(engine: EngineProcess) -> None:
    source = starter_gguf()
    assert source is not None
    data = source.read_bytes() + b"\0" * 32  # trailing padding: still valid, a blob of its own
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    assert httpx.post(f"{engine.url}/api/blobs/{digest}", content=data, timeout=120).status_code == 201
    created = httpx.post(
        engine.url + "/api/create",
        timeout=60,
        json={"model": "fromblob", "files": {"smol.gguf": digest}, "stream": False},
    )
    assert created.status_code == 200 and created.json() == {"status": "success"}
    assert "fromblob:latest" in names(engine.url)
    assert (
        httpx.post(
            engine.url + "/api/copy", json={"source": "fromblob", "destination": "twin:v2"}
        ).status_code
        == 200
    )
    assert "twin:v2" in names(engine.url)
    deleted = httpx.request("DELETE", engine.url + "/api/delete", json={"model": "fromblob"})
    assert deleted.status_code == 200 and deleted.content == b""
    assert "fromblob:latest" not in names(engine.url)
    # The copy shares the blob, so it must still work after the original is gone.
    reply = httpx.post(
        engine.url + "/api/generate",
        timeout=60,
        json={"model": "twin:v2", "prompt": "Hi", "stream": False, "options": {"num_predict": 3}},
    )
    assert reply.status_code == 200 and reply.json()["done"] is True
    assert httpx.request("DELETE", engine.url + "/api/delete", json={"model": "twin:v2"}).status_code == 200
    blob_file = engine.home / "engine" / "models" / "blobs" / f"sha256-{digest.split(':')[1]}"
    assert not blob_file.exists()  # unreferenced blobs are pruned


def test_create_errors(engine: EngineProcess) -> None:
    response = httpx.post(engine.url + "/api/create", json={"model": "x", "stream": False})
    assert response.status_code == 400 and response.json() == {
        "error": "neither 'from' or 'files' was specified"
    }
    response = httpx.post(
        engine.url + "/api/create", json={"model": "x", "files": {"../m.gguf": "sha256:" + "a" * 64}}
    )
    assert response.status_code == 400


def test_a_model_whose_file_went_bad_fails_with_a_clear_error(engine: EngineProcess, tmp_path: Path) -> None:
    source = starter_gguf()
    assert source is not None
    copy = tmp_path / "fragile.gguf"
    shutil.copyfile(source, copy)
    with copy.open("ab") as handle:
        handle.write(b"\1" * 64)  # a blob of its own, shared with no other model
    files = {"fragile.gguf": upload(engine.url, copy)}
    created = httpx.post(
        engine.url + "/api/create", json={"model": "fragile", "files": files, "stream": False}, timeout=120
    )
    assert created.status_code == 200
    manifest = json.loads(
        (engine.home / "engine/models/manifests/registry.ollama.ai/library/fragile/latest").read_text()
    )
    blob = engine.home / "engine/models/blobs" / manifest["layers"][0]["digest"].replace(":", "-")
    with blob.open("r+b") as handle:
        handle.truncate(3_000_000)
    response = httpx.post(
        engine.url + "/api/generate",
        timeout=60,
        json={"model": "fragile", "prompt": "Hi", "options": {"num_predict": 2}},
    )
    assert response.status_code == 500
    assert "unable to load model" in response.json()["error"] and "truncated" in response.json()["error"]
    ok = httpx.post(
        engine.url + "/api/generate",
        timeout=60,
        json={"model": "smollm2:135m", "prompt": "Hi", "stream": False, "options": {"num_predict": 2}},
    )
    assert ok.status_code == 200 and ok.json()["done"] is True


def test_max_loaded_models_unloads_the_idle_one(tmp_path: Path) -> None:
    engine = start_engine(tmp_path / "home", extra_env={"OLLAMA_MAX_LOADED_MODELS": "1"})
    try:
        url = engine.url
        assert (
            httpx.post(
                url + "/api/copy", json={"source": "smollm2:135m", "destination": "second:1"}
            ).status_code
            == 200
        )
        for name in ("smollm2:135m", "second:1"):
            assert (
                httpx.post(url + "/api/generate", json={"model": name}, timeout=60).json()["done_reason"]
                == "load"
            )
        running = [m["name"] for m in httpx.get(url + "/api/ps").json()["models"]]
        assert running == ["second:1"]
    finally:
        engine.stop()
