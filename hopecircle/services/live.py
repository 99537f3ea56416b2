"""The cheap read behind every poll: one indexed row per session, shared by everyone for a moment."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from hopecircle.domain import LiveState
from hopecircle.store import Store

DEFAULT_TTL_SECONDS = 0.5


class LiveCache:
    """Hands out a session's LiveState, re-reading the database at most once per `ttl` per process.

    Hundreds of phones and a few boards poll the same session every second or two; they all
    share one read instead of each issuing its own.
    """

    def __init__(self, ttl: float = DEFAULT_TTL_SECONDS, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._monotonic = monotonic
        self._entries: dict[int, tuple[float, LiveState | None]] = {}
        self._lock = threading.Lock()

    def get(self, store: Store, session_id: int) -> LiveState | None:
        now = self._monotonic()
        with self._lock:
            cached = self._entries.get(session_id)
            if cached is not None and now - cached[0] < self.ttl:
                return cached[1]
        with store.read() as tx:
            state = tx.sessions.live_state(session_id)
        with self._lock:
            self._entries[session_id] = (now, state)
            if len(self._entries) > 10_000:
                self._entries = {k: v for k, v in self._entries.items() if now - v[0] < self.ttl}
        return state

    def forget(self, session_id: int) -> None:
        """Drop a cached entry (after this process changed the session, so its own view is fresh)."""
        with self._lock:
            self._entries.pop(session_id, None)
