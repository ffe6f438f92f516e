"""Numeric options, keep_alive and request bodies: finite, bounded, clamped, or a JSON 400.

Generated values (hypothesis) check the mechanism for every option, not the inputs of the
report alone: whatever number arrives, the engine gets a value inside the option's range.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.engine.options import (
    _FLOATS,
    _INTS,
    LONG_CONTEXT_ENV,
    MAX_BODY_DEPTH,
    MAX_KEEP_ALIVE,
    MAX_NUM_CTX,
    RequestError,
    fit_num_ctx,
    machine_cores,
    parse_body,
    parse_keep_alive,
    parse_options,
)

pytestmark = pytest.mark.engine
_numbers = st.integers(min_value=-(10**40), max_value=10**40) | st.floats(
    allow_nan=False, allow_infinity=False
)


@pytest.mark.parametrize("value", [1e30, 1024, 64, 10**40, 3])
def test_num_thread_is_clamped_to_the_cores(value: float) -> None:
    assert 0 <= parse_options({"num_thread": value}).num_thread <= machine_cores()


@pytest.mark.parametrize("key", sorted(_INTS) + sorted(_FLOATS))
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_options_are_400s(key: str, value: float) -> None:
    with pytest.raises(RequestError) as err:
        parse_options({key: value})
    assert err.value.status == 400 and err.value.message == f'option "{key}" must be a finite number'


@settings(max_examples=400, deadline=None)
@given(key=st.sampled_from(sorted(_INTS)), value=_numbers)
def test_generated_integer_options_land_in_range(key: str, value: float) -> None:
    opts = parse_options({key: value})
    low, high = _INTS[key]
    got = getattr(opts, key)
    assert isinstance(got, int) and low <= got <= high
    if key == "num_thread":
        assert got <= machine_cores()


@settings(max_examples=400, deadline=None)
@given(key=st.sampled_from(sorted(_FLOATS)), value=_numbers)
def test_generated_float_options_land_in_range(key: str, value: float) -> None:
    got = getattr(parse_options({key: value}), key)
    low, high = _FLOATS[key]
    assert isinstance(got, float) and low <= got <= high and math.isfinite(got)


@settings(max_examples=300, deadline=None)
@given(
    options=st.dictionaries(
        st.sampled_from(sorted(_INTS) + sorted(_FLOATS) + ["stop", "mirostat", "x"]),
        st.none()
        | st.booleans()
        | _numbers
        | st.text(max_size=5)
        | st.lists(st.text(max_size=3), max_size=3),
        max_size=8,
    )
)
def test_generated_option_maps_give_options_or_request_errors(options: dict[str, Any]) -> None:
    try:
        parse_options(options)
    except RequestError as exc:
        assert exc.status in (400, 500) and exc.message.startswith('option "')


def test_wrong_types_keep_ollamas_wording() -> None:
    with pytest.raises(RequestError) as err:
        parse_options({"num_ctx": "big"})
    assert err.value.message == 'option "num_ctx" must be of type integer'


def test_num_ctx_is_fitted_to_the_trained_length(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LONG_CONTEXT_ENV, raising=False)
    assert fit_num_ctx(32768, 8192, 4096) == 8192
    assert fit_num_ctx(0, 8192, 4096) == 4096
    assert fit_num_ctx(0, 2048, 4096) == 2048
    assert fit_num_ctx(1 << 40, 0, 4096) == MAX_NUM_CTX
    monkeypatch.setenv(LONG_CONTEXT_ENV, "1")
    assert fit_num_ctx(32768, 8192, 4096) == 32768
    assert fit_num_ctx(1 << 40, 8192, 4096) == MAX_NUM_CTX


@settings(max_examples=300, deadline=None)
@given(
    requested=st.integers(min_value=-(1 << 40), max_value=1 << 40),
    trained=st.integers(min_value=0, max_value=1 << 22),
    default=st.integers(min_value=1, max_value=1 << 16),
)
def test_generated_contexts_never_exceed_the_model(requested: int, trained: int, default: int) -> None:
    got = fit_num_ctx(requested, trained, default)
    assert 1 <= got <= MAX_NUM_CTX
    if trained > 0:
        assert got <= trained


@pytest.mark.parametrize("value", [1e308, 10**30, MAX_KEEP_ALIVE * 2, -1e308])
def test_huge_keep_alive_numbers_mean_forever(value: float) -> None:
    assert parse_keep_alive(value) == math.inf


@pytest.mark.parametrize("value", ["99999999999h", "9" * 30 + "s", "1" * 200 + "h", "2562048h"])
def test_durations_past_gos_range_are_refused_as_go_does(value: str) -> None:
    with pytest.raises(RequestError) as err:
        parse_keep_alive(value)
    assert err.value.status == 400 and err.value.message.startswith("time: invalid duration")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_keep_alive_is_a_400(value: float) -> None:
    with pytest.raises(RequestError) as err:
        parse_keep_alive(value)
    assert err.value.status == 400


@settings(max_examples=500, deadline=None)
@given(value=st.none() | st.booleans() | _numbers | st.floats() | st.text(max_size=30))
def test_generated_keep_alives_are_valid_seconds_or_400s(value: Any) -> None:
    try:
        seconds = parse_keep_alive(value)
    except RequestError as exc:
        assert exc.status == 400
        return
    # What /api/ps turns into a date: finite and within datetime's range, or forever.
    assert seconds is None or seconds == math.inf or 0 <= seconds <= MAX_KEEP_ALIVE


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000,
        b'{"a":' * 100_000,
        b'{"model":"m","options":{"temperature":NaN}}',
        b'{"model":"m","options":{"num_ctx":Infinity}}',
        b'{"keep_alive":-Infinity}',
        b'{"x":1e400}',
        b'{"x":' + b"9" * 5000 + b"}",
        b"\xff\xfe\x00",
        b"",
        b"[]",
        b'"text"',
        b"{" + b'"a":{' * (MAX_BODY_DEPTH + 1) + b"}" * (MAX_BODY_DEPTH + 2),
    ],
)
def test_hostile_bodies_are_400s(raw: bytes) -> None:
    with pytest.raises(RequestError) as err:
        parse_body(raw)
    assert err.value.status == 400


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(value=_json, depth=st.integers(min_value=0, max_value=300))
def test_generated_bodies_parse_or_400(value: Any, depth: int) -> None:
    raw = ('{"a":' * depth + json.dumps({"v": value}) + "}" * depth).encode()
    try:
        body = parse_body(raw)
    except RequestError as exc:
        assert exc.status == 400
        return
    assert depth < MAX_BODY_DEPTH
    json.dumps(body, allow_nan=False)  # raises if a NaN or an infinity got through


def test_a_dripping_body_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    from starlette.requests import Request

    from desktop.engine import options

    monkeypatch.setattr(options, "BODY_SECONDS", 0.3)

    async def main() -> RequestError:
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": b'{"model":', "more_body": True}
            await asyncio.sleep(3600)  # the client never sends the rest
            raise AssertionError

        scope = {"type": "http", "method": "POST", "path": "/api/chat", "headers": [], "query_string": b""}
        try:
            await options.read_request_json(Request(scope, receive))
        except RequestError as exc:
            return exc
        raise AssertionError("no timeout")

    started = time.perf_counter()
    err = asyncio.run(main())
    assert err.status == 408 and time.perf_counter() - started < 2.0


def test_an_oversized_body_is_refused_before_it_is_read() -> None:
    from starlette.requests import Request

    from desktop.engine import options

    async def receive() -> dict[str, Any]:
        raise AssertionError("the body must not be read")

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/chat",
        "headers": [(b"content-length", str(options.MAX_BODY_BYTES + 1).encode())],
        "query_string": b"",
    }
    with pytest.raises(RequestError) as err:
        asyncio.run(options.read_request_json(Request(scope, receive)))
    assert err.value.status == 413
