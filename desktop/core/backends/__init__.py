"""Chat backends: one interface over Ollama's API and OpenAI-compatible `/v1` servers."""

from desktop.core.backends.base import BackendKind, ChatBackend, KeyRejected
from desktop.core.backends.ollama import OllamaBackend
from desktop.core.backends.openai import OpenAIBackend, openai_base_url

__all__ = ["BackendKind", "ChatBackend", "KeyRejected", "OllamaBackend", "OpenAIBackend", "openai_base_url"]
