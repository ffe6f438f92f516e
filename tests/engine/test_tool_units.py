"""Units of tools, thinking and the OpenAI shapes, over every way a stream can be chunked."""

from __future__ import annotations

import base64
import json
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.engine import native, openai_shapes
from desktop.engine.options import RequestError
from desktop.engine.thinking import ThinkSplitter, closed_prompt, opens_think, parse_think, thinking_budget
from desktop.engine.tools import CallReader, call_schema, grammar, history, message_calls, parse_tools

TOOLS = parse_tools(
    [
        {
            "type": "function",
            "function": {
                "name": "calc",
                "description": "Evaluate",
                "parameters": {"type": "object", "properties": {"x": {"type": "string"}}, "required": ["x"]},
            },
        }
    ]
)


def pieces(text: str, cuts: list[int]) -> list[str]:
    points = sorted({c % (len(text) + 1) for c in cuts})
    bounds = [0, *points, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def split_all(splitter: ThinkSplitter, parts: list[str]) -> tuple[str, str]:
    thinking = content = ""
    for part in parts:
        t, c = splitter.feed(part)
        thinking, content = thinking + t, content + c
    t, c = splitter.finish()
    return thinking + t, content + c


@given(st.lists(st.integers(min_value=0, max_value=200), max_size=12))
def test_think_split_is_the_same_however_the_stream_is_cut(cuts: list[int]) -> None:
    text = "\nLet me think: 2 < 3.\n</think>\n\nThe answer is yes."
    assert split_all(ThinkSplitter(inside=True), pieces(text, cuts)) == (
        "Let me think: 2 < 3.",
        "The answer is yes.",
    )
    opened = "<think>Hmm</think>Hi <b>there</b>"
    assert split_all(ThinkSplitter(inside=False), pieces(opened, cuts)) == ("Hmm", "Hi <b>there</b>")
    plain = "No thoughts <think> here"
    assert split_all(ThinkSplitter(inside=False), pieces(plain, cuts)) == ("", plain)


def test_an_unclosed_thought_stays_thinking() -> None:
    assert split_all(ThinkSplitter(inside=True), ["still </thi"]) == ("still </thi", "")
    assert split_all(ThinkSplitter(inside=True), ["a \n", "b\n\n"]) == ("a \nb", "")


def test_think_values_prompts_and_budgets() -> None:
    assert parse_think(None).on is None and parse_think(False).on is False
    assert parse_think("high").level == "high" and parse_think(True).level == "medium"
    for bad in ("lots", 3, [True]):
        with pytest.raises(RequestError, match="invalid think value"):
            parse_think(bad)
    assert opens_think("<|im_start|>assistant\n<think>\n") and not opens_think("assistant\n")
    assert closed_prompt("a\n<think>\n", thinks=True) == "a\n<think>\n</think>\n\n"
    assert closed_prompt("a\n", thinks=True) == "a\n<think>\n\n</think>\n\n"
    assert closed_prompt("a\n", thinks=False) == "a\n"
    assert (
        thinking_budget(40, "low") == 10
        and thinking_budget(40, "high") == 30
        and thinking_budget(-1, "low") == 0
    )


CALL = 'Tool call: {"tool": "calc", "arguments": {"x": "2+2"}}'


@given(st.lists(st.integers(min_value=0, max_value=80), max_size=10))
def test_the_call_reader_is_the_same_however_the_stream_is_cut(cuts: list[int]) -> None:
    reader = CallReader(TOOLS)
    content = "".join(reader.feed(part).content for part in pieces(CALL, cuts))
    end = reader.finish()
    assert content == "" and end.content == ""
    [call] = end.calls
    assert call["function"] == {"index": 0, "name": "calc", "arguments": {"x": "2+2"}}
    reader = CallReader(TOOLS)
    text = "".join(reader.feed(part).content for part in pieces("Answer: Hello there!", cuts))
    assert text + reader.finish().content == "Hello there!"


def test_a_cut_off_or_unknown_call_is_text() -> None:
    for raw in ('Tool call: {"tool": "calc", "argu', 'Tool call: {"tool": "rm", "arguments": {}}'):
        reader = CallReader(TOOLS)
        reader.feed(raw)
        end = reader.finish()
        assert end.calls == [] and end.content == raw[len("Tool call: ") :]
    reader = CallReader(TOOLS)
    assert reader.feed("Sure, ").content == "Sure, "  # not grammar-shaped: passed through


def test_grammar_and_schema() -> None:
    text = grammar(TOOLS)
    assert text.startswith("%llguidance {}") and '"Tool call: " call' in text and '"Answer: " answer' in text
    schema = call_schema(TOOLS)
    assert schema["properties"]["tool"] == {"const": "calc"}
    assert schema["properties"]["arguments"]["additionalProperties"] is False
    assert "%json" in grammar(TOOLS, {"type": "object"}).split("answer: ", 1)[1]


def test_bad_tools_and_calls() -> None:
    for bad in ("x", [1], [{"function": {"name": ""}}], [{"function": {"name": "a", "parameters": []}}]):
        with pytest.raises(RequestError):
            parse_tools(bad)
    assert message_calls([{"function": {"name": "a", "arguments": '{"b": 1}'}}]) == [
        {"function": {"name": "a", "arguments": {"b": 1}}}
    ]
    with pytest.raises(RequestError):
        message_calls([{"function": {"name": "a", "arguments": "[1]"}}])


def test_history_in_the_grammar_form() -> None:
    shown = history(
        [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "2+2?"},
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [{"function": {"name": "calc", "arguments": {"x": "2+2"}}}],
            },
            {"role": "tool", "content": "4", "tool_name": "calc"},
        ],
        TOOLS,
    )
    assert shown[0]["role"] == "system" and shown[0]["content"].startswith("Be brief.\n\n")
    assert shown[2] == {"role": "assistant", "content": CALL}
    assert shown[3] == {"role": "user", "content": "The tool calc returned: 4"}


