"""Connections that never finish their headers (slowloris) are closed, and few may wait at once.

uvicorn arms its keep-alive timer only after a response, and cancels it on any byte received,
so a client that opens a connection and sends one header byte every few seconds holds it
forever; 60 such connections stayed open indefinitely. This protocol gives every connection a
budget for the head of each request (from the moment it starts waiting for one until the
headers are complete) and caps how many connections may wait for headers at the same time:
the oldest waiting one is dropped first, so a flood of idle sockets cannot lock out the app's
own next request, and uvicorn's `limit_concurrency` stays a last resort.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 10.0  # seconds for idle time plus the request head; a real client needs ms
MAX_WAITING = 32  # connections waiting for a request head at once


class GuardedH11Protocol(H11Protocol):
    header_timeout: ClassVar[float] = HEADER_TIMEOUT
    max_waiting: ClassVar[int] = MAX_WAITING
    # Insertion order = waiting since; one engine per process, so one table.
    _waiting: ClassVar[OrderedDict[GuardedH11Protocol, None]] = OrderedDict()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_arrived()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:
            self._head_arrived()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and (self.cycle is None or self.cycle.response_complete):
            self._await_head()

    # --- the budget --------------------------------------------------------------------------

    def _await_head(self) -> None:
        self._head_arrived()
        self._head_timer = self.loop.call_later(self.header_timeout, self._drop)
        waiting = type(self)._waiting
        waiting[self] = None
        while len(waiting) > self.max_waiting:
            oldest = next(iter(waiting))
            oldest._drop()

    def _head_arrived(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        type(self)._waiting.pop(self, None)

    def _drop(self) -> None:
        self._head_arrived()
        if self.transport.is_closing():
            return
        if self.conn.our_state in (h11.IDLE, h11.DONE) and self.conn.their_state != h11.ERROR:
            # Nothing of a response was sent: close quietly, like the keep-alive timeout does.
            try:
                self.conn.send(h11.ConnectionClosed())
            except h11.LocalProtocolError:
                pass
        self.transport.close()
