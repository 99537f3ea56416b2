"""Every phone write by post: words, "me too", pulses, edits, deletes, the request to talk, the language."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from starlette.requests import Request

from hopecircle import http, process
from hopecircle.domain import (
    MAX_REFLECTION_CHARS,
    MAX_REFLECTIONS_PER_PARTICIPANT,
    MAX_WORD_CHARS,
    Kind,
    Phase,
    Status,
)
from hopecircle.http import phone as phone_api
from hopecircle.http import phone_room as room_api
from hopecircle.services import moderation, organization, participation, sessions, support

ENDPOINTS = {
    phone_api.SEND_PATH: phone_api.send_endpoint,
    phone_api.ME_TOO_PATH: phone_api.me_too_endpoint,
    phone_api.PULSE_PATH: phone_api.pulse_endpoint,
    phone_api.EDIT_PATH: phone_api.edit_endpoint,
    phone_api.DELETE_PATH: phone_api.delete_endpoint,
    phone_api.TALK_PATH: phone_api.talk_endpoint,
    phone_api.LANGUAGE_PATH: phone_api.language_endpoint,
    room_api.JOIN_PATH: room_api.join_endpoint,
    room_api.ROOM_PATH: room_api.room_endpoint,
    room_api.HOPE_CARD_PATH: room_api.hope_card_endpoint,
}


def request(path: str, body: object, content_type: str = "application/json", receive=None) -> Request:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    chunks = [raw[n : n + 4096] for n in range(0, len(raw), 4096)] or [b""]

    async def read() -> dict:
        if chunks:
            chunk = chunks.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}
        if receive is not None:
            return await receive()
        await asyncio.sleep(3600)  # the phone is still there
        return {"type": "http.disconnect"}

    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "query_string": query.encode(),
        "headers": [(b"content-type", content_type.encode())],
    }
    return Request(scope, read)


def answered(path: str, body: object, content_type: str = "application/json", receive=None):
    """The endpoint's response to a post of `body` (raw bytes as they are, anything else as JSON)."""
    endpoint = ENDPOINTS[path.partition("?")[0]]
    response = asyncio.run(endpoint(request(path, body, content_type, receive)))
    assert response.headers["cache-control"] == "no-store"
    return response


def post(path: str, body: object, content_type: str = "application/json") -> tuple[int, dict]:
    response = answered(path, body, content_type)
    return response.status_code, json.loads(response.body)


def send(token: str, form: str = "reflection", lang: str = "en", **fields: object) -> tuple[int, dict]:
    return post(phone_api.SEND_PATH, {"token": token, "form": form, "fields": fields, "lang": lang})


def without_mine(body: dict) -> dict:
    return {key: value for key, value in body.items() if key != "mine"}


@pytest.fixture
def room(app_ctx, admin_account):
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    return session


