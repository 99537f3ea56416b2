"""The served phone: joining by post, the room's state held until it moves on, the hope card, and
the page's shell with the room component's data."""

from __future__ import annotations

import asyncio
import io
import threading
import time

import pytest
from PIL import Image

from hopecircle import hope_card, process
from hopecircle.domain import Kind, Phase
from hopecircle.http import phone as phone_api
from hopecircle.http import phone_room as room_api
from hopecircle.live import pacing, waits
from hopecircle.services import moderation, organization, participation, room, sessions, support
from hopecircle.services import phone_room as phone_room_service
from hopecircle.services.participation import GoalInput
from tests.app.conftest import page, room_data, texts
from tests.app.test_phone_api import answered, post

TAB = "0123456789abcdef"


@pytest.fixture(autouse=True)
def fresh_waits():
    """Each test's held questions in a RoomWaits of their own."""
    process.room_waits.cache_clear()
    yield
    process.room_waits.cache_clear()


@pytest.fixture
def session(app_ctx, admin_account):
    return sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")


def proof(code: str) -> str:
    return room.watch_proof(process.context(), code)


def ask(token: str, code: str, seen: str | None = None, **extra: object) -> tuple[int, dict]:
    body = {"token": token, "code": code, "proof": proof(code), "tab": TAB, "lang": "en", **extra}
    if seen is not None:
        body["seen"] = seen
    return post(room_api.ROOM_PATH, body)


def join(code: str, key: str = "k" * 32, lang: str = "en", **extra: object) -> tuple[int, dict]:
    return post(room_api.JOIN_PATH, {"code": code, "proof": proof(code), "key": key, "lang": lang, **extra})


# -- joining ----------------------------------------------------------------------------------------


def test_consent_joins_with_one_post_that_brings_the_room(app_ctx, session):
    status, body = join(session.code, lang="es")
    assert status == 200 and len(body["token"]) >= 24
    assert body["room"]["phase"] == "welcome" and body["room"]["title"] == "Evening circle"
    assert body["room"]["agreements"] == list(app_ctx.guides.agreements("es"))
    assert body["mine"]["words"] == [] and body["signature"].startswith("welcome|open|-|0|")
    assert participation.resume(app_ctx, body["token"]).language == "es"


def test_a_double_tap_or_a_retry_joins_once(app_ctx, session):
    first = join(session.code)[1]["token"]
    assert join(session.code)[1]["token"] == first  # the same tab's join key
    assert join(session.code, key="j" * 32)[1]["token"] != first  # another tab
    with app_ctx.store.read() as tx:
        assert tx.participants.count(session.id) == 2


def test_joining_without_the_rooms_proof_or_after_the_end_says_so(app_ctx, admin_account, session):
    status, body = post(room_api.JOIN_PATH, {"code": session.code, "proof": "0" * 32, "key": "k" * 32})
    assert (status, body["error"]) == (404, "error.unknown_code")  # as for a code that does not exist
    assert post(room_api.JOIN_PATH, {"code": "NOSUCH", "proof": "0" * 32, "key": "k" * 32})[0] == 404
    sessions.close_session(app_ctx, admin_account, session.id)
    status, body = join(session.code, lang="es")
    assert (status, body["error"]) == (409, "error.session_closed") and body["message"].startswith("Esta sesión")


@pytest.mark.parametrize(
    "body",
    [
        {"code": "ABC123", "proof": "0" * 32},
        {"code": "ABC123", "proof": "0" * 32, "key": "short"},
        {"code": "ABC123", "proof": "0" * 32, "key": "k" * 65},
        {"code": "<b>", "proof": "0" * 32, "key": "k" * 32},
        {"code": "ABC123", "proof": "0" * 32, "key": "k" * 32, "shown": 0},
        {"code": "ABC123", "proof": "0" * 32, "key": "k" * 32, "shown": "12"},
        {"code": 5, "proof": "0" * 32, "key": "k" * 32},
    ],
)
def test_the_join_endpoint_refuses_what_no_phone_would_send(app_ctx, body):
    assert post(room_api.JOIN_PATH, body) == (400, {"error": "bad request"})


# -- the room's state ---------------------------------------------------------------------------------


