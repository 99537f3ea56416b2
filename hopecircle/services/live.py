"""The cheap read behind every poll: one indexed row per session, shared by everyone for a moment."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from hopecircle.domain import LiveState
from hopecircle.store import Store

DEFAULT_TTL_SECONDS = 0.5
# Shared reads are keyed by the session's version, so they may live longer than the live state.
SHARED_TTL_FACTOR = 6
T = TypeVar("T")


class LiveCache:
    """Hands out a session's LiveState, re-reading the database at most once per `ttl` per process.

    Hundreds of phones and a few boards poll the same session every second or two; they all
    share one read instead of each issuing its own.
    """

    def __init__(self, ttl: float = DEFAULT_TTL_SECONDS, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._monotonic = monotonic
        self._entries: dict[int, tuple[float, LiveState | None]] = {}
        self._shared: dict[Hashable, tuple[float, object]] = {}
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

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, shared by everyone asking for `key` for a few seconds (never when `ttl` is 0).

        Put the session's version in the key: a room's cards or board at one version are the same
        for every phone and projector, so a few hundred redraws after a change cost one read.
        """
        lifetime = self.ttl * SHARED_TTL_FACTOR
        now = self._monotonic()
        with self._lock:
            cached = self._shared.get(key)
            if cached is not None and now - cached[0] < lifetime:
                return cached[1]  # type: ignore[return-value]
        value = compute()
        if lifetime > 0:
            with self._lock:
                if len(self._shared) > 64:
                    self._shared = {k: v for k, v in self._shared.items() if now - v[0] < lifetime}
                self._shared[key] = (now, value)
        return value
