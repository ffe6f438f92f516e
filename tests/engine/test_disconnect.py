"""A client that goes away stops its generation at once, and frees the model's queue."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

pytestmark = pytest.mark.engine
MODEL = "smollm2:135m"
LONG = {"num_predict": 3000, "seed": 3, "temperature": 1.0}


def short_generation_seconds(url: str) -> float:
    started = time.perf_counter()
    body = {"model": MODEL, "prompt": "Hi", "stream": False, "options": {"num_predict": 2}}
    assert httpx.post(url + "/api/generate", json=body, timeout=120).json()["done"] is True
    return time.perf_counter() - started


@pytest.mark.parametrize("path", ["/api/generate", "/api/chat"])
def test_closing_the_stream_stops_the_generation(engine_url: str, path: str) -> None:
    short_generation_seconds(engine_url)  # the model is loaded
    body = {
        "model": MODEL,
        "options": LONG,
        "prompt": "Write a very long story.",
        "messages": [{"role": "user", "content": "Write a very long story."}],
    }
    received = 0
    with httpx.stream("POST", engine_url + path, json=body, timeout=60) as response:
        for line in response.iter_lines():
            assert not json.loads(line)["done"]
            received += 1
            if received == 5:
                break
    # 3000 tokens would take a minute or more here; the queue must be free almost at once.
    assert short_generation_seconds(engine_url) < 5.0


def test_a_client_that_vanishes_while_not_streaming_frees_the_model(engine_url: str) -> None:
    host, port = engine_url.removeprefix("http://").split(":")
    payload = json.dumps(
        {"model": MODEL, "prompt": "Write a long essay.", "stream": False, "options": LONG}
    ).encode()
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(
            b"POST /api/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(payload)}\r\n\r\n".encode()
            + payload
        )
        time.sleep(1.0)
    assert short_generation_seconds(engine_url) < 5.0
