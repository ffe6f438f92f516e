"""Pull tracker: turns a stream of /api/pull progress lines into figures a person can trust.

Ollama announces layers one after another, repeats a line every 60 ms, may restart a layer
from a lower offset after a failed part, and signals completion only with `success`. The
tracker keeps what the user sees monotonic (bytes and fraction never move backwards), keeps
the real network throughput for the speed and ETA, and detects stalls against an injected
clock, so every rule here is testable without sleeping.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from desktop.core.ollama.types import PullProgress
from desktop.core.pulls_text import error_kind, format_bytes, format_duration

__all__ = [
    "Clock",
    "LayerProgress",
    "PullSnapshot",
    "PullState",
    "PullTracker",
    "error_kind",
    "format_bytes",
    "format_duration",
]

Clock = Callable[[], float]

# Statuses the server sends once the bytes are all there.
_FINISHING_STATUSES = ("verifying", "writing manifest", "removing", "couldn't remove")


class PullState(Enum):
    QUEUED = "queued"
    STARTING = "starting"  # request sent, manifest being fetched
    DOWNLOADING = "downloading"
    STALLED = "stalled"  # no new bytes for stall_after seconds
    VERIFYING = "verifying"  # all bytes in; digest check, manifest write
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in (PullState.SUCCEEDED, PullState.FAILED, PullState.CANCELLED)

    @property
    def is_active(self) -> bool:
        return self in (PullState.STARTING, PullState.DOWNLOADING, PullState.STALLED, PullState.VERIFYING)


@dataclass(frozen=True)
class LayerProgress:
    """One blob. `completed` is the highest offset ever reported (never shrinks)."""

    digest: str
    total: int
    completed: int

    @property
    def done(self) -> bool:
        return self.total > 0 and self.completed >= self.total

    @property
    def short_digest(self) -> str:
        hex_part = self.digest.split(":", 1)[-1]
        return hex_part[:12]


@dataclass(frozen=True)
class PullSnapshot:
    """What a progress row shows at one instant."""

    model: str
    state: PullState
    status: str  # the server's last status line, verbatim
    layers: tuple[LayerProgress, ...]
    completed: int  # bytes, monotonic
    total: int  # bytes known so far (grows while layers are announced)
    fraction: float | None  # 0..1, monotonic; None while nothing is known
    total_settled: bool  # no more layers can appear
    speed: float  # bytes per second, smoothed
    eta: float | None  # seconds; None when unknown
    error: str
    attempts: int  # 1 for the first request, +1 per retry
    elapsed: float


@dataclass
class _Layer:
    digest: str
    total: int = 0
    shown: int = 0  # highest completed ever reported: what the user sees
    raw: int = 0  # the latest completed reported: what is really on the server's disk
    counted: bool = False  # raw bytes of this layer count as transfer (not cache / resume base)

    @property
    def done(self) -> bool:
        return self.total > 0 and self.shown >= self.total


@dataclass
class _SpeedMeter:
    """Time-based EWMA of bytes per second over `window` seconds, sampled every `interval`.

    The lines arrive every 60 ms with bursty deltas; a rate per line would jump around, so
    bytes are accumulated for at least `interval` seconds before they move the average.
    """

    window: float
    interval: float
    rate: float = 0.0
    _pending: int = 0
    _since: float | None = None
    _primed: bool = False

    def add(self, nbytes: int, now: float) -> None:
        if self._since is None:
            self._since = now
        self._pending += max(0, nbytes)
        self.advance(now)

    def advance(self, now: float) -> None:
        if self._since is None:
            return
        dt = now - self._since
        if dt < self.interval:
            return
        sample = self._pending / dt
        if not self._primed:
            self.rate = sample
            self._primed = True
        else:
            alpha = 1.0 - math.exp(-dt / self.window)
            self.rate += alpha * (sample - self.rate)
        self._pending = 0
        self._since = now

    def start(self, now: float) -> None:
        """Begin timing at a baseline (the first line of a layer), not at the request."""
        if self._since is None:
            self._since = now

    def reset(self, now: float | None = None) -> None:
        self.rate = 0.0
        self._pending = 0
        self._since = now
        self._primed = False


@dataclass
class PullTracker:
    """Feed it PullProgress items; read `snapshot()`. One tracker lives across retries."""

    model: str
    clock: Clock = time.monotonic
    stall_after: float = 30.0
    speed_window: float = 5.0
    speed_interval: float = 0.5
    expected_total: int = 0  # a size hint (catalog), used only while the real total is smaller
    _layers: dict[str, _Layer] = field(default_factory=dict, init=False)
    _state: PullState = field(default=PullState.QUEUED, init=False)
    _status: str = field(default="", init=False)
    _error: str = field(default="", init=False)
    _seen_success: bool = field(default=False, init=False)
    _shown_fraction: float | None = field(default=None, init=False)
    _attempts: int = field(default=0, init=False)
    _started: float | None = field(default=None, init=False)
    _last_activity: float = field(default=0.0, init=False)
    _meter: _SpeedMeter = field(init=False)

    def __post_init__(self) -> None:
        self._meter = _SpeedMeter(self.speed_window, self.speed_interval)

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def state(self) -> PullState:
        return self._state

    @property
    def error(self) -> str:
        return self._error

    def begin_attempt(self) -> None:
        """A (new) request is about to be sent: a first try or a retry after a stall or a cut."""
        now = self.clock()
        if self._started is None:
            self._started = now
        self._attempts += 1
        self._state = PullState.STARTING
        self._error = ""
        self._seen_success = False
        self._last_activity = now
        # Connecting and fetching the manifest are not download time.
        self._meter.reset(None)
        # A resumed request reports the bytes already on disk as its first `completed`;
        # those are not transfer, so each layer gets a new baseline.
        for layer in self._layers.values():
            layer.counted = False

    def feed(self, item: PullProgress) -> None:
        """Take one progress line."""
        if self._state.is_final:
            return
        now = self.clock()
        status = item.status
        self._status = status
        if status == "success":
            self._seen_success = True
            self._state = PullState.SUCCEEDED
            self._shown_fraction = 1.0
            for layer in self._layers.values():
                if layer.total:
                    layer.shown = layer.raw = layer.total
            return
        if item.digest:
            self._feed_layer(item, now)
        elif status.startswith(_FINISHING_STATUSES):
            self._state = PullState.VERIFYING
            self._last_activity = now
            for layer in self._layers.values():
                # Verification starts only once every blob is complete.
                if layer.total:
                    layer.shown = max(layer.shown, layer.total)
        elif status == "pulling manifest":
            self._state = PullState.STARTING
            self._last_activity = now
        self._update_fraction()

    def _feed_layer(self, item: PullProgress, now: float) -> None:
        layer = self._layers.get(item.digest)
        if layer is None:
            layer = self._layers[item.digest] = _Layer(item.digest)
        if item.total > 0:
            layer.total = item.total
        completed = min(item.completed, layer.total) if layer.total else item.completed
        if not layer.counted:
            # First line of this layer in this attempt: cached or resumed bytes, not transfer.
            layer.counted = True
            layer.raw = completed
            self._last_activity = now
            self._meter.start(now)
        elif completed != layer.raw:
            if completed > layer.raw:
                self._meter.add(completed - layer.raw, now)
            # A drop means the server rolled back a failed part: real activity, no progress.
            layer.raw = completed
            self._last_activity = now
        layer.shown = max(layer.shown, completed)
        if self._state in (PullState.STARTING, PullState.STALLED, PullState.QUEUED):
            self._state = PullState.DOWNLOADING
        elif self._state is PullState.VERIFYING and not layer.done:
            # Another blob after a verify line (engines that interleave): still downloading.
            self._state = PullState.DOWNLOADING

    def tick(self) -> PullState:
        """Call about once a second: decays the speed and detects a stall."""
        now = self.clock()
        self._meter.advance(now)
        if self._state in (PullState.STARTING, PullState.DOWNLOADING) and self.stall_after > 0:
            if now - self._last_activity >= self.stall_after:
                self._state = PullState.STALLED
                self._meter.reset(now)
        return self._state

    def end_of_stream(self) -> PullState:
        """The response ended. Without a `success` line this is a failure, never a success."""
        if self._state.is_final:
            return self._state
        if self._seen_success:
            self._state = PullState.SUCCEEDED
        else:
            self.fail("The download ended before the server confirmed it. Press Retry to resume it.")
        return self._state

    def fail(self, message: str) -> None:
        if self._state in (PullState.SUCCEEDED, PullState.CANCELLED):
            return
        self._state = PullState.FAILED
        self._error = message.strip() or "The download failed."

    def mark_stalled(self) -> None:
        if not self._state.is_final:
            self._state = PullState.STALLED

    def cancel(self) -> None:
        if not self._state.is_final:
            self._state = PullState.CANCELLED

    def reset_for_retry(self) -> None:
        """Leave a final state so that a retry can run; the shown bytes are kept."""
        self._state = PullState.QUEUED
        self._error = ""

    # -- figures ---------------------------------------------------------------------------

    @property
    def total_settled(self) -> bool:
        return self._state in (PullState.VERIFYING, PullState.SUCCEEDED)

    def _known_total(self) -> int:
        return sum(layer.total for layer in self._layers.values())

    def _update_fraction(self) -> None:
        if self._state is PullState.SUCCEEDED:
            self._shown_fraction = 1.0
            return
        total = self._known_total()
        if not self.total_settled:
            total = max(total, self.expected_total)
        if total <= 0:
            return
        shown = sum(layer.shown for layer in self._layers.values())
        raw = min(shown / total, 1.0)
        if not self.total_settled:
            # Ollama announces the next layer only after the current one is complete, so 100%
            # is not known to be 100% until the server moves on to verification.
            raw = min(raw, 0.999)
        previous = self._shown_fraction or 0.0
        # A later layer grows the total: hold the bar rather than move it backwards.
        self._shown_fraction = max(previous, raw)

    def snapshot(self) -> PullSnapshot:
        now = self.clock()
        layers = tuple(
            LayerProgress(layer.digest, layer.total, layer.shown) for layer in self._layers.values()
        )
        completed = sum(layer.completed for layer in layers)
        total = self._known_total()
        speed = self._meter.rate if self._state is PullState.DOWNLOADING else 0.0
        eta: float | None = None
        if self._state is PullState.DOWNLOADING and speed > 0:
            remaining_total = max(total, self.expected_total)
            remaining = sum(max(0, layer.total - layer.raw) for layer in self._layers.values())
            remaining += max(0, remaining_total - total)
            eta = remaining / speed
        return PullSnapshot(
            model=self.model,
            state=self._state,
            status=self._status,
            layers=layers,
            completed=completed,
            total=total,
            fraction=self._shown_fraction,
            total_settled=self.total_settled,
            speed=speed,
            eta=eta,
            error=self._error,
            attempts=self._attempts,
            elapsed=(now - self._started) if self._started is not None else 0.0,
        )
