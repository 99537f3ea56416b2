"""What a phone sends over plain HTTP when this process serves it: every word and every tap.

Served by `serve.py`, the phone draws its room screen itself (`ui/static/phone_room.js`) and
every write is a post here, answered without a Streamlit run: the same services save it, and
the answer says what happened, in the phone's language, with the phone's own part of the room
as it is now (`services.phone_room.mine`), so its screen is up to date without asking again.

    POST /api/phone/send      {"token", "form": "reflection" | "goal" | "checkin" | "checkout", "fields", "key"?, "lang"}
    POST /api/phone/me-too    {"token", "card": <id>, "on": true | false, "lang"}
    POST /api/phone/pulse     {"token", "moment": "pre" | "post", "value": 0-10 | null, "lang"}
    POST /api/phone/edit      {"token", "id": <id>, "text", "lang"}
    POST /api/phone/delete    {"token", "id": <id>, "lang"}  or  {"token", "form", "key", "lang"}
    POST /api/phone/talk      {"token", "on": true | false, "note", "lang"}
    POST /api/phone/language  {"token", "lang"}

(Joining, the room's state and the hope card are in `phone_room.py`.) The token is the phone's
own (the one in its address), in the body, never in a URL a proxy might log. A body must be JSON
(`Content-Type: application/json`): another site's page cannot send that without asking first,
and nothing here answers such a question. Answers: 200 with what happened, 400 for what no
phone would send, 404 for a place lost, 409 for a session that has ended, 413 for a body far
too big, 422 for a rule broken (too long, empty, the reflection limit); every refusal but 400
says why in a sentence. Nothing is logged of what was sent.

A send made while the connection was down waits in the phone's outbox and goes by itself when
the connection is back, with its `key`: the phone's random key for that send. The same key is
the same send, stored once, however often it arrives and at whichever process (the key is in
the database). Edited in the outbox after a try whose answer never came, the send arrives with
new words and the same key: the one stored send takes them. Withdrawn then, the delete names
the key: its words go if they had arrived. Without a key (a double tap on a Streamlit form),
the same words from the same phone are the same send.

Started from `workshop_app.py` alone there is no endpoint: the phone shows Streamlit forms then.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from weakref import WeakKeyDictionary

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from hopecircle.domain import Kind, Moment, SessionClosed, UnknownParticipant, WorkshopError
from hopecircle.http.answers import Refused, TooBig, answer, bad_request, json_object
from hopecircle.i18n import DEFAULT_LANGUAGE, available_languages, t
from hopecircle.process import context
from hopecircle.services import participation, phone_room, support
from hopecircle.services.participation import GoalInput, Submitted
from hopecircle.wording import sent_message

SEND_PATH = "/api/phone/send"
ME_TOO_PATH = "/api/phone/me-too"
PULSE_PATH = "/api/phone/pulse"
EDIT_PATH = "/api/phone/edit"
DELETE_PATH = "/api/phone/delete"
TALK_PATH = "/api/phone/talk"
LANGUAGE_PATH = "/api/phone/language"
# Bytes: far past the longest words the services take, so that they, not this, say "too long"
# (with the length and the limit); only a flood is cut short here.
MAX_BODY = 262_144
MAX_ID = 2**63 - 1  # the largest row id a database holds; a larger number is no card
# One hope card drawn at a time per process (`phone_room.hope_card_endpoint`, and a card drawn
# ahead when a next step is saved): a card is ~13 ms of a core, and everything else must not
# wait behind a room's cards.
CARDS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hopecircle-hope-card")
# Words screened ahead of their write, this many at a time per process (`screen_first`).
SCREENERS = 1
_SCREENERS: WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = WeakKeyDictionary()
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_GOAL_FIELDS = ("what", "when", "support", "dimension")
_WORDS = {"checkin": Kind.CHECKIN, "checkout": Kind.CHECKOUT}
_KINDS = {"reflection": Kind.REFLECTION, "goal": Kind.GOAL, **_WORDS}


async def send_endpoint(request: Request) -> JSONResponse:
    """Save a reflection, a goal or a one-word check-in or check-out: `{"status", "message",
    "support", "mine"}`, or a refusal with its sentence."""
    try:
        payload = await read(request)
        token, language = token_of(payload), language_of(payload)
        form, fields = payload.get("form"), payload.get("fields")
        if not isinstance(fields, dict):
            raise Refused()
        key = send_key_of(payload) if "key" in payload else None
        if form == "reflection":
            text = field_of(fields, "text")
            await screen_first(lambda: participation.screen_ahead(context(), token, Kind.REFLECTION, text))
            return await act(
                language, lambda: _sent(token, language, participation.submit_reflection(context(), token, text, key))
            )
        if form in _WORDS:
            word, kind = field_of(fields, "text"), _WORDS[form]
            await screen_first(lambda: participation.screen_ahead(context(), token, kind, word))
            return await act(
                language, lambda: _sent(token, language, participation.submit_word(context(), token, kind, word, key))
            )
        if form == "goal":
            goal = GoalInput(*(field_of(fields, name) for name in _GOAL_FIELDS))
            await screen_first(lambda: participation.screen_ahead(context(), token, Kind.GOAL, goal=goal))
            saved = await act(
                language, lambda: _sent(token, language, participation.submit_goal(context(), token, goal, key))
            )
            if saved.status_code == 200:
                # Its hope card, drawn now in the card thread: the close asks for every card at once.
                CARDS.submit(phone_room.draw_hope_card_ahead, context(), token, language)
            return saved
        raise Refused()
    except Refused:
        return bad_request()
    except TooBig:
        return too_big(address_language(request))


async def me_too_endpoint(request: Request) -> JSONResponse:
    """Set this phone's "me too" on a card: `{"added", "count", "label"}`, or a refusal with its sentence."""
    try:
        payload = await read(request)
        token, language = token_of(payload), language_of(payload)
        card, on = card_switch(payload)
    except (Refused, TooBig):
        return bad_request()

    def set_it() -> dict[str, Any]:
        result = participation.set_me_too(context(), token, card, on)
        key = "phone.me_too_added" if result.added else "phone.me_too"
        return {"added": result.added, "count": result.count, "label": t(key, lang=language, count=result.count)}

    return await act(language, set_it)


