"""Ollama-shaped requests and replies <-> OpenAI's `/v1/chat/completions` JSON.

The app's types stay Ollama's (ChatMessage, ChatChunk, Metrics): images become data-URL
content parts, tool calls get JSON-string arguments and ids, options map onto the sampling
fields `/v1` servers accept, `reasoning_content` (vLLM, llama-server) or `reasoning`
becomes thinking, and usage/timings become the Metrics the UI shows.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.core.ollama.stream import load_json
from desktop.core.ollama.types import (
    ChatChunk,
    ChatMessage,
    Metrics,
    ModelDetails,
    ModelInfo,
    ToolCall,
    wire_count,
)

# Ollama option -> `/v1` field. top_k, min_p and repeat_penalty are extensions vLLM and
# llama-server accept; strict servers ignore or refuse unknown fields, so only set ones go.
_OPTION_FIELDS = {
    "temperature": "temperature",
    "top_p": "top_p",
    "top_k": "top_k",
    "min_p": "min_p",
    "seed": "seed",
    "num_predict": "max_tokens",
    "stop": "stop",
    "frequency_penalty": "frequency_penalty",
    "presence_penalty": "presence_penalty",
    "repeat_penalty": "repeat_penalty",
}


def _media_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"GIF8"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


def _image_part(encoded: str) -> dict[str, Any]:
    try:
        head = base64.b64decode(encoded[:64] + "=" * (-len(encoded[:64]) % 4))
    except (binascii.Error, ValueError):
        head = b""
    return {"type": "image_url", "image_url": {"url": f"data:{_media_type(head)};base64,{encoded}"}}


def _call_id(call: ToolCall, position: int) -> str:
    return call.id or f"call_{position}_{call.name}"


def to_wire_messages(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pending: dict[str, list[str]] = {}  # tool name -> ids of calls not answered yet
    for message in messages:
        wire: dict[str, Any] = {"role": message.role}
        if message.images:
            parts: list[dict[str, Any]] = (
                [{"type": "text", "text": message.content}] if message.content else []
            )
            wire["content"] = parts + [_image_part(image) for image in message.images]
        else:
            wire["content"] = message.content
        if message.tool_calls:
            calls = []
            for position, call in enumerate(message.tool_calls):
                call_id = _call_id(call, position)
                pending.setdefault(call.name, []).append(call_id)
                calls.append(
                    {
                        "id": call_id,
                        "type": "function",
                        "function": {
                            "name": call.name,
                            "arguments": json.dumps(call.arguments, ensure_ascii=False),
                        },
                    }
                )
            wire["tool_calls"] = calls
        if message.role == "tool":
            ids = pending.get(message.tool_name) or []
            wire["tool_call_id"] = ids.pop(0) if ids else message.tool_name or "call"
            if message.tool_name:
                wire["name"] = message.tool_name
        out.append(wire)
    return out


def put_request_fields(
    payload: dict[str, Any],
    *,
    options: Mapping[str, Any] | None,
    format: str | dict[str, Any] | None,
    think: bool | str | None,
) -> None:
    for key, value in (options or {}).items():
        target = _OPTION_FIELDS.get(key)
        if target is not None and value is not None:
            payload[target] = value
    if format == "json":
        payload["response_format"] = {"type": "json_object"}
    elif isinstance(format, dict):
        payload["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "answer", "schema": format},
        }
    if think is False:
        payload["reasoning_effort"] = "none"
        # llama-server and vLLM pass this to the chat template (Qwen 3, DeepSeek R1 style).
        payload["chat_template_kwargs"] = {"enable_thinking": False}
    elif isinstance(think, str) and think in ("low", "medium", "high"):
        payload["reasoning_effort"] = think


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _arguments(text: str) -> dict[str, Any]:
    try:
        value = load_json(text) if text.strip() else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@dataclass
class _PartialCall:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)
    size: int = 0


_MAX_ARGUMENT_CHARS = 4 * 1024 * 1024


class ChunkReader:
    """The state of one `/v1` stream: deltas in, ChatChunks out, finish and usage remembered."""

    def __init__(self) -> None:
        self.started_ns = time.monotonic_ns()
        self.first_token_ns = 0
        self.finish_reason = ""
        self.model = ""
        self.usage: dict[str, Any] = {}
        self.timings: dict[str, Any] = {}
        self._calls: dict[int, _PartialCall] = {}

    @property
    def finished(self) -> bool:
        return bool(self.finish_reason)

    def read(self, obj: dict[str, Any]) -> ChatChunk | None:
        self.model = self.model or _text(obj.get("model"))
        if isinstance(obj.get("usage"), dict):
            self.usage = obj["usage"]
        if isinstance(obj.get("timings"), dict):
            self.timings = obj["timings"]
        choices = obj.get("choices")
        choice = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], dict) else {}
        delta = as_dict(choice.get("delta"))
        content = _text(delta.get("content"))
        thinking = _text(delta.get("reasoning_content")) or _text(delta.get("reasoning"))
        self._read_calls(delta.get("tool_calls"))
        reason = choice.get("finish_reason")
        if isinstance(reason, str) and reason:
            self.finish_reason = reason
        if (content or thinking) and not self.first_token_ns:
            self.first_token_ns = time.monotonic_ns()
        if not content and not thinking:
            return None
        return ChatChunk(content=content, thinking=thinking, model=self.model)

    def _read_calls(self, value: Any) -> None:
        if not isinstance(value, list):
            return
        for position, item in enumerate(value):
            if not isinstance(item, dict):
                continue
            index = item.get("index")
            if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < 128:
                index = position
            call = self._calls.setdefault(index, _PartialCall())
            call.id = call.id or _text(item.get("id"))
            function = as_dict(item.get("function"))
            call.name = call.name or _text(function.get("name"))
            piece = function.get("arguments")
            if isinstance(piece, dict):
                piece = json.dumps(piece)
            piece = _text(piece)
            if call.size + len(piece) <= _MAX_ARGUMENT_CHARS:
                call.arguments.append(piece)
                call.size += len(piece)

    def tool_calls(self) -> tuple[ToolCall, ...]:
        return tuple(
            ToolCall(name=call.name, arguments=_arguments("".join(call.arguments)), id=call.id, index=index)
            for index, call in sorted(self._calls.items())
            if call.name
        )

    def metrics(self) -> Metrics:
        now = time.monotonic_ns()
        prompt_n = wire_count(self.usage.get("prompt_tokens")) or wire_count(self.timings.get("prompt_n"))
        eval_n = wire_count(self.usage.get("completion_tokens")) or wire_count(
            self.timings.get("predicted_n")
        )
        prompt_ms = _ms(self.timings.get("prompt_ms"))
        eval_ms = _ms(self.timings.get("predicted_ms"))
        first = self.first_token_ns or now
        # Server timings where it reports them (llama-server); else what this side measured.
        prompt_ns = wire_count(prompt_ms * 1e6) if prompt_ms is not None else first - self.started_ns
        eval_ns = wire_count(eval_ms * 1e6) if eval_ms is not None else now - first
        return Metrics(
            total_duration=max(0, now - self.started_ns),
            load_duration=0,
            prompt_eval_count=prompt_n,
            prompt_eval_duration=max(0, prompt_ns),
            eval_count=eval_n,
            eval_duration=max(0, eval_ns),
        )

    def final(self) -> ChatChunk:
        reason = {"tool_calls": "stop", "function_call": "stop"}.get(self.finish_reason, self.finish_reason)
        return ChatChunk(
            content="",
            done=True,
            done_reason=reason or "stop",
            metrics=self.metrics(),
            model=self.model,
            tool_calls=self.tool_calls(),
        )


def _ms(value: Any) -> float | None:
    """A duration in milliseconds from the wire, or None when absent or hostile."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1e12:
        return float(value)
    return None