def test_without_seen_the_room_is_answered_at_once_in_the_phones_language(app_ctx, admin_account, session):
    token = participation.join(app_ctx, session.code, "es").token
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    participation.submit_reflection(app_ctx, token, "Me quedé con la caminata")
    status, body = ask(token, session.code, lang="es")
    spanish = app_ctx.stories.translation("steady-hands", "es")
    assert status == 200 and body["room"]["phase"] == "reflect" and body["room"]["prompts"] == list(spanish.prompts)
    assert [w["text"] for w in body["mine"]["words"]] == ["Me quedé con la caminata"]
    assert body["every"] == pacing.POLL_SECONDS
    response = answered(
        room_api.ROOM_PATH, {"token": token, "code": session.code, "proof": proof(session.code), "tab": TAB}
    )
    assert response.headers["cache-control"] == "no-store" and response.media_type == "application/json"


def test_a_held_question_is_answered_with_the_new_state_when_the_room_moves_on(app_ctx, admin_account, session):
    token = participation.join(app_ctx, session.code).token
    seen = ask(token, session.code)[1]["signature"]
    moved = threading.Timer(0.4, sessions.set_phase, (app_ctx, admin_account, session.id, Phase.CHECKIN))
    started = time.monotonic()
    moved.start()
    status, body = ask(token, session.code, seen=seen)
    waited = time.monotonic() - started
    assert status == 200 and body["room"]["phase"] == "checkin" and body["signature"] != seen
    assert 0.35 < waited < waits.HOLD_SECONDS  # held until the facilitator moved on, not longer
    assert process.room_waits().waiting() == 0


def test_a_question_held_until_the_hold_ends_says_ask_again(app_ctx, session, monkeypatch):
    monkeypatch.setattr(waits, "HOLD_SECONDS", 0.3)
    token = participation.join(app_ctx, session.code).token
    seen = ask(token, session.code)[1]["signature"]
    assert ask(token, session.code, seen=seen) == (200, {"signature": seen, "every": 0})
    assert process.room_waits().waiting() == 0


def test_a_question_about_a_room_already_moved_on_is_answered_without_the_hold(app_ctx, admin_account, session):
    token = participation.join(app_ctx, session.code).token
    seen = ask(token, session.code)[1]["signature"]
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.STORY)
    started = time.monotonic()
    assert ask(token, session.code, seen=seen)[1]["room"]["phase"] == "story"
    assert time.monotonic() - started < 2


def test_a_me_too_elsewhere_does_not_wake_a_phone_but_support_lines_and_prompts_do(
    app_ctx, admin_account, session, monkeypatch
):
    monkeypatch.setattr(waits, "HOLD_SECONDS", 0.6)
    token = participation.join(app_ctx, session.code).token
    seen = ask(token, session.code)[1]["signature"]
    participation.submit_word(app_ctx, participation.join(app_ctx, session.code).token, Kind.CHECKIN, "calm")
    assert ask(token, session.code, seen=seen) == (
        200,
        {"signature": seen, "every": 0},
    )  # a new version, nothing to draw
    support.push_resources(app_ctx, admin_account, session.id)
    body = ask(token, session.code, seen=seen)[1]
    assert body["room"]["resources"] == 1
    sessions.set_prompts(app_ctx, admin_account, session.id, ["What gave you hope today?"])
    assert ask(token, session.code, seen=body["signature"])[1]["room"]["prompts"] == ["What gave you hope today?"]


def test_a_held_question_ends_when_the_phone_goes_away(app_ctx, session):
    token = participation.join(app_ctx, session.code).token
    seen = ask(token, session.code)[1]["signature"]

    async def gone() -> dict:
        await asyncio.sleep(0.2)
        return {"type": "http.disconnect"}  # the tab closed, or the phone went to sleep

    started = time.monotonic()
    body = {"token": token, "code": session.code, "proof": proof(session.code), "tab": TAB, "seen": seen}
    assert answered(room_api.ROOM_PATH, body, receive=gone).status_code == 200
    assert time.monotonic() - started < 2 and process.room_waits().waiting() == 0


def test_past_the_most_questions_a_process_holds_they_are_answered_at_once(app_ctx, session, monkeypatch):
    monkeypatch.setattr(room_api, "MAX_HELD", 0)  # a flood of made-up tabs has filled the process
    token = participation.join(app_ctx, session.code).token
    seen = ask(token, session.code)[1]["signature"]
    started = time.monotonic()
    status, body = ask(token, session.code, seen=seen)
    assert status == 200 and body["signature"] == seen and body["room"]["phase"] == "welcome"
    assert time.monotonic() - started < waits.HOLD_SECONDS / 4


def test_a_token_of_another_room_or_none_has_no_place_here(app_ctx, admin_account, session):
    other = sessions.start_session(app_ctx, admin_account, "steady-hands", "Another circle")
    elsewhere = participation.join(app_ctx, other.code).token
    assert ask(elsewhere, session.code)[1]["error"] == "error.unknown_participant"
    assert ask("T" * 24, session.code)[0] == 404
    body = {"token": elsewhere, "code": session.code, "proof": proof(other.code), "tab": TAB}
    assert post(room_api.ROOM_PATH, body) == (404, {"error": "no such room"})  # another room's proof


