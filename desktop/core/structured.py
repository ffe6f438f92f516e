"""Structured output: checking a reply asked for as JSON (or JSON following a schema).

The server constrains the model with a grammar, but a reply cut by num_predict, a server
that ignores `format`, or a schema feature the grammar does not cover can still give text
that is not what was asked; the chat says so instead of showing it as if it were. The
check covers the JSON-schema keywords these schemas use (type, properties, required,
items, enum, additionalProperties, minItems/maxItems, minimum/maximum, min/maxLength);
others are not checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# Stored in a reply's metrics: what was asked, so it is checked against that later too.
FORMAT_METRIC = "format"  # "json" | "schema"
SCHEMA_METRIC = "format_schema"

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


@dataclass(frozen=True)
class Checked:
    valid: bool
    pretty: str  # indented JSON when it parsed, else the text as it came
    problem: str = ""


def _type_ok(value: Any, name: str) -> bool:
    kinds = _TYPES.get(name)
    if kinds is None:
        return True
    if isinstance(value, bool) and name in ("integer", "number"):
        return False
    return isinstance(value, kinds)


def problems(value: Any, schema: Any, where: str = "$", depth: int = 0) -> list[str]:
    """What in `value` breaks `schema` (empty: it follows it)."""
    if not isinstance(schema, dict) or depth > 64:
        return []
    found: list[str] = []
    wanted = schema.get("type")
    names = [wanted] if isinstance(wanted, str) else [t for t in wanted or [] if isinstance(t, str)]
    if names and not any(_type_ok(value, n) for n in names):
        return [f"{where} should be {' or '.join(names)}"]
    if "enum" in schema and isinstance(schema["enum"], list) and value not in schema["enum"]:
        found.append(f"{where} is not one of the allowed values")
    if isinstance(value, dict):
        raw_props = schema.get("properties")
        props: dict[str, Any] = raw_props if isinstance(raw_props, dict) else {}
        for key in schema.get("required") or []:
            if isinstance(key, str) and key not in value:
                found.append(f"{where} is missing {key!r}")
        for key, item in value.items():
            if key in props:
                found += problems(item, props[key], f"{where}.{key}", depth + 1)
            elif schema.get("additionalProperties") is False:
                found.append(f"{where} has {key!r}, which the schema does not allow")
    if isinstance(value, list):
        for index, item in enumerate(value):
            found += problems(item, schema.get("items"), f"{where}[{index}]", depth + 1)
        if isinstance(schema.get("minItems"), int) and len(value) < schema["minItems"]:
            found.append(f"{where} has fewer than {schema['minItems']} items")
        if isinstance(schema.get("maxItems"), int) and len(value) > schema["maxItems"]:
            found.append(f"{where} has more than {schema['maxItems']} items")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = schema.get("minimum"), schema.get("maximum")
        if isinstance(low, (int, float)) and value < low:
            found.append(f"{where} is below {low}")
        if isinstance(high, (int, float)) and value > high:
            found.append(f"{where} is above {high}")
    if isinstance(value, str):
        shortest, longest = schema.get("minLength"), schema.get("maxLength")
        if isinstance(shortest, int) and len(value) < shortest:
            found.append(f"{where} is shorter than {shortest} characters")
        if isinstance(longest, int) and len(value) > longest:
            found.append(f"{where} is longer than {longest} characters")
    return found


def check(text: str, schema: dict[str, Any] | None = None) -> Checked:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as err:
        return Checked(False, text, f"not valid JSON ({err})")
    pretty = json.dumps(value, indent=2, ensure_ascii=False)
    found = problems(value, schema) if schema else []
    if found:
        return Checked(False, pretty, "; ".join(found[:3]))
    return Checked(True, pretty)


def format_metrics(format_: str | dict[str, Any] | None) -> dict[str, Any]:
    """What a reply's metrics record of the format it was asked for."""
    if format_ == "json":
        return {FORMAT_METRIC: "json"}
    if isinstance(format_, dict):
        return {FORMAT_METRIC: "schema", SCHEMA_METRIC: format_}
    return {}
