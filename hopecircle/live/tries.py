"""Failed tries in the last minute: a cap per browser tab and one for the whole process.

The join page looks a typed code up; a wrong code says so. Without a limit that answer would let
a script walk the code space. Each tab may get a few codes wrong per window; past that it waits.
And the process as a whole takes at most `in_all` wrong codes per window from tabs that have
not found a room yet, so opening new tabs does not buy more guesses. Nothing is stored: the
counts live in this process's memory, keyed by the tab's anonymous key, and expire.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0
PER_TAB = 5
IN_ALL = 120


class Tries:
    """Counts of failed tries by key (a tab) and in all, over the last `window` seconds."""

    def __init__(
        self,
        per_key: int = PER_TAB,
        in_all: int = IN_ALL,
        window: float = WINDOW_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_key = per_key
        self.in_all = in_all
        self.window = window
        self._monotonic = monotonic
        self._failures: deque[tuple[float, str]] = deque()
        self._by_key: dict[str, int] = {}
        self._lock = threading.Lock()

    def blocked(self, key: str) -> bool:
        """Whether `key` must wait before trying again: its own failures, or the process's, are spent."""
        with self._lock:
            self._expire()
            return self._by_key.get(key, 0) >= self.per_key or len(self._failures) >= self.in_all

    def failed(self, key: str) -> None:
        """One more failed try by `key`."""
        with self._lock:
            self._expire()
            self._failures.append((self._monotonic(), key))
            self._by_key[key] = self._by_key.get(key, 0) + 1

    def _expire(self) -> None:
        horizon = self._monotonic() - self.window
        while self._failures and self._failures[0][0] <= horizon:
            _when, key = self._failures.popleft()
            left = self._by_key[key] - 1
            if left:
                self._by_key[key] = left
            else:
                del self._by_key[key]
