"""Client of the Ollama REST API (also spoken by the embedded engine)."""

from desktop.core.ollama.client import OllamaClient, Timeouts
from desktop.core.ollama.errors import (
    ModelNotFound,
    OllamaError,
    ServerError,
    ServerUnavailable,
    StreamInterrupted,
    StreamStalled,
    UnsupportedEndpoint,
)
from desktop.core.ollama.host import default_host, parse_host
from desktop.core.ollama.types import (
    ChatChunk,
    ChatMessage,
    Metrics,
    ModelDetails,
    ModelInfo,
    PullProgress,
    RunningModel,
    ShowInfo,
)

__all__ = [
    "ChatChunk",
    "ChatMessage",
    "Metrics",
    "ModelDetails",
    "ModelInfo",
    "ModelNotFound",
    "OllamaClient",
    "OllamaError",
    "PullProgress",
    "RunningModel",
    "ServerError",
    "ServerUnavailable",
    "ShowInfo",
    "StreamInterrupted",
    "StreamStalled",
    "Timeouts",
    "UnsupportedEndpoint",
    "default_host",
    "parse_host",
]
