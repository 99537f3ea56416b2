"""A send the phone names with its own key is stored once: retried, from another process, after a restart."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hopecircle.domain import Kind, SessionClosed
from hopecircle.services import participation, sessions
from hopecircle.services.context import Context
from hopecircle.services.participation import GoalInput
from hopecircle.store import open_store

KEY = "k3y-made-on-the-phone-0001"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def session(ctx, facilitator):
    return sessions.start_session(ctx, facilitator, "steady-hands", "Evening circle")


@pytest.fixture
def token(ctx, session):
    return participation.join(ctx, session.code).token


def own_words(ctx, token) -> list[tuple[str, str]]:
    with ctx.store.read() as tx:
        participant_id, _session, _language = participation.participant_of(tx, token)
        return [(c.kind.value, c.body) for c in tx.contributions.for_participant(participant_id)]


def send_from_another_process(database_url: str, token: str, text: str, key: str) -> int:
    """A second Python process (its own engine and connections) sends the same keyed reflection."""
    script = textwrap.dedent(
        f"""
        import json
        from hopecircle.config import ROOT
        from hopecircle.content import load_guides, load_stories
        from hopecircle.services import participation
        from hopecircle.services.context import Context
        from hopecircle.store import open_store
        store = open_store({database_url!r})
        ctx = Context(store=store, stories=load_stories(ROOT / "stories"), guides=load_guides(ROOT / "facilitator_guides"))
        sent = participation.submit_reflection(ctx, {token!r}, {text!r}, {key!r})
        print(json.dumps(sent.contribution.id))
        store.dispose()
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return int(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("I kept going today", "I kept going today"),  # a retry after an answer that never came
        ("Words before the edit", "Words after the edit"),  # edited in the outbox after such a try
    ],
)
def test_the_same_key_sent_twice_is_one_reflection_with_the_last_words(ctx, token, first, then):
    stored = participation.submit_reflection(ctx, token, first, KEY)
    again = participation.submit_reflection(ctx, token, then, KEY)
    assert again.contribution.id == stored.contribution.id
    assert own_words(ctx, token) == [("reflection", then)]


def test_other_keys_are_other_sends_even_with_the_same_words(ctx, token):
    participation.submit_reflection(ctx, token, "Same words", KEY)
    participation.submit_reflection(ctx, token, "Same words", KEY + "-2")
    assert own_words(ctx, token) == [("reflection", "Same words")] * 2


def test_the_same_key_from_another_process_and_after_a_restart_is_one_row(
    ctx, token, database_url, stories, guides, clock
):
    first = participation.submit_reflection(ctx, token, "Words through a drop", KEY)
    assert send_from_another_process(database_url, token, "Words through a drop", KEY) == first.contribution.id
    ctx.store.dispose()  # the process stops; a new one opens the same database
    restarted = Context(store=open_store(database_url), stories=stories, guides=guides, clock=clock)
    try:
        again = participation.submit_reflection(restarted, token, "Words through a drop", KEY)
        assert again.contribution.id == first.contribution.id
        assert own_words(restarted, token) == [("reflection", "Words through a drop")]
    finally:
        restarted.store.dispose()


def test_a_send_arriving_first_at_another_process_is_found_by_its_key(ctx, token, database_url):
    stored = send_from_another_process(database_url, token, "Sent while this process was away", KEY)
    again = participation.submit_reflection(ctx, token, "Sent while this process was away", KEY)
    assert again.contribution.id == stored
    assert len(own_words(ctx, token)) == 1


def test_keyed_words_and_goals_replace_the_earlier_one(ctx, token):
    participation.submit_word(ctx, token, Kind.CHECKIN, "tired", KEY)
    participation.submit_word(ctx, token, Kind.CHECKIN, "tired", KEY)
    participation.submit_word(ctx, token, Kind.CHECKIN, "hopeful", KEY + "-2")
    participation.submit_goal(ctx, token, GoalInput("Call my sponsor"), KEY + "-3")
    participation.submit_goal(ctx, token, GoalInput("Call my sponsor"), KEY + "-3")
    assert own_words(ctx, token) == [("checkin", "hopeful"), ("goal", "Call my sponsor")]


def test_a_withdrawn_send_goes_if_it_arrived_and_nothing_else_does(ctx, token):
    participation.submit_reflection(ctx, token, "Keep this one", KEY + "-keep")
    assert participation.withdraw_send(ctx, token, Kind.REFLECTION, KEY) is False
    participation.submit_reflection(ctx, token, "Take this back", KEY)
    assert participation.withdraw_send(ctx, token, Kind.GOAL, KEY) is False  # a key is per kind
    assert participation.withdraw_send(ctx, token, Kind.REFLECTION, KEY) is True
    assert own_words(ctx, token) == [("reflection", "Keep this one")]


def test_a_keyed_send_to_an_ended_session_is_refused_even_when_it_had_arrived(ctx, facilitator, session, token):
    participation.submit_reflection(ctx, token, "Before the end", KEY)
    sessions.close_session(ctx, facilitator, session.id)
    with pytest.raises(SessionClosed):
        participation.submit_reflection(ctx, token, "Before the end", KEY)
    with pytest.raises(SessionClosed):
        participation.submit_reflection(ctx, token, "After the end", KEY + "-2")


def test_a_late_retry_of_a_send_edited_since_finds_it_and_leaves_the_edit(ctx, token):
    first = participation.submit_reflection(ctx, token, "Words as first sent", KEY)  # its answer never came
    participation.edit_contribution(ctx, token, first.contribution.id, "Words as edited since")
    retried = participation.submit_reflection(ctx, token, "Words as first sent", KEY)  # the outbox tries again
    assert retried.contribution.id == first.contribution.id
    assert own_words(ctx, token) == [("reflection", "Words as edited since")]
    participation.edit_contribution(ctx, token, first.contribution.id, "Edited twice")
    assert (
        participation.submit_reflection(ctx, token, "Words as first sent", KEY).contribution.id == first.contribution.id
    )
    assert participation.withdraw_send(ctx, token, Kind.REFLECTION, KEY) is True
    assert own_words(ctx, token) == []


def test_words_sent_without_a_key_get_a_fresh_one_when_edited(ctx, token):
    first = participation.submit_reflection(ctx, token, "Said once")
    participation.edit_contribution(ctx, token, first.contribution.id, "Said differently")
    again = participation.submit_reflection(ctx, token, "Said once")  # the old words, shared anew on purpose
    assert again.contribution.id != first.contribution.id
    assert own_words(ctx, token) == [("reflection", "Said differently"), ("reflection", "Said once")]
