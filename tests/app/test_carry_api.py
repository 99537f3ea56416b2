"""The phone's posts for hope that carries over: state, "how did it go?", and "may open a future circle"."""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import Request

from hopecircle.domain import Phase, Status
from hopecircle.http import carry as carry_api
from hopecircle.http import phone as phone_api
from hopecircle.services import carry, moderation, participation, sessions
from tests.app.test_endpoint_fuzz import ALLOWED, ANY_TEXT, FUZZ, HUGE_NUMBERS, JSON_VALUES

ENDPOINTS = {route.path: route.endpoint for route in carry_api.routes()}


def send(path: str, raw: bytes, content_type: str = "application/json") -> tuple[int, dict]:
    """A post as the browser makes it, in chunks, straight to the route's endpoint."""
    chunks = [raw[n : n + 4096] for n in range(0, len(raw), 4096)] or [b""]

    async def receive() -> dict:
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "query_string": query.encode(),
        "headers": [(b"content-type", content_type.encode())],
    }
    response = asyncio.run(ENDPOINTS[path](Request(scope, receive)))
    assert response.headers["cache-control"] == "no-store"
    return response.status_code, json.loads(response.body)


def post(path: str, body: object) -> tuple[int, dict]:
    return send(path, json.dumps(body).encode())


@pytest.fixture
def group(app_ctx, admin_account):
    return carry.create_group(app_ctx, admin_account, "Tuesday evening circle", "Eastside")


@pytest.fixture
def second_meeting(app_ctx, admin_account, group):
    first = sessions.start_session(app_ctx, admin_account, "steady-hands", group_id=group.id)
    sessions.close_session(app_ctx, admin_account, first.id)
    return sessions.start_session(app_ctx, admin_account, "steady-hands", group_id=group.id)


def test_the_state_names_the_group_and_asks_at_a_later_meeting(app_ctx, group, second_meeting):
    token = participation.join(app_ctx, second_meeting.code).token
    assert post(carry_api.STATE_PATH, {"token": token, "lang": "en"}) == (
        200,
        {"group": group.key, "asks": True, "answered": False, "open": True},
    )


def test_an_answer_is_counted_once_and_thanked_in_the_phones_language(app_ctx, admin_account, second_meeting):
    token = participation.join(app_ctx, second_meeting.code, "es").token
    body = {"token": token, "answer": "partly", "helped": "Mi hermana me acompañó", "lang": "es"}
    status, answer = post(carry_api.FOLLOW_UP_PATH, body)
    assert (status, answer["counted"], answer["status"], answer["support"]) == (200, True, "pending", False)
    assert answer["message"].startswith("Gracias. Tu respuesta quedó contada.")
    status, again = post(carry_api.FOLLOW_UP_PATH, body)
    assert (status, again["counted"]) == (200, False)
    since = carry.since_last_time(app_ctx, admin_account, second_meeting.id)
    assert since.counts.answered == 1
    (helped,) = participation.resume(app_ctx, token).contributions
    assert (helped.body, helped.status) == ("Mi hermana me acompañó", Status.PENDING)


def test_refusals_say_why_in_the_phones_language(app_ctx, admin_account, second_meeting):
    token = participation.join(app_ctx, second_meeting.code).token
    status, body = post(carry_api.FOLLOW_UP_PATH, {"token": token, "answer": "did_it", "helped": "x" * 500})
    assert (status, body["error"]) == (422, "error.text_too_long")
    assert carry.since_last_time(app_ctx, admin_account, second_meeting.id).counts.answered == 0
    lost = "z" * 24
    status, body = post(carry_api.FOLLOW_UP_PATH, {"token": lost, "answer": "did_it", "lang": "es"})
    assert status == 404 and body["message"]
    sessions.close_session(app_ctx, admin_account, second_meeting.id)
    status, body = post(carry_api.FOLLOW_UP_PATH, {"token": token, "answer": "did_it", "lang": "es"})
    assert (status, body["error"]) == (409, "error.session_closed")


