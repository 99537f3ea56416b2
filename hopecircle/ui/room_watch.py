"""A phone's watch on its room between redraws: a few lines of JavaScript and the endpoint they ask.

A Streamlit fragment tick is a script run: 4-5 ms of a process's one core, about what bare
Streamlit's own rerun costs; at a thousand phones the ticks were a quarter of the machine's
CPU. The watcher (`static/room_watch.js`, a `st.components.v2` component) asks
`GET /api/rooms/<code>?shown=<cards>&tab=<key>&seen=<signature>` instead. The question is held
until the room's signature differs from the one the screen was drawn for (`seen`), at most
`room_waits.HOLD_SECONDS`, then answered; the watcher wakes the phone's room screen (the fragment
it sits in) when the answer differs, or asks again. Phones that wait cost nothing; when the room
moves on they are answered in turn, at the pace this process redraws (`hopecircle/room_waits.py`).
Without `seen` the answer comes at once (a look, as a monitor or an older page would ask).

`serve.py` mounts the endpoint (`routes()`). Started from `workshop_app.py` alone there is none:
the watcher then wakes the room screen on every interval, and the screen reads the room itself.
The answer carries no one's words, only what every phone in the room already shows: the phase,
open or closed, how many cards, support lines shared.
"""

from __future__ import annotations

import asyncio
import functools
import re
from typing import Any
from urllib.parse import quote

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hopecircle import room_waits
from hopecircle.domain import LiveState
from hopecircle.services import board
from hopecircle.ui import admission, polling
from hopecircle.ui.widgets import static_component
from hopecircle.ui.wiring import context

ROOM_PATH = "/api/rooms/{code}"
BOARD_PATH = "/api/boards/{key}"
WATCH_KEY = "room-watch"
COMPONENT_NAME = "hopecircle_room_watch"
MAX_SHOWN = 10_000
MAX_HELD = 20_000  # questions one process holds at most; past that they are answered at once
BOARD_EVERY = 1.0  # seconds between a projector's questions after an error, or after a redraw
_CODE = re.compile(r"[A-Za-z0-9]{1,12}")
_TAB = re.compile(r"[0-9a-f]{16}")
_BOARD_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
_VERSION = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"[a-z_]{1,20}\|[a-z]{1,12}\|(?:-|[0-9]{1,6})\|[0-9]{1,9}")  # board.phone_signature
_NO_STORE = {"Cache-Control": "no-store"}
_serving = [False]


def routes() -> list[Route]:
    """The endpoints phones and projectors ask, for `st.App(routes=...)`; from now on this process serves them."""
    _serving[0] = True
    return [Route(ROOM_PATH, room_endpoint, methods=["GET"]), Route(BOARD_PATH, board_endpoint, methods=["GET"])]


def serving() -> bool:
    """Whether this process answers `GET /api/rooms/<code>` and `/api/boards/<key>` (started through `serve.py`)."""
    return _serving[0]


def room_url(code: str, shown: int, tab: str, seen: str) -> str:
    return ROOM_PATH.format(code=quote(code, safe="")) + f"?shown={shown}&tab={tab}&seen={quote(seen, safe='')}"


def board_url(key: str, tab: str, version: int) -> str:
    return BOARD_PATH.format(key=quote(key, safe="")) + f"?tab={tab}&seen={version}"


@functools.cache
def waits() -> room_waits.RoomWaits[LiveState]:
    """This process's held questions (one pump thread, started by the first question)."""
    return room_waits.RoomWaits(
        lambda code: board.room_state(context(), code),
        board.phone_signature,
        minor=board.only_cards_differ,
        minor_gap=polling.minor_gap_seconds,
    )


@functools.cache
def board_waits() -> room_waits.RoomWaits[LiveState]:
    """This process's projectors waiting for their room's next version (a few per room: no pacing)."""
    return room_waits.RoomWaits(
        lambda key: board.board_state(context(), key),
        lambda state, _shown: str(state.version),
        # Newer only: the page was drawn from a fresh read, while the shared live state may be up
        # to half a second behind it; an older version must not redraw the board again.
        changed=lambda seen, now: int(now) > int(seen),
        in_flight=room_waits.MANY,
    )


