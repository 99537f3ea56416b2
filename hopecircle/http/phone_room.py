"""A phone's room over plain HTTP: joining, the room's state as the phone draws it, its hope card.

Served by `serve.py`, the phone's room screen is drawn by the phone (`ui/static/phone_room.js`)
from data, and a phase change costs the server one answer per phone, not a script run:

    POST /api/phone/join       {"code", "proof", "key", "lang", "shown"}
    POST /api/phone/room       {"token", "code", "proof", "tab", "lang", "shown", "seen"}
    POST /api/phone/hope-card  {"token", "lang", "date"}

- **join** makes the phone's place after consent (`participation.join` with the phone's own join
  key: the same key twice finds the same place) and answers its token with the room's state.
- **room** answers the room's state now (`services.phone_room.state`: the room's part shared per
  version and language, the phone's own part read for it). With `seen` (the signature of the
  state the phone shows) the question is held until the room differs for that phone
  (`room.room_signature`: phase, open or ended, the cards it can show, support lines shared, what
  else it shows), at most `live.waits.HOLD_SECONDS`; then `{"signature": seen, "every": 0}`, ask
  again. Every phone whose room moved on is answered at once: drawing is the phone's. Only new
  cards alone are paced in a big room (`live/pacing.py`).
- **hope-card** draws the phone's own next step as its PNG card (`hope_card.py`), dated on the
  phone's own day, in a thread of its own: at the close of a big room cards are drawn one at a
  time per process while everything else goes on. Each phone's card was drawn ahead in that
  thread when it saved its next step (`phone.send_endpoint`), so the close mostly finds it drawn.

The code's watch proof (`room.watch_proof`, given only in the room's own page) must come with the
code: without it the answer is 404 whether or not the code exists, so these cannot be used to
find which join codes are open. The token travels in the body, never in a URL.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from typing import Any, overload

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hopecircle import process
from hopecircle.domain import SessionClosed, UnknownParticipant, UnknownSessionCode, WorkshopError
from hopecircle.http.answers import NO_STORE, Refused, TooBig, answer, bad_request
from hopecircle.http.phone import CARDS, language_of, read, refusal, token_of
from hopecircle.http.rooms import MAX_HELD, TAB, held
from hopecircle.live import waits
from hopecircle.services import participation, phone_room, room
from hopecircle.services.phone_room import PhoneState

JOIN_PATH = "/api/phone/join"
ROOM_PATH = "/api/phone/room"
HOPE_CARD_PATH = "/api/phone/hope-card"
_CODE = re.compile(r"[A-Za-z0-9]{1,12}")
_PROOF = re.compile(r"[0-9a-f]{32}")
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
# room.room_signature: phase | open or closed | cards shown | support lines shared | content stamp
_SIGNATURE = re.compile(r"[a-z_]{1,20}\|[a-z]{1,12}\|(?:-|[0-9]{1,6})\|[0-9]{1,9}\|[0-9a-f]{8}")


async def join_endpoint(request: Request) -> Response:
    """Join after consent: `{"token", "signature", "version", "room", "mine", "every"}`, or a refusal."""
    try:
        payload = await read(request)
        language = language_of(payload)
        code, proof, key, shown = _code(payload), payload.get("proof"), payload.get("key"), _shown(payload)
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise Refused()
    except (Refused, TooBig):
        return bad_request()
    if not await _proven(code, proof):
        return refusal(404, UnknownSessionCode(code=code), language)
    every = process.PACING.poll_seconds("")
    joined: list[str] = []

    def join() -> PhoneState:
        joined.append(participation.join(process.context(), code, language, key=key).token)
        return phone_room.state(process.context(), joined[0], language, shown)

    return await _state_answer(language, join, lambda: {"token": joined[0], "every": every})


async def room_endpoint(request: Request) -> Response:
    """The room's state for this phone, at once, or (with `seen`) once it differs from what the phone shows."""
    try:
        payload = await read(request)
        token, language = token_of(payload), language_of(payload)
        code, proof, tab, shown = _code(payload), payload.get("proof"), payload.get("tab"), _shown(payload)
        seen = payload.get("seen")
        if not isinstance(tab, str) or not TAB.fullmatch(tab):
            raise Refused()
        if seen is not None and (not isinstance(seen, str) or not _SIGNATURE.fullmatch(seen)):
            raise Refused()
    except (Refused, TooBig):
        return bad_request()
    if not await _proven(code, proof):
        return answer({"error": "no such room"}, 404)  # the same answer as for a code that does not exist
    every = process.PACING.poll_seconds(tab)  # and counts this tab among the process's phones

    def now() -> PhoneState:
        state = phone_room.state(process.context(), token, language, shown)
        if state.code != code:
            raise UnknownParticipant()  # a token of another room: no place in this one
        return state

    def extra() -> dict[str, object]:
        return {"every": every}

    if seen is None or process.room_waits().waiting() >= MAX_HELD:
        return await _state_answer(language, now, extra)
    until = time.monotonic() + waits.HOLD_SECONDS
    while True:
        signature = await held(request, process.room_waits(), tab, code, shown, seen, until - time.monotonic())
        if signature is None:
            return answer({"error": "no such room"}, 404)
        if signature == seen:
            return answer({"signature": seen, "every": 0})  # nothing changed while it waited: ask again now
        response = await _state_answer(language, now, extra, unless=seen)
        if response is not None or time.monotonic() >= until:
            return response or answer({"signature": seen, "every": 0})
        # The room's shared state was a moment behind this phone's own read: wait for the next one.
        await asyncio.sleep(waits.TICK_SECONDS)


