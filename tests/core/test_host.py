"""OLLAMA_HOST parsing: Ollama's own test table (envconfig/config_test.go), made connectable."""

from __future__ import annotations

import pytest

from desktop.core.ollama.host import default_host, is_loopback, parse_host

# (value, what Ollama's envconfig.Host() gives, what we connect to)
CASES = [
    ("", "http://127.0.0.1:11434"),
    ("1.2.3.4", "http://1.2.3.4:11434"),
    (":1234", "http://127.0.0.1:1234"),  # Go: "http://:1234", i.e. this machine
    ("1.2.3.4:1234", "http://1.2.3.4:1234"),
    ("example.com", "http://example.com:11434"),
    ("example.com:1234", "http://example.com:1234"),
    (":0", "http://127.0.0.1:0"),
    (":66000", "http://127.0.0.1:11434"),
    (":-1", "http://127.0.0.1:11434"),
    ("example.com:abc", "http://example.com:11434"),
    ("example.com:", "http://example.com:11434"),
    ("[::1]", "http://[::1]:11434"),
    ("[::]", "http://[::1]:11434"),  # Go binds all interfaces; a client connects to loopback
    ("::1", "http://[::1]:11434"),
    ("[::1]:1337", "http://[::1]:1337"),
    ("fe80::2:1", "http://[fe80::2:1]:11434"),
    (" 1.2.3.4 ", "http://1.2.3.4:11434"),
    ('"1.2.3.4"', "http://1.2.3.4:11434"),
    (' " 1.2.3.4 " ', "http://1.2.3.4:11434"),
    ("'1.2.3.4'", "http://1.2.3.4:11434"),
    ("http://1.2.3.4", "http://1.2.3.4:80"),
    ("http://1.2.3.4:4321", "http://1.2.3.4:4321"),
    ("https://1.2.3.4", "https://1.2.3.4:443"),
    ("https://1.2.3.4:4321", "https://1.2.3.4:4321"),
    ("https://example.com/ollama", "https://example.com:443/ollama"),
    ("https://example.com/ollama/", "https://example.com:443/ollama"),
    ("example.com:8080/a/b//", "http://example.com:8080/a/b"),
    ("http://localhost:11434/", "http://localhost:11434"),
    ("0.0.0.0", "http://127.0.0.1:11434"),
    ("0.0.0.0:11434", "http://127.0.0.1:11434"),  # the official Docker image's value
    ("http://0.0.0.0:8080", "http://127.0.0.1:8080"),
    ("[::]:9999", "http://[::1]:9999"),
    ("ollama.com", "https://ollama.com:443"),
    ("localhost", "http://localhost:11434"),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_parse_host(value: str, expected: str) -> None:
    assert parse_host(value) == expected


def test_none_is_the_default() -> None:
    assert parse_host(None) == "http://127.0.0.1:11434"


def test_default_host_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_HOST", "0.0.0.0:8081")
    assert default_host() == "http://127.0.0.1:8081"
    monkeypatch.delenv("OLLAMA_HOST")
    assert default_host() == "http://127.0.0.1:11434"


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:11434", True),
        ("http://127.0.0.2:80", True),
        ("http://[::1]:11434", True),
        ("http://localhost:11434/x", True),
        ("http://192.168.1.4:11434", False),
        ("https://ollama.com:443", False),
    ],
)
def test_is_loopback(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback
