"""The phone's posts (its words and its "me too") over HTTP, and the forms that post them."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

import pytest
from starlette.requests import Request

from bench.load.client import Element, component_event
from hopecircle import http, process
from hopecircle.domain import MAX_REFLECTION_CHARS, MAX_REFLECTIONS_PER_PARTICIPANT, Kind, Phase, Status
from hopecircle.http import phone as phone_api
from hopecircle.services import moderation, organization, participation, sessions
from hopecircle.ui import runs
from hopecircle.ui.phone import SUPPORT_NEEDED
from hopecircle.ui.phone_board import CARDS_COMPONENT
from hopecircle.ui.phone_posted import FORM_COMPONENT
from tests.app.conftest import page, phone_cards, texts


def post(path: str, body: object, content_type: str = "application/json") -> tuple[int, dict]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
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
    endpoint = phone_api.send_endpoint if path == phone_api.SEND_PATH else phone_api.me_too_endpoint
    response = asyncio.run(endpoint(Request(scope, receive)))
    assert response.headers["cache-control"] == "no-store"
    return response.status_code, json.loads(response.body)


def send(token: str, form: str = "reflection", lang: str = "en", **fields: object) -> tuple[int, dict]:
    return post(phone_api.SEND_PATH, {"token": token, "form": form, "fields": fields, "lang": lang})


@pytest.fixture
def room(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    return session


def test_a_reflection_posted_is_saved_once_and_answered_with_its_sentence(app_ctx, admin_account, room):
    token = participation.join(app_ctx, room.code).token
    assert send(token, text="The part about the <b>letters</b> **stayed**") == (
        200,
        {"status": "pending", "message": "Thank you. The facilitator will add it to the board.", "support": False},
    )
    assert send(token, text="The part about the <b>letters</b> **stayed**")[0] == 200  # a double tap, a retry
    (saved,) = participation.resume(app_ctx, token).contributions
    assert (saved.kind, saved.body) == (Kind.REFLECTION, "The part about the <b>letters</b> **stayed**")
    # In the phone's language, and "on the board" when the room approves by itself.
    sessions.set_auto_approve(app_ctx, admin_account, room.id, True)
    assert send(token, lang="es", text="Gracias 🙏 por la historia") == (
        200,
        {"status": "approved", "message": "Gracias. Ya está en el tablero.", "support": False},
    )


def test_words_that_may_signal_risk_are_held_and_bring_support(app_ctx, room):
    token = participation.join(app_ctx, room.code).token
    status, body = send(token, text="honestly I don't want to be here anymore")
    assert (status, body["status"], body["support"]) == (200, "held", True)
    assert body["message"] == "Thank you. The facilitator will look at it before anything is shown."
    assert participation.resume(app_ctx, token).contributions[0].status is Status.HELD


def test_a_goal_posted_is_saved_and_a_second_post_updates_it(app_ctx, admin_account, room):
    sessions.set_phase(app_ctx, admin_account, room.id, Phase.NEXT_STEP)
    token = participation.join(app_ctx, room.code).token
    assert send(token, "goal", what="call my sister", when="Friday", support="", dimension="")[0] == 200
    assert send(token, "goal", what="call my brother", when="", support="my sponsor", dimension="community")[0] == 200
    (goal,) = participation.resume(app_ctx, token).contributions
    assert (goal.body, goal.goal_when, goal.goal_support, goal.dimension) == (
        "call my brother",
        None,
        "my sponsor",
        "community",
    )
    status, body = send(token, "goal", what="walk", dimension="astrology")
    assert (status, body["error"]) == (422, "error.invalid_choice")


@pytest.mark.parametrize(
    ("words", "status", "sentence"),
    [
        ("   ", 422, "There's nothing to send yet"),
        ("x" * (MAX_REFLECTION_CHARS + 1), 422, f"That's {MAX_REFLECTION_CHARS + 1} characters"),
        ("y" * 20_000, 422, "That's 20000 characters"),
        ("\u200b\u200b\u2800\u3164\x00", 422, "Nothing in these words can be seen"),
        ("\u202e\u2066\U000e0041\u200d", 422, "Nothing in these words can be seen"),
    ],
)
def test_words_the_rules_refuse_are_answered_with_a_sentence_and_nothing_saved(app_ctx, room, words, status, sentence):
    token = participation.join(app_ctx, room.code).token
    answer = send(token, text=words)
    assert answer[0] == status and answer[1]["message"].startswith(sentence)
    assert not participation.resume(app_ctx, token).contributions


def test_the_reflection_limit_a_lost_place_and_an_ended_session_each_say_so(app_ctx, admin_account, room):
    token = participation.join(app_ctx, room.code).token
    for n in range(MAX_REFLECTIONS_PER_PARTICIPANT):
        assert send(token, text=f"thought number {n}")[0] == 200
    status, body = send(token, text="one more")
    assert (status, body["error"]) == (422, "error.limit_reached")
    assert str(MAX_REFLECTIONS_PER_PARTICIPANT) in body["message"]
    status, body = send("A" * 24, text="who am I")
    assert (status, body["error"]) == (404, "error.unknown_participant")
    sessions.close_session(app_ctx, admin_account, room.id)
    status, body = send(token, lang="es", text="too late")
    assert (status, body["error"]) == (409, "error.session_closed") and body["message"].startswith("Esta sesión")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (json.dumps({"token": "T" * 24, "form": "reflection", "fields": {"text": "hi"}}).encode(), "text/plain"),
        ({"token": "T" * 24, "form": "pulse", "fields": {"text": "hi"}}, "application/json"),
        ({"token": "T" * 24, "form": "reflection", "fields": "hi"}, "application/json"),
        ({"token": "T" * 24, "form": "reflection", "fields": {"text": 5}}, "application/json"),
        ({"token": "../etc", "form": "reflection", "fields": {"text": "hi"}}, "application/json"),
        ({"form": "reflection", "fields": {"text": "hi"}}, "application/json"),
    ],
)
def test_the_send_endpoint_refuses_what_no_phone_would_send(app_ctx, body, content_type):
    assert post(phone_api.SEND_PATH, body, content_type) == (400, {"error": "bad request"})


def test_a_lone_surrogate_is_stored_as_a_replacement_character_not_a_crash(app_ctx, room):
    token = participation.join(app_ctx, room.code).token
    raw = b'{"token": "%s", "form": "reflection", "fields": {"text": "half an emoji \\ud83d here"}, "lang": "en"}'
    assert post(phone_api.SEND_PATH, raw % token.encode())[0] == 200
    (saved,) = participation.resume(app_ctx, token).contributions
    assert saved.body == "half an emoji \ufffd here"
    goal = b'{"token": "%s", "form": "goal", "fields": {"what": "\\udfff", "when": "\\ud800"}}'
    assert post(phone_api.SEND_PATH, goal % token.encode())[0] == 200


def test_a_body_nested_past_any_page_is_refused_not_a_crash(app_ctx, room):
    token = participation.join(app_ctx, room.code).token
    deep = b'{"token": "' + token.encode() + b'", "a": ' + b"[" * 100_000
    for path in (phone_api.SEND_PATH, phone_api.ME_TOO_PATH):
        assert post(path, deep) == (400, {"error": "bad request"})
    assert not participation.resume(app_ctx, token).contributions


@pytest.mark.parametrize("card", [2**64, 2**63, -1, 0, 10**30])
def test_a_card_number_past_any_row_is_refused_not_a_crash(app_ctx, room, card):
    token = participation.join(app_ctx, room.code).token
    assert post(phone_api.ME_TOO_PATH, {"token": token, "card": card, "on": True}) == (400, {"error": "bad request"})


def test_a_post_too_big_to_read_is_refused_with_a_sentence_in_the_phones_language(app_ctx, room):
    token = participation.join(app_ctx, room.code).token
    huge = {"token": token, "form": "reflection", "fields": {"text": "y" * (phone_api.MAX_BODY + 1)}}
    status, body = post(phone_api.SEND_PATH + "?lang=es", huge)
    assert (status, body["error"]) == (413, "too_big") and body["message"].startswith("Es demasiado largo")
    assert not participation.resume(app_ctx, token).contributions


def test_a_me_too_posted_is_set_once_and_answered_with_the_cards_new_label(app_ctx, admin_account, room):
    organization.update_settings(app_ctx, admin_account, reveal_threshold=0)
    author, reader = (participation.join(app_ctx, room.code).token for _ in range(2))
    card = participation.submit_reflection(app_ctx, author, "Soup on Tuesdays").contribution
    status, body = post(phone_api.ME_TOO_PATH, {"token": reader, "card": card.id, "on": True})
    assert (status, body["error"]) == (422, "error.invalid_choice")  # not on the board yet
    moderation.approve(app_ctx, admin_account, card.id)
    for _ in range(2):  # a double tap, or a retry after a lost answer
        answer = post(phone_api.ME_TOO_PATH, {"token": reader, "card": card.id, "on": True, "lang": "es"})
        assert answer == (200, {"added": True, "count": 1, "label": "Yo también ✓ (1)"})
    assert post(phone_api.ME_TOO_PATH, {"token": reader, "card": card.id, "on": False}) == (
        200,
        {"added": False, "count": 0, "label": "Me too (0)"},
    )
    assert participation.resume(app_ctx, reader).my_reactions == frozenset()
    sessions.close_session(app_ctx, admin_account, room.id)
    status, body = post(phone_api.ME_TOO_PATH, {"token": reader, "card": card.id, "on": True})
    assert (status, body["error"]) == (409, "error.session_closed")


@pytest.mark.parametrize(
    "body",
    [
        {"token": "T" * 24, "card": "1", "on": True},
        {"token": "T" * 24, "card": True, "on": True},
        {"token": "T" * 24, "card": 1, "on": "yes"},
        {"token": "T" * 24, "card": 1},
        {"token": 5, "card": 1, "on": True},
    ],
)
def test_the_me_too_endpoint_refuses_what_no_phone_would_send(app_ctx, body):
    assert post(phone_api.ME_TOO_PATH, body) == (400, {"error": "bad request"})


def test_routes_mount_both_posts_and_say_this_process_serves_them(monkeypatch):
    monkeypatch.setattr(process, "_served", threading.Event())
    assert not process.served()
    routes = http.routes(cookie_secret="a shared secret")
    assert {(route.path, frozenset(route.methods)) for route in routes} >= {
        (phone_api.SEND_PATH, frozenset({"POST"})),
        (phone_api.ME_TOO_PATH, frozenset({"POST"})),
    }
    assert process.served()


# The page, served through serve.py: the forms and the board post; the script only redraws.


def form_data(at, form: str) -> dict:
    (found,) = [el for el in at.get("bidi_component") if el.proto.component_name == FORM_COMPONENT]
    data = json.loads(found.proto.json)
    assert data["form"] == form
    return {**data, "fields": json.loads(data["fields"]), "choice": json.loads(data["choice"])}


def form_event(at, value: object):
    """What the form's JavaScript tells the page after a post (`{"support": ...}` or `{"refresh": true}`)."""
    (found,) = [el for el in at.get("bidi_component") if el.proto.component_name == FORM_COMPONENT]
    states = at._tree.get_widget_states()
    states.widgets.append(component_event(Element(kind="bidi_component", id=found.proto.id), "sent", value))
    return at._run(states)


