"""Function calling for models whose chat template has no tool syntax (the starter model).

Ollama's `tools` are described in the system prompt and the model answers in one of two
forms, which a grammar (llguidance, built from the tools' own parameter schemas: types,
enums, patterns) makes the only possible outputs:

    Tool call: {"tool": "<name>", "arguments": {...}}
    Answer: <plain text>

The two lead-ins are what a 135M model can pick between reliably (a bare `{` against any
text lost to text every time, measured); the engine strips them. So the call is always the
model's own choice and always valid JSON for one of the tools, and a greeting stays text.
History: an assistant turn with `tool_calls` is shown to the model in the same form, and a
`role: tool` result becomes a user turn naming the tool, since a template without tool
syntax may refuse unknown roles.
"""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass, field
from typing import Any

from desktop.engine.options import RequestError

CALL_LEAD = "Tool call: "
TEXT_LEAD = "Answer: "
MAX_TOOLS = 128
_ID_ALPHABET = string.ascii_lowercase + string.digits


def call_id() -> str:
    """Ollama's form: call_ and 8 lower-case letters or digits."""
    return "call_" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


def parse_tools(raw: Any) -> list[dict[str, Any]]:
    """The request's tools in Ollama's shape, checked; [] when none."""
    if raw is None or raw == []:
        return []
    if not isinstance(raw, list):
        raise RequestError("tools must be an array")
    if len(raw) > MAX_TOOLS:
        raise RequestError(f"at most {MAX_TOOLS} tools per request")
    tools: list[dict[str, Any]] = []
    for item in raw:
        function = item.get("function") if isinstance(item, dict) else None
        if (
            not isinstance(function, dict)
            or not isinstance(function.get("name"), str)
            or not function["name"]
        ):
            raise RequestError('each tool must be {"type": "function", "function": {"name": ...}}')
        params = function.get("parameters")
        if params is None:
            params = {"type": "object", "properties": {}}
        if not isinstance(params, dict):
            raise RequestError(f"the parameters of tool {function['name']} must be a JSON schema object")
        description = function.get("description")
        tools.append(
            {
                "type": "function",
                "function": {
                    "name": function["name"],
                    "description": description if isinstance(description, str) else "",
                    "parameters": params,
                },
            }
        )
    return tools


def template_speaks_tools(template: str) -> bool:
    """Whether the model's Jinja template renders a `tools` list (llama.cpp then parses the
    calls in the model's own syntax); otherwise the prompt-and-grammar form is used."""
    return "tools" in template and ("tool_call" in template or "tools %}" in template or "tools|" in template)


def system_prompt(tools: list[dict[str, Any]]) -> str:
    lines = ["You are a helpful assistant. You have these tools:"]
    for tool in tools:
        function = tool["function"]
        described = f": {function['description']}." if function["description"] else "."
        schema = json.dumps(function["parameters"], ensure_ascii=False)
        lines.append(f"- {function['name']}{described} Parameters: {schema}")
    lines.append(
        f'If a tool can help with the request, start your reply with "{CALL_LEAD.strip()}" followed by JSON '
        f'{{"tool": name, "arguments": {{...}}}}. Otherwise start with "{TEXT_LEAD.strip()}" '
        "and answer in plain text."
    )
    return "\n".join(lines)


def closed_objects(node: Any, depth: int = 0) -> Any:
    """Objects with listed properties and no word on others get no others.

    For tool schemas shown to the model: otherwise a small model pads the arguments with
    keys copied from the schema (measured). For format schemas sent upstream: llama.cpp's
    GBNF converter (what Ollama uses) reads a schema so; llguidance would allow any."""
    if depth > 64:
        return node
    if isinstance(node, list):
        return [closed_objects(item, depth + 1) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: closed_objects(value, depth + 1) for key, value in node.items()}
    if isinstance(node.get("properties"), dict) and "additionalProperties" not in node:
        out["additionalProperties"] = False
    return out


def call_schema(tools: list[dict[str, Any]]) -> dict[str, Any]:
    variants = [
        {
            "type": "object",
            "properties": {
                "tool": {"const": tool["function"]["name"]},
                "arguments": closed_objects(tool["function"]["parameters"]),
            },
            "required": ["tool", "arguments"],
            "additionalProperties": False,
        }
        for tool in tools
    ]
    schema: dict[str, Any] = variants[0] if len(variants) == 1 else {"anyOf": variants}
    # Compact separators, as in format's schemas (upstream.compact_schema says why).
    schema["x-guidance"] = {"whitespace_flexible": False, "item_separator": ", ", "key_separator": ": "}
    return schema


def _lark_string(text: str) -> str:
    return json.dumps(text)


