"""Facilitator use cases on a real database: start, phases, story sections, close, ownership."""

from __future__ import annotations

import pytest

from hopecircle.domain import JOIN_CODE_ALPHABET, NotAuthorized, Phase, SessionClosed, UnknownStory
from hopecircle.services import accounts, room, sessions
from hopecircle.services.sessions import SessionNotFound
from tests.conftest import PASSWORD


def test_starting_a_session_gives_a_code_a_board_key_and_the_welcome_phase(ctx, facilitator):
    session = sessions.start_session(ctx, facilitator, "the-long-way-home", "", "Eastside")
    assert session.is_open and session.phase is Phase.WELCOME
    assert len(session.code) == 6 and set(session.code) <= set(JOIN_CODE_ALPHABET)
    assert len(session.board_key) >= 32
    assert session.title == "The Long Way Home"
    assert session.program == "Eastside"


def test_a_story_must_exist(ctx, facilitator):
    with pytest.raises(UnknownStory):
        sessions.start_session(ctx, facilitator, "no-such-story")


def test_join_codes_never_repeat(ctx, facilitator):
    codes = {sessions.start_session(ctx, facilitator, "steady-hands").code for _ in range(30)}
    assert len(codes) == 30


def test_phases_move_forward_and_back_and_stop_at_the_ends(ctx, facilitator, clock):
    session = sessions.start_session(ctx, facilitator, "steady-hands")
    assert sessions.step_phase(ctx, facilitator, session.id, forward=False).phase is Phase.WELCOME
    for expected in [Phase.CHECKIN, Phase.STORY, Phase.REFLECT, Phase.NEXT_STEP, Phase.BOARD, Phase.CLOSE, Phase.CLOSE]:
        clock.advance(minutes=3)
        moved = sessions.step_phase(ctx, facilitator, session.id)
        assert moved.phase is expected
    assert moved.phase_started_at == clock()
    assert sessions.step_phase(ctx, facilitator, session.id, forward=False).phase is Phase.BOARD
    assert sessions.set_phase(ctx, facilitator, session.id, Phase.STORY).phase is Phase.STORY


def test_every_change_bumps_the_version_that_phones_and_boards_poll(ctx, facilitator):
    session = sessions.start_session(ctx, facilitator, "steady-hands")
    before = room.live_state(ctx, session.id).version
    sessions.step_phase(ctx, facilitator, session.id)
    sessions.set_auto_approve(ctx, facilitator, session.id, True)
    assert room.live_state(ctx, session.id).version == before + 2


def test_story_sections_start_at_topic_notes_and_stay_in_range(ctx, facilitator, stories):
    session = sessions.start_session(ctx, facilitator, "steady-hands")
    assert session.story_section == -1
    last = len(stories.get("steady-hands").sections) - 1
    assert sessions.set_story_section(ctx, facilitator, session.id, 99).story_section == last
    assert sessions.set_story_section(ctx, facilitator, session.id, -5).story_section == -1


def test_agreements_can_be_edited_and_restored(ctx, facilitator):
    session = sessions.start_session(ctx, facilitator, "steady-hands")
    edited = sessions.set_agreements(ctx, facilitator, session.id, ["  Be kind  ", "", "Pass anytime"])
    assert edited.agreements == ("Be kind", "Pass anytime")
    assert sessions.set_agreements(ctx, facilitator, session.id, None).agreements is None


def test_a_closed_session_is_read_only(ctx, facilitator):
    session = sessions.start_session(ctx, facilitator, "steady-hands")
    closed = sessions.close_session(ctx, facilitator, session.id)
    assert not closed.is_open and closed.phase is Phase.CLOSE and closed.closed_at is not None
    with pytest.raises(SessionClosed):
        sessions.step_phase(ctx, facilitator, session.id)
    assert sessions.close_session(ctx, facilitator, session.id).closed_at == closed.closed_at


def test_facilitators_only_run_their_own_sessions_admins_any(ctx, admin, facilitator):
    other = accounts.create_account(ctx, admin, "olu", "Olu", PASSWORD)
    session = sessions.start_session(ctx, facilitator, "steady-hands")
    with pytest.raises(NotAuthorized):
        sessions.step_phase(ctx, other, session.id)
    with pytest.raises(NotAuthorized):
        sessions.close_session(ctx, other, session.id)
    assert sessions.step_phase(ctx, admin, session.id).phase is Phase.CHECKIN
    with pytest.raises(SessionNotFound):
        sessions.get_session(ctx, admin, 9999)


def test_a_reopened_console_finds_the_open_session_first(ctx, facilitator, clock):
    old = sessions.start_session(ctx, facilitator, "steady-hands", "Old")
    sessions.close_session(ctx, facilitator, old.id)
    clock.advance(days=1)
    current = sessions.start_session(ctx, facilitator, "quiet-kitchen", "Now")
    listed = sessions.my_sessions(ctx, facilitator)
    assert [s.title for s in listed] == ["Now", "Old"]
    assert listed[0].id == current.id


def test_the_console_knows_which_phones_joined_in_a_language_the_story_is_not_told_in(ctx, facilitator):
    from hopecircle.content import StoryLibrary
    from hopecircle.services import library, participation

    assert library.story_languages(ctx, "steady-hands") == ("en", "es")
    ctx.stories = StoryLibrary(stories={key: s for key, s in ctx.stories.stories.items() if key != "steady-hands-es"})
    assert library.story_languages(ctx, "steady-hands") == ("en",)
    session = sessions.start_session(ctx, facilitator, "steady-hands")
    participation.join(ctx, session.code, "en")
    assert sessions.phones_without_the_story(ctx, facilitator, session.id) == {}
    participation.join(ctx, session.code, "es")
    participation.join(ctx, session.code, "es")
    assert sessions.phones_without_the_story(ctx, facilitator, session.id) == {"es": 2}