def test_a_closed_room_answers_its_close_screen(app_ctx, admin_account, session):
    token = participation.join(app_ctx, session.code).token
    sessions.close_session(app_ctx, admin_account, session.id)
    room_part = ask(token, session.code)[1]["room"]
    assert (room_part["phase"], room_part["open"]) == ("close", False)


def test_more_cards_are_answered_when_asked_for(app_ctx, admin_account, session):
    organization.update_settings(app_ctx, admin_account, reveal_threshold=0)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.BOARD)
    writers = [participation.join(app_ctx, session.code).token for _ in range(3)]
    for n in range(15):
        card = participation.submit_reflection(app_ctx, writers[n % 3], f"thought {n}").contribution
        moderation.approve(app_ctx, admin_account, card.id)
    token = participation.join(app_ctx, session.code).token
    first = ask(token, session.code)[1]["room"]
    assert len(first["cards"]) == 12 and first["approved"] == 15
    assert len(ask(token, session.code, shown=24)[1]["room"]["cards"]) == 15


@pytest.mark.parametrize(
    "change",
    [
        {"tab": "XYZ"},
        {"tab": "0123456789ABCDEF"},
        {"tab": None},
        {"shown": 0},
        {"shown": 10**9},
        {"shown": True},
        {"seen": "reflect|open|-|0"},
        {"seen": "<b>|open|-|0|00000000"},
        {"seen": 5},
        {"code": "<b>hi</b>"},
        {"code": "A" * 13},
        {"token": "../etc"},
    ],
)
def test_the_room_endpoint_refuses_what_no_phone_would_send(app_ctx, session, change):
    body = {"token": "T" * 24, "code": session.code, "proof": proof(session.code), "tab": TAB, **change}
    assert post(room_api.ROOM_PATH, {k: v for k, v in body.items() if v is not None}) == (400, {"error": "bad request"})


@pytest.mark.parametrize("wrong", ["", "0" * 32, "not-hex", "ABCDEF0123456789ABCDEF0123456789"])
def test_without_its_rooms_proof_a_question_gets_404_whether_or_not_the_code_exists(app_ctx, session, wrong):
    token = participation.join(app_ctx, session.code).token
    for code in (session.code, "NOSUCH"):
        body = {"token": token, "code": code, "proof": wrong, "tab": TAB}
        assert post(room_api.ROOM_PATH, body) == (404, {"error": "no such room"})


def test_the_shared_part_is_made_once_for_every_phone_of_a_version_and_language(app_ctx, session, monkeypatch):
    from hopecircle.services import phone_room

    app_ctx.cache.scale = 1
    made: list[str] = []
    original = phone_room._room
    monkeypatch.setattr(phone_room, "_room", lambda *args: made.append(args[2]) or original(*args))
    tokens = [participation.join(app_ctx, session.code).token for _ in range(5)]
    answers = [ask(token, session.code)[1] for token in tokens]
    assert made == ["en"] and all(answer["room"] == answers[0]["room"] for answer in answers)
    ask(tokens[0], session.code, lang="es")
    assert made == ["en", "es"]


# -- the hope card ------------------------------------------------------------------------------------


def test_the_hope_card_is_the_phones_own_goal_drawn_as_the_card_always_is(app_ctx, admin_account, session):
    token = participation.join(app_ctx, session.code).token
    status, body = post(room_api.HOPE_CARD_PATH, {"token": token, "lang": "es", "date": "2026-11-24"})
    assert (status, body["error"]) == (422, "phone.card_no_goal") and body["message"].startswith("Todavía no hay")
    participation.submit_goal(app_ctx, token, GoalInput("call my sister", "Friday", "my neighbor", "community"))
    sessions.close_session(app_ctx, admin_account, session.id)  # the card is for after the session too
    today = app_ctx.clock().date()  # the phone's day, within a day of the server's
    response = answered(room_api.HOPE_CARD_PATH, {"token": token, "lang": "en", "date": today.isoformat()})
    assert response.status_code == 200 and response.media_type == "image/png"
    assert response.headers["content-disposition"] == 'attachment; filename="hope-card.png"'
    expected = hope_card.hope_card_png("call my sister", "Friday", "my neighbor", "community", "en", today)
    assert response.body == expected
    assert Image.open(io.BytesIO(response.body)).size == (hope_card.WIDTH, hope_card.HEIGHT)


