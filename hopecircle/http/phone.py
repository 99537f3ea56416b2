"""What a phone sends over plain HTTP when this process serves it: its words, and its "me too".

A send through Streamlit is a script run of the phone's room screen: the callback that saves
the words, then the whole screen drawn again, several times a bare button press. In a big room
a thousand people send within the same quarter minute, and such runs queue. Served by
`serve.py`, the phone's forms and its board's "me too" (`ui/static/phone_form.js`,
`ui/static/board_cards.js`) post here instead; the same services save the words, and the
answer is the sentence to show, in the phone's language. No script run is needed to say thank
you.

    POST /api/phone/send    {"token", "form": "reflection" | "goal", "fields": {...}, "lang"}
    POST /api/phone/me-too  {"token", "card": <id>, "on": true | false, "lang"}

The token is the phone's own (the one in its address), in the body, never in a URL a proxy
might log. A body must be JSON (`Content-Type: application/json`): another site's page cannot
send that without asking first, and nothing here answers such a question. Answers: 200 with
what happened, 400 for what no phone would send, 404 for a place lost, 409 for a session that
has ended, 422 for a rule broken (too long, empty, the reflection limit); every refusal but
400 says why in a sentence. Nothing is logged of what was sent.

Started from `workshop_app.py` alone there is no endpoint: the forms are Streamlit forms then.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from hopecircle.domain import SessionClosed, UnknownParticipant, WorkshopError
from hopecircle.http.answers import Refused, TooBig, answer, bad_request, json_object
from hopecircle.i18n import DEFAULT_LANGUAGE, available_languages, t
from hopecircle.process import context
from hopecircle.services import participation
from hopecircle.services.participation import GoalInput, Submitted
from hopecircle.wording import sent_message

SEND_PATH = "/api/phone/send"
ME_TOO_PATH = "/api/phone/me-too"
# Bytes: far past the longest words the services take, so that they, not this, say "too long"
# (with the length and the limit); only a flood is cut short here.
MAX_BODY = 262_144
MAX_ID = 2**63 - 1  # the largest row id a database holds; a larger number is no card
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_GOAL_FIELDS = ("what", "when", "support", "dimension")


async def send_endpoint(request: Request) -> JSONResponse:
    """Save a reflection or a goal: `{"status", "message", "support"}`, or a refusal with its sentence."""
    try:
        payload = await json_object(request, MAX_BODY)
        token, language = _token(payload), _language(payload)
        form, fields = payload.get("form"), payload.get("fields")
        if form not in ("reflection", "goal") or not isinstance(fields, dict):
            raise Refused()
        if form == "reflection":
            text = _field(fields, "text")
            return await run_in_threadpool(_answer, language, lambda: _reflection(token, text, language))
        goal = GoalInput(*(_field(fields, name) for name in _GOAL_FIELDS))
        return await run_in_threadpool(_answer, language, lambda: _goal(token, goal, language))
    except Refused:
        return bad_request()
    except TooBig:
        return _too_big(_address_language(request))


async def me_too_endpoint(request: Request) -> JSONResponse:
    """Set this phone's "me too" on a card: `{"added", "count", "label"}`, or a refusal with its sentence."""
    try:
        payload = await json_object(request, MAX_BODY)
        token, language = _token(payload), _language(payload)
        card, on = payload.get("card"), payload.get("on")
        if isinstance(card, bool) or not isinstance(card, int) or not 0 < card <= MAX_ID or not isinstance(on, bool):
            raise Refused()
    except (Refused, TooBig):
        return bad_request()

    def set_it() -> dict[str, Any]:
        result = participation.set_me_too(context(), token, card, on)
        key = "phone.me_too_added" if result.added else "phone.me_too"
        return {"added": result.added, "count": result.count, "label": t(key, lang=language, count=result.count)}

    return await run_in_threadpool(_answer, language, set_it)


def _reflection(token: str, text: str, language: str) -> dict[str, Any]:
    return _sent(participation.submit_reflection(context(), token, text), language)


def _goal(token: str, goal: GoalInput, language: str) -> dict[str, Any]:
    return _sent(participation.submit_goal(context(), token, goal), language)


def _sent(submitted: Submitted, language: str) -> dict[str, Any]:
    status = submitted.contribution.status
    message = t(sent_message(status), lang=language)
    return {"status": status.value, "message": message, "support": submitted.needs_support}


def _answer(language: str, action: Callable[[], dict[str, Any]]) -> JSONResponse:
    """Run a phone's action (in the thread pool: it reads and writes the database) and say what happened."""
    try:
        body = action()
    except UnknownParticipant as error:
        return _refusal(404, error, language)
    except SessionClosed as error:
        return _refusal(409, error, language)
    except WorkshopError as error:
        return _refusal(422, error, language)
    return answer(body)


def _refusal(status: int, error: WorkshopError, language: str) -> JSONResponse:
    return answer({"error": error.message_key, "message": t(error.message_key, lang=language, **error.params)}, status)


def _too_big(language: str) -> JSONResponse:
    return answer({"error": "too_big", "message": t("phone.send_too_big", lang=language)}, 413)


def _address_language(request: Request) -> str:
    """The language of a post too big to read: `?lang=` in the address it was posted to (the form adds it)."""
    language = request.query_params.get("lang")
    return language if language in available_languages() else DEFAULT_LANGUAGE


def _token(payload: dict[str, Any]) -> str:
    token = payload.get("token")
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise Refused()
    return token


def _language(payload: dict[str, Any]) -> str:
    language = payload.get("lang")
    return language if isinstance(language, str) and language in available_languages() else DEFAULT_LANGUAGE


def _field(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refused()
    return value
