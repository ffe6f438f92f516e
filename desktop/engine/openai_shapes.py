"""OpenAI request and response shapes <-> Ollama's, as Ollama's own /v1 layer maps them.

Requests become native /api/chat, /api/generate and /api/embed bodies (temperature and
top_p default to 1.0 as in OpenAI; max_tokens is num_predict; response_format is format;
reasoning_effort is think; images only as base64 data URLs); native chunks become
chat.completion(.chunk) and text_completion objects.
"""

from __future__ import annotations

import base64
import json
import secrets
import struct
import time
from typing import Any

from desktop.engine.options import RequestError

EFFORTS = {"minimal": "low", "low": "low", "medium": "medium", "high": "high", "max": "max", "xhigh": "max"}
FINGERPRINT = "fp_ollama"


def error_body(message: str, status: int) -> dict[str, Any]:
    kind = {400: "invalid_request_error", 404: "not_found_error"}.get(status, "api_error")
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.randbelow(1000)}"


def _options(body: dict[str, Any]) -> dict[str, Any]:
    options: dict[str, Any] = {
        "temperature": body.get("temperature", 1.0) if body.get("temperature") is not None else 1.0,
        "top_p": body.get("top_p", 1.0) if body.get("top_p") is not None else 1.0,
    }
    for theirs, ours in (
        ("seed", "seed"),
        ("frequency_penalty", "frequency_penalty"),
        ("presence_penalty", "presence_penalty"),
        ("max_tokens", "num_predict"),
        ("max_completion_tokens", "num_predict"),
    ):
        if body.get(theirs) is not None:
            options[ours] = body[theirs]
    stop = body.get("stop")
    if isinstance(stop, str):
        options["stop"] = [stop]
    elif isinstance(stop, list):
        options["stop"] = stop
    return options


def _format(body: dict[str, Any]) -> Any:
    response_format = body.get("response_format")
    if not isinstance(response_format, dict):
        return None
    kind = response_format.get("type")
    if kind == "json_object":
        return "json"
    if kind == "json_schema":
        spec = response_format.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        if not isinstance(schema, dict):
            raise RequestError("response_format json_schema needs a schema object")
        return schema
    return None


def _think(body: dict[str, Any]) -> Any:
    effort = body.get("reasoning_effort")
    reasoning = body.get("reasoning")
    if effort is None and isinstance(reasoning, dict):
        effort = reasoning.get("effort")
    if effort is None:
        return None
    if effort == "none":
        return False
    if effort not in EFFORTS:
        raise RequestError(
            f'invalid reasoning value: \'{effort}\' (must be "high", "medium", "low", or "none")'
        )
    return EFFORTS[effort]


def _image(url: Any) -> str:
    if isinstance(url, dict):
        url = url.get("url")
    if not isinstance(url, str) or not url.startswith("data:") or ";base64," not in url:
        raise RequestError("invalid image input")
    return url.split(";base64,", 1)[1]


def _message(item: Any, names: dict[str, str]) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise RequestError("invalid message format")
    message: dict[str, Any] = {"role": item.get("role", "")}
    content = item.get("content")
    images: list[str] = []
    if isinstance(content, list):
        texts = []
        for part in content:
            kind = part.get("type") if isinstance(part, dict) else None
            if kind == "text":
                texts.append(str(part.get("text", "")))
            elif kind == "image_url":
                images.append(_image(part.get("image_url")))
            else:
                raise RequestError("invalid message content type")
        content = "\n".join(texts)
    message["content"] = content if isinstance(content, str) else ""
    if images:
        message["images"] = images
    if item.get("tool_calls"):
        message["tool_calls"] = item["tool_calls"]
        for call in item["tool_calls"]:
            if isinstance(call, dict) and isinstance(call.get("function"), dict):
                names[str(call.get("id"))] = str(call["function"].get("name", ""))
    reasoning = item.get("reasoning") or item.get("reasoning_content")
    if isinstance(reasoning, str) and reasoning:
        message["thinking"] = reasoning
    if message["role"] == "tool":
        call = str(item.get("tool_call_id", ""))
        message["tool_call_id"] = call
        name = item.get("name") or names.get(call)
        if name:
            message["tool_name"] = name
    return message


