"""GGUF hyperparameters that llama.cpp asserts on, and chat templates that never end.

The metadata cases are generated from the real starter model's header (hypothesis changes one
field at a time and across fields); the template cases are generated loop nests, big
multiplications and recursion. The real-engine set is in test_hostile_gguf_engine.py.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.engine.gguf import GGUFFile, TensorInfo, read_gguf
from desktop.engine.gguf_check import LLAMA_MAX_EXPERTS, LLAMA_MAX_LAYERS, NotLoadable, check_loadable
from desktop.engine.options import RequestError
from desktop.engine.starter import starter_gguf
from desktop.engine.template_guard import TemplateOverBudget, apply_template, check_template, rendering_stream
from tests.support.fault_server import FaultServer

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def starter() -> GGUFFile:
    path = starter_gguf()
    assert path is not None
    return read_gguf(path)


def variant(meta: GGUFFile, changes: dict[str, Any], **fields: Any) -> GGUFFile:
    metadata = {**meta.metadata, **changes}
    for key, value in changes.items():
        if value is _REMOVE:
            del metadata[key]
    out = copy.copy(meta)
    out.metadata = metadata
    out.array_lengths = {**meta.array_lengths, **fields.get("lengths", {})}
    out.layer_arrays = {**meta.layer_arrays, **fields.get("arrays", {})}
    if "tensors" in fields:
        out.tensors = fields["tensors"]
    return out


_REMOVE = object()


def test_the_starter_model_is_loadable(starter: GGUFFile) -> None:
    check_loadable(starter)
    # llama.cpp falls back to its default for a special id outside the vocabulary.
    check_loadable(
        variant(starter, {"tokenizer.ggml.bos_token_id": 10**6, "tokenizer.ggml.pad_token_id": 49152})
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"llama.block_count": 0},
        {"llama.block_count": 513},
        {"llama.block_count": 1000},
        {"llama.block_count": 2**32 - 1},
        {"llama.block_count": -1},
        {"llama.block_count": _REMOVE},
        {"llama.block_count": "30"},
        {"llama.block_count": True},
        {"llama.attention.head_count": 0},
        {"llama.attention.head_count": 7},  # 576 is not a multiple of 7
        {"llama.attention.head_count_kv": 0},
        {"llama.attention.head_count_kv": 4},  # does not divide 9
        {"llama.embedding_length": 0},
        {"llama.context_length": 0},
        {"llama.rope.dimension_count": 4096},
        {"llama.expert_count": LLAMA_MAX_EXPERTS + 1, "llama.expert_used_count": 2},
        {"llama.expert_count": 8, "llama.expert_used_count": 9},
        {"llama.expert_count": 8, "llama.expert_used_count": 0},
        {"llama.expert_used_count": 2},
        {"llama.vocab_size": 10},
        {"general.architecture": ""},
    ],
)
def test_fields_llama_cpp_asserts_on_are_refused(starter: GGUFFile, changes: dict[str, Any]) -> None:
    with pytest.raises(NotLoadable):
        check_loadable(variant(starter, changes))


def test_array_fields_are_checked_against_the_layer_count(starter: GGUFFile) -> None:
    heads = [9] * 30
    ok = variant(starter, {"llama.attention.head_count": None}, lengths={"llama.attention.head_count": 30})
    ok.layer_arrays["llama.attention.head_count"] = heads
    check_loadable(ok)
    for bad_heads, length in (([9] * 29, 29), ([0] * 30, 30), ([9] * 29 + [5000], 30)):
        bad = variant(
            starter, {"llama.attention.head_count": None}, lengths={"llama.attention.head_count": length}
        )
        bad.layer_arrays["llama.attention.head_count"] = bad_heads
        with pytest.raises(NotLoadable):
            check_loadable(bad)
    short = variant(starter, {}, lengths={"tokenizer.ggml.token_type": 100})
    with pytest.raises(NotLoadable):
        check_loadable(short)
    no_vocab = variant(starter, {})
    del no_vocab.array_lengths["tokenizer.ggml.tokens"]
    with pytest.raises(NotLoadable):
        check_loadable(no_vocab)


def test_tensor_tables_are_checked(starter: GGUFFile) -> None:
    first = starter.tensors[0]
    for tensors in (
        [],
        [*starter.tensors, first],
        [TensorInfo(first.name, (0, 5), first.type, 0), *starter.tensors[1:]],
        [TensorInfo(first.name, first.shape, 200, 0), *starter.tensors[1:]],
        [TensorInfo(first.name, (1 << 41, 1), first.type, 0), *starter.tensors[1:]],
    ):
        with pytest.raises(NotLoadable):
            check_loadable(variant(starter, {}, tensors=tensors))


_KEYS = [
    "llama.block_count",
    "llama.context_length",
    "llama.embedding_length",
    "llama.feed_forward_length",
    "llama.attention.head_count",
    "llama.attention.head_count_kv",
    "llama.rope.dimension_count",
    "llama.expert_count",
    "llama.expert_used_count",
]


@settings(max_examples=600, deadline=None)
@given(
    key=st.sampled_from(_KEYS),
    value=st.integers(min_value=-(2**63), max_value=2**64)
    | st.sampled_from([0, 1, 512, 513, 2**31, 2**32 - 1]),
)
def test_generated_single_field_changes(starter: GGUFFile, key: str, value: int) -> None:
    try:
        check_loadable(variant(starter, {key: value}))
    except NotLoadable as exc:
        assert key.rsplit(".", 1)[-1].split("_")[0] in str(exc) or "expert" in str(exc) or "head" in str(exc)
        return
    # What passes is inside the limits llama.cpp enforces.
    if key == "llama.block_count":
        assert 1 <= value <= LLAMA_MAX_LAYERS
    if key == "llama.attention.head_count":
        assert value > 0 and 576 % value == 0
    if key == "llama.attention.head_count_kv":
        assert value > 0 and 9 % value == 0


@settings(max_examples=300, deadline=None)
@given(
    changes=st.dictionaries(
        st.sampled_from(_KEYS), st.integers(min_value=-5, max_value=2000) | st.text(max_size=3), max_size=4
    )
)
def test_generated_field_combinations_only_raise_not_loadable(
    starter: GGUFFile, changes: dict[str, Any]
) -> None:
    try:
        check_loadable(variant(starter, changes))
    except NotLoadable:
        pass


# --- chat templates --------------------------------------------------------------------------------


def _nest(depth: int, size: int, body: str) -> str:
    opened = "".join(f"{{% for v{i} in range({size}) %}}" for i in range(depth))
    return opened + body + "{% endfor %}" * depth


@pytest.mark.parametrize(
    "source",
    [
        _nest(3, 400, ""),  # the 4.7 s stall of the report
        _nest(3, 400, "x"),
        _nest(3, 100_000, "{{ v0 }}"),
        '{{ "x" * 1000000000 }}',
        "{{ [1, 2] * 900000000 }}",
        "{{ 9 ** 99999999 }}",
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
        "{% for m in messages %}" + _nest(2, 100_000, "") + "{% endfor %}",
        '{{ "x"|center(1000000000) }}',  # one C call builds a gigabyte: no trace event inside
        '{{ "x".ljust(1000000000) }}',
        '{{ "x"|indent(1000000000, true) }}',
        '{{ range(100000)|join("x" * 1000) }}',
    ],
)
def test_runaway_templates_are_refused_within_the_budget(source: str) -> None:
    started = time.perf_counter()
    with pytest.raises(TemplateOverBudget) as err:
        check_template(source, seconds=1.0)
    assert time.perf_counter() - started < 3.0
    assert "chat template is faulty" in err.value.message


def test_real_and_broken_templates_pass(starter: GGUFFile) -> None:
    check_template(starter.chat_template)
    check_template("{% for x in %}")  # unparsable here: left to llama.cpp's renderer
    check_template("{{ raise_exception('no system role') }}")
    # Filters keep working under the caps (they are wrapped, marks and all).
    check_template(
        '{{ messages[0]|tojson(indent=4) }}{{ " x "|trim }}{{ messages|map(attribute="role")|join(",") }}'
    )


@settings(max_examples=40, deadline=None)
@given(
    depth=st.integers(min_value=1, max_value=4),
    size=st.integers(min_value=1, max_value=5000),
    body=st.sampled_from(["", "x", "{{ v0 }}", "{{ messages[0].content }}"]),
)
def test_generated_loop_nests_finish_or_are_refused_in_time(depth: int, size: int, body: str) -> None:
    started = time.perf_counter()
    try:
        check_template(_nest(depth, size, body), seconds=0.5)
    except TemplateOverBudget:
        pass
    assert time.perf_counter() - started < 2.5


# --- the per-request budget around the child's renderer ------------------------------------------


class _FakeChild:
    def __init__(self, url: str) -> None:
        self.http = httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(30.0, read=None))
        self.stopped = 0

    def client(self) -> httpx.AsyncClient:
        return self.http

    def stop(self) -> None:
        self.stopped += 1


@pytest.fixture
def renderer() -> Iterator[FaultServer]:
    server = FaultServer()
    try:
        yield server
    finally:
        server.close()


def test_a_render_past_the_deadline_fails_and_stops_the_child(renderer: FaultServer) -> None:
    renderer.route("POST", "/apply-template", body={"prompt": "late"}, delay=5.0)

    async def main() -> tuple[float, int, str]:
        child = _FakeChild(renderer.url)
        started = time.perf_counter()
        try:
            await apply_template(child, [{"role": "user", "content": "hi"}], seconds=0.5)
        except TemplateOverBudget as err:
            return time.perf_counter() - started, child.stopped, err.message
        finally:
            await child.http.aclose()
        raise AssertionError("the render was not stopped")

    elapsed, stopped, message = asyncio.run(main())
    assert elapsed < 2.0 and stopped == 1 and "longer than 0.5 s" in message


def test_an_over_long_render_fails_without_stopping_the_child(renderer: FaultServer) -> None:
    async def main() -> None:
        child = _FakeChild(renderer.url)
        try:
            renderer.route("POST", "/apply-template", body={"prompt": "x" * 200_000})
            with pytest.raises(TemplateOverBudget):
                await apply_template(child, [], seconds=5.0, max_bytes=100_000)
            assert child.stopped == 0
            renderer.route("POST", "/apply-template", body={"prompt": "<|user|>hi"})
            assert await apply_template(child, [], seconds=5.0) == "<|user|>hi"
            renderer.route("POST", "/apply-template", status=500, body={"error": {"message": "bad template"}})
            with pytest.raises(RequestError, match="bad template"):
                await apply_template(child, [], seconds=5.0)
        finally:
            await child.http.aclose()

    asyncio.run(main())


def test_paths_are_not_touched(tmp_path: Path) -> None:
    # check_template renders in a sandbox: no file access, whatever the template asks.
    secret = tmp_path / "secret"
    secret.write_text("private")
    check_template("{% include '" + str(secret) + "' %}")
    check_template("{{ ''.__class__.__mro__[1].__subclasses__() }}")


def test_a_stream_whose_render_never_ends_fails_and_stops_the_child(renderer: FaultServer) -> None:
    renderer.route("POST", "/v1/chat/completions", lines=[b"data: {}\n"], header_delay=float("inf"))

    async def main() -> tuple[float, int]:
        child = _FakeChild(renderer.url)
        started = time.perf_counter()
        try:
            async with rendering_stream(child, "/v1/chat/completions", {}, seconds=0.5):
                raise AssertionError("no head was due")
        except TemplateOverBudget:
            return time.perf_counter() - started, child.stopped
        finally:
            await child.http.aclose()

    elapsed, stopped = asyncio.run(main())
    assert elapsed < 2.0 and stopped == 1
    renderer.route("POST", "/v1/chat/completions", lines=[b"data: {}\n"])

    async def fine() -> bytes:
        child = _FakeChild(renderer.url)
        try:
            async with rendering_stream(child, "/v1/chat/completions", {}, seconds=2.0) as response:
                return await response.aread()
        finally:
            await child.http.aclose()

    assert asyncio.run(fine()).startswith(b"data: {}")
