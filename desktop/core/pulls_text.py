"""Pull figures in words: error classification for a plain message, byte and duration formatting.

Kept apart from the tracker: these are pure text helpers that the UI imports everywhere
(sizes in the catalog, the installed list, the hardware page), while the tracker is the
progress state machine. `desktop.core.pulls` re-exports them for existing callers.
"""

from __future__ import annotations

# What servers say when the registry cannot be reached (Go's net package, Python's socket errors,
# Windows' WSA codes), lower case.
_OFFLINE_MARKERS = (
    "name or service not known",
    "temporary failure in name resolution",
    "nodename nor servname",
    "getaddrinfo failed",
    "no such host",
    "server misbehaving",
    "network is unreachable",
    "no route to host",
    "errno -2",
    "errno -3",
    "11001",
)
_UNREACHABLE_MARKERS = (
    "all connection attempts failed",
    "connection refused",
    "connection reset",
    "i/o timeout",
    "timed out",
    "timeout",
    "tls handshake",
    "certificate",
    "dial tcp",
    "proxyconnect",
)
_MISSING_MARKERS = ("file does not exist", "not found", "invalid model name", "manifest unknown")


def error_kind(message: str) -> str:
    """Sort a pull error for a plain message: "offline" (no network / DNS), "unreachable" (the
    registry did not answer), "missing" (no such model or tag), "disk" (no space), or ""."""
    text = message.lower()
    if any(marker in text for marker in _OFFLINE_MARKERS):
        return "offline"
    if "no space left" in text or "not enough space" in text or "disk full" in text:
        return "disk"
    if any(marker in text for marker in _MISSING_MARKERS):
        return "missing"
    if any(marker in text for marker in _UNREACHABLE_MARKERS):
        return "unreachable"
    return ""


def format_bytes(n: float) -> str:
    """1536 -> '1.5 KB' (decimal units, as Ollama and the catalog show sizes)."""
    value = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(value) < 1000 or unit == "TB":
            if unit == "B":
                return f"{int(value)} B"
            return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


def format_duration(seconds: float) -> str:
    """Seconds -> '45 s', '3 min 20 s', '2 h 05 min' (language-neutral units)."""
    s = max(0, int(round(seconds)))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {(s % 3600) // 60:02d} min"
