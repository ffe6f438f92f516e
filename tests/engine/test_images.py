"""Images on the real engine. No vision model (GGUF + mmproj projector) can be had offline
here, so the payload path is tested with the projector-less starter model (Ollama's 400 for
a model without vision, base64 checked first with Go's wording, on chat, generate and the
app's own client) and the projector path with a forged projector: /api/create and hf.co
pulls take it, show reports vision, and llama.cpp's CLIP loader receives it."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from pathlib import Path

import httpx
import pytest

from desktop.core.ollama import ChatMessage, OllamaClient, ServerError, Timeouts
from desktop.engine.starter import starter_gguf
from tests.support.engine import start_engine
from tests.support.gguf_forge import STRING, forge

pytestmark = pytest.mark.engine
MODEL = "smollm2:135m"
REFUSED = {"error": "registry.ollama.ai/library/smollm2:135m does not support vision"}
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(24)).decode()


def test_chat_and_generate_with_images_are_refused_before_loading(engine_url: str) -> None:
    messages = [{"role": "user", "content": "What is in the picture?", "images": [PNG]}]
    chat = httpx.post(engine_url + "/api/chat", json={"model": MODEL, "messages": messages}, timeout=30)
    assert chat.status_code == 400 and chat.json() == REFUSED
    body = {"model": MODEL, "prompt": "Describe it.", "images": [PNG]}
    generate = httpx.post(engine_url + "/api/generate", json=body, timeout=30)
    assert generate.status_code == 400 and generate.json() == REFUSED
    # Without images the same requests are fine.
    fine = httpx.post(
        engine_url + "/api/chat",
        json={
            "model": MODEL,
            "messages": [{"role": "user", "content": "Hi"}],
            "stream": False,
            "options": {"num_predict": 2},
        },
        timeout=60,
    )
    assert fine.status_code == 200


def test_images_must_be_plain_base64(engine_url: str) -> None:
    for image, error in (
        (f"data:image/png;base64,{PNG}", "illegal base64 data at input byte 4"),
        ("!!!!", "illegal base64 data at input byte 0"),
    ):
        messages = [{"role": "user", "content": "x", "images": [image]}]
        response = httpx.post(
            engine_url + "/api/chat", json={"model": MODEL, "messages": messages}, timeout=30
        )
        assert response.status_code == 400 and response.json() == {"error": error}
    for images in ("abc", [5]):
        body = {"model": MODEL, "prompt": "x", "images": images}
        response = httpx.post(engine_url + "/api/generate", json=body, timeout=30)
        assert response.status_code == 400


def test_show_has_no_vision_for_the_starter(engine_url: str) -> None:
    shown = httpx.post(engine_url + "/api/show", json={"model": MODEL}).json()
    assert "vision" not in shown["capabilities"]


def test_the_app_client_sends_images_and_shows_the_refusal(engine_url: str) -> None:
    async def chat() -> None:
        async with OllamaClient(engine_url, timeouts=Timeouts(first_token=60, idle=30)) as client:
            message = ChatMessage("user", "What is this?", images=(PNG,))
            async for _ in client.chat(MODEL, [message]):
                pass

    with pytest.raises(ServerError) as refused:
        asyncio.run(chat())
    assert "does not support vision" in str(refused.value)


def upload(url: str, path: Path) -> str:
    data = path.read_bytes()
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    assert httpx.post(f"{url}/api/blobs/{digest}", content=data, timeout=120).status_code in (200, 201)
    return digest


def test_create_takes_a_projector_beside_the_gguf(tmp_path: Path) -> None:
    # Not a working projector (the starter's own weights under a CLIP header): what is
    # checked is the create -> manifest -> show -> child path up to llama.cpp's loader.
    engine = start_engine(tmp_path / "home")
    try:
        source = starter_gguf()
        assert source is not None
        fake = forge(source, tmp_path / "mmproj.gguf", changes={"general.architecture": (STRING, "clip")})
        files = {"model.gguf": upload(engine.url, source), "mmproj-f16.gguf": upload(engine.url, fake)}
        created = httpx.post(
            engine.url + "/api/create", json={"model": "seer:1", "files": files, "stream": False}, timeout=120
        )
        assert created.status_code == 200, created.text
        shown = httpx.post(engine.url + "/api/show", json={"model": "seer:1"}).json()
        assert shown["capabilities"] == ["completion", "tools", "vision"]
        messages = [{"role": "user", "content": "What is this?", "images": [PNG]}]
        reply = httpx.post(
            engine.url + "/api/chat",
            json={"model": "seer:1", "messages": messages, "stream": False},
            timeout=120,
        )
        # llama.cpp's multimodal loader got the projector and refuses it.
        assert reply.status_code == 500 and "Failed to load CLIP model" in reply.json()["error"]
        # Two GGUFs of which none is a projector stay a 400.
        twice = {"a.gguf": files["model.gguf"], "b.gguf": files["model.gguf"]}
        refused = httpx.post(
            engine.url + "/api/create", json={"model": "two:1", "files": twice, "stream": False}
        )
        assert refused.status_code == 400 and refused.json() == {"error": "exactly one .gguf file is needed"}
        fine = httpx.post(
            engine.url + "/api/chat",
            json={
                "model": MODEL,
                "messages": [{"role": "user", "content": "Hi"}],
                "stream": False,
                "options": {"num_predict": 2},
            },
            timeout=60,
        )
        assert fine.status_code == 200
    finally:
        engine.stop()


def test_hf_pull_fetches_the_repos_projector(tmp_path: Path) -> None:
    from tests.support.hf_server import HFServer

    hub = HFServer()
    engine = start_engine(tmp_path / "home", extra_env={"HF_ENDPOINT": hub.url})
    try:
        source = starter_gguf()
        assert source is not None
        hub.add_file("tester/seer-GGUF", "seer-Q4_1.gguf", source)
        fake = forge(source, tmp_path / "p.gguf", changes={"general.architecture": (STRING, "clip")})
        hub.add_file("tester/seer-GGUF", "mmproj-seer-f16.gguf", fake)
        with httpx.stream(
            "POST", engine.url + "/api/pull", json={"model": "hf.co/tester/seer-GGUF"}, timeout=120
        ) as r:
            statuses = [json.loads(line)["status"] for line in r.iter_lines() if line]
        assert statuses[-1] == "success", statuses
        shown = httpx.post(engine.url + "/api/show", json={"model": "hf.co/tester/seer-GGUF"}).json()
        assert "vision" in shown["capabilities"]
        fetched = [r for r in hub.downloads() if "mmproj" in r.path]
        assert fetched, hub.downloads()
    finally:
        engine.stop()
        hub.close()
