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


_MISSING = object()
# Expired entries are dropped at most this often (seconds), so a long session's old board views,
# each holding every card of its version, do not pile up between prunes.
PRUNE_EVERY_SECONDS = 1.0
# Past this many cached entries, expired ones are dropped at once (a process serves a handful of rooms).
MAX_ENTRIES = 1_000


class LiveCache:
    """Hands out a session's LiveState, re-reading the database at most once per `ttl` per process.

    Hundreds of phones and a few boards poll the same session every second or two; they all
    share one read instead of each issuing its own. When a cached value is missing or stale,
    one caller computes it and the others asking at the same moment wait for that answer
    instead of each computing it too (after a change, every phone redraws at once).
    """

    def __init__(self, ttl: float = DEFAULT_TTL_SECONDS, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._monotonic = monotonic
        self._entries: dict[Hashable, tuple[float, float, object]] = {}  # key -> (when, lifetime, value)
        self._gates: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def get(self, store: Store, session_id: int) -> LiveState | None:
        def read() -> LiveState | None:
            with store.read() as tx:
                return tx.sessions.live_state(session_id)

        return self._shared(("live", session_id), self.ttl, read)

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, shared by everyone asking for `key` for a few seconds (never when `ttl` is 0).

        Put the session's version in the key: a room's cards or board at one version are the same
        for every phone and projector, so a few hundred redraws after a change cost one read.
        """
        return self._shared(key, self.ttl * SHARED_TTL_FACTOR, compute)

    def _shared(self, key: Hashable, lifetime: float, compute: Callable[[], T]) -> T:
        with self._lock:
            value = self._fresh(key)
            if value is not _MISSING:
                return value  # type: ignore[return-value]
            gate = self._gates.setdefault(key, threading.Lock())
        with gate:  # one caller computes; the others asking now wait for its answer
            with self._lock:
                value = self._fresh(key)
            if value is not _MISSING:
                return value  # type: ignore[return-value]
            started = self._monotonic()
            try:
                value = compute()
            except BaseException:
                with self._lock:
                    self._gates.pop(key, None)
                raise
            with self._lock:
                if lifetime > 0:
                    self._prune()
                    self._entries[key] = (started, lifetime, value)
                self._gates.pop(key, None)  # after storing: a newcomer finds the value, not an empty gate
        return value  # type: ignore[return-value]

    def _prune(self) -> None:
        """Drop expired entries (caller holds the lock): each is a whole room's view at an old version."""
        now = self._monotonic()
        if now < self._next_prune and len(self._entries) < MAX_ENTRIES:
            return
        self._entries = {k: e for k, e in self._entries.items() if now - e[0] < e[1]}
        self._next_prune = now + PRUNE_EVERY_SECONDS

    def _fresh(self, key: Hashable) -> object:
        entry = self._entries.get(key)
        if entry is None or self._monotonic() - entry[0] >= entry[1]:
            return _MISSING
        return entry[2]