def test_a_next_step_posted_has_its_hope_card_drawn_ahead_for_the_close(app_ctx, admin_account, session, monkeypatch):
    monkeypatch.setattr(app_ctx.cache, "scale", 1.0)  # kept, as in a running process
    drawn: list[tuple] = []

    def draw(*fields):
        drawn.append(fields)
        return hope_card.hope_card_png(*fields)

    monkeypatch.setattr(phone_room_service, "hope_card_png", draw)
    token = participation.join(app_ctx, session.code).token
    fields = {"what": "call my sister", "when": "Friday", "support": "", "dimension": "community"}
    assert post(phone_api.SEND_PATH, {"token": token, "form": "goal", "fields": fields, "lang": "en"})[0] == 200
    phone_api.CARDS.submit(lambda: None).result()  # the card thread has done what it was given
    assert len(drawn) == 1
    today = app_ctx.clock().date()
    response = answered(room_api.HOPE_CARD_PATH, {"token": token, "lang": "en", "date": today.isoformat()})
    assert response.status_code == 200 and len(drawn) == 1  # the close finds it drawn
    assert drawn[0][0] == "call my sister" and drawn[0][-2:] == ("en", today)
    assert response.body == hope_card.hope_card_png(*drawn[0])
    # A goal refused by the rules draws nothing ahead.
    assert post(phone_api.SEND_PATH, {"token": token, "form": "goal", "fields": {"what": ""}, "lang": "en"})[0] == 422
    phone_api.CARDS.submit(lambda: None).result()
    assert len(drawn) == 1


def test_the_hope_card_refuses_a_stranger_and_what_no_phone_would_send(app_ctx, session):
    assert post(room_api.HOPE_CARD_PATH, {"token": "T" * 24, "lang": "en"})[1]["error"] == "error.unknown_participant"
    assert post(room_api.HOPE_CARD_PATH, {"token": 5}) == (400, {"error": "bad request"})
    assert post(room_api.HOPE_CARD_PATH, b"not json") == (400, {"error": "bad request"})


# -- the page, served ---------------------------------------------------------------------------------


def test_served_a_scanned_code_shows_consent_drawn_by_the_room_component(app_ctx, session, served):
    at = page("join", code=session.code, lang="es")
    assert not at.exception and not at.button and not at.text_input  # no Streamlit widget: nothing reruns the page
    data = room_data(at)
    assert (data["code"], data["proof"], data["token"], data["state"]) == (session.code, proof(session.code), "", None)
    assert data["title"] == "Evening circle" and data["lang"] == "es" and data["typed"] is False
    assert data["strings"]["consent.join"] == "Entiendo, quiero unirme"
    assert data["setup"]["urls"]["join"] == room_api.JOIN_PATH and data["setup"]["privacy"] == "privacy?lang=es"
    consent = data["setup"]["consent"]
    assert consent[0] == {"list": False, "items": [[[True, "Antes de unirte"]]]} and consent[1]["list"] is True
    assert "988" in texts(at)  # the crisis bar, and the lines the component draws


def test_served_a_typed_code_keeps_the_code_box_and_its_rules(app_ctx, session, served):
    at = page("join")
    at.text_input(key="code").set_value("zzzzzz").run()
    assert "couldn't find a session with the code ZZZZZZ" in texts(at) and room_data(at) is None
    at.text_input(key="code").set_value(session.code.lower()).run()
    data = room_data(at)
    assert data["code"] == session.code and data["typed"] is True  # after joining, the room's own address


def test_served_a_phone_with_a_place_gets_its_room_state_in_the_page(app_ctx, admin_account, session, served):
    token = participation.join(app_ctx, session.code, "es").token
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    participation.submit_reflection(app_ctx, token, "La caminata")
    at = page("join", code=session.code, p=token, lang="es")
    data = room_data(at)
    assert data["token"] == token and data["state"]["room"]["phase"] == "reflect"
    assert [w["text"] for w in data["state"]["mine"]["words"]] == ["La caminata"]
    assert data["state"]["signature"].startswith("reflect|open|-|0|")
    assert not at.get("fragment") and not [el for el in at.get("bidi_component") if "watch" in el.proto.component_name]
    shown = texts(at)
    assert "La caminata" in shown and app_ctx.stories.translation("steady-hands", "es").prompts[0] in shown


def test_served_a_lost_place_offers_to_join_again(app_ctx, session, served):
    at = page("join", code=session.code, p="not-a-real-token")
    assert "couldn't find your place" in texts(at)
    data = room_data(at)
    assert data["token"] == "" and data["state"] is None and "p" not in at.query_params