def test_a_reflection_posted_is_saved_once_and_answered_with_its_sentence(app_ctx, admin_account, room):
    token = participation.join(app_ctx, room.code).token
    status, body = send(token, text="The part about the <b>letters</b> **stayed**")
    assert (status, without_mine(body)) == (
        200,
        {"status": "pending", "message": "Thank you. The facilitator will add it to the board.", "support": False},
    )
    # The answer brings the phone's own part as it is now: its screen needs no second question.
    assert [(w["kind"], w["text"], w["status"]) for w in body["mine"]["words"]] == [
        ("reflection", "The part about the <b>letters</b> **stayed**", "pending")
    ]
    assert send(token, text="The part about the <b>letters</b> **stayed**")[0] == 200  # a double tap, a retry
    (saved,) = participation.resume(app_ctx, token).contributions
    assert (saved.kind, saved.body) == (Kind.REFLECTION, "The part about the <b>letters</b> **stayed**")
    # In the phone's language, and "on the board" when the room approves by itself.
    sessions.set_auto_approve(app_ctx, admin_account, room.id, True)
    status, body = send(token, lang="es", text="Gracias 🙏 por la historia")
    assert (status, without_mine(body)) == (
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
    status, body = send(token, "goal", what="call my brother", when="", support="my sponsor", dimension="community")
    assert status == 200 and [w["text"] for w in body["mine"]["words"]] == ["call my brother"]
    (goal,) = participation.resume(app_ctx, token).contributions
    assert (goal.body, goal.goal_when, goal.goal_support, goal.dimension) == (
        "call my brother",
        None,
        "my sponsor",
        "community",
    )
    status, body = send(token, "goal", what="walk", dimension="astrology")
    assert (status, body["error"]) == (422, "error.invalid_choice")


@pytest.mark.parametrize("form", ["checkin", "checkout"])
def test_a_check_in_or_check_out_word_is_posted_and_a_second_replaces_it(app_ctx, admin_account, room, form):
    token = participation.join(app_ctx, room.code).token
    assert send(token, form, text="🙂")[0] == 200
    status, body = send(token, form, lang="es", text="esperanza")
    assert (status, body["status"], body["message"]) == (
        200,
        "pending",
        "Gracias. Quien facilita lo va a agregar al tablero.",
    )
    assert [(w["kind"], w["text"]) for w in body["mine"]["words"]] == [(form, "esperanza")]
    status, body = send(token, form, text="x" * (MAX_WORD_CHARS + 1))
    assert (status, body["error"]) == (422, "error.text_too_long") and str(MAX_WORD_CHARS) in body["message"]
    assert send(token, form, text="   ")[1]["error"] == "error.empty_text"


def test_a_pulse_is_saved_replaced_taken_back_and_a_number_off_the_scale_says_so(app_ctx, admin_account, room):
    token = participation.join(app_ctx, room.code).token
    status, body = post(phone_api.PULSE_PATH, {"token": token, "moment": "pre", "value": 4})
    assert (status, body["message"], body["mine"]["pulses"]) == (
        200,
        "Saved. You can change or remove it while the session is open.",
        {"pre": 4},
    )
    assert post(phone_api.PULSE_PATH, {"token": token, "moment": "pre", "value": 7})[1]["mine"]["pulses"] == {"pre": 7}
    status, body = post(phone_api.PULSE_PATH, {"token": token, "moment": "pre", "value": None, "lang": "es"})
    assert (status, body["message"], body["mine"]["pulses"]) == (200, "Quitamos tu respuesta.", {})
    status, body = post(phone_api.PULSE_PATH, {"token": token, "moment": "post", "value": 11})
    assert status == 422 and body["message"]
    assert participation.resume(app_ctx, token).pulses == {}
    sessions.close_session(app_ctx, admin_account, room.id)
    assert post(phone_api.PULSE_PATH, {"token": token, "moment": "post", "value": 5})[0] == 409


def test_a_phone_edits_its_own_reflection_and_no_one_elses(app_ctx, admin_account, room):
    token, other = (participation.join(app_ctx, room.code).token for _ in range(2))
    mine = participation.submit_reflection(app_ctx, token, "First thought").contribution
    moderation.approve(app_ctx, admin_account, mine.id)
    status, body = post(phone_api.EDIT_PATH, {"token": token, "id": mine.id, "text": "Second thought"})
    # New words go back through review.
    assert (status, body["status"], body["message"]) == (
        200,
        "pending",
        "Thank you. The facilitator will add it to the board.",
    )
    assert [(w["text"], w["status"]) for w in body["mine"]["words"]] == [("Second thought", "pending")]
    status, body = post(phone_api.EDIT_PATH, {"token": other, "id": mine.id, "text": "Not mine"})
    assert (status, body["error"]) == (422, "error.not_yours")
    status, body = post(phone_api.EDIT_PATH, {"token": token, "id": mine.id, "text": "x" * (MAX_REFLECTION_CHARS + 1)})
    assert (status, body["error"]) == (422, "error.text_too_long")
    assert participation.resume(app_ctx, token).contributions[0].body == "Second thought"
    sessions.close_session(app_ctx, admin_account, room.id)
    assert post(phone_api.EDIT_PATH, {"token": token, "id": mine.id, "text": "Too late"})[0] == 409


def test_a_phone_deletes_its_own_words_once_and_no_one_elses(app_ctx, room):
    token, other = (participation.join(app_ctx, room.code).token for _ in range(2))
    mine = participation.submit_reflection(app_ctx, token, "Take this back").contribution
    theirs = participation.submit_reflection(app_ctx, other, "Keep mine").contribution
    assert post(phone_api.DELETE_PATH, {"token": token, "id": theirs.id}) == (
        422,
        {"error": "error.not_yours", "message": "You can only change what you wrote yourself."},
    )
    status, body = post(phone_api.DELETE_PATH, {"token": token, "id": mine.id, "lang": "es"})
    assert (status, body["message"], body["mine"]["words"]) == (200, "Se borró.", [])
    status, body = post(phone_api.DELETE_PATH, {"token": token, "id": mine.id})  # a second tap
    assert (status, body["error"]) == (422, "error.contribution_gone")
    assert [c.body for c in participation.resume(app_ctx, other).contributions] == ["Keep mine"]


def test_a_send_from_the_outbox_is_stored_once_by_its_key_and_withdrawn_by_it(app_ctx, room):
    token = participation.join(app_ctx, room.code).token
    key = "outbox-key-0123456789"

    def keyed(text: str, key: str = key) -> tuple[int, dict]:
        return post(phone_api.SEND_PATH, {"token": token, "form": "reflection", "fields": {"text": text}, "key": key})

    assert keyed("Sent through the drop")[0] == 200
    assert keyed("Sent through the drop")[0] == 200  # the answer was lost; the outbox tries again
    assert [c.body for c in participation.resume(app_ctx, token).contributions] == ["Sent through the drop"]
    status, body = keyed("Edited while it waited")
    assert [(w["text"], w["status"]) for w in body["mine"]["words"]] == [("Edited while it waited", "pending")]
    assert keyed("Sent through the drop", key="another-key-0123456789")[0] == 200  # another send, same words
    withdrawn = {"token": token, "form": "reflection", "key": key, "lang": "es"}
    status, body = post(phone_api.DELETE_PATH, withdrawn)
    assert (status, body["message"]) == (200, "Se borró.")
    assert [w["text"] for w in body["mine"]["words"]] == ["Sent through the drop"]
    assert post(phone_api.DELETE_PATH, withdrawn)[0] == 200  # withdrawn again, or never arrived: nothing to say


def test_a_phone_asks_to_talk_with_a_note_and_takes_it_back(app_ctx, admin_account, room):
    token = participation.join(app_ctx, room.code).token
    status, body = post(phone_api.TALK_PATH, {"token": token, "on": True, "note": "red hoodie"})
    assert (status, body["talk"], body["mine"]["talk"]) == (200, True, True)
    assert body["message"] == "The facilitator knows you'd like to talk after the group."
    assert [r.note for r in support.requests_for(app_ctx, admin_account, room.id)] == ["red hoodie"]
    status, body = post(phone_api.TALK_PATH, {"token": token, "on": True, "note": "x" * (support.MAX_NOTE_CHARS + 1)})
    assert (status, body["error"]) == (422, "error.text_too_long")
    status, body = post(phone_api.TALK_PATH, {"token": token, "on": False, "lang": "es"})
    assert (status, body["talk"], body["message"]) == (200, False, "Cancelaste tu pedido de hablar.")
    assert support.requests_for(app_ctx, admin_account, room.id) == []
    sessions.close_session(app_ctx, admin_account, room.id)
    assert post(phone_api.TALK_PATH, {"token": token, "on": True, "note": ""})[0] == 409


def test_a_phone_keeps_the_language_it_reads_in(app_ctx, room):
    token = participation.join(app_ctx, room.code).token
    assert post(phone_api.LANGUAGE_PATH, {"token": token, "lang": "es"}) == (200, {"lang": "es"})
    assert participation.resume(app_ctx, token).language == "es"
    assert post(phone_api.LANGUAGE_PATH, {"token": token, "lang": "xx"}) == (400, {"error": "bad request"})
    assert post(phone_api.LANGUAGE_PATH, {"token": "T" * 24, "lang": "es"})[0] == 404


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
        ({"token": "T" * 24, "form": "reflection", "fields": {"text": "hi"}, "key": "short"}, "application/json"),
        ({"token": "T" * 24, "form": "reflection", "fields": {"text": "hi"}, "key": None}, "application/json"),
        ({"token": "T" * 24, "form": "reflection", "fields": {"text": "hi"}, "key": "k/" * 10}, "application/json"),
    ],
)
def test_the_send_endpoint_refuses_what_no_phone_would_send(app_ctx, body, content_type):
    assert post(phone_api.SEND_PATH, body, content_type) == (400, {"error": "bad request"})


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (phone_api.PULSE_PATH, {"token": "T" * 24, "moment": "during", "value": 3}),
        (phone_api.PULSE_PATH, {"token": "T" * 24, "moment": "pre", "value": "3"}),
        (phone_api.PULSE_PATH, {"token": "T" * 24, "moment": "pre", "value": True}),
        (phone_api.PULSE_PATH, {"token": "T" * 24, "moment": "pre", "value": 3.5}),
        (phone_api.PULSE_PATH, {"token": "T" * 24, "moment": "pre", "value": 10**30}),
        (phone_api.EDIT_PATH, {"token": "T" * 24, "id": "1", "text": "hi"}),
        (phone_api.EDIT_PATH, {"token": "T" * 24, "id": 1, "text": ["hi"]}),
        (phone_api.EDIT_PATH, {"token": "T" * 24, "id": 2**64, "text": "hi"}),
        (phone_api.DELETE_PATH, {"token": "T" * 24, "id": 0}),
        (phone_api.DELETE_PATH, {"token": "T" * 24, "id": True}),
        (phone_api.DELETE_PATH, {"token": "T" * 24, "key": "K" * 24}),
        (phone_api.DELETE_PATH, {"token": "T" * 24, "key": "K" * 24, "form": "pulse"}),
        (phone_api.DELETE_PATH, {"token": "T" * 24, "key": 5, "form": "reflection"}),
        (phone_api.TALK_PATH, {"token": "T" * 24, "on": "yes", "note": ""}),
        (phone_api.TALK_PATH, {"token": "T" * 24, "on": True, "note": 5}),
        (phone_api.LANGUAGE_PATH, {"token": "T" * 24}),
        (phone_api.ME_TOO_PATH, {"token": "T" * 24, "card": "1", "on": True}),
        (phone_api.ME_TOO_PATH, {"token": "T" * 24, "card": True, "on": True}),
        (phone_api.ME_TOO_PATH, {"token": "T" * 24, "card": 1, "on": "yes"}),
        (phone_api.ME_TOO_PATH, {"token": "T" * 24, "card": 1}),
        (phone_api.ME_TOO_PATH, {"token": 5, "card": 1, "on": True}),
    ],
)
def test_every_write_refuses_what_no_phone_would_send(app_ctx, path, body):
    assert post(path, body) == (400, {"error": "bad request"})


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
    for path in ENDPOINTS:
        assert post(path, deep) == (400, {"error": "bad request"}), path
    assert not participation.resume(app_ctx, token).contributions