def _has(entry: dict[str, Any], key: str, word: str) -> bool:
    value = entry.get(key)
    return isinstance(value, list) and word in value


def to_model_info(entry: dict[str, Any], *, tools: bool | None, vision: bool | None) -> ModelInfo | None:
    """One entry of `/v1/models`, with capabilities from what the entry and the server say.

    Sources, none of which loads a model: the entry's own `capabilities` / `type` (LM Studio,
    llama-server's Ollama-style list), `architecture.input_modalities` (llama-server),
    llama-server's /props (`modalities.vision`, `chat_template_caps.supports_tools`), and
    the name of embedding models (vLLM lists them like the others)."""
    name = _text(entry.get("id")) or _text(entry.get("name"))
    if not name:
        return None
    kind = _text(entry.get("type")).lower()
    architecture = as_dict(entry.get("architecture"))
    meta = as_dict(entry.get("meta"))
    lower = name.lower()
    caps: list[str] = []
    if kind in ("embedding", "embeddings") or "embed" in lower or "minilm" in lower or "bge-" in lower:
        caps.append("embedding")
    else:
        caps.append("completion")
        if vision or kind == "vlm" or _has(architecture, "input_modalities", "image"):
            caps.append("vision")
        if tools:
            caps.append("tools")
    context = wire_count(entry.get("max_model_len")) or wire_count(meta.get("n_ctx_train"))
    size = wire_count(meta.get("size"))
    details = ModelDetails(
        format="gguf" if lower.endswith(".gguf") else "",
        context_length=context,
        quantization_level=_text(meta.get("ftype")),
    )
    return ModelInfo(name=name, size=size, details=details, capabilities=tuple(caps))