def test_a_one_off_session_has_no_question_to_answer(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands")
    token = participation.join(app_ctx, session.code).token
    assert post(carry_api.STATE_PATH, {"token": token})[1]["group"] is None
    status, body = post(carry_api.FOLLOW_UP_PATH, {"token": token, "answer": "did_it"})
    assert (status, body["error"]) == (422, "error.no_follow_up")


@pytest.mark.parametrize(
    "body",
    [
        {"token": "short", "answer": "did_it"},
        {"token": "t" * 24, "answer": "maybe"},
        {"token": "t" * 24, "answer": "did_it", "helped": 3},
        {"token": "t" * 24, "card": True, "on": True},
        {"token": "t" * 24, "card": 1, "on": "yes"},
        ["not", "an", "object"],
    ],
)
def test_what_no_phone_would_send_is_a_bare_400(body):
    path = carry_api.PASS_ON_PATH if isinstance(body, dict) and "card" in body else carry_api.FOLLOW_UP_PATH
    assert post(path, body) == (400, {"error": "bad request"})


def test_only_json_is_read_and_a_flood_is_413_in_the_addresss_language():
    assert send(carry_api.FOLLOW_UP_PATH, b"token=x", "text/plain") == (400, {"error": "bad request"})
    flood = b'{"token": "' + b"a" * phone_api.MAX_BODY + b'"}'
    status, body = send(carry_api.FOLLOW_UP_PATH + "?lang=es", flood)
    assert (status, body["error"]) == (413, "too_big")
    assert body["message"].startswith("Es demasiado largo")  # in the language the address names


def test_a_writer_marks_their_own_card_to_pass_on_and_takes_it_back(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", program="Eastside")
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    token = participation.join(app_ctx, session.code).token
    other = participation.join(app_ctx, session.code).token
    card = participation.submit_reflection(app_ctx, token, "Small steps still count").contribution
    moderation.approve(app_ctx, admin_account, card.id)
    status, body = post(carry_api.PASS_ON_PATH, {"token": token, "card": card.id, "on": True})
    assert (status, body["on"], body["label"]) == (200, True, "These words may open a future circle.")
    assert [word["pass_on"] for word in body["mine"]["words"]] == [True]  # the phone redraws its list from it
    status, body = post(carry_api.PASS_ON_PATH, {"token": other, "card": card.id, "on": False, "lang": "es"})
    assert (status, body["error"]) == (422, "error.invalid_choice")
    status, body = post(carry_api.PASS_ON_PATH, {"token": token, "card": card.id, "on": False, "lang": "es"})
    assert (status, body["on"], body["label"]) == (200, False, "Estas palabras se quedan en este círculo.")
    assert [word["pass_on"] for word in body["mine"]["words"]] == [False]


@given(data=st.data())
@FUZZ
def test_generated_posts_never_get_a_server_error_and_a_refusal_counts_nothing(
    app_ctx, admin_account, second_meeting, data
):
    token = participation.join(app_ctx, second_meeting.code).token
    token_choice = st.sampled_from([token, "T" * 24, ""]) | ANY_TEXT
    body = data.draw(
        st.one_of(
            st.fixed_dictionaries(
                {"token": token_choice, "answer": st.sampled_from(["did_it", "maybe"]) | JSON_VALUES},
                optional={"helped": JSON_VALUES, "lang": ANY_TEXT},
            ),
            st.fixed_dictionaries(
                {"token": token_choice, "card": st.one_of(HUGE_NUMBERS, JSON_VALUES), "on": JSON_VALUES}
            ),
            JSON_VALUES,
        )
    )
    path = data.draw(st.sampled_from(sorted(ENDPOINTS)))
    before = carry.since_last_time(app_ctx, admin_account, second_meeting.id).counts.answered
    status, answer = send(path, json.dumps(body, ensure_ascii=True).encode())
    assert status in ALLOWED
    after = carry.since_last_time(app_ctx, admin_account, second_meeting.id).counts.answered
    assert after == before + (1 if status == 200 and answer.get("counted") else 0)
