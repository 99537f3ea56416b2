"""The phone's room as data (shared per room version and language), joining by key, and the hope card."""

from __future__ import annotations

import json
from datetime import date

import pytest

from hopecircle import hope_card
from hopecircle.domain import Kind, Moment, Phase, SessionClosed, Status, UnknownParticipant
from hopecircle.services import moderation, organization, participation, phone_room, room, sessions, support
from hopecircle.services.participation import GoalInput


@pytest.fixture
def session(ctx, facilitator):
    return sessions.start_session(ctx, facilitator, "steady-hands", "Evening circle")


def shared(state) -> dict:
    return json.loads(state.room)


def test_the_room_reads_in_the_phones_own_language(ctx, facilitator, session, stories):
    token = participation.join(ctx, session.code, "es").token
    sessions.set_phase(ctx, facilitator, session.id, Phase.STORY)
    spanish = stories.get("steady-hands-es")
    room_part = shared(phone_room.state(ctx, token, "es"))
    assert room_part["phase"] == "story" and room_part["open"] is True
    assert room_part["storyteller"] == spanish.storyteller and room_part["notes"] == list(spanish.topic_notes)
    assert room_part["prompts"] == list(spanish.prompts) and room_part["next_step_prompt"] == spanish.next_step_prompt
    assert room_part["agreements"] == list(ctx.guides.agreements("es"))
    assert room_part["title"] == "Evening circle" and room_part["cards"] == []
    assert "988" in {line["call"] for line in room_part["lines"]} and room_part["verified"]
    english = shared(phone_room.state(ctx, token, "en"))
    assert english["prompts"] == list(stories.get("steady-hands").prompts)


def test_a_phone_reads_its_own_words_pulses_and_request(ctx, facilitator, session):
    token = participation.join(ctx, session.code).token
    participation.submit_word(ctx, token, Kind.CHECKIN, "hopeful")
    participation.submit_pulse(ctx, token, Moment.PRE, 6)
    participation.submit_reflection(ctx, token, "The walk <b>stayed</b>")
    participation.submit_goal(ctx, token, GoalInput("call my sister", "Friday", "my neighbor", "community"))
    support.ask_to_talk(ctx, token, "blue jacket")
    mine = phone_room.state(ctx, token, "en").mine
    assert [(word["kind"], word["text"], word["status"]) for word in mine["words"]] == [
        ("checkin", "hopeful", "pending"),
        ("reflection", "The walk <b>stayed</b>", "pending"),  # as typed: the phone sets it as text
        ("goal", "call my sister", "pending"),
    ]
    goal = mine["words"][2]
    assert (goal["when"], goal["support"], goal["dimension"]) == ("Friday", "my neighbor", "community")
    assert mine["pulses"] == {"pre": 6} and mine["talk"] is True and mine["card_left_out"] is False
    assert phone_room.mine(ctx, token) == mine
    with pytest.raises(UnknownParticipant):
        phone_room.state(ctx, "T" * 24, "en")


def test_the_rooms_part_is_made_once_per_version_and_language_and_shared(ctx, facilitator, session, monkeypatch):
    ctx.cache.scale = 1  # shared for real
    made = []
    original = phone_room._room
    monkeypatch.setattr(phone_room, "_room", lambda *args: made.append(args[2]) or original(*args))
    tokens = [participation.join(ctx, session.code, "en").token for _ in range(3)]
    states = [phone_room.state(ctx, token, "en") for token in tokens]
    assert made == ["en"] and len({state.room for state in states}) == 1
    assert states[0].room is states[2].room  # the same text, not a copy per phone
    phone_room.state(ctx, tokens[0], "es")
    assert made == ["en", "es"]
    sessions.set_phase(ctx, facilitator, session.id, Phase.REFLECT)  # a new version
    assert shared(phone_room.state(ctx, tokens[1], "en"))["phase"] == "reflect" and made == ["en", "es", "en"]


def test_the_board_part_has_the_page_of_cards_the_phone_shows(ctx, facilitator, admin, session):
    organization.update_settings(ctx, admin, reveal_threshold=0)
    sessions.set_phase(ctx, facilitator, session.id, Phase.BOARD)
    writer = participation.join(ctx, session.code, "es").token
    for n in range(3):
        moderation.approve(ctx, facilitator, participation.submit_reflection(ctx, writer, f"card {n}").contribution.id)
    goal = participation.submit_goal(ctx, writer, GoalInput("llamar a mi hermana", "el viernes", "mi vecina"))
    moderation.approve(ctx, facilitator, goal.contribution.id)
    reader = participation.join(ctx, session.code).token
    two = phone_room.state(ctx, reader, "en", shown=2)
    assert len(shared(two)["cards"]) == 2 and shared(two)["approved"] == 4
    everything = shared(phone_room.state(ctx, reader, "en", shown=12))
    texts = [card["text"] for card in everything["cards"]]
    # A goal reads in its writer's language, without who supports it (that stays on the writer's phone).
    assert "Voy a llamar a mi hermana para el viernes" in texts and not any("vecina" in text for text in texts)
    assert two.signature.split("|")[:3] == ["board", "open", "2"]
    assert phone_room.state(ctx, reader, "en", shown=12).signature.split("|")[2] == "4"


