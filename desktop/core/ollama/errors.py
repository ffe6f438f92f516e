"""Domain errors of the Ollama client, each with a plain message a user can act on."""

from __future__ import annotations


class OllamaError(Exception):
    """Base of every client error; `str(err)` is a plain sentence for the user."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class ServerUnavailable(OllamaError):
    """No server answers at the configured address (refused, DNS, reset before a reply)."""


class ModelNotFound(OllamaError):
    """The server does not have the requested model; pulling it is the way out."""


class StreamInterrupted(OllamaError):
    """A stream died after it started (connection cut, server crash): partial output is kept."""


class StreamStalled(StreamInterrupted):
    """A stream produced nothing for longer than the idle budget (or the first-token budget)."""


class ServerError(OllamaError):
    """The server answered with an error: an HTTP status, or an `{"error"}` line mid-stream."""


class UnsupportedEndpoint(OllamaError):
    """The server answered `404 page not found` as text: an older server without this endpoint."""