def test_served_the_reflect_screen_posts_its_form_and_redraws_only_for_an_open_list(app_ctx, room, served):
    token = participation.join(app_ctx, room.code).token
    at = page("join", code=room.code, p=token)
    assert not at.text_area  # no Streamlit form: the form component posts
    data = form_data(at, "reflection")
    assert (data["url"], data["token"], data["lang"], data["submit"]) == (phone_api.SEND_PATH, token, "en", "Share")
    assert data["fields"] == [
        {
            "name": "text",
            "label": f"Your reflection (anonymous, up to {MAX_REFLECTION_CHARS} characters)",
            "placeholder": "What stayed with you?",
            "multiline": True,
        }
    ]
    assert data["choice"] is None and data["failed"].startswith("Not sent yet")
    # Nothing redraws after a send (a count here would lag): the list is read when it opens.
    assert data["redraw"] is False and [e.label for e in at.expander] == ["What I've shared"]
    assert send(token, text="Soup on Tuesdays")[0] == 200
    at.session_state["mine"] = True  # the phone opens its list
    at.run()
    assert "Soup on Tuesdays" in texts(at)
    # With the list open, a send asks for the redraw that shows the new words there.
    assert form_data(at, "reflection")["redraw"] is True
    assert send(token, text="A walk after work")[0] == 200
    form_event(at, {"support": False})
    assert not at.exception and "A walk after work" in texts(at)
    assert not at.success and not at.info  # the form itself said thank you


