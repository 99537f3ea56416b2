"""The process's one cache: values shared by everyone asking for a moment, computed once per key.

Hundreds of phones and a few projectors read the same room at the same moments: its live state
on every question, its cards and board view after every change, the organization's settings on
every send. Each such read goes through `ExpiringCache.get` with a key and a lifetime in
seconds; callers arriving while a value is missing wait for the one computation underway
instead of each computing it too (after a change, every phone redraws at once).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

T = TypeVar("T")

_MISSING = object()
# Expired entries are dropped at most this often (seconds), so a long session's old board views,
# each holding every card of its version, do not pile up between prunes.
PRUNE_EVERY_SECONDS = 1.0
# Past this many entries, expired ones are dropped at once (a process serves a handful of rooms).
MAX_ENTRIES = 1_000


class ExpiringCache:
    """Values kept for their lifetime, keyed by what they were computed from.

    `scale` multiplies every lifetime: 1 in production, 0 where every read must be fresh (tests
    that change the database behind the app's back).
    """

    def __init__(self, scale: float = 1.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.scale = scale
        self._monotonic = monotonic
        self._entries: dict[Hashable, tuple[float, float, object]] = {}  # key -> (when, lifetime, value)
        self._gates: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def get(self, key: Hashable, seconds: float, compute: Callable[[], T]) -> T:
        """`compute()`, shared by everyone asking for `key` within `seconds` of its computation.

        Put whatever the value depends on in the key (a room's version, for its cards): a value
        is then never stale, only kept for as long as anyone might ask for it again.
        """
        with self._lock:
            value = self._fresh(key)
            if value is not _MISSING:
                return cast(T, value)
            gate = self._gates.setdefault(key, threading.Lock())
        with gate:  # one caller computes; the others asking now wait for its answer
            with self._lock:
                value = self._fresh(key)
            if value is not _MISSING:
                return cast(T, value)
            started = self._monotonic()
            try:
                computed = compute()
            except BaseException:
                with self._lock:
                    self._gates.pop(key, None)
                raise
            lifetime = seconds * self.scale
            with self._lock:
                if lifetime > 0:
                    self._prune()
                    self._entries[key] = (started, lifetime, computed)
                self._gates.pop(key, None)  # after storing: a newcomer finds the value, not an empty gate
        return computed

    def forget(self, key: Hashable) -> None:
        """Drop `key` now: what it was computed from has just changed in this process."""
        with self._lock:
            self._entries.pop(key, None)

    def _prune(self) -> None:
        """Drop expired entries (caller holds the lock): each may be a whole room's view at an old version."""
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
