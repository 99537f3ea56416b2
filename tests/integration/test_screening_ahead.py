"""A send's words are screened once: ahead of the write (a few at a time), and the write finds the answer."""

from __future__ import annotations

import pytest

from hopecircle import safety
from hopecircle.domain import Kind, Phase, Status
from hopecircle.services import participation, screening, sessions
from hopecircle.services.participation import GoalInput


@pytest.fixture
def room(ctx, facilitator):
    ctx.cache.scale = 1  # the tests' contexts keep nothing; a server keeps what it screened
    session = sessions.start_session(ctx, facilitator, "steady-hands", "Evening circle")
    sessions.set_phase(ctx, facilitator, session.id, Phase.REFLECT)
    return session


@pytest.fixture
def screened(monkeypatch):
    """Every text the screener reads, in order."""
    seen: list[str] = []
    real = safety.screen

    def counting(text, *args, **kwargs):
        seen.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(screening.safety, "screen", counting)
    return seen


def test_words_screened_ahead_are_not_screened_again_by_their_write(ctx, room, screened):
    token = participation.join(ctx, room.code).token
    participation.screen_ahead(ctx, token, Kind.REFLECTION, "  The part about the bus stayed with me  ")
    sent = participation.submit_reflection(ctx, token, "  The part about the bus stayed with me  ", "k3y-ahead-0000001")
    assert screened == ["The part about the bus stayed with me"]
    assert sent.contribution.body == "The part about the bus stayed with me"


def test_a_goal_and_a_word_are_screened_ahead_too(ctx, facilitator, room, screened):
    token = participation.join(ctx, room.code).token
    participation.screen_ahead(ctx, token, Kind.CHECKIN, "calm")
    participation.submit_word(ctx, token, Kind.CHECKIN, "calm", "k3y-ahead-0000002")
    sessions.set_phase(ctx, facilitator, room.id, Phase.NEXT_STEP)
    goal = GoalInput(what="call my sister", when="Friday", support="", dimension="")
    participation.screen_ahead(ctx, token, Kind.GOAL, goal=goal)
    participation.submit_goal(ctx, token, goal, "k3y-ahead-0000003")
    assert screened == ["calm", "call my sister\nFriday"]


def test_risk_screened_ahead_is_still_held_by_its_write(ctx, room):
    token = participation.join(ctx, room.code).token
    words = "I have enough pills saved up to make it stop"
    participation.screen_ahead(ctx, token, Kind.REFLECTION, words)
    sent = participation.submit_reflection(ctx, token, words, "k3y-ahead-0000004")
    assert sent.contribution.status is Status.HELD and sent.screening.risk


@pytest.mark.parametrize("text", ["", "x" * 5000])
def test_words_the_send_refuses_are_left_to_the_send_to_say_why(ctx, room, screened, text):
    token = participation.join(ctx, room.code).token
    participation.screen_ahead(ctx, token, Kind.REFLECTION, text)  # says nothing, raises nothing
    participation.screen_ahead(ctx, "no-such-token-at-all-000", Kind.REFLECTION, "hello there")
    assert screened == []