@pytest.mark.parametrize(("posted", "urgent"), [({"support": False}, False), ({"support": True}, True)])
def test_the_redraw_after_a_post_waits_behind_sends_unless_support_is_needed(app_ctx, monkeypatch, posted, urgent):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(runs, "is_tick", lambda: True)  # the room screen's own run, as after a post
    at = AppTest.from_file(str(Path(__file__).with_name("room_turn_script.py")))
    at.session_state["posted"] = posted
    before = dict(process.GATE.admitted)
    at.run()
    assert not at.exception and at.markdown[0].value == "room screen drawn"
    assert process.GATE.admitted == {True: before[True] + urgent, False: before[False] + (not urgent)}
    assert ("reflection-done" in at.session_state) is urgent  # the support message, under the form
    if urgent:
        assert at.session_state["reflection-done"] == SUPPORT_NEEDED


def test_served_risky_words_bring_the_support_message_and_crisis_lines_at_once(app_ctx, room, served):
    token = participation.join(app_ctx, room.code).token
    at = page("join", code=room.code, p=token)
    assert send(token, text="honestly I don't want to be here anymore")[1]["support"] is True
    form_event(at, {"support": True})
    shown = texts(at)
    assert "It sounds like things may be really hard" in shown and "988" in shown
    assert at.text_input(key="talk-note") is not None  # and the offer to talk after the group


