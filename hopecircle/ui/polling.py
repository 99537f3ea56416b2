"""How many phones this process serves, and the intervals that follow from it.

Served through `serve.py`, phones do not look on an interval: each holds a question to the room
endpoint until the room moves on (`hopecircle/room_waits.py`). The interval here then sets only
how often a phone in a big room redraws for new cards alone (`minor_gap_seconds`), and how
often a watcher whose question failed tries again.

Without the endpoint (`streamlit run workshop_app.py`) every phone looks every 3 s in an
ordinary group, less often in a very big one: each look is then a run of its room screen
(4-7 ms of the process's one core), and past POLL_BUDGET_PER_SECOND phones per second of
interval the phones one process serves look less often, up to MAX_POLL_SECONDS, so that a
phase change in a room of 500 phones a process asks for at most about 40 redraws a second
instead of 500 at once (docs/performance.md). Up to 120 phones per process keep 3 s. In a big
room each phone's interval is also spread by up to JITTER either way, so that phones whose
timers restarted together do not keep polling, and redrawing, in lockstep.
"""

from __future__ import annotations

import hashlib
import math
import time
import zlib

from streamlit.runtime.scriptrunner import get_script_run_ctx

POLL_SECONDS = 3
POLL_BUDGET_PER_SECOND = 40
MAX_POLL_SECONDS = 12
JITTER = 0.25
_pollers: dict[str, float] = {}  # this process's polling phones (tab_key) -> last seen
_pruned = [0.0]


def _session_id() -> str:
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx is not None else ""


def tab_key() -> str:
    """A key for this browser tab that says nothing else (not the Streamlit session id, which resumes a session)."""
    session_id = _session_id()
    return hashlib.sha256(session_id.encode()).hexdigest()[:16] if session_id else ""


def seen(key: str | None = None) -> None:
    """Count this browser tab (by default, the one whose script is running) as a phone polling here."""
    key = tab_key() if key is None else key
    if key:
        _pollers[key] = time.monotonic()


def base_seconds() -> int:
    """The interval every phone this process serves polls at before its jitter (3 s up to 120 phones)."""
    now = time.monotonic()
    if now - _pruned[0] > 10:
        _pruned[0] = now
        for key, last in list(_pollers.items()):
            if now - last > 2 * MAX_POLL_SECONDS:
                _pollers.pop(key, None)
    return max(POLL_SECONDS, min(MAX_POLL_SECONDS, math.ceil(len(_pollers) / POLL_BUDGET_PER_SECOND)))


def slow_room_wait_seconds() -> int | None:
    """In a room polling slower than usual, how long a phone here may take to notice it moved on.

    That is the longest interval, jitter included; None in an ordinary group (every 3 s).
    """
    base = base_seconds()
    return math.ceil(base * (1 + JITTER)) if base > POLL_SECONDS else None


def minor_gap_seconds() -> float:
    """How long a phone this process serves waits between redraws for new cards alone.

    Nothing in an ordinary group; in a big room the interval it would poll at without the room
    endpoint, so a steady flow of approvals redraws each phone at most once per interval.
    """
    base = base_seconds()
    return float(base) if base > POLL_SECONDS else 0.0


def poll_seconds(key: str | None = None) -> float:
    """The interval for this phone's next looks, from how many phones this process serves.

    `key` is the tab's `tab_key()`; the room endpoint passes the one its watcher was given, so
    every look keeps the phone counted and brings it the interval for the room as it is now.
    """
    key = tab_key() if key is None else key
    seen(key)
    base = base_seconds()
    if base == POLL_SECONDS:
        return float(POLL_SECONDS)
    spread = zlib.crc32(key.encode()) / 0xFFFFFFFF  # the same for a phone every time
    return round(base * (1 - JITTER + 2 * JITTER * spread), 2)


def is_tick() -> bool:
    """Whether this script run reruns fragments only (a tick, a watcher's wake, a tap inside a
    fragment), not the full page.

    A full page run also runs each fragment, at its place in the page. A projector's ticker acts
    only on its own runs: if it asked for a rerun whenever the room had moved on since the page
    was drawn, a busy room (a change every second) would interrupt each full run at its end and
    a projector would never finish drawing (docs/performance.md). The next tick catches up.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx is not None and bool(ctx.fragment_ids_this_run)
