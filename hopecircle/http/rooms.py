"""Projectors waiting on their room, `GET /api/boards/<key>`, and the held question phones share.

A projector's watcher (`ui/room_watch.py`, `ui/static/room_watch.js`) asks
`GET /api/boards/<key>?tab=<key>&seen=<version>` between redraws instead of running a Streamlit
fragment per look. The question is held until the room's version is newer than `seen`, at most
`live.waits.HOLD_SECONDS`, then answered; the page then redraws. The answer carries no one's
words, only how many changes the room has seen.

`held` is the waiting itself, for the projectors' questions here and the phones' in
`phone_room.py`: a question parked in the process's `RoomWaits` (`live/waits.py`), let go of
when the asker goes away.
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
from hopecircle.http.answers import answer, bad_request
from hopecircle.live import waits
from hopecircle.live.waits import RoomWaits
from hopecircle.services import room

BOARD_PATH = "/api/boards/{key}"
MAX_HELD = 20_000  # questions one process holds at most; past that they are answered at once
BOARD_EVERY = 1.0  # seconds between a projector's questions after an error, or after a redraw
TAB = re.compile(r"[0-9a-f]{16}")
_BOARD_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
_VERSION = re.compile(r"[0-9]{1,12}")


async def board_endpoint(request: Request) -> JSONResponse:
    """`{"signature": <version>, "every": seconds}` for a projector's board key, once the room's
    version is newer than `seen` (held like a phone's question); 400 for a malformed request, 404
    for no such board."""
    key = request.path_params.get("key", "")
    tab = request.query_params.get("tab", "")
    seen = request.query_params.get("seen", "")
    if not _BOARD_KEY.fullmatch(key) or not TAB.fullmatch(tab) or not _VERSION.fullmatch(seen):
        return bad_request()
    seen = str(int(seen))  # as the waits compare it: "007" is version 7
    every = BOARD_EVERY
    if process.board_waits().waiting() >= MAX_HELD:  # answered at once: ask again after the usual second
        state = await run_in_threadpool(room.board_state, process.context(), key)
        signature = str(state.version) if state is not None else None
    else:
        signature = await held(request, process.board_waits(), tab, key, 0, seen)
        if signature == seen:
            every = 0  # nothing newer while it waited: ask again now
    if signature is None:
        return answer({"error": "no such board"}, 404)
    return answer({"signature": signature, "every": every})


async def held(
    request: Request,
    waiting: RoomWaits[Any],
    tab: str,
    code: str,
    shown: int,
    seen: str,
    seconds: float = waits.HOLD_SECONDS,
) -> str | None:
    """The signature once it differs from `seen` (None: no such room), or `seen` after `seconds`
    or when the asker goes away."""
    loop = asyncio.get_running_loop()
    answered: asyncio.Future[str | None] = loop.create_future()

    def settle(signature: str | None) -> None:  # from the pump thread or a script thread
        loop.call_soon_threadsafe(_settle, answered, signature)

    waiter = waiting.wait(tab, code, shown, seen, settle)
    gone: asyncio.Future[None] = asyncio.ensure_future(_disconnected(request))
    try:
        either: set[asyncio.Future[Any]] = {answered, gone}
        await asyncio.wait(either, timeout=max(0.0, seconds), return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
        if not answered.done():
            waiting.leave(waiter)
    return answered.result() if answered.done() and not answered.cancelled() else seen


def _settle(future: asyncio.Future[str | None], signature: str | None) -> None:
    if not future.done():
        future.set_result(signature)


async def _disconnected(request: Request) -> None:
    """Returns when the asker has gone away (a closed tab, a watcher stopped by a redraw)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def board_url(key: str, tab: str, version: int) -> str:
    """The address a projector's watcher asks."""
    return BOARD_PATH.format(key=_quoted(key)) + f"?tab={tab}&seen={version}"


def _quoted(text: str) -> str:
    return quote(text, safe="")
