"""What a phone posts for hope that carries over: how last time's step went, and words passed on.

    POST /api/carry/state      {"token", "lang"}
    POST /api/carry/follow-up  {"token", "answer", "helped", "lang"}
    POST /api/carry/pass-on    {"token", "card": <id>, "on": true | false, "lang"}

`state` says whether the session is a meeting of a recurring group (and the group's random key,
which the phone keeps beside a next step it wants to be reminded of), whether this phone is
asked how last time's step went, and whether it answered. `follow-up` counts the answer once
("did_it", "partly", "not_yet", "rather_not") in this session only; "what helped" (optional) is
saved as a reflection of this session and reviewed like one. `pass-on` marks the phone's own
reflection or next step "may open a future circle", or takes the mark back.

The phone's stored step never comes here: the server cannot tell which phone set which step,
or that two sessions saw the same phone. The rules are those of `phone.py`: the token in a JSON
body, 400 with no sentence for what no phone would send, 404 for a place lost, 409 for a
session that has ended, 413 for a flood, 422 for a rule broken, each with a sentence in the
phone's language; nothing sent is logged.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hopecircle.groups import FOLLOW_UPS
from hopecircle.http.answers import Refused, TooBig, bad_request
from hopecircle.http.phone import (
    act,
    address_language,
    card_switch,
    language_of,
    read,
    token_of,
    too_big,
    with_mine,
)
from hopecircle.i18n import t
from hopecircle.process import context
from hopecircle.services import carry
from hopecircle.wording import sent_message

STATE_PATH = "/api/carry/state"
FOLLOW_UP_PATH = "/api/carry/follow-up"
PASS_ON_PATH = "/api/carry/pass-on"
_ANSWERS = frozenset(answer.value for answer in FOLLOW_UPS)


async def state_endpoint(request: Request) -> JSONResponse:
    """`{"group", "asks", "answered", "open"}` for the phone's session."""
    try:
        payload = await read(request)
        token, language = token_of(payload), language_of(payload)
    except (Refused, TooBig):
        return bad_request()

    def state() -> dict[str, Any]:
        found = carry.phone_state(context(), token)
        return {"group": found.group_key, "asks": found.asks, "answered": found.answered, "open": found.is_open}

    return await act(language, state)


async def follow_up_endpoint(request: Request) -> JSONResponse:
    """Count how last time's step went: `{"counted", "message", "status", "support", "mine"}`."""
    try:
        payload = await read(request)
        token, language = token_of(payload), language_of(payload)
        chosen, helped = payload.get("answer"), payload.get("helped")
        if not isinstance(chosen, str) or chosen not in _ANSWERS or not (helped is None or isinstance(helped, str)):
            raise Refused()
    except Refused:
        return bad_request()
    except TooBig:
        return too_big(address_language(request))

    def count() -> dict[str, Any]:
        result = carry.answer_follow_up(context(), token, chosen, helped or "")
        status = result.helped.contribution.status.value if result.helped else None
        message = t("carry.answer_counted", lang=language)
        if result.helped is not None:
            message = f"{message} {t(sent_message(result.helped.contribution.status), lang=language)}"
        support = bool(result.helped and result.helped.needs_support)
        return with_mine(token, {"counted": result.counted, "message": message, "status": status, "support": support})

    return await act(language, count)


async def pass_on_endpoint(request: Request) -> JSONResponse:
    """Mark the phone's own card "may open a future circle" (or not): `{"on", "label", "mine"}`."""
    try:
        payload = await read(request)
        token, language = token_of(payload), language_of(payload)
        card, on = card_switch(payload)
    except (Refused, TooBig):
        return bad_request()

    def mark() -> dict[str, Any]:
        marked = carry.set_pass_on(context(), token, card, on)
        label = t("carry.pass_on_set" if marked else "carry.pass_on_unset", lang=language)
        return with_mine(token, {"on": marked, "label": label, "message": label})

    return await act(language, mark)


def routes() -> list[Route]:
    """The three endpoints, for `http.routes`."""
    return [
        Route(STATE_PATH, state_endpoint, methods=["POST"]),
        Route(FOLLOW_UP_PATH, follow_up_endpoint, methods=["POST"]),
        Route(PASS_ON_PATH, pass_on_endpoint, methods=["POST"]),
    ]
