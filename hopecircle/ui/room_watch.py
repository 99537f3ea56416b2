"""A phone's (and a projector's) watch on its room between redraws: a tiny component, no script runs.

The watcher (`static/room_watch.js`, a `st.components.v2` component) sits at the end of the
phone's room screen. Served (`process.served()`), it holds a question to the room endpoint
(`hopecircle/http/rooms.py`) until the room differs from what the screen was drawn for, then
wakes the fragment it sits in; waiting costs the server nothing. Started from `workshop_app.py`
alone there is no endpoint: the watcher then wakes the room screen on every interval, and the
screen reads the room itself.
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from hopecircle import process
from hopecircle.http.rooms import BOARD_EVERY, board_url, room_url
from hopecircle.services import room
from hopecircle.ui import admission, runs
from hopecircle.ui.widgets import static_component

WATCH_KEY = "room-watch"
COMPONENT_NAME = "hopecircle_room_watch"


@functools.cache
def _component() -> Any:
    return static_component(COMPONENT_NAME, "room_watch", css=False)


def watch(code: str, shown: int, seen: str) -> None:
    """Mount the watcher inside the calling fragment: it wakes that fragment when the room may have moved on.

    `seen` is the signature the screen shows; `shown` the cards it can show.
    """
    tab = runs.tab_key()
    every = process.PACING.poll_seconds(tab)
    url = room_url(code, room.watch_proof(process.context(), code), shown, tab, seen) if process.served() else None
    data = {"url": url, "seen": seen, "every": every}
    _component()(data=data, key=WATCH_KEY, on_changed_change=_woken)
    landed(tab)


def board_watch(key: str, version: int) -> None:
    """Mount the watcher on a projector page (outside any fragment): it reruns the page once the
    room's version is newer than `version`. Only when this process serves the endpoints."""
    data = {"url": board_url(key, runs.tab_key(), version), "seen": str(version), "every": BOARD_EVERY}
    _component()(data=data, key=WATCH_KEY, on_changed_change=_redraw)


def _redraw() -> None:
    """Nothing to do in the callback: the page's run that follows draws the room as it is now."""


def landed(tab: str | None = None) -> None:
    """This tab's room screen has redrawn: the next phone waiting in this process may go.

    `tab` is the tab's `runs.tab_key()`, when the caller has it already.
    """
    tab = runs.tab_key() if tab is None else tab
    if process.served() and tab:
        process.room_waits().drawn(tab)


def _woken() -> None:
    """The room screen's run that follows reads the room; it is a redraw, not something the person did."""
    st.session_state[admission.BACKGROUND_KEY] = True
