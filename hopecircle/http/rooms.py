"""Phones and projectors waiting on their room: `GET /api/rooms/<code>` and `GET /api/boards/<key>`.

A phone's room watcher (`ui/room_watch.py`, `ui/static/room_watch.js`) asks
`GET /api/rooms/<code>?shown=<cards>&tab=<key>&proof=<proof>&seen=<signature>` between redraws instead of
running a Streamlit fragment per look. The question is held until the room's signature for that
phone differs from `seen` (`services.room.phone_signature`), at most `live.waits.HOLD_SECONDS`, then
answered; when the room moves on, the phones waiting on it are answered in turn, at the pace
this process redraws (`live/waits.py`). Without `seen` the answer comes at once (a look, as a
monitor or an older page would ask). A projector asks `GET /api/boards/<key>?tab=<key>&seen=
<version>` the same way, answered once the room's version is newer.

The answers carry no one's words, only what every phone in the room already shows: the phase,
open or closed, how many cards, support lines shared; a projector's, how many changes the room
has seen. A phone's question carries its room's watch proof (`room.watch_proof`, a keyed hash of
the code given only in the room's own page): without it the answer is 404 whether or not the
code exists, so the endpoint cannot be used to find which join codes are open.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from hopecircle import process
from hopecircle.domain import LiveState
from hopecircle.http.answers import answer, bad_request
from hopecircle.live import waits
from hopecircle.live.waits import RoomWaits
from hopecircle.services import room

ROOM_PATH = "/api/rooms/{code}"
BOARD_PATH = "/api/boards/{key}"
MAX_SHOWN = 10_000
MAX_HELD = 20_000  # questions one process holds at most; past that they are answered at once
BOARD_EVERY = 1.0  # seconds between a projector's questions after an error, or after a redraw
_CODE = re.compile(r"[A-Za-z0-9]{1,12}")
_TAB = re.compile(r"[0-9a-f]{16}")
_BOARD_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
_VERSION = re.compile(r"[0-9]{1,12}")
_SHOWN = re.compile(r"[0-9]{1,6}")  # ASCII digits only: str.isdigit() also takes "²", which int() refuses
_PROOF = re.compile(r"[0-9a-f]{32}")
# room.phone_signature: phase, status, cards, shares, and a mark of edited words in some phases
_SIGNATURE = re.compile(r"[a-z_]{1,20}\|[a-z]{1,12}\|(?:-|[0-9]{1,6})\|[0-9]{1,9}(?:\|[0-9a-f]{1,8})?")


async def room_endpoint(request: Request) -> JSONResponse:
    """`{"signature": ..., "every": seconds}` for a room's join code; 400 for a malformed request,
    404 for no such room.

    With `seen`, the answer waits until the room differs from it for this phone (or HOLD_SECONDS
    pass: then the same signature comes back, with `every` 0, "ask again"). Without, it comes at
    once, and `every` says when to look next; so it does when the process already holds
    MAX_HELD questions (a flood of made-up tabs cannot pile up memory). Every question keeps the
    tab counted among this process's phones.
    """
    code = request.path_params.get("code", "")
    shown = request.query_params.get("shown", "")
    tab = request.query_params.get("tab", "")
    seen = request.query_params.get("seen")
    proof = request.query_params.get("proof", "")
    if (
        not _CODE.fullmatch(code)
        or not _SHOWN.fullmatch(shown)
        or not 0 < int(shown) <= MAX_SHOWN
        or not _TAB.fullmatch(tab)
        or (seen is not None and not _SIGNATURE.fullmatch(seen))
    ):
        return bad_request()
    if not _PROOF.fullmatch(proof) or not await run_in_threadpool(room.proof_matches, process.context(), code, proof):
        return answer({"error": "no such room"}, 404)  # the same answer as for a code that does not exist
    every = process.PACING.poll_seconds(tab)
    if seen is None or process.room_waits().waiting() >= MAX_HELD:
        # A database read on a cache miss (one per room every half second at most) runs in the
        # thread pool, never on the event loop.
        signature = await run_in_threadpool(room.room_signal, process.context(), code, int(shown))
    else:
        signature = await _held(request, process.room_waits(), tab, code, int(shown), seen)
        if signature == seen:
            every = 0  # nothing changed while it waited: ask again now
    if signature is None:
        return answer({"error": "no such room"}, 404)
    return answer({"signature": signature, "every": every})


async def board_endpoint(request: Request) -> JSONResponse:
    """`{"signature": <version>, "every": seconds}` for a projector's board key, once the room's
    version is newer than `seen` (held like a phone's question); 400 for a malformed request, 404
    for no such board."""
    key = request.path_params.get("key", "")
    tab = request.query_params.get("tab", "")
    seen = request.query_params.get("seen", "")
    if not _BOARD_KEY.fullmatch(key) or not _TAB.fullmatch(tab) or not _VERSION.fullmatch(seen):
        return bad_request()
    seen = str(int(seen))  # as the waits compare it: "007" is version 7
    every = BOARD_EVERY
    if process.board_waits().waiting() >= MAX_HELD:  # answered at once: ask again after the usual second
        state = await run_in_threadpool(room.board_state, process.context(), key)
        signature = str(state.version) if state is not None else None
    else:
        signature = await _held(request, process.board_waits(), tab, key, 0, seen)
        if signature == seen:
            every = 0  # nothing newer while it waited: ask again now
    if signature is None:
        return answer({"error": "no such board"}, 404)
    return answer({"signature": signature, "every": every})


async def _held(request: Request, held: RoomWaits[LiveState], tab: str, code: str, shown: int, seen: str) -> str | None:
    """The signature once it differs from `seen`, or `seen` after the hold or when the asker goes away."""
    loop = asyncio.get_running_loop()
    answered: asyncio.Future[str | None] = loop.create_future()

    def settle(signature: str | None) -> None:  # from the pump thread or a script thread
        loop.call_soon_threadsafe(_settle, answered, signature)

    waiter = held.wait(tab, code, shown, seen, settle)
    gone: asyncio.Future[None] = asyncio.ensure_future(_disconnected(request))
    try:
        either: set[asyncio.Future[Any]] = {answered, gone}
        await asyncio.wait(either, timeout=waits.HOLD_SECONDS, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
        if not answered.done():
            held.leave(waiter)
    return answered.result() if answered.done() and not answered.cancelled() else seen


def _settle(future: asyncio.Future[str | None], signature: str | None) -> None:
    if not future.done():
        future.set_result(signature)


async def _disconnected(request: Request) -> None:
    """Returns when the asker has gone away (a closed tab, a watcher stopped by a redraw)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def room_url(code: str, proof: str, shown: int, tab: str, seen: str) -> str:
    """The address a phone's watcher asks (as `ui/room_watch.py` mounts it)."""
    query = f"?shown={shown}&tab={tab}&proof={proof}&seen={_quoted(seen)}"
    return ROOM_PATH.format(code=_quoted(code)) + query


def board_url(key: str, tab: str, version: int) -> str:
    """The address a projector's watcher asks."""
    return BOARD_PATH.format(key=_quoted(key)) + f"?tab={tab}&seen={version}"


def _quoted(text: str) -> str:
    return quote(text, safe="")
