"""Admission to page runs: a few at a time per process, people's own actions before redraws.

Streamlit runs every browser tab's script in a thread of its own, and all of them share one
core through the GIL. When a room of hundreds moves to a new phase, hundreds of phones redraw
at once; with every thread runnable, each run gets a sliver of the core, so a run that would
take 10 ms takes as long as the whole burst, and a phone's "send" pressed during it waits for
the burst to end. The gate lets `slots` runs in at a time and queues the rest in order of
arrival, runs for something a person did ("urgent": a send, a tap, a join, a projector's
redraw) ahead of redraws a phone starts by itself when the room moved on ("background").
Background runs never take every slot, so a storm of redraws cannot shut a send out. A waiter
whose run is called off meanwhile (the person tapped again and Streamlit started a new run, or
the tab closed) leaves the line instead of taking a slot.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class LeftTheLine(Exception):
    """A waiter's run was called off before it got a slot: it leaves the line and does not run."""


def _never() -> bool:
    return False


class _Ticket:
    """A place in line: set when a slot is handed over, with the class it was counted in."""

    __slots__ = ("admitted_as", "event")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.admitted_as: bool | None = None


class PriorityGate:
    """At most `slots` holders at once; waiters served in order of arrival, urgent ones first."""

    def __init__(self, slots: int = 3, *, check_seconds: float = 0.5) -> None:
        if slots < 2:
            raise ValueError("the gate needs at least two slots: one is kept for urgent runs")
        self.slots = slots
        # How often a waiter asks whether its run was called off; longer when many wait, so that
        # a long line does not wake hundreds of threads a second.
        self.check_seconds = check_seconds
        self._guard = threading.Lock()
        self._running = {True: 0, False: 0}
        self._waiting: dict[bool, deque[_Ticket]] = {True: deque(), False: deque()}
        self.admitted = {True: 0, False: 0}  # runs let in so far, by urgency (for tests and metrics)

    @contextmanager
    def slot(self, urgent: bool, cancelled: Callable[[], bool] = _never) -> Iterator[None]:
        """Hold a slot for the body; raise LeftTheLine if `cancelled()` turns true while waiting."""
        admitted_as = self._enter(urgent, cancelled)
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

    def running(self) -> tuple[int, int]:
        """(urgent, background) runs holding a slot now."""
        with self._guard:
            return self._running[True], self._running[False]

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
                ticket = queue.popleft()
                ticket.admitted_as = urgent
                ticket.event.set()
            if queue:
                return  # nobody behind this queue may overtake it

    def _enter(self, urgent: bool, cancelled: Callable[[], bool]) -> bool:
        with self._guard:
            ahead = self._waiting[True] or (not urgent and self._waiting[False])
            if not ahead and self._fits(urgent):
                self._admit(urgent)
                return urgent
            turn = _Ticket()
            self._waiting[urgent].append(turn)
        try:
            return self._wait(turn, cancelled)
        except BaseException:
            self._give_up(turn)
            raise

    def _wait(self, turn: _Ticket, cancelled: Callable[[], bool]) -> bool:
        while not turn.event.wait(self._check_interval()):
            if cancelled():
                raise LeftTheLine()  # _enter gives the place (or a slot just handed over) back
        assert turn.admitted_as is not None
        return turn.admitted_as

    def _check_interval(self) -> float:
        waiting = len(self._waiting[True]) + len(self._waiting[False])  # an estimate is enough
        return self.check_seconds * max(1.0, waiting / 100)

    def _give_up(self, turn: _Ticket) -> None:
        """A waiter that will not run leaves the line, or hands on the slot it was just given."""
        with self._guard:
            for queue in self._waiting.values():
                if turn in queue:
                    queue.remove(turn)
                    return
            if turn.admitted_as is not None:
                self._running[turn.admitted_as] -= 1
                self._hand_over()
