"""How many phones a process serves, and the intervals that follow from it.

Served through `serve.py`, phones do not look on an interval: each holds a question to the room
endpoint until the room moves on (`live/waits.py`). The interval then sets only how often a
phone in a big room redraws for new cards alone (`minor_gap_seconds`), and how often a watcher
whose question failed tries again.

Without the endpoint (`streamlit run workshop_app.py`) every phone looks every POLL_SECONDS in
an ordinary group, and less often in a big one: each look is then a run of its room screen, and
past POLL_BUDGET_PER_SECOND phones per second of interval the phones one process serves look
less often, up to MAX_POLL_SECONDS, so that a phase change asks a process for about
POLL_BUDGET_PER_SECOND redraws a second instead of all of them at once. In a big room each
phone's interval is also spread by up to JITTER either way, so that phones whose timers
restarted together do not keep looking, and redrawing, in lockstep.
"""

from __future__ import annotations

import math
import threading
import time
import zlib
from collections.abc import Callable

POLL_SECONDS = 3
POLL_BUDGET_PER_SECOND = 40
MAX_POLL_SECONDS = 12
JITTER = 0.25
PRUNE_EVERY_SECONDS = 10.0


class Pacing:
    """The phones this process has heard from lately (by tab key), and their intervals."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._phones: dict[str, float] = {}  # tab key -> last heard from
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def seen(self, tab: str) -> None:
        """Count this tab as a phone served here (every look or held question keeps it counted)."""
        if tab:
            with self._lock:
                self._phones[tab] = self._monotonic()

    def phones(self) -> int:
        """Phones heard from within the last two longest intervals."""
        now = self._monotonic()
        with self._lock:
            if now >= self._next_prune:
                self._next_prune = now + PRUNE_EVERY_SECONDS
                self._phones = {tab: last for tab, last in self._phones.items() if now - last <= 2 * MAX_POLL_SECONDS}
            return len(self._phones)

    def base_seconds(self) -> int:
        """The interval every phone served here looks at before its jitter (POLL_SECONDS in an ordinary group)."""
        return max(POLL_SECONDS, min(MAX_POLL_SECONDS, math.ceil(self.phones() / POLL_BUDGET_PER_SECOND)))

    def slow_room_wait_seconds(self) -> int | None:
        """In a room looking slower than usual, how long a phone here may take to notice it moved on.

        That is the longest interval, jitter included; None in an ordinary group.
        """
        base = self.base_seconds()
        return math.ceil(base * (1 + JITTER)) if base > POLL_SECONDS else None

    def minor_gap_seconds(self) -> float:
        """How long a phone served here waits between redraws for new cards alone.

        Nothing in an ordinary group; in a big room the interval it would look at without the
        room endpoint, so a steady flow of approvals redraws each phone at most once per interval.
        """
        base = self.base_seconds()
        return float(base) if base > POLL_SECONDS else 0.0

    def poll_seconds(self, tab: str) -> float:
        """The interval for this tab's next looks; asking counts the tab as a phone served here."""
        self.seen(tab)
        base = self.base_seconds()
        if base == POLL_SECONDS or not tab:
            return float(base)
        spread = zlib.crc32(tab.encode()) / 0xFFFFFFFF  # the same for a phone every time
        return round(base * (1 - JITTER + 2 * JITTER * spread), 2)