def test_native_call_deltas_join() -> None:
    calls = native._Calls()
    calls.add([{"index": 0, "id": "c1", "function": {"name": "calc", "arguments": '{"x": '}}])
    calls.add([{"index": 0, "function": {"arguments": '"1"}'}}, {"index": 1, "function": {"name": "b"}}])
    done = calls.done()
    assert [c["function"] for c in done] == [
        {"index": 0, "name": "calc", "arguments": {"x": "1"}},
        {"index": 1, "name": "b", "arguments": {}},
    ]


def test_openai_requests_map_to_native() -> None:
    native_body = openai_shapes.chat_request(
        {
            "model": "m",
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "hi"},
                        {"type": "image_url", "image_url": {"url": "data:image/png;base64,QUJD"}},
                    ],
                },
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
                    ],
                },
                {"role": "tool", "tool_call_id": "c1", "content": "ok"},
            ],
            "max_tokens": 5,
            "stop": "x",
            "response_format": {"type": "json_object"},
            "reasoning_effort": "none",
        }
    )
    assert native_body["messages"][0] == {"role": "user", "content": "hi", "images": ["QUJD"]}
    assert native_body["messages"][2]["tool_name"] == "f"
    assert native_body["options"] == {"temperature": 1.0, "top_p": 1.0, "num_predict": 5, "stop": ["x"]}
    assert native_body["format"] == "json" and native_body["think"] is False
    with pytest.raises(RequestError, match="too short"):
        openai_shapes.chat_request({"model": "m", "messages": []})
    with pytest.raises(RequestError, match="invalid image input"):
        openai_shapes.chat_request(
            {
                "messages": [
                    {
                        "role": "user",
                        "content": [{"type": "image_url", "image_url": {"url": "http://x/a.png"}}],
                    }
                ]
            }
        )
    assert openai_shapes.error_body("gone", 404)["error"]["type"] == "not_found_error"
    assert openai_shapes.error_body("bad", 500)["error"]["type"] == "api_error"


def test_openai_embeddings_base64_are_little_endian_floats() -> None:
    out = openai_shapes.embeddings({"embeddings": [[0.5, -1.0]], "prompt_eval_count": 2}, "m", "base64")
    packed = base64.b64decode(out["data"][0]["embedding"])
    assert struct.unpack("<2f", packed) == (0.5, -1.0)
    assert out["usage"] == {"prompt_tokens": 2, "total_tokens": 2}
    assert json.loads(json.dumps(out))["object"] == "list"


def test_tool_turns_without_tools_are_text() -> None:
    from desktop.engine.turn import template_messages

    shown = template_messages(
        [
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [{"function": {"name": "calc", "arguments": {}}}],
            },
            {"role": "tool", "content": "4", "tool_name": "calc", "tool_call_id": "c1"},
            {"role": "user", "content": "thanks", "images": ["QUJD"]},
        ]
    )
    assert shown == [
        {"role": "assistant", "content": 'Tool call: {"tool": "calc", "arguments": {}}'},
        {"role": "user", "content": "The tool calc returned: 4"},
        {"role": "user", "content": "thanks"},
    ]