def test_a_phones_signature_matches_what_its_room_waits_compare(ctx, facilitator, session):
    token = participation.join(ctx, session.code).token
    state = phone_room.state(ctx, token, "en")
    assert room.room_signature(room.phone_room(ctx, session.code), 12) == state.signature
    assert state.signature.startswith("welcome|open|-|0|")
    assert room.phone_room(ctx, "NOSUCH") is None
    sessions.close_session(ctx, facilitator, session.id)
    assert phone_room.state(ctx, token, "en").signature.startswith("close|closed|-|0|")


def test_edited_prompts_and_agreements_change_what_a_phone_waits_for(ctx, facilitator, session, stories):
    token = participation.join(ctx, session.code).token
    before = phone_room.state(ctx, token, "en").signature
    sessions.set_prompts(ctx, facilitator, session.id, ["What gave you hope today?"])
    after = phone_room.state(ctx, token, "en")
    assert shared(after)["prompts"] == ["What gave you hope today?"]  # the facilitator's, in the session's language
    # A phone reading the story's Spanish version keeps that version's prompts, in its language.
    spanish = stories.translation("steady-hands", "es")
    assert shared(phone_room.state(ctx, token, "es"))["prompts"] == list(spanish.prompts)
    assert after.signature != before and after.signature.split("|")[:4] == before.split("|")[:4]
    sessions.set_agreements(ctx, facilitator, session.id, ["Listen first"])
    edited = phone_room.state(ctx, token, "en")
    assert edited.signature != after.signature and shared(edited)["agreements"] == ["Listen first"]


def test_the_answer_is_one_json_object_with_the_shared_part_as_kept(ctx, session):
    token = participation.join(ctx, session.code).token
    state = phone_room.state(ctx, token, "en")
    answer = json.loads(state.as_json(token=token, every=0))
    assert answer["signature"] == state.signature and answer["version"] == state.version
    assert answer["room"] == json.loads(state.room) and answer["mine"] == state.mine
    assert (answer["token"], answer["every"]) == (token, 0)


def test_the_same_join_key_finds_the_same_place(ctx, facilitator, session):
    first = participation.join(ctx, session.code, "es", key="k" * 32)
    version = room.live_state(ctx, session.id).version
    again = participation.join(ctx, session.code, "en", key="k" * 32)  # a double tap, a retry
    assert again.token == first.token and again.view.participant_id == first.view.participant_id
    assert again.view.language == "es" and room.live_state(ctx, session.id).version == version
    other = participation.join(ctx, session.code, "en", key="j" * 32)
    assert other.token != first.token and len(first.token) >= 24
    elsewhere = sessions.start_session(ctx, facilitator, "steady-hands")
    assert participation.join(ctx, elsewhere.code, "en", key="k" * 32).token != first.token


def test_joining_an_ended_session_by_key_is_refused(ctx, facilitator, session):
    sessions.close_session(ctx, facilitator, session.id)
    with pytest.raises(SessionClosed):
        participation.join(ctx, session.code, "en", key="k" * 32)


def test_the_hope_card_is_the_phones_own_next_step_as_the_card_draws_it(ctx, session):
    token = participation.join(ctx, session.code).token
    with pytest.raises(phone_room.NoGoalYet):
        phone_room.hope_card(ctx, token, "en", date(2026, 5, 4))
    participation.submit_goal(ctx, token, GoalInput("call my sister", "Friday", "my neighbor", "community"))
    png = phone_room.hope_card(ctx, token, "es", date(2026, 5, 4))
    assert png == hope_card.hope_card_png(
        "call my sister", "Friday", "my neighbor", "community", "es", date(2026, 5, 4)
    )
    with pytest.raises(UnknownParticipant):
        phone_room.hope_card(ctx, "T" * 24, "en", date(2026, 5, 4))


def test_the_card_is_dated_on_the_phones_day_within_a_day_of_the_servers(ctx, clock):
    today = clock().date()
    assert phone_room.card_date(ctx, today.isoformat()) == today
    tomorrow = date.fromordinal(today.toordinal() + 1)
    assert phone_room.card_date(ctx, tomorrow.isoformat()) == tomorrow  # a phone already past midnight
    for said in ("2001-01-01", "not a date", None, 20260504, "2026-13-45", "2026-05-04T00:00"):
        assert phone_room.card_date(ctx, said) == today


def test_a_held_word_shows_its_status_on_the_phone(ctx, facilitator, session):
    token = participation.join(ctx, session.code).token
    risky = participation.submit_reflection(ctx, token, "i want to end it all tonight")
    assert risky.contribution.status is Status.HELD
    assert phone_room.mine(ctx, token)["words"][0]["status"] == "held"
