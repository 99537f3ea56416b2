"""What a phone sends over plain HTTP when this process serves it: its words, and its "me too".

A send through Streamlit is a script run of the phone's room screen: the callback that saves
the words, then the whole screen drawn again, 14-18 ms of a process's one core against a bare
button press's 5. In a big room a thousand people send within the same quarter minute, the
runs queue, and the "thank you" comes seconds late (docs/performance.md). Served by
`serve.py`, the phone's forms and its board's "me too" (`static/phone_form.js`,
`static/board_cards.js`) post here instead; the same services save the words, and the answer
is the sentence to show, in the phone's language. No script run is needed to say thank you.

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

import json
import re
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hopecircle.domain import (
    Kind,
    SessionClosed,
    Status,
    UnknownParticipant,
    WorkshopError,
)
from hopecircle.i18n import DEFAULT_LANGUAGE, available_languages, t
from hopecircle.services import participation
from hopecircle.services.participation import GoalInput, Submitted, client_key
from hopecircle.ui.wiring import context

SEND_PATH = "/api/phone/send"
ME_TOO_PATH = "/api/phone/me-too"
# Bytes: far past the longest words the services take, so that they, not this, say "too long"
# (with the length and the limit); only a flood is cut short here.
MAX_BODY = 262_144
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_GOAL_FIELDS = ("what", "when", "support", "dimension")
_NO_STORE = {"Cache-Control": "no-store"}
_serving = [False]

_SENT_MESSAGES = {Status.APPROVED: "phone.sent_on_board", Status.HELD: "phone.sent_held"}


class _Refused(Exception):
    """Something no phone's page would send: answered 400, with no sentence."""


class _TooBig(Exception):
    """More than MAX_BODY bytes: answered 413, with a sentence (someone pasted a book)."""


def sent_message(status: Status) -> str:
    """What happened to words just sent, as the phone says it (posted or through a Streamlit form)."""
    return _SENT_MESSAGES.get(status, "phone.sent_pending")


def routes() -> list[Route]:
    """The endpoints phones post to, for `st.App(routes=...)`; from now on this process serves them."""
    _serving[0] = True
    return [Route(SEND_PATH, send_endpoint, methods=["POST"]), Route(ME_TOO_PATH, me_too_endpoint, methods=["POST"])]


def serving() -> bool:
    """Whether this process answers the phone's posts (started through `serve.py`)."""
    return _serving[0]


async def send_endpoint(request: Request) -> JSONResponse:
    """Save a reflection or a goal: `{"status", "message", "support"}`, or a refusal with its sentence."""
    try:
        payload = await _payload(request)
        token, language = _token(payload), _language(payload)
        form, fields = payload.get("form"), payload.get("fields")
        if form not in ("reflection", "goal") or not isinstance(fields, dict):
            raise _Refused()
        if form == "reflection":
            text = _field(fields, "text")
            return await run_in_threadpool(_answer, language, lambda: _reflection(token, text, language))
        goal = GoalInput(*(_field(fields, name) for name in _GOAL_FIELDS))
        return await run_in_threadpool(_answer, language, lambda: _goal(token, goal, language))
    except _Refused:
        return _bad_request()
    except _TooBig:
        return _too_big(_address_language(request))


async def me_too_endpoint(request: Request) -> JSONResponse:
    """Set this phone's "me too" on a card: `{"added", "count", "label"}`, or a refusal with its sentence."""
    try:
        payload = await _payload(request)
        token, language = _token(payload), _language(payload)
        card, on = payload.get("card"), payload.get("on")
        if isinstance(card, bool) or not isinstance(card, int) or not isinstance(on, bool):
            raise _Refused()
    except (_Refused, _TooBig):
        return _bad_request()

    def set_it() -> dict[str, Any]:
        result = participation.set_me_too(context(), token, card, on)
        key = "phone.me_too_added" if result.added else "phone.me_too"
        return {"added": result.added, "count": result.count, "label": t(key, lang=language, count=result.count)}

    return await run_in_threadpool(_answer, language, set_it)


def _reflection(token: str, text: str, language: str) -> dict[str, Any]:
    # The Streamlit form's key too: the same words sent both ways are stored once.
    key = client_key(Kind.REFLECTION, text)
    return _sent(participation.submit_reflection(context(), token, text, key), language)


def _goal(token: str, goal: GoalInput, language: str) -> dict[str, Any]:
    key = client_key(Kind.GOAL, goal.what, goal.when, goal.support, goal.dimension)
    return _sent(participation.submit_goal(context(), token, goal, key), language)


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
    return JSONResponse(body, headers=_NO_STORE)


def _refusal(status: int, error: WorkshopError, language: str) -> JSONResponse:
    body = {"error": error.message_key, "message": t(error.message_key, lang=language, **error.params)}
    return JSONResponse(body, status_code=status, headers=_NO_STORE)


def _bad_request() -> JSONResponse:
    return JSONResponse({"error": "bad request"}, status_code=400, headers=_NO_STORE)


def _too_big(language: str) -> JSONResponse:
    body = {"error": "too_big", "message": t("phone.send_too_big", lang=language)}
    return JSONResponse(body, status_code=413, headers=_NO_STORE)


def _address_language(request: Request) -> str:
    """The language of a post too big to read: `?lang=` in the address it was posted to (the form adds it)."""
    language = request.query_params.get("lang")
    return language if language in available_languages() else DEFAULT_LANGUAGE


async def _payload(request: Request) -> dict[str, Any]:
    """The JSON object a phone's page posted, read no further than MAX_BODY bytes."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise _Refused()
    size, chunks = 0, []
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _TooBig()
        chunks.append(chunk)
    try:
        payload = json.loads(b"".join(chunks))
    except ValueError as error:
        raise _Refused() from error
    if not isinstance(payload, dict):
        raise _Refused()
    return payload


def _token(payload: dict[str, Any]) -> str:
    token = payload.get("token")
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise _Refused()
    return token


def _language(payload: dict[str, Any]) -> str:
    language = payload.get("lang")
    return language if isinstance(language, str) and language in available_languages() else DEFAULT_LANGUAGE


def _field(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Refused()
    return value