def test_served_form_events_no_page_would_send_are_ignored(app_ctx, room, served):
    token = participation.join(app_ctx, room.code).token
    at = page("join", code=room.code, p=token)
    for value in (None, "support", 1, [True], {"support": "yes"}):
        form_event(at, value)
        assert not at.exception and not at.error and "It sounds like" not in texts(at)


def test_served_the_next_step_screen_fills_the_form_with_the_goal_saved_in_the_phones_language(
    app_ctx, admin_account, room, served
):
    sessions.set_phase(app_ctx, admin_account, room.id, Phase.NEXT_STEP)
    token = participation.join(app_ctx, room.code, "es").token
    assert send(token, "goal", what="llamar a mi hermana", when="viernes", dimension="health")[0] == 200
    at = page("join", code=room.code, p=token, lang="es")
    data = form_data(at, "goal")
    assert data["lang"] == "es" and data["submit"] == data["submitted"] == "Actualizar mi próximo paso"
    assert [(f["name"], f["value"]) for f in data["fields"]] == [
        ("what", "llamar a mi hermana"),
        ("when", "viernes"),
        ("support", ""),
    ]
    assert data["choice"]["value"] == "health" and ["health", "Salud"] in data["choice"]["options"]


def test_served_the_phones_board_posts_its_me_too(app_ctx, admin_account, room, served):
    organization.update_settings(app_ctx, admin_account, reveal_threshold=0)
    sessions.set_phase(app_ctx, admin_account, room.id, Phase.BOARD)
    author = participation.join(app_ctx, room.code).token
    moderation.approve(
        app_ctx, admin_account, participation.submit_reflection(app_ctx, author, "A walk").contribution.id
    )
    token = participation.join(app_ctx, room.code).token
    at = page("join", code=room.code, p=token)
    (cards,) = [el for el in at.get("bidi_component") if el.proto.component_name == CARDS_COMPONENT]
    data = json.loads(cards.proto.json)
    assert (data["url"], data["token"], data["lang"]) == (phone_api.ME_TOO_PATH, token, "en")
    assert [card["text"] for card in phone_cards(at)] == ["A walk"]