@pytest.mark.parametrize("card", [2**64, 2**63, -1, 0, 10**30])
def test_a_card_number_past_any_row_is_refused_not_a_crash(app_ctx, room, card):
    token = participation.join(app_ctx, room.code).token
    assert post(phone_api.ME_TOO_PATH, {"token": token, "card": card, "on": True}) == (400, {"error": "bad request"})


@pytest.mark.parametrize("path", [phone_api.SEND_PATH, phone_api.EDIT_PATH])
def test_a_post_too_big_to_read_is_refused_with_a_sentence_in_the_phones_language(app_ctx, room, path):
    token = participation.join(app_ctx, room.code).token
    huge = {
        "token": token,
        "form": "reflection",
        "id": 1,
        "text": "y",
        "fields": {"text": "y" * (phone_api.MAX_BODY + 1)},
    }
    status, body = post(path + "?lang=es", huge)
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


def test_words_sent_by_post_and_by_the_streamlit_form_are_stored_once(app_ctx, room):
    token = participation.join(app_ctx, room.code).token
    assert send(token, text="The same words")[0] == 200
    participation.submit_reflection(app_ctx, token, "The same words")  # what the form's callback calls
    participation.submit_word(app_ctx, token, Kind.CHECKIN, "calm")
    assert send(token, "checkin", text="calm")[0] == 200
    assert sorted(c.body for c in participation.resume(app_ctx, token).contributions) == ["The same words", "calm"]


def test_routes_mount_every_post_and_say_this_process_serves_them(monkeypatch):
    monkeypatch.setattr(process, "_served", threading.Event())
    assert not process.served()
    routes = http.routes(cookie_secret="a shared secret")
    mounted = {(route.path, frozenset(route.methods)) for route in routes}
    assert {(path, frozenset({"POST"})) for path in ENDPOINTS} <= mounted
    assert not any(path.startswith("/api/rooms/") for path, _methods in mounted)  # phones ask by post now
    assert process.served()