def chat_request(body: dict[str, Any]) -> dict[str, Any]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestError(f"{json.dumps(messages)} is too short - 'messages'")
    names: dict[str, str] = {}
    native: dict[str, Any] = {
        "model": body.get("model"),
        "messages": [_message(m, names) for m in messages],
        "stream": True,  # always chunks: routes_openai merges them itself
        "options": _options(body),
    }
    for key, value in (("format", _format(body)), ("think", _think(body)), ("tools", body.get("tools"))):
        if value is not None:
            native[key] = value
    return native


def completion_request(body: dict[str, Any]) -> dict[str, Any]:
    prompt = body.get("prompt")
    if isinstance(prompt, list) and len(prompt) == 1 and isinstance(prompt[0], str):
        prompt = prompt[0]
    if not isinstance(prompt, str):
        raise RequestError("prompt must be a string")
    native: dict[str, Any] = {
        "model": body.get("model"),
        "prompt": prompt,
        "stream": True,
        "options": _options(body),
    }
    if body.get("suffix"):
        native["suffix"] = body["suffix"]
    return native


def embed_request(body: dict[str, Any]) -> dict[str, Any]:
    value = body.get("input")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise RequestError("invalid input type")
    native: dict[str, Any] = {"model": body.get("model"), "input": value}
    if isinstance(body.get("dimensions"), int):
        native["dimensions"] = body["dimensions"]
    return native


def tool_calls(calls: list[dict[str, Any]], *, streaming: bool) -> list[dict[str, Any]]:
    out = []
    for position, call in enumerate(calls):
        function = call.get("function", {})
        item: dict[str, Any] = {
            "id": call.get("id") or f"call_{secrets.token_hex(4)}",
            "type": "function",
            "function": {
                "name": function.get("name", ""),
                "arguments": json.dumps(function.get("arguments", {}), ensure_ascii=False),
            },
        }
        if streaming:
            item["index"] = int(function.get("index", position))
        out.append(item)
    return out


def finish_reason(final: dict[str, Any], called: bool) -> str:
    if called:
        return "tool_calls"
    return "length" if final.get("done_reason") == "length" else "stop"


def usage(final: dict[str, Any]) -> dict[str, int]:
    prompt = int(final.get("prompt_eval_count", 0))
    completion = int(final.get("eval_count", 0))
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def envelope(kind: str, ident: str, model: str) -> dict[str, Any]:
    return {
        "id": ident,
        "object": kind,
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": FINGERPRINT,
    }


def chat_message(message: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"role": "assistant", "content": message.get("content", "")}
    if message.get("thinking"):
        out["reasoning"] = message["thinking"]
    if message.get("tool_calls"):
        out["tool_calls"] = tool_calls(message["tool_calls"], streaming=False)
    return out


def chat_delta(message: dict[str, Any]) -> dict[str, Any]:
    delta: dict[str, Any] = {"role": "assistant", "content": message.get("content", "")}
    if message.get("thinking"):
        delta["reasoning"] = message["thinking"]
    if message.get("tool_calls"):
        delta["tool_calls"] = tool_calls(message["tool_calls"], streaming=True)
    return delta


def embeddings(native: dict[str, Any], model: str, encoding: Any) -> dict[str, Any]:
    data = []
    for index, vector in enumerate(native.get("embeddings", [])):
        value: Any = vector
        if encoding == "base64":
            value = base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")
        data.append({"object": "embedding", "embedding": value, "index": index})
    count = int(native.get("prompt_eval_count", 0))
    return {
        "object": "list",
        "data": data,
        "model": model,
        "usage": {"prompt_tokens": count, "total_tokens": count},
    }
