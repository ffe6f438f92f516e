"""Engine parts that need no model run: the GGUF reader on damaged files, option and
keep_alive parsing, prompt fitting, quant choice and the store's path rules."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import pytest

from desktop.engine import hf
from desktop.engine.gguf import GGUFError, human_parameters, read_gguf
from desktop.engine.options import RequestError, parse_format, parse_keep_alive, parse_options
from desktop.engine.registry import Registry
from desktop.engine.security import InvalidDigest, host_allowed, origin_allowed, parse_name
from desktop.engine.starter import starter_gguf
from desktop.engine.upstream import fit_prompt


@pytest.fixture(scope="module")
def header_bytes() -> bytes:
    source = starter_gguf()
    assert source is not None
    with source.open("rb") as handle:
        return handle.read(2_500_000)  # the whole header and the first tensors


def test_reads_the_starter_model() -> None:
    source = starter_gguf()
    assert source is not None
    meta = read_gguf(source)
    assert meta.architecture == "llama" and meta.context_length == 8192 and meta.embedding_length == 576
    assert meta.file_type == "Q4_1" and human_parameters(meta.parameter_count) == "134.52M"
    assert meta.chat_template.startswith("{% for message in messages %}")
    assert "tokenizer.ggml.tokens" in meta.elided and meta.metadata["tokenizer.ggml.tokens"] is None
    full = read_gguf(source, keep_arrays=True)
    assert len(full.metadata["tokenizer.ggml.tokens"]) == 49152


@pytest.mark.parametrize("cut", [0, 3, 4, 8, 23, 24, 100, 1000, 50_000, 600_000, 1_500_000, 2_400_000])
def test_every_truncation_is_a_clear_error(tmp_path: Path, header_bytes: bytes, cut: int) -> None:
    path = tmp_path / "cut.gguf"
    path.write_bytes(header_bytes[:cut])
    with pytest.raises(GGUFError) as info:
        read_gguf(path)
    assert "GGUF" in str(info.value) or "truncated" in str(info.value)


@pytest.mark.parametrize(
    ("offset", "value"),
    [
        (0, b"GGML"),
        (4, struct.pack("<I", 99)),
        (8, struct.pack("<Q", 1 << 40)),
        (16, struct.pack("<Q", 1 << 40)),
        (24, struct.pack("<Q", 1 << 60)),
    ],
)
def test_corrupt_headers_are_refused(tmp_path: Path, header_bytes: bytes, offset: int, value: bytes) -> None:
    data = bytearray(header_bytes)
    data[offset : offset + len(value)] = value
    path = tmp_path / "bad.gguf"
    path.write_bytes(bytes(data))
    with pytest.raises(GGUFError):
        read_gguf(path)


def test_human_parameters() -> None:
    assert human_parameters(134_515_008) == "134.52M"
    assert human_parameters(7_615_616_512) == "7.6B"
    assert human_parameters(8_000_000_000) == "8B"
    assert human_parameters(950) == "950"


def test_options_merge_and_type_errors() -> None:
    opts = parse_options(
        {"temperature": 0.2, "stop": ["a"]}, {"temperature": 0.5, "num_predict": 3.9, "mirostat": 2}
    )
    assert opts.temperature == 0.5 and opts.stop == ["a"] and opts.num_predict == 3
    with pytest.raises(RequestError) as info:
        parse_options({"stop": "x"})
    assert info.value.status == 500 and info.value.message == 'option "stop" must be of type array'
    with pytest.raises(RequestError):
        parse_options({"temperature": "hot"})


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        (0, 0.0),
        ("0", 0.0),
        (30, 30.0),
        (1.5, 1.5),
        ("5m", 300.0),
        ("1h30m", 5400.0),
        ("250ms", 0.25),
        (-1, math.inf),
        ("-1m", math.inf),
    ],
)
def test_keep_alive(value: object, seconds: float | None) -> None:
    assert parse_keep_alive(value) == seconds


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("300", 'time: missing unit in duration "300"'),
        ("soon", 'time: invalid duration "soon"'),
        (True, "Unsupported type: 'bool'"),
    ],
)
def test_keep_alive_errors(value: object, message: str) -> None:
    with pytest.raises(RequestError) as info:
        parse_keep_alive(value)
    assert info.value.message == message and info.value.status == 400


def test_format() -> None:
    assert parse_format("") is None and parse_format(None) is None and parse_format("json") == "json"
    assert parse_format({"type": "object"}) == {"type": "object"}
    with pytest.raises(RequestError):
        parse_format("yaml")


def test_an_over_long_prompt_keeps_num_keep_tokens_and_the_newest() -> None:
    opts = parse_options({"num_keep": 2, "num_predict": 10})
    tokens, budget = fit_prompt(list(range(100)), 64, opts)
    assert len(tokens) == 54 and tokens[:2] == [0, 1] and tokens[-1] == 99
    assert budget == 10
    short, budget = fit_prompt([1, 2, 3], 64, parse_options())
    assert short == [1, 2, 3] and budget == 61  # no num_predict: up to the context's end


def test_quant_choice() -> None:
    files = [
        {"type": "file", "path": p}
        for p in ("m-Q8_0.gguf", "m-Q4_K_M.gguf", "m.Q5_K_S.gguf", "mmproj-f16.gguf")
    ]
    assert hf.choose_file(files, "latest")["path"] == "m-Q4_K_M.gguf"
    assert hf.choose_file(files, "q5_k_s")["path"] == "m.Q5_K_S.gguf"
    with pytest.raises(hf.PullError):
        hf.choose_file(files, "Q2_K")
    assert hf.choose_file(files[:1], "latest")["path"] == "m-Q8_0.gguf"


def test_registry_paths_stay_inside(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    for digest in ("sha256:../../etc/passwd", "sha256-" + "a" * 63, "../sha256:" + "a" * 64):
        with pytest.raises(InvalidDigest):
            registry.blob_path(digest)
    path = registry.blob_path("sha256:" + "A" * 64)
    assert path.parent == registry.blobs and path.name == "sha256-" + "a" * 64
    assert registry.get(parse_name("hf.co/u/r:Q4_K_M")) is None
    assert registry.entries() == []


def test_host_and_origin_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not host_allowed(None) and host_allowed("localhost:11434") and host_allowed("127.0.0.2")
    assert not host_allowed("example.com") and not host_allowed("localhost.example.com")
    assert origin_allowed(None) and origin_allowed("http://localhost:5173") and origin_allowed("app://x")
    assert not origin_allowed("https://example.com") and not origin_allowed("null")
    monkeypatch.setenv("OLLAMA_ORIGINS", "https://*.trusted.dev, chrome-extension://abc")
    assert origin_allowed("https://ui.trusted.dev") and origin_allowed("chrome-extension://abc")
    assert not origin_allowed("https://trusted.dev.evil.com")
