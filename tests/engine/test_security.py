"""DNS-rebinding defence, name/digest validation, and a malformed GGUF that must not hurt."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import httpx
import pytest

from desktop.engine.security import InvalidDigest, InvalidName, parse_digest, parse_name

pytestmark = pytest.mark.engine
MODEL = "smollm2:135m"


def raw_request(url: str, request: bytes) -> bytes:
    """A hand-written HTTP request, so the Host header can be anything."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize("path", ["/", "/api/version", "/api/tags", "/api/ps"])
@pytest.mark.parametrize("host", ["evil.example", "attacker.com:11434", "192.0.2.1", "10.0.0.5"])
def test_foreign_host_header_is_refused_on_every_route(engine_url: str, path: str, host: str) -> None:
    reply = raw_request(
        engine_url, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    )
    assert reply.startswith(b"HTTP/1.1 403")


def test_foreign_host_is_refused_for_posts_too(engine_url: str) -> None:
    body = b'{"model":"smollm2:135m"}'
    request = (
        b"DELETE /api/delete HTTP/1.1\r\nHost: rebind.attacker.net\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )
    assert raw_request(engine_url, request).startswith(b"HTTP/1.1 403")
    assert any(m["name"] == MODEL for m in httpx.get(engine_url + "/api/tags").json()["models"])


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "localhost:11434", "[::1]:80", "app.localhost"])
def test_local_host_headers_are_accepted(engine_url: str, host: str) -> None:
    reply = raw_request(
        engine_url, f"GET /api/version HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    )
    assert reply.startswith(b"HTTP/1.1 200")


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost.evil.com", "null"])
def test_foreign_origin_is_refused(engine_url: str, origin: str) -> None:
    for method, path in (("GET", "/api/tags"), ("POST", "/api/show"), ("OPTIONS", "/api/chat")):
        response = httpx.request(method, engine_url + path, headers={"Origin": origin}, json={"model": MODEL})
        assert response.status_code == 403, (method, path)


def test_local_origin_is_allowed_with_cors_headers(engine_url: str) -> None:
    response = httpx.get(engine_url + "/api/tags", headers={"Origin": "http://localhost:3000"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    preflight = httpx.options(engine_url + "/api/chat", headers={"Origin": "http://127.0.0.1:8080"})
    assert preflight.status_code == 204


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "..",
        "a/b/c/d",
        "/abs",
        "x:../../y",
        "model:tag/evil",
        "..%2f..%2fx",
        "a b",
        "",
        "ñ",
    ],
)
def test_invalid_names_never_reach_the_filesystem(engine_url: str, name: str) -> None:
    for path, key in (("/api/show", "model"), ("/api/pull", "model"), ("/api/create", "model")):
        response = httpx.post(engine_url + path, json={key: name, "from": MODEL}, timeout=10)
        assert response.status_code in (400, 404), (path, response.text)
    copy = httpx.post(engine_url + "/api/copy", json={"source": MODEL, "destination": name})
    assert copy.status_code == 400


def test_name_and_digest_grammar() -> None:
    assert parse_name("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M").display == (
        "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M"
    )
    assert parse_name("llama3.2").display == "llama3.2:latest"
    assert parse_name("user/model:v1").display == "user/model:v1"
    assert parse_name("huggingface.co/u/r").host == "hf.co"
    for bad in ("../x", "a/../b", "a/b/c/d", ".hidden", "a:b:c/d", "x" * 81):
        with pytest.raises(InvalidName):
            parse_name(bad)
    hexd = "a" * 64
    assert parse_digest(f"sha256:{hexd}") == hexd and parse_digest(f"sha256-{hexd.upper()}") == hexd
    for bad in (
        "sha256:../../etc",
        f"sha256:{hexd}/../x",
        "md5:abc",
        f"sha256:{hexd[:-1]}",
        f"sha256:{hexd}\n",
    ):
        with pytest.raises(InvalidDigest):
            parse_digest(bad)


@pytest.mark.parametrize(
    "digest", ["sha256:..%2F..%2Fetc%2Fpasswd", "sha256-xyz", "sha256:" + "g" * 64, "nope"]
)
def test_blob_digests_are_validated(engine_url: str, digest: str) -> None:
    # An encoded slash is decoded before routing: no route matches (404), nothing is touched.
    expected = 404 if "%2F" in digest else 400
    assert httpx.head(f"{engine_url}/api/blobs/{digest}").status_code == expected
    response = httpx.post(f"{engine_url}/api/blobs/{digest}", content=b"data")
    assert response.status_code == expected
    if expected == 400:
        assert response.json() == {"error": "invalid digest format"}


def test_blob_upload_is_hashed_by_the_server(engine_url: str) -> None:
    data = b"some bytes " * 100
    good = "sha256:" + hashlib.sha256(data).hexdigest()
    wrong = "sha256:" + hashlib.sha256(b"other").hexdigest()
    mismatch = httpx.post(f"{engine_url}/api/blobs/{wrong}", content=data)
    assert mismatch.status_code == 400 and "digest mismatch" in mismatch.json()["error"]
    assert httpx.head(f"{engine_url}/api/blobs/{wrong}").status_code == 404
    assert httpx.post(f"{engine_url}/api/blobs/{good}", content=data).status_code == 201
    assert httpx.head(f"{engine_url}/api/blobs/{good}").status_code == 200
    assert httpx.post(f"{engine_url}/api/blobs/{good}", content=data).status_code == 200


def test_malformed_gguf_fails_that_request_and_the_engine_keeps_serving(
    engine_url: str, tmp_path: Path
) -> None:
    from desktop.engine.starter import starter_gguf

    source = starter_gguf()
    assert source is not None
    truncated = source.read_bytes()[:5_000_000]
    digest = "sha256:" + hashlib.sha256(truncated).hexdigest()
    assert httpx.post(f"{engine_url}/api/blobs/{digest}", content=truncated, timeout=60).status_code == 201
    created = httpx.post(
        engine_url + "/api/create",
        json={"model": "broken:1", "files": {"model.gguf": digest}, "stream": False},
        timeout=60,
    )
    assert created.status_code == 400
    assert "truncated" in created.json()["error"]
    garbage = b"GGUF" + b"\xff" * 4000
    digest = "sha256:" + hashlib.sha256(garbage).hexdigest()
    assert httpx.post(f"{engine_url}/api/blobs/{digest}", content=garbage).status_code == 201
    created = httpx.post(
        engine_url + "/api/create",
        json={"model": "broken:2", "files": {"garbage.gguf": digest}, "stream": False},
    )
    assert created.status_code == 400 and "GGUF" in created.json()["error"]
    names = [m["name"] for m in httpx.get(engine_url + "/api/tags").json()["models"]]
    assert "broken:1" not in names and "broken:2" not in names
    body = {"model": MODEL, "prompt": "Hi", "stream": False, "options": {"num_predict": 3}}
    assert httpx.post(engine_url + "/api/generate", json=body, timeout=60).json()["done"] is True