async def pulse_endpoint(request: Request) -> JSONResponse:
    """Save this phone's 0-10 hope pulse, or take it back (`value` null): `{"message", "mine"}`."""
    try:
        payload = await read(request)
        token, language = token_of(payload), language_of(payload)
        moment, value = payload.get("moment"), payload.get("value")
        if moment not in (Moment.PRE.value, Moment.POST.value):
            raise Refused()
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_ID):
            raise Refused()  # a number out of 0-10 is the service's to refuse, with its sentence
    except (Refused, TooBig):
        return bad_request()

    def save() -> dict[str, Any]:
        if value is None:
            participation.withdraw_pulse(context(), token, Moment(moment))
            return with_mine(token, {"message": t("phone.pulse_removed", lang=language)})
        participation.submit_pulse(context(), token, Moment(moment), value)
        return with_mine(token, {"message": t("phone.pulse_saved", lang=language)})

    return await act(language, save)


async def edit_endpoint(request: Request) -> JSONResponse:
    """Change the words of one of this phone's own reflections or words: as a send answers."""
    try:
        payload = await read(request)
        token, language = token_of(payload), language_of(payload)
        contribution, text = id_of(payload, "id"), field_of(payload, "text")
    except Refused:
        return bad_request()
    except TooBig:
        return too_big(address_language(request))
    return await act(
        language, lambda: _sent(token, language, participation.edit_contribution(context(), token, contribution, text))
    )


async def delete_endpoint(request: Request) -> JSONResponse:
    """Delete one of this phone's own words, for good (by its id, or by the key of a send withdrawn
    from the outbox): `{"message", "mine"}`."""
    try:
        payload = await read(request)
        token, language = token_of(payload), language_of(payload)
        if "key" in payload:
            contribution, key, kind = None, send_key_of(payload), _KINDS.get(str(payload.get("form")))
            if kind is None:
                raise Refused()
        else:
            contribution, key, kind = id_of(payload, "id"), None, None
    except (Refused, TooBig):
        return bad_request()

    def delete() -> dict[str, Any]:
        if contribution is not None:
            participation.delete_contribution(context(), token, contribution)
        elif key is not None and kind is not None:
            participation.withdraw_send(context(), token, kind, key)
        return with_mine(token, {"message": t("phone.deleted", lang=language)})

    return await act(language, delete)


async def talk_endpoint(request: Request) -> JSONResponse:
    """Ask to talk with the facilitator after the group (`on`, with an optional note), or take it
    back: `{"talk", "message", "mine"}`."""
    try:
        payload = await read(request)
        token, language = token_of(payload), language_of(payload)
        on, note = payload.get("on"), field_of(payload, "note")
        if not isinstance(on, bool):
            raise Refused()
    except (Refused, TooBig):
        return bad_request()

    def ask() -> dict[str, Any]:
        if on:
            support.ask_to_talk(context(), token, note)
        else:
            support.withdraw_request(context(), token)
        message = t("phone.talk_requested" if on else "phone.talk_withdrawn", lang=language)
        return with_mine(token, {"talk": on, "message": message})

    return await act(language, ask)


