"""How often phones poll the room: every 3 s in an ordinary group, less often in a very big one.

Without the room endpoint each look is a whole Streamlit fragment run, about as costly as bare
Streamlit's own (4-5 ms of the process's one core): 300 phones at 3 s spent half of an app
process on polling alone. Past POLL_BUDGET_PER_SECOND looks a second, the phones one process
serves poll less often, up to MAX_POLL_SECONDS; up to 120 phones per process keep 3 s. With the
endpoint (`room_watch`, served by `serve.py`) a look is an HTTP request of about 0.3 ms, and the
budget is ENDPOINT_BUDGET_PER_SECOND: up to 900 phones per process keep 3 s.

In a big room each phone's interval is also spread by up to JITTER either way. A phone's timer
restarts whenever its page is redrawn, and under load many redraws reach their phones together;
with one shared interval those phones then kept polling, and redrawing, in lockstep.
See docs/performance.md.
"""

from __future__ import annotations

import math
import time
import zlib

from streamlit.runtime.scriptrunner import get_script_run_ctx

POLL_SECONDS = 3
POLL_BUDGET_PER_SECOND = 40
ENDPOINT_BUDGET_PER_SECOND = 300
MAX_POLL_SECONDS = 12
JITTER = 0.25
STEP = 1.5  # redraw a phone for a new interval only when it is this many times off
_pollers: dict[str, float] = {}  # this process's polling phones (Streamlit session id) -> last seen
_pruned = [0.0]
_budget = [POLL_BUDGET_PER_SECOND]


def use_endpoint() -> None:
    """Phones of this process look at the room through the endpoint: many more looks a second are cheap."""
    _budget[0] = ENDPOINT_BUDGET_PER_SECOND


def _session_id() -> str:
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx is not None else ""


def seen() -> None:
    """Count this browser tab as a phone polling through this process."""
    session_id = _session_id()
    if session_id:
        _pollers[session_id] = time.monotonic()


def base_seconds() -> int:
    """The interval every phone this process serves polls at before its jitter (3 s up to 120 phones)."""
    now = time.monotonic()
    if now - _pruned[0] > 10:
        _pruned[0] = now
        for key, last in list(_pollers.items()):
            if now - last > 2 * MAX_POLL_SECONDS:
                _pollers.pop(key, None)
    return max(POLL_SECONDS, min(MAX_POLL_SECONDS, math.ceil(len(_pollers) / _budget[0])))


def slow_room_wait_seconds() -> int | None:
    """In a room polling slower than usual, how long a phone here may take to notice it moved on.

    That is the longest interval, jitter included; None in an ordinary group (every 3 s).
    """
    base = base_seconds()
    return math.ceil(base * (1 + JITTER)) if base > POLL_SECONDS else None


def poll_seconds() -> float:
    """The interval for this phone's next ticks, from how many phones this process serves."""
    seen()
    base = base_seconds()
    if base == POLL_SECONDS:
        return float(POLL_SECONDS)
    spread = zlib.crc32(_session_id().encode()) / 0xFFFFFFFF  # the same for a phone every time
    return round(base * (1 - JITTER + 2 * JITTER * spread), 2)


def is_tick() -> bool:
    """Whether this script run is a fragment's own rerun (a poll tick), not a full page run.

    Pollers act only on ticks. In a full run the fragment also runs, at the end of the page; if
    it asked for a rerun whenever the room had moved on since the page was drawn, a busy room
    (a change every second) would interrupt each full run at its end and a projector would
    never finish drawing (docs/performance.md). The next tick catches up instead.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx is not None and bool(ctx.fragment_ids_this_run)


def out_of_step(every: float) -> bool:
    """Whether a phone polling every `every` s should redraw to pick up a quite different interval.

    The interval is fixed when the page is drawn, so phones that joined an empty room would keep
    polling every 3 s as it fills up; the margin keeps a growing room from redrawing every phone
    at each step.
    """
    wanted = poll_seconds()
    return wanted >= every * STEP or wanted * STEP <= every