async def room_endpoint(request: Request) -> JSONResponse:
    """`{"signature": ..., "every": seconds}` for a room's join code; 400 for a malformed request,
    404 for no such room.

    With `seen`, the answer waits until the room differs from it for this phone (or
    `room_waits.HOLD_SECONDS` pass: then the same signature comes back, with `every` 0, "ask
    again"). Without, it comes at once, and `every` says when to look next; so it does when the
    process already holds MAX_HELD questions (a flood of made-up tabs cannot pile up memory).
    Every question keeps the tab (`tab`, its `polling.tab_key()`) counted among this process's
    phones.
    """
    code = request.path_params.get("code", "")
    shown = request.query_params.get("shown", "")
    tab = request.query_params.get("tab", "")
    seen = request.query_params.get("seen")
    if (
        not _CODE.fullmatch(code)
        or not shown.isdigit()
        or not 0 < int(shown) <= MAX_SHOWN
        or not _TAB.fullmatch(tab)
        or (seen is not None and not _SIGNATURE.fullmatch(seen))
    ):
        return JSONResponse({"error": "bad request"}, status_code=400, headers=_NO_STORE)
    every = polling.poll_seconds(tab)
    if seen is None or waits().waiting() >= MAX_HELD:
        # A database read on a cache miss (one per room every half second at most) runs in the
        # thread pool, never on the event loop.
        signature = await run_in_threadpool(board.room_signal, context(), code, int(shown))
    else:
        signature = await _held(request, waits(), tab, code, int(shown), seen)
        if signature == seen:
            every = 0  # nothing changed while it waited: ask again now
    if signature is None:
        return JSONResponse({"error": "no such room"}, status_code=404, headers=_NO_STORE)
    return JSONResponse({"signature": signature, "every": every}, headers=_NO_STORE)


async def board_endpoint(request: Request) -> JSONResponse:
    """`{"signature": <version>, "every": seconds}` for a projector's board key, once the room's
    version is newer than `seen` (held like a phone's question); 400 for a malformed request, 404
    for no such board. The answer says only how many changes the room has seen."""
    key = request.path_params.get("key", "")
    tab = request.query_params.get("tab", "")
    seen = request.query_params.get("seen", "")
    if not _BOARD_KEY.fullmatch(key) or not _TAB.fullmatch(tab) or not _VERSION.fullmatch(seen):
        return JSONResponse({"error": "bad request"}, status_code=400, headers=_NO_STORE)
    seen = str(int(seen))  # as the waits compare it: "007" is version 7
    every = BOARD_EVERY
    if board_waits().waiting() >= MAX_HELD:  # answered at once: ask again after the usual second
        state = await run_in_threadpool(board.board_state, context(), key)
        signature = str(state.version) if state is not None else None
    else:
        signature = await _held(request, board_waits(), tab, key, 0, seen)
        if signature == seen:
            every = 0  # nothing newer while it waited: ask again now
    if signature is None:
        return JSONResponse({"error": "no such board"}, status_code=404, headers=_NO_STORE)
    return JSONResponse({"signature": signature, "every": every}, headers=_NO_STORE)


async def _held(
    request: Request, held: room_waits.RoomWaits[LiveState], tab: str, code: str, shown: int, seen: str
) -> str | None:
    """The signature once it differs from `seen`, or `seen` after the hold or when the asker goes away."""
    loop = asyncio.get_running_loop()
    answered: asyncio.Future[str | None] = loop.create_future()

    def answer(signature: str | None) -> None:  # from the pump thread or a script thread
        loop.call_soon_threadsafe(_settle, answered, signature)

    waiter = held.wait(tab, code, shown, seen, answer)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({answered, gone}, timeout=room_waits.HOLD_SECONDS, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
        if not answered.done():
            held.leave(waiter)
    return answered.result() if answered.done() and not answered.cancelled() else seen


def _settle(future: asyncio.Future[str | None], signature: str | None) -> None:
    if not future.done():
        future.set_result(signature)


async def _disconnected(request: Request) -> None:
    """Returns when the phone has gone away (a closed tab, a watcher stopped by a redraw)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


@functools.cache
def _component() -> Any:
    return static_component(COMPONENT_NAME, "room_watch", css=False)


def watch(code: str, shown: int, seen: str, every: float) -> None:
    """Mount the watcher inside the calling fragment: it wakes that fragment when the room may have moved on.

    `seen` is the signature the screen shows; `every` the seconds between looks.
    """
    tab = polling.tab_key()
    data = {"url": room_url(code, shown, tab, seen) if serving() else None, "seen": seen, "every": every}
    _component()(data=data, key=WATCH_KEY, on_changed_change=_woken)
    landed(tab)


def board_watch(key: str, version: int) -> None:
    """Mount the watcher on a projector page (outside any fragment): it reruns the page once the
    room's version is newer than `version`. Only when this process serves the endpoints."""
    data = {"url": board_url(key, polling.tab_key(), version), "seen": str(version), "every": BOARD_EVERY}
    _component()(data=data, key=WATCH_KEY, on_changed_change=_redraw)


def _redraw() -> None:
    """Nothing to do in the callback: the page's run that follows draws the room as it is now."""


def landed(tab: str | None = None) -> None:
    """This tab's room screen has redrawn: the next phone waiting in this process may go.

    `tab` is the tab's `polling.tab_key()`, when the caller has it already.
    """
    tab = polling.tab_key() if tab is None else tab
    if serving() and tab:
        waits().drawn(tab)


def _woken() -> None:
    """The room screen's run that follows reads the room; it is a redraw, not something the person did."""
    st.session_state[admission.BACKGROUND_KEY] = True