async def language_endpoint(request: Request) -> JSONResponse:
    """Keep the language this phone reads in (the board's goal sentences are in their writer's): `{"lang"}`."""
    try:
        payload = await read(request)
        token, language = token_of(payload), payload.get("lang")
        if language not in available_languages():
            raise Refused()
    except (Refused, TooBig):
        return bad_request()

    def keep() -> dict[str, Any]:
        participation.set_language(context(), token, language)
        return {"lang": language}

    return await act(language, keep)


def _sent(token: str, language: str, submitted: Submitted) -> dict[str, Any]:
    """What a send answers: where the words stand, the sentence that says so, whether they may signal risk."""
    status = submitted.contribution.status
    body = {
        "status": status.value,
        "message": t(sent_message(status), lang=language),
        "support": submitted.needs_support,
    }
    return with_mine(token, body)


def with_mine(token: str, body: dict[str, Any]) -> dict[str, Any]:
    """`body` with the phone's own part as it is after the change (its words, pulses, requests)."""
    return {**body, "mine": phone_room.mine(context(), token)}


async def read(request: Request) -> dict[str, Any]:
    """The posted JSON object (Refused or TooBig otherwise)."""
    return await json_object(request, MAX_BODY)


async def act(language: str, action: Callable[[], dict[str, Any]]) -> JSONResponse:
    """Run a phone's action in the thread pool (it reads and writes the database) and say what happened."""
    return await run_in_threadpool(_answer, language, action)


async def screen_first(screen: Callable[[], None]) -> None:
    """Screen a send's words ahead of its write, `SCREENERS` at a time (`services/screening.py`).

    The screener is CPU work under the interpreter lock. Sends waiting here hold no thread, so a
    room's sends arriving at once (its Wi-Fi back after a drop) leave the threads and the
    interpreter to the room's questions, which tell each phone where the room is; and the
    writes that follow run as many at once as before, so one waiting for the database's lock
    holds up no other.
    """
    await anyio.to_thread.run_sync(screen, limiter=_screeners())


def _screeners() -> anyio.CapacityLimiter:
    """The screening limiter of the running event loop (a server has one; tests start several)."""
    loop = asyncio.get_running_loop()
    if loop not in _SCREENERS:
        _SCREENERS[loop] = anyio.CapacityLimiter(SCREENERS)
    return _SCREENERS[loop]


def _answer(language: str, action: Callable[[], dict[str, Any]]) -> JSONResponse:
    try:
        body = action()
    except UnknownParticipant as error:
        return refusal(404, error, language)
    except SessionClosed as error:
        return refusal(409, error, language)
    except WorkshopError as error:
        return refusal(422, error, language)
    return answer(body)


def refusal(status: int, error: WorkshopError, language: str) -> JSONResponse:
    """A refusal that says why, in the phone's language."""
    return answer({"error": error.message_key, "message": t(error.message_key, lang=language, **error.params)}, status)


def too_big(language: str) -> JSONResponse:
    return answer({"error": "too_big", "message": t("phone.send_too_big", lang=language)}, 413)


def address_language(request: Request) -> str:
    """The language of a post too big to read: `?lang=` in the address it was posted to (the page adds it)."""
    language = request.query_params.get("lang")
    return language if language in available_languages() else DEFAULT_LANGUAGE


def token_of(payload: dict[str, Any]) -> str:
    token = payload.get("token")
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise Refused()
    return token


def send_key_of(payload: dict[str, Any]) -> str:
    """The phone's own random key for one send (made in its outbox)."""
    key = payload.get("key")
    if not isinstance(key, str) or not _TOKEN.fullmatch(key):
        raise Refused()
    return key


def language_of(payload: dict[str, Any]) -> str:
    language = payload.get("lang")
    return language if isinstance(language, str) and language in available_languages() else DEFAULT_LANGUAGE


def card_switch(payload: dict[str, Any]) -> tuple[int, bool]:
    """`{"card": <id>, "on": true | false}`: which of the room's cards, and what the phone wants for it."""
    card, on = id_of(payload, "card"), payload.get("on")
    if not isinstance(on, bool):
        raise Refused()
    return card, on


def id_of(payload: dict[str, Any], name: str) -> int:
    """A row id the page took from its own data: a positive whole number a database can hold."""
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise Refused()
    return value


def field_of(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refused()
    return value
