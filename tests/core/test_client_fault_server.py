"""The fault server itself: each misbehaviour does what the protocol tests rely on."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from tests.support.fault_server import FaultServer


def test_json_body_and_recording(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/show", body={"license": "MIT"})
    with httpx.Client(base_url=fault_server.url, timeout=5) as http:
        response = http.post("/api/show?x=1", json={"model": "m"})
    assert response.status_code == 200
    assert response.json() == {"license": "MIT"}
    assert response.headers["content-type"].startswith("application/json")
    (request,) = fault_server.requests
    assert request.method == "POST"
    assert request.path == "/api/show?x=1"
    assert request.json() == {"model": "m"}
    assert request.headers["content-type"] == "application/json"


def test_unrouted_is_gins_404_text(fault_server: FaultServer) -> None:
    with httpx.Client(base_url=fault_server.url, timeout=5) as http:
        response = http.get("/api/nothing")
    assert response.status_code == 404
    assert response.text == "404 page not found"


def test_lines_are_chunked_and_keep_alive_works(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/s", lines=[{"a": 1}, b'{"b": 2}', b'{"c": 3}\n'], delay=0.01)
    with httpx.Client(base_url=fault_server.url, timeout=5) as http:
        for _ in range(2):
            response = http.post("/s")
            assert response.headers["transfer-encoding"] == "chunked"
            assert response.text == '{"a": 1}\n{"b": 2}\n{"c": 3}\n'
    assert fault_server.connections == 1


def test_once_routes_come_first(fault_server: FaultServer) -> None:
    fault_server.route("GET", "/v", body={"n": "persistent"})
    fault_server.route("GET", "/v", status=500, body={"error": "boom"}, once=True)
    with httpx.Client(base_url=fault_server.url, timeout=5) as http:
        assert http.get("/v").status_code == 500
        assert http.get("/v").json() == {"n": "persistent"}
        assert http.get("/v").json() == {"n": "persistent"}


def test_chunked_request_body_is_read(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/up", status=201, body=b"")

    def parts() -> object:
        yield b"hello "
        yield b"world"

    with httpx.Client(base_url=fault_server.url, timeout=5) as http:
        assert http.post("/up", content=parts()).status_code == 201  # type: ignore[arg-type]
    assert fault_server.requests[0].body == b"hello world"


def test_drip_sends_every_byte_separately(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/d", lines=[b"abcd"], drip=0.02)
    with httpx.Client(base_url=fault_server.url, timeout=5) as http, http.stream("POST", "/d") as response:
        pieces = list(response.iter_raw())
    assert b"".join(pieces) == b"abcd\n"
    assert len(pieces) >= 3  # arrived over time, not in one read


@pytest.mark.parametrize("cut_after", [0, 3, 9, 100])
def test_cut_is_an_incomplete_message(fault_server: FaultServer, cut_after: int) -> None:
    fault_server.route("POST", "/c", lines=[b"line one", b"line two"], cut_after=cut_after)
    received = bytearray()
    with httpx.Client(base_url=fault_server.url, timeout=5) as http, pytest.raises(httpx.RemoteProtocolError):
        with http.stream("POST", "/c") as response:
            for piece in response.iter_raw():
                received += piece
    assert bytes(received) == b"line one\nline two\n"[:cut_after]


def test_cut_plain_body_short_of_content_length(fault_server: FaultServer) -> None:
    fault_server.route("GET", "/c", body={"models": ["x" * 50]}, cut_after=10)
    with httpx.Client(base_url=fault_server.url, timeout=5) as http, pytest.raises(httpx.RemoteProtocolError):
        http.get("/c")


def test_stall_keeps_socket_open_and_sees_the_client_leave(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/s", lines=[b"one", b"two"], stall_after=1)
    with httpx.Client(base_url=fault_server.url, timeout=httpx.Timeout(5, read=0.3)) as http:
        with http.stream("POST", "/s") as response:
            got = response.iter_raw()
            assert next(got) == b"one\n"
            with pytest.raises(httpx.ReadTimeout):
                next(got)
    request = fault_server.requests[0]
    assert request.client_closed.wait(2)


def test_header_delay(fault_server: FaultServer) -> None:
    fault_server.route("GET", "/slow", body=b"ok", header_delay=0.3)
    started = time.monotonic()
    with httpx.Client(base_url=fault_server.url, timeout=5) as http:
        assert http.get("/slow").text == "ok"
    assert time.monotonic() - started >= 0.3


def test_close_hangs_up_stalled_connections() -> None:
    server = FaultServer()
    server.route("GET", "/never", header_delay=float("inf"), body=b"")
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    sock.sendall(b"GET /never HTTP/1.1\r\nHost: x\r\n\r\n")
    server.wait_for_requests(1)
    started = time.monotonic()
    server.close()
    assert time.monotonic() - started < 2
    assert sock.recv(10) == b""  # the server hung up
    sock.close()


def test_head_gets_headers_only_and_the_connection_stays_usable(fault_server: FaultServer) -> None:
    fault_server.route("HEAD", "/api/blobs/x", body=b"ignored body")
    fault_server.route("GET", "/api/version", body={"version": "1"})
    with httpx.Client(base_url=fault_server.url, timeout=5) as http:
        assert http.head("/api/blobs/x").headers["content-length"] == "12"
        assert http.head("/api/blobs/unrouted").status_code == 404
        assert http.get("/api/version").json() == {"version": "1"}
    assert fault_server.connections == 1
