"""Checking a structured reply against what was asked for."""

from __future__ import annotations

from desktop.core.structured import check, format_metrics

SCHEMA = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "minLength": 2},
        "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 2},
        "n": {"type": "integer", "minimum": 0},
    },
    "required": ["city"],
    "additionalProperties": False,
}


def test_valid_json_is_indented_and_problems_are_named() -> None:
    assert check('{"city":"巴黎","n":1}', SCHEMA).pretty == '{\n  "city": "巴黎",\n  "n": 1\n}'
    assert check('{"city":"Paris"}', SCHEMA).valid
    assert check('{"city": "P"}', SCHEMA).problem == "$.city is shorter than 2 characters"
    assert "missing 'city'" in check("{}", SCHEMA).problem
    assert (
        "$.tags[1] is not one of the allowed values"
        in check('{"city":"xx","tags":["a","z"]}', SCHEMA).problem
    )
    assert "$.n should be integer" in check('{"city":"xx","n":true}', SCHEMA).problem
    assert "does not allow" in check('{"city":"xx","extra":1}', SCHEMA).problem
    cut = check('{"city": "Par', SCHEMA)
    assert not cut.valid and cut.problem.startswith("not valid JSON") and cut.pretty == '{"city": "Par'
    assert check("[" * 5000 + "]" * 5000).valid in (True, False)  # deep nesting never raises


def test_format_metrics() -> None:
    assert format_metrics("json") == {"format": "json"}
    assert format_metrics(SCHEMA) == {"format": "schema", "format_schema": SCHEMA}
    assert format_metrics(None) == {}
