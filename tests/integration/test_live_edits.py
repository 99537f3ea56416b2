"""Editing the room live and plans picked at the start, on a real database."""

from __future__ import annotations

import pytest

from hopecircle.content import StoryLibrary
from hopecircle.domain import Phase
from hopecircle.services import accounts, board, hosts, library, room, sessions
from hopecircle.services.sessions import LineTooLong, NoLines, TooManyLines, UnknownPlan
from tests.conftest import PASSWORD


@pytest.fixture
def session(ctx, facilitator):
    return sessions.start_session(ctx, facilitator, "letters-to-my-daughter", "Tuesday circle")


def test_prompts_are_edited_for_this_session_and_reset_to_the_storys(ctx, facilitator, session, stories):
    before = room.live_state(ctx, session.id).version
    edited = sessions.set_prompts(
        ctx, facilitator, session.id, ["  What stayed   with you? ", "", "What surprised you?"]
    )
    assert edited.prompts == ("What stayed with you?", "What surprised you?")
    assert room.live_state(ctx, session.id).version == before + 1
    assert library.session_story(ctx, edited, "en").prompts == edited.prompts
    assert sessions.set_prompts(ctx, facilitator, session.id, None).prompts is None
    reset = sessions.get_session(ctx, facilitator, session.id)
    assert library.session_story(ctx, reset, "en").prompts == stories.get("letters-to-my-daughter").prompts


@pytest.mark.parametrize(
    ("lines", "error", "params"),
    [
        (["", "   ", "\t"], NoLines, {}),
        ([f"Prompt {n}" for n in range(6)], TooManyLines, {"count": 6, "limit": 5}),
        (["Fine", "x" * 201], LineTooLong, {"line": 2, "length": 201, "limit": 200}),
    ],
)
def test_edited_prompts_that_break_a_rule_are_refused_with_the_numbers(ctx, facilitator, session, lines, error, params):
    with pytest.raises(error) as refused:
        sessions.set_prompts(ctx, facilitator, session.id, lines)
    assert refused.value.params == params
    assert sessions.get_session(ctx, facilitator, session.id).prompts is None


def test_agreements_follow_the_same_rules(ctx, facilitator, session):
    with pytest.raises(LineTooLong):
        sessions.set_agreements(ctx, facilitator, session.id, ["Be kind", "y" * 141])
    with pytest.raises(TooManyLines):
        sessions.set_agreements(ctx, facilitator, session.id, [f"Agreement {n}" for n in range(13)])
    with pytest.raises(NoLines):
        sessions.set_agreements(ctx, facilitator, session.id, [""])
    assert sessions.get_session(ctx, facilitator, session.id).agreements is None


def test_a_closed_session_cannot_be_edited(ctx, facilitator, session):
    sessions.close_session(ctx, facilitator, session.id)
    with pytest.raises(Exception, match="session_closed"):
        sessions.set_prompts(ctx, facilitator, session.id, ["Too late"])


def test_edited_prompts_reach_the_sessions_language_and_translations_keep_their_own(ctx, facilitator, session, stories):
    edited = sessions.set_prompts(ctx, facilitator, session.id, ["What stayed with you?"])
    spanish = library.session_story(ctx, edited, "es")
    assert spanish.id == "letters-to-my-daughter-es"
    assert spanish.prompts == stories.get("letters-to-my-daughter-es").prompts
    assert library.languages_keeping_story_prompts(ctx, edited) == ["es"]
    # The projector shows the session's language, with the edited prompts.
    assert board.board_view(ctx, edited).story.prompts == ("What stayed with you?",)


def test_a_phone_in_another_language_without_a_translation_reads_the_rooms_prompts(ctx, facilitator):
    # Every shipped story has both languages: this library leaves one English-only, as a story a
    # facilitator wrote in the app may be.
    ctx.stories = StoryLibrary(stories={key: s for key, s in ctx.stories.stories.items() if key != "steady-hands-es"})
    session = sessions.start_session(ctx, facilitator, "steady-hands")
    edited = sessions.set_prompts(ctx, facilitator, session.id, ["What stayed with you?"])
    assert library.session_story(ctx, edited, "es").prompts == ("What stayed with you?",)
    assert library.languages_keeping_story_prompts(ctx, edited) == []


def test_a_phone_redraws_for_edited_words_only_in_the_phase_that_shows_them(ctx, facilitator, session):
    signature = lambda: room.phone_signature(room.live_state(ctx, session.id), 12)  # noqa: E731
    welcome = signature()
    sessions.set_agreements(ctx, facilitator, session.id, ["We listen", "We may pass"])
    assert signature() != welcome and signature().startswith(welcome + "|")
    sessions.set_phase(ctx, facilitator, session.id, Phase.REFLECT)
    reflect = signature()
    assert reflect == "reflect|open|-|0"
    sessions.set_prompts(ctx, facilitator, session.id, ["What stayed with you?"])
    edited = signature()
    assert edited != reflect
    sessions.set_prompts(ctx, facilitator, session.id, ["What surprised you?"])
    assert signature() not in (edited, reflect)
    sessions.set_phase(ctx, facilitator, session.id, Phase.NEXT_STEP)
    assert signature() == "next_step|open|-|0"
    assert not room.only_cards_differ(reflect, edited)


def test_a_plan_is_stored_when_the_session_starts(ctx, facilitator):
    weekly = sessions.start_session(ctx, facilitator, "morning-dose", plan_id="series-4-weeks/week-2")
    assert weekly.plan_id == "series-4-weeks/week-2"
    assert sessions.start_session(ctx, facilitator, "morning-dose").plan_id is None
    with pytest.raises(UnknownPlan):
        sessions.start_session(ctx, facilitator, "morning-dose", plan_id="series-9-weeks")


def test_the_projector_countdown_is_switched_by_whoever_runs_the_session(ctx, admin, facilitator, session):
    sam = accounts.create_account(ctx, admin, "sam", "Sam", PASSWORD)
    hosts.add_co_host(ctx, facilitator, session.id, sam.id)
    assert session.projector_timer is False
    assert sessions.set_projector_timer(ctx, sam, session.id, True).projector_timer is True
    assert board.find_board(ctx, session.board_key).projector_timer is True
