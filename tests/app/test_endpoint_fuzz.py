"""The phone's endpoints under generated input: never a server error, nothing stored for a
refusal, and the next real send still works."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hopecircle.domain import CARD_KINDS, Phase
from hopecircle.http import phone
from hopecircle.http import phone_room as room_api
from hopecircle.services import moderation, participation, room, sessions
from tests.app.test_phone_api import ENDPOINTS, post

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


def stored(ctx, session_id: int) -> tuple[object, ...]:
    """What a refusal must leave as it was: the session's words, "me too"s, pulses, requests, phones."""
    with ctx.store.read() as tx:
        counts = tx.contributions.counts(session_id)
        cards = tx.contributions.cards(session_id, CARD_KINDS)
        pulses = tx.pulses.summary(session_id)
        requests = len(tx.support.for_session(session_id))
        joined = tx.participants.count(session_id)
    return sorted(counts.items()), sum(card.me_too for card in cards), pulses, requests, joined


def encoded(payload: object) -> bytes:
    """JSON as a page's `JSON.stringify` would send it, lone surrogates escaped."""
    return json.dumps(payload, ensure_ascii=True).encode()


def payloads(token: str, card: int, code: str, proof: str):
    token_choice = st.sampled_from([token, "T" * 24, "", "../../etc/passwd"]) | ANY_TEXT
    field = st.one_of(ANY_TEXT, JSON_VALUES)
    number = st.one_of(st.just(card), HUGE_NUMBERS, JSON_VALUES)
    fields = st.dictionaries(st.sampled_from(["text", "what", "when", "support", "dimension", "x"]), field)
    forms = st.sampled_from(["reflection", "goal", "checkin", "checkout", "pulse"]) | ANY_TEXT
    language = {"lang": st.sampled_from(["en", "es", "xx"]) | ANY_TEXT}
    send = st.fixed_dictionaries({"token": token_choice, "form": forms, "fields": fields}, optional=language)
    me_too = st.fixed_dictionaries({"token": token_choice, "card": number, "on": JSON_VALUES}, optional=language)
    pulse = st.fixed_dictionaries(
        {"token": token_choice, "moment": st.sampled_from(["pre", "post"]) | ANY_TEXT, "value": number},
        optional=language,
    )
    edit = st.fixed_dictionaries({"token": token_choice, "id": number, "text": field}, optional=language)
    talk = st.fixed_dictionaries({"token": token_choice, "on": JSON_VALUES, "note": field}, optional=language)
    codes = st.sampled_from([code, "NOSUCH"]) | ANY_TEXT
    room_question = st.fixed_dictionaries(
        {"token": token_choice, "code": codes, "proof": st.sampled_from([proof, "0" * 32]) | ANY_TEXT},
        optional={"tab": st.sampled_from(["0123456789abcdef"]) | ANY_TEXT, "shown": number, "seen": field, **language},
    )
    join = st.fixed_dictionaries(
        {"code": codes, "proof": st.sampled_from([proof, "0" * 32]) | ANY_TEXT, "key": field},
        optional={"shown": number, "date": field, **language},
    )
    return st.one_of(send, me_too, pulse, edit, talk, room_question, join, JSON_VALUES)


@given(data=st.data())
@FUZZ
def test_generated_posts_never_get_a_server_error_and_a_refusal_stores_nothing(
    app_ctx, room_with_card, monkeypatch, data
):
    monkeypatch.setattr(room_api, "MAX_HELD", 0)  # answered at once: a held question would wait its 20 s
    session, token, card = room_with_card
    body = data.draw(payloads(token, card, session.code, room.watch_proof(app_ctx, session.code)))
    raw = data.draw(st.sampled_from(["json", "bytes", "deep"]))
    content = encoded(body) if raw == "json" else data.draw(st.binary(max_size=200)) if raw == "bytes" else None
    if content is None:
        content = b'{"token": "' + token.encode() + b'", "fields": ' + b"[" * data.draw(st.integers(1, 50_000))
    for path in data.draw(st.permutations(sorted(ENDPOINTS)))[:4]:
        before = stored(app_ctx, session.id)
        status, answer = post(path, content)
        assert status in ALLOWED, (path, status, answer)
        if status != 200:
            assert stored(app_ctx, session.id) == before
        if status in (409, 413, 422) or (status == 404 and path != room_api.ROOM_PATH):
            assert answer["message"]  # a sentence the phone can show
    # The server still answers a real send afterwards.
    assert post(phone.ME_TOO_PATH, {"token": token, "card": card, "on": True})[0] == 200