async def hope_card_endpoint(request: Request) -> Response:
    """The phone's hope card as a PNG download, or a refusal with its sentence."""
    try:
        payload = await read(request)
        token, language, said = token_of(payload), language_of(payload), payload.get("date")
    except (Refused, TooBig):
        return bad_request()

    def draw() -> Response:
        ctx = process.context()
        try:
            png = phone_room.hope_card(ctx, token, language, phone_room.card_date(ctx, said))
        except WorkshopError as error:
            return _refused(error, language)
        headers = {**NO_STORE, "Content-Disposition": 'attachment; filename="hope-card.png"'}
        return Response(png, media_type="image/png", headers=headers)

    return await asyncio.get_running_loop().run_in_executor(CARDS, draw)


@overload
async def _state_answer(
    language: str, make: Callable[[], PhoneState], extra: Callable[[], dict[str, object]]
) -> Response: ...


@overload
async def _state_answer(
    language: str, make: Callable[[], PhoneState], extra: Callable[[], dict[str, object]], unless: str
) -> Response | None: ...


async def _state_answer(
    language: str, make: Callable[[], PhoneState], extra: Callable[[], dict[str, object]], unless: str | None = None
) -> Response | None:
    """The state `make()` reads (in the thread pool: it reads the database) as JSON with `extra()`,
    or the refusal it meets; None when its signature is still `unless`."""

    def run() -> Response | None:
        try:
            state = make()
        except WorkshopError as error:
            return _refused(error, language)
        if state.signature == unless:
            return None
        return Response(state.as_json(**extra()), media_type="application/json", headers=NO_STORE)

    return await run_in_threadpool(run)


def _refused(error: WorkshopError, language: str) -> JSONResponse:
    if isinstance(error, UnknownParticipant | UnknownSessionCode):
        return refusal(404, error, language)
    if isinstance(error, SessionClosed):
        return refusal(409, error, language)
    return refusal(422, error, language)


async def _proven(code: str, proof: object) -> bool:
    """Whether `proof` is the code's watch proof (reading the install's secret may touch the database)."""
    if not isinstance(proof, str) or not _PROOF.fullmatch(proof):
        return False
    return await run_in_threadpool(room.proof_matches, process.context(), code, proof)


def _code(payload: dict[str, Any]) -> str:
    code = payload.get("code")
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise Refused()
    return code


def _shown(payload: dict[str, Any]) -> int:
    shown = payload.get("shown", phone_room.PAGE)
    if isinstance(shown, bool) or not isinstance(shown, int) or not 0 < shown <= phone_room.MAX_SHOWN:
        raise Refused()
    return shown
