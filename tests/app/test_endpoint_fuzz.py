"""The phone's and room's endpoints under generated input: never a server error, nothing stored
for a refusal, and the next real send still works."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.requests import Request

from hopecircle.domain import CARD_KINDS, Phase
from hopecircle.http import phone, rooms
from hopecircle.services import moderation, participation, room, sessions
from tests.app.test_phone_api import post

# Strings from every Unicode category, lone surrogates included (a broken paste can hold one).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)
HUGE_NUMBERS = st.integers(min_value=-(2**80), max_value=2**80) | st.sampled_from([2**63, 2**64, -(2**63) - 1])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | HUGE_NUMBERS | st.floats(allow_nan=False) | ANY_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4),
    max_leaves=12,
)
ALLOWED = {200, 400, 404, 409, 413, 422}
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.fixture
def room_with_card(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.BOARD)
    author = participation.join(app_ctx, session.code).token
    card = participation.submit_reflection(app_ctx, author, "A walk after dinner").contribution
    moderation.approve(app_ctx, admin_account, card.id)
    return session, participation.join(app_ctx, session.code).token, card.id


def stored(ctx, session_id: int) -> tuple[int, int]:
    """(contributions, "me too"s) in the session: what a refusal must leave as it was."""
    with ctx.store.read() as tx:
        counts = tx.contributions.counts(session_id)
        cards = tx.contributions.cards(session_id, CARD_KINDS)
    return sum(counts.values()), sum(card.me_too for card in cards)


def encoded(payload: object) -> bytes:
    """JSON as a page's `JSON.stringify` would send it, lone surrogates escaped."""
    return json.dumps(payload, ensure_ascii=True).encode()


def payloads(token: str, card: int):
    token_choice = st.sampled_from([token, "T" * 24, "", "../../etc/passwd"]) | ANY_TEXT
    field = st.one_of(ANY_TEXT, JSON_VALUES)
    fields = st.dictionaries(st.sampled_from(["text", "what", "when", "support", "dimension", "x"]), field)
    send = st.fixed_dictionaries(
        {"token": token_choice, "form": st.sampled_from(["reflection", "goal", "pulse"]) | ANY_TEXT, "fields": fields},
        optional={"lang": st.sampled_from(["en", "es", "xx"]) | ANY_TEXT},
    )
    me_too = st.fixed_dictionaries(
        {"token": token_choice, "card": st.one_of(st.just(card), HUGE_NUMBERS, JSON_VALUES), "on": JSON_VALUES},
        optional={"lang": ANY_TEXT},
    )
    return st.one_of(send, me_too, JSON_VALUES)


@given(data=st.data())
@FUZZ
def test_generated_posts_never_get_a_server_error_and_a_refusal_stores_nothing(app_ctx, room_with_card, data):
    session, token, card = room_with_card
    body = data.draw(payloads(token, card))
    raw = data.draw(st.sampled_from(["json", "bytes", "deep"]))
    content = encoded(body) if raw == "json" else data.draw(st.binary(max_size=200)) if raw == "bytes" else None
    if content is None:
        content = b'{"token": "' + token.encode() + b'", "fields": ' + b"[" * data.draw(st.integers(1, 50_000))
    for path in (phone.SEND_PATH, phone.ME_TOO_PATH):
        before = stored(app_ctx, session.id)
        status, answer = post(path, content)
        assert status in ALLOWED, (path, status, answer)
        if status != 200:
            assert stored(app_ctx, session.id) == before
        if status in (404, 409, 413, 422):
            assert answer["message"]  # a sentence the phone can show
    # The server still answers a real send afterwards.
    assert post(phone.ME_TOO_PATH, {"token": token, "card": card, "on": True})[0] == 200


def ask_room(code: str, query: str) -> int:
    scope = {
        "type": "http",
        "method": "GET",
        "path": f"/api/rooms/{quote(code, safe='')}",
        "path_params": {"code": code},
        "query_string": query.encode("utf-8", "surrogateescape"),
        "headers": [],
    }

    async def gone() -> dict:
        return {"type": "http.disconnect"}

    return asyncio.run(rooms.room_endpoint(Request(scope, gone))).status_code


@given(code=ANY_TEXT, query=st.text(max_size=80), shown=HUGE_NUMBERS.map(str) | ANY_TEXT)
@FUZZ
def test_generated_room_questions_are_answered_400_404_or_200(app_ctx, room_with_card, monkeypatch, code, query, shown):
    monkeypatch.setattr(rooms, "MAX_HELD", 0)  # answered at once: a held question would wait its 20 s
    session, _token, _card = room_with_card
    proof = room.watch_proof(app_ctx, session.code)
    for asked, extra in ((code, ""), (session.code, ""), (session.code, f"&proof={proof}")):
        status = ask_room(asked, f"shown={quote(shown, safe='', errors='replace')}{extra}&{query}")
        assert status in {200, 400, 404}
