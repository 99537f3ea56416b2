"""Phones and projectors waiting on their room: each question held until the room moves on for
the asker, then answered (at the pace the asker can redraw, when that costs the process).

A phone asks `POST /api/phone/room` with `seen`, the signature of the state it shows
(`hopecircle/http/phone_room.py`); a projector asks `GET /api/boards/<key>?seen=<version>`. The
question waits here until the room's signature for that asker differs from `seen`, or
HOLD_SECONDS pass (then it asks again). Between changes a room costs nothing but one read of
its state every TICK_SECONDS, however many wait.

When the room moves on, every asker waiting on it is ready at once. Where each answer starts a
Streamlit script run (a redraw, one thread each, all on the process's one core), answering them
all would start hundreds together: each would get a sliver of the core, and a send pressed
during the burst would wait for all of them. They can be answered in turn instead, with at most
`in_flight` redraws underway at a time: a redraw lands when the asker's screen says so
(`drawn`), or is given up after `flight_seconds`. Phones draw their room themselves from the
answer and projectors are a few a room, so both are answered at once (`MANY`).

A minor change (`minor(seen, now)`: in the board phase, only more cards) answers a tab at most
once per `minor_gap()` seconds: in a big room approvals arrive every second or two, and without
this every phone would be answered for each of them.

Nothing here knows HTTP or asyncio: `answer` callbacks are called once, from the pump thread or
from the script thread that reported a redraw, and the endpoint turns them into its own futures.
"""

from __future__ import annotations

import logging
import operator
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

S = TypeVar("S")

HOLD_SECONDS = 20.0  # a question waits this long at most (below the proxy's and browsers' timeouts)
IN_FLIGHT = 6  # redraws underway at a time, per process
FLIGHT_SECONDS = 2.0  # after this a redraw that never reported is given up
TICK_SECONDS = 0.2  # how often the pump reads the rooms phones wait on
MANY = 1_000_000  # as `in_flight`: no pacing (projectors: a few per room, every one urgent)

log = logging.getLogger(__name__)
_NOTHING = object()


@dataclass(eq=False)
class Waiter:
    """One held question: a tab waiting for its room (by join code) to differ from `seen`."""

    tab: str
    code: str
    shown: int  # the cards the tab's screen can show: part of its signature in the board phase
    seen: str
    answer: Callable[[str | None], None]  # called once: the signature now, or None (no such room)
    checked: bool = False  # compared with the room's state at least once
    done: bool = False


