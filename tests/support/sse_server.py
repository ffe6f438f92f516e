"""SSE streams for FaultServer: OpenAI-style `/v1/chat/completions` events, byte-exact.

    fault.route("POST", "/v1/chat/completions", lines=[delta("Hi"), finish("stop"), DONE_EVENT],
                raw=True, content_type=SSE)

FaultServer's drip, delay, cut_after and stall_after work on these lines as on NDJSON.
"""

from __future__ import annotations

import json
from typing import Any

SSE = "text/event-stream"
DONE_EVENT = b"data: [DONE]\n\n"


def event(data: Any, *, name: str = "") -> bytes:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    head = f"event: {name}\n" if name else ""
    return (head + "".join(f"data: {line}\n" for line in text.split("\n")) + "\n").encode("utf-8")


def chunk(delta: dict[str, Any] | None = None, *, finish: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "model": "m",
        "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish}],
    }
    body.update(extra)
    return body


def delta(content: str = "", *, reasoning: str = "") -> bytes:
    fields: dict[str, Any] = {}
    if content:
        fields["content"] = content
    if reasoning:
        fields["reasoning_content"] = reasoning
    return event(chunk(fields))


def finish(reason: str = "stop") -> bytes:
    return event(chunk(finish=reason))


def usage(prompt: int, completion: int) -> bytes:
    return event(
        {
            "id": "chatcmpl-1",
            "choices": [],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion},
        }
    )


def reply(*pieces: str, reason: str = "stop") -> list[bytes]:
    """A whole well-formed stream: the pieces, finish, usage, [DONE]."""
    return [delta(piece) for piece in pieces] + [finish(reason), usage(5, len(pieces)), DONE_EVENT]
