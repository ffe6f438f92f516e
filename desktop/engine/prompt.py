"""Turning chat messages into the model's prompt with the GGUF's own chat template."""

from __future__ import annotations

from typing import Any

from desktop.engine.options import RequestError
from desktop.engine.runner import CHATML_TEMPLATE


def token_text(llama: Any, token: int) -> str:
    if token < 0:
        return ""
    try:
        return str(llama._model.token_get_text(token))
    except Exception:  # noqa: BLE001 - a model without that special token
        return ""


def render(llama: Any, template: str, messages: list[dict[str, Any]]) -> str:
    """Render with the model's Jinja chat template (ChatML when the GGUF has none).

    A final assistant message is continued, as Ollama does: the turns before it get the
    generation prompt and its partial text follows unclosed, so the model picks up
    mid-sentence instead of starting a new answer.
    """
    if messages and messages[-1]["role"] == "assistant" and len(messages) > 1:
        return _render(llama, template, messages[:-1]) + str(messages[-1]["content"])
    return _render(llama, template, messages)


def _render(llama: Any, template: str, messages: list[dict[str, Any]]) -> str:
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    try:
        formatter = Jinja2ChatFormatter(
            template=template or CHATML_TEMPLATE,
            eos_token=token_text(llama, llama.token_eos()),
            bos_token=token_text(llama, llama.token_bos()),
            add_generation_prompt=True,
        )
        return str(formatter(messages=messages).prompt)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - jinja errors of a model's template
        raise RequestError(f"the model's chat template failed: {exc}", 500) from exc


def chat_messages(raw: Any, system: str) -> list[dict[str, Any]]:
    """Validate the request's messages; the model's SYSTEM applies when none is given."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise RequestError("messages must be an array")
    messages: list[dict[str, Any]] = []
    for item in raw:
        if not isinstance(item, dict):
            raise RequestError("each message must be an object")
        role = item.get("role", "")
        content = item.get("content", "")
        if not isinstance(role, str) or not isinstance(content, str):
            raise RequestError("message role and content must be strings")
        if item.get("images"):
            raise RequestError("this model does not support images")
        messages.append({"role": role.lower(), "content": content})
    if system and messages and not any(m["role"] == "system" for m in messages):
        messages.insert(0, {"role": "system", "content": system})
    return messages