class RoomWaits(Generic[S]):
    """The held questions of one process, and the pump that answers them.

    `state_of(code)` reads a room's state (None when there is no such room; it may read the
    database, never under this object's lock), `signature(state, shown)` is what a phone with
    `shown` cards compares; `changed(seen, now)` says whether a phone showing `seen` has
    something to redraw (by default, any difference). With `pump=False` nothing runs by itself:
    call `step()` (tests).
    """

    def __init__(
        self,
        state_of: Callable[[str], S | None],
        signature: Callable[[S, int], str],
        *,
        in_flight: int = IN_FLIGHT,
        flight_seconds: float = FLIGHT_SECONDS,
        tick_seconds: float = TICK_SECONDS,
        changed: Callable[[str, str], bool] = operator.ne,
        minor: Callable[[str, str], bool] = lambda seen, now: False,
        minor_gap: Callable[[], float] = lambda: 0.0,
        pump: bool = True,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if in_flight < 1:
            raise ValueError("at least one redraw must be allowed in flight")
        self._state_of = state_of
        self._signature = signature
        self._changed = changed
        self._minor = minor
        self._minor_gap = minor_gap
        self.in_flight = in_flight
        self.flight_seconds = flight_seconds
        self.tick_seconds = tick_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._rooms: dict[str, dict[str, Waiter]] = {}  # code -> tab -> its held question
        self._states: dict[str, object] = {}  # code -> the state its waiters were last compared with
        self._ready: deque[tuple[Waiter, str | None]] = deque()  # changed for them: to answer in turn
        self._by_tab: dict[str, Waiter] = {}  # every question not yet answered, held or ready
        self._flights: dict[str, float] = {}  # tab -> when its answer went out
        self._answered_at: dict[str, float] = {}  # tab -> when it was last answered with a change
        self._pump = pump
        self._thread: threading.Thread | None = None
        self.answered = 0  # questions answered with a change (for the benchmarks' counters)

    # -- what the endpoint and the pages call ---------------------------------------------------

    def wait(self, tab: str, code: str, shown: int, seen: str, answer: Callable[[str | None], None]) -> Waiter:
        """Hold a question until the room differs from `seen` for this tab; `answer` says what it is then.

        A tab has one question at a time: asking again answers its earlier one with no change.
        """
        waiter = Waiter(tab, code, shown, seen, answer)
        with self._lock:
            earlier = self._take(tab)
            self._rooms.setdefault(code, {})[tab] = waiter
            self._by_tab[tab] = waiter
            if self._pump and self._thread is None:
                self._thread = threading.Thread(target=self._run, name="hopecircle-room-waits", daemon=True)
                self._thread.start()
        if earlier is not None:
            earlier.answer(earlier.seen)
        # No wake-up for the pump: after a change hundreds of phones ask again within a second,
        # and a step per question would compare every waiter each time. A question about a room
        # that had already moved on is answered at the next tick.
        return waiter

    def leave(self, waiter: Waiter) -> None:
        """The question ends unanswered (it waited HOLD_SECONDS, or the phone went away)."""
        with self._lock:
            waiter.done = True
            if self._by_tab.get(waiter.tab) is waiter:
                del self._by_tab[waiter.tab]
            room = self._rooms.get(waiter.code)
            if room is not None and room.get(waiter.tab) is waiter:
                del room[waiter.tab]

    def drawn(self, tab: str) -> None:
        """This tab's room screen has redrawn: its flight has landed, the next phone may go."""
        with self._lock:
            landed = self._flights.pop(tab, None) is not None
        if landed:
            self._release()

    def waiting(self) -> int:
        """Questions not answered yet, held or ready."""
        with self._lock:
            return len(self._by_tab)

    def flying(self) -> int:
        with self._lock:
            return len(self._flights)

    # -- the pump ---------------------------------------------------------------------------------

    def step(self) -> None:
        """Compare every held question with its room as it is now, and answer those that changed, in turn."""
        now = self._monotonic()
        with self._lock:
            for tab, since in list(self._flights.items()):
                if now - since > self.flight_seconds:
                    del self._flights[tab]
            for code in [code for code, room in self._rooms.items() if not room]:
                del self._rooms[code]
            for code in [code for code in self._states if code not in self._rooms]:
                del self._states[code]
            for tab, when in list(self._answered_at.items()):
                if now - when > 60:
                    del self._answered_at[tab]
            rooms = {code: list(room.values()) for code, room in self._rooms.items()}
            answered_at = dict(self._answered_at)
        gap = self._minor_gap()
        for code, waiters in rooms.items():
            state = self._state_of(code)  # outside the lock: this may read the database
            previous = self._states.get(code, _NOTHING)
            moved = previous is _NOTHING or previous != state
            self._states[code] = state
            changed: list[tuple[Waiter, str | None]] = []
            for waiter in waiters:
                if waiter.checked and not moved:
                    continue
                waiter.checked = True
                now_signature = None if state is None else self._signature(state, waiter.shown)
                if now_signature is not None and not self._changed(waiter.seen, now_signature):
                    continue
                if (
                    now_signature is not None
                    and self._minor(waiter.seen, now_signature)
                    and now - answered_at.get(waiter.tab, -gap) < gap
                ):
                    waiter.checked = False  # too soon after its last redraw: look again next step
                    continue
                changed.append((waiter, now_signature))
            if changed:
                with self._lock:
                    room = self._rooms.get(code, {})
                    for waiter, now_signature in changed:
                        if room.get(waiter.tab) is waiter:
                            del room[waiter.tab]
                            self._ready.append((waiter, now_signature))
        self._release()

    def _release(self) -> None:
        """Answer ready questions while fewer than `in_flight` redraws are underway."""
        now = self._monotonic()
        going: list[tuple[Waiter, str | None]] = []
        with self._lock:
            while self._ready and len(self._flights) < self.in_flight:
                waiter, now_signature = self._ready.popleft()
                if waiter.done:
                    continue
                waiter.done = True
                if self._by_tab.get(waiter.tab) is waiter:
                    del self._by_tab[waiter.tab]
                if now_signature is not None:  # no such room: nothing to redraw, no flight to wait for
                    self._flights[waiter.tab] = now
                    self._answered_at[waiter.tab] = now
                going.append((waiter, now_signature))
            self.answered += len(going)
        for waiter, now_signature in going:
            waiter.answer(now_signature)

    def _take(self, tab: str) -> Waiter | None:
        """Take this tab's unanswered question back, held or ready, if it has one (under the lock)."""
        waiter = self._by_tab.pop(tab, None)
        if waiter is None:
            return None
        waiter.done = True  # a ready one is skipped when its turn comes
        room = self._rooms.get(waiter.code)
        if room is not None and room.get(waiter.tab) is waiter:
            del room[waiter.tab]
        return waiter

    def _run(self) -> None:
        while True:
            time.sleep(self.tick_seconds)
            try:
                self.step()
            except Exception:  # a database hiccup must not stop every phone in the process following
                log.exception("room waits: a pump step failed; trying again in a second")
                time.sleep(1)
