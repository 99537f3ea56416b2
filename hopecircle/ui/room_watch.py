"""A projector's (and, unserved, a phone's) watch on its room between redraws: a tiny component.

The watcher (`static/room_watch.js`, a `st.components.v2` component) sits on the projector's
page. Served (`process.served()`), it holds a question to the board endpoint
(`hopecircle/http/rooms.py`) until the room has moved on from what the page was drawn for, then
reruns the page; waiting costs the server nothing. Served phones draw their room themselves
(`phone_room.py`). Started from `workshop_app.py` alone there is no endpoint: the watcher at the
end of a phone's room screen wakes it on every interval, and the screen reads the room itself.
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from hopecircle import process
from hopecircle.http.rooms import BOARD_EVERY, board_url
from hopecircle.ui import admission, runs
from hopecircle.ui.widgets import static_component

WATCH_KEY = "room-watch"
COMPONENT_NAME = "hopecircle_room_watch"


@functools.cache
def _component() -> Any:
    return static_component(COMPONENT_NAME, "room_watch", css=False)


def watch(seen: str) -> None:
    """Mount the watcher inside the phone's room screen (unserved): it wakes that fragment on the
    pacing interval, and the screen reads the room itself. `seen` is the signature it shows."""
    every = process.PACING.poll_seconds(runs.tab_key())
    _component()(data={"url": None, "seen": seen, "every": every}, key=WATCH_KEY, on_changed_change=_woken)


def board_watch(key: str, version: int) -> None:
    """Mount the watcher on a projector page (outside any fragment): it reruns the page once the
    room's version is newer than `version`. Only when this process serves the endpoints."""
    data = {"url": board_url(key, runs.tab_key(), version), "seen": str(version), "every": BOARD_EVERY}
    _component()(data=data, key=WATCH_KEY, on_changed_change=_redraw)


def _redraw() -> None:
    """Nothing to do in the callback: the page's run that follows draws the room as it is now."""


def _woken() -> None:
    """The room screen's run that follows reads the room; it is a redraw, not something the person did."""
    st.session_state[admission.BACKGROUND_KEY] = True
