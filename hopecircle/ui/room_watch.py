"""A phone's watch on its room between redraws: a few lines of JavaScript and the endpoint they ask.

A Streamlit fragment tick is a script run: 4-5 ms of a process's one core, about what bare
Streamlit's own rerun costs; at a thousand phones the ticks were a quarter of the machine's
CPU. The watcher (`static/room_watch.js`, a `st.components.v2` component) asks
`GET /api/rooms/<code>?shown=<cards>&tab=<key>` instead, about 1 ms of the server's time, and
wakes the phone's room screen (the fragment it sits in) only when the room's signature differs
from the one the screen was drawn for.

`serve.py` mounts the endpoint (`routes()`). Started from `workshop_app.py` alone there is none:
the watcher then wakes the room screen on every interval, and the screen reads the room itself. The answer carries no one's words, only what every phone in the
room already shows: the phase, open or closed, how many cards, support lines shared.
"""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import quote

import streamlit as st
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hopecircle.services import board
from hopecircle.ui import polling
from hopecircle.ui.widgets import STATIC
from hopecircle.ui.wiring import context

ROOM_PATH = "/api/rooms/{code}"
WATCH_KEY = "room-watch"
COMPONENT_NAME = "hopecircle_room_watch"
MAX_SHOWN = 10_000
_CODE = re.compile(r"[A-Za-z0-9]{1,12}")
_TAB = re.compile(r"[0-9a-f]{16}")
_NO_STORE = {"Cache-Control": "no-store"}
_serving = [False]


def routes() -> list[Route]:
    """The endpoint phones poll, for `st.App(routes=...)`; from now on this process serves it."""
    _serving[0] = True
    return [Route(ROOM_PATH, room_endpoint, methods=["GET"])]


def serving() -> bool:
    """Whether this process answers `GET /api/rooms/<code>` (started through `serve.py`)."""
    return _serving[0]


def room_url(code: str, shown: int, tab: str) -> str:
    return ROOM_PATH.format(code=quote(code, safe="")) + f"?shown={shown}&tab={tab}"


def room_endpoint(request: Request) -> JSONResponse:
    """`{"signature": ..., "every": seconds}` for a room's join code; 400 for a malformed request,
    404 for no such room.

    `every` is when to look next: a look keeps the tab (`tab`, its `polling.tab_key()`) counted
    among this process's phones, and brings it the interval for the room as it is now, with no
    redraw. A plain function: Starlette runs it in its thread pool, so a database read on a cache
    miss (one per room every half second at most) never holds up the event loop.
    """
    code = request.path_params.get("code", "")
    shown = request.query_params.get("shown", "")
    tab = request.query_params.get("tab", "")
    if not _CODE.fullmatch(code) or not shown.isdigit() or not 0 < int(shown) <= MAX_SHOWN or not _TAB.fullmatch(tab):
        return JSONResponse({"error": "bad request"}, status_code=400, headers=_NO_STORE)
    signature = board.room_signal(context(), code, int(shown))
    if signature is None:
        return JSONResponse({"error": "no such room"}, status_code=404, headers=_NO_STORE)
    return JSONResponse({"signature": signature, "every": polling.poll_seconds(tab)}, headers=_NO_STORE)


@functools.cache
def _component() -> Any:
    return st.components.v2.component(COMPONENT_NAME, js=(STATIC / "room_watch.js").read_text(encoding="utf-8"))


def watch(code: str, shown: int, seen: str, every: float) -> None:
    """Mount the watcher inside the calling fragment: it wakes that fragment when the room may have moved on.

    `seen` is the signature the screen shows; `every` the seconds between looks.
    """
    data = {"url": room_url(code, shown, polling.tab_key()) if serving() else None, "seen": seen, "every": every}
    _component()(data=data, key=WATCH_KEY, on_changed_change=_woken)


def _woken() -> None:
    """Nothing to do in the callback: the fragment's own run reads the room."""