def grammar(tools: list[dict[str, Any]], text_schema: dict[str, Any] | None = None) -> str:
    """An llguidance grammar: a valid call of one of the tools, or a plain answer (or, when
    `format` asks for JSON, an answer in that schema)."""
    answer = "%json " + json.dumps(text_schema) if text_schema is not None else "TEXT"
    return "\n".join(
        [
            "%llguidance {}",
            f"start: {_lark_string(CALL_LEAD)} call | {_lark_string(TEXT_LEAD)} answer",
            "call: %json " + json.dumps(call_schema(tools), ensure_ascii=False),
            f"answer: {answer}",
            r"TEXT: /[^{\s][\s\S]*/",
            "",
        ]
    )


def history(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The conversation as the model sees it in the prompt-and-grammar form."""
    out: list[dict[str, Any]] = []
    prompt = system_prompt(tools)
    if messages and messages[0]["role"] == "system":
        out.append({"role": "system", "content": f"{messages[0]['content']}\n\n{prompt}"})
        messages = messages[1:]
    else:
        out.append({"role": "system", "content": prompt})
    for message in messages:
        if message["role"] == "assistant" and message.get("content") and not message.get("tool_calls"):
            out.append({"role": "assistant", "content": TEXT_LEAD + str(message["content"])})
        else:
            out.append(plain_turn(message))
    return out


def plain_turn(message: dict[str, Any]) -> dict[str, Any]:
    """A turn for a template without tool syntax: calls written out, results as user turns
    (such templates may refuse a `tool` role)."""
    role, content = message["role"], str(message.get("content") or "")
    if role == "assistant" and message.get("tool_calls"):
        calls = [
            CALL_LEAD + json.dumps({"tool": c["function"]["name"], "arguments": c["function"]["arguments"]})
            for c in message["tool_calls"]
        ]
        return {"role": "assistant", "content": "\n".join(filter(None, [content, *calls]))}
    if role == "tool":
        name = message.get("tool_name") or "the tool"
        return {"role": "user", "content": f"The tool {name} returned: {content}"}
    return {"role": role, "content": content}


@dataclass
class Split:
    """What one piece of model output amounts to: text for `content`, and finished calls."""

    content: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)


class CallReader:
    """Reads the grammar-shaped output as it streams: the lead-in decides; text streams on,
    a call is held until the output ends (Ollama never splits a call across chunks)."""

    def __init__(self, tools: list[dict[str, Any]]) -> None:
        self.names = {tool["function"]["name"] for tool in tools}
        self.mode = ""  # "", "text" or "call"
        self.buffer = ""
        self.index = 0

    def feed(self, text: str) -> Split:
        if self.mode == "text":
            return Split(content=text)
        self.buffer += text
        if self.mode == "call":
            return Split()
        for lead, mode in ((CALL_LEAD, "call"), (TEXT_LEAD, "text")):
            if self.buffer.startswith(lead):
                self.mode, rest = mode, self.buffer[len(lead) :]
                if mode == "text":
                    self.buffer = ""
                    return Split(content=rest)
                self.buffer = rest
                return Split()
            if lead.startswith(self.buffer):
                return Split()
        # Not grammar-shaped (cannot happen with the grammar on): pass it through as text.
        self.mode, rest, self.buffer = "text", self.buffer, ""
        return Split(content=rest)

    def finish(self) -> Split:
        if self.mode != "call":
            rest, self.buffer = ("" if self.mode == "text" else self.buffer), ""
            return Split(content=rest)
        raw, self.buffer = self.buffer, ""
        call = self._call(raw)
        if call is None:
            # Cut off by num_predict before the JSON closed: what the model wrote, as text.
            return Split(content=raw)
        return Split(calls=[call])

    def _call(self, raw: str) -> dict[str, Any] | None:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # model output: any depth
            return None
        if not isinstance(data, dict) or data.get("tool") not in self.names:
            return None
        arguments = data.get("arguments")
        if not isinstance(arguments, dict):
            return None
        call = {
            "id": call_id(),
            "function": {"index": self.index, "name": data["tool"], "arguments": arguments},
        }
        self.index += 1
        return call


def message_calls(raw: Any) -> list[dict[str, Any]]:
    """`tool_calls` of a history message, normalised to Ollama's shape (arguments an object;
    OpenAI clients send a JSON string)."""
    if not isinstance(raw, list):
        return []
    calls: list[dict[str, Any]] = []
    for item in raw:
        function = item.get("function") if isinstance(item, dict) else None
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            raise RequestError("each tool call must have a function with a name")
        arguments = function.get("arguments") or {}
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments) if arguments.strip() else {}
            except (ValueError, RecursionError):  # a request's text: any depth
                raise RequestError("tool call arguments must be a JSON object") from None
        if not isinstance(arguments, dict):
            raise RequestError("tool call arguments must be a JSON object")
        call: dict[str, Any] = {"function": {"name": function["name"], "arguments": arguments}}
        if isinstance(item.get("id"), str):
            call["id"] = item["id"]
        calls.append(call)
    return calls
