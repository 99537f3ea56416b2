"""Admission to page runs: a few at a time per process, people's own actions before redraws.

Streamlit runs every browser tab's script in a thread of its own, and all of them share one
core through the GIL. When a room of hundreds moves to a new phase, hundreds of phones redraw
at once; with every thread runnable, each run gets a sliver of the core, so a run that would
take 10 ms takes as long as the whole burst, and a phone's "send" pressed during it waits for
the burst to end. The gate lets `slots` runs in at a time and queues the rest in order of
arrival, runs for something a person did ("urgent": a send, a tap, a join, a projector's
redraw) ahead of redraws a phone starts by itself when the room moved on ("background").
Background runs never take every slot, so a storm of redraws cannot shut a send out.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class PriorityGate:
    """At most `slots` holders at once; waiters served in order of arrival, urgent ones first."""

    def __init__(self, slots: int = 3, *, hurry_check_seconds: float = 0.5) -> None:
        if slots < 2:
            raise ValueError("the gate needs at least two slots: one is kept for urgent runs")
        self.slots = slots
        self.hurry_check_seconds = hurry_check_seconds
        self._guard = threading.Lock()
        self._running = {True: 0, False: 0}
        self._waiting: dict[bool, deque[threading.Event]] = {True: deque(), False: deque()}
        self.admitted = {True: 0, False: 0}  # runs let in so far, by urgency (for tests and metrics)

    @contextmanager
    def slot(self, urgent: bool, hurry: Callable[[], bool] = lambda: False) -> Iterator[None]:
        """Hold a slot for the body; a background waiter for whom `hurry()` turns true becomes urgent."""
        admitted_as = self._enter(urgent, hurry)
        try:
            yield
        finally:
            with self._guard:
                self._running[admitted_as] -= 1
                self._hand_over()

    def waiting(self) -> tuple[int, int]:
        """(urgent, background) runs waiting now."""
        with self._guard:
            return len(self._waiting[True]), len(self._waiting[False])

    def _fits(self, urgent: bool) -> bool:
        running = self._running[True] + self._running[False]
        return running < self.slots and (urgent or self._running[False] < self.slots - 1)

    def _admit(self, urgent: bool) -> None:
        self._running[urgent] += 1
        self.admitted[urgent] += 1

    def _hand_over(self) -> None:
        """Give free slots to the next waiters (called with the guard held)."""
        for urgent in (True, False):
            queue = self._waiting[urgent]
            while queue and self._fits(urgent):
                self._admit(urgent)
                queue.popleft().set()
            if queue:
                return  # nobody behind this queue may overtake it

    def _enter(self, urgent: bool, hurry: Callable[[], bool]) -> bool:
        with self._guard:
            ahead = self._waiting[True] or (not urgent and self._waiting[False])
            if not ahead and self._fits(urgent):
                self._admit(urgent)
                return urgent
            turn = threading.Event()
            self._waiting[urgent].append(turn)
        if urgent:
            turn.wait()
            return True
        while not turn.wait(self.hurry_check_seconds):
            if not hurry():
                continue
            with self._guard:
                if turn.is_set():
                    return False
                self._waiting[False].remove(turn)
                self._waiting[True].append(turn)
                self._hand_over()
            turn.wait()
            return True
        return False
