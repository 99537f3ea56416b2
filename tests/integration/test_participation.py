"""Phones joining, contributing, editing and deleting, on a real database."""

from __future__ import annotations

import pytest

from hopecircle.domain import (
    EmptyText,
    InvalidChoice,
    Kind,
    LimitReached,
    Moment,
    NotYourContribution,
    Phase,
    SessionClosed,
    Status,
    TextTooLong,
    UnknownParticipant,
    UnknownSessionCode,
)
from hopecircle.services import participation, room, sessions
from hopecircle.services.context import token_hash
from hopecircle.services.participation import GoalInput


@pytest.fixture
def session(ctx, facilitator):
    return sessions.start_session(ctx, facilitator, "steady-hands", "Tuesday circle")


def test_joining_makes_an_anonymous_token_and_stores_only_its_hash(ctx, session):
    joined = participation.join(ctx, session.code.lower())
    with ctx.store.read() as tx:
        row = tx.connection.exec_driver_sql("select token_hash from participants").one()
    assert row.token_hash == token_hash(joined.token)
    assert joined.token not in row.token_hash
    assert joined.view.session.id == session.id


def test_codes_are_forgiving_about_case_spaces_and_dashes(ctx, session):
    typed = f" {session.code[:3].lower()}-{session.code[3:]} "
    assert participation.find_session(ctx, typed).id == session.id


def test_an_unknown_code_and_a_closed_session_say_why(ctx, facilitator, session):
    with pytest.raises(UnknownSessionCode):
        participation.find_session(ctx, "ZZZZZZ")
    with pytest.raises(UnknownSessionCode):
        participation.find_session(ctx, "")
    sessions.close_session(ctx, facilitator, session.id)
    with pytest.raises(SessionClosed):
        participation.join(ctx, session.code)


def test_a_phone_that_comes_back_sees_its_own_contributions(ctx, session):
    token = participation.join(ctx, session.code).token
    participation.submit_reflection(ctx, token, "The part about the dog walks")
    again = participation.resume(ctx, token)
    assert [c.body for c in again.contributions] == ["The part about the dog walks"]
    with pytest.raises(UnknownParticipant):
        participation.resume(ctx, "not-a-token")


def test_a_double_tap_stores_one_reflection(ctx, session):
    token = participation.join(ctx, session.code).token
    first = participation.submit_reflection(ctx, token, "Hope is a practice")
    version = _version(ctx, session.id)
    second = participation.submit_reflection(ctx, token, "Hope is a practice")
    assert first.contribution.id == second.contribution.id
    assert len(participation.resume(ctx, token).contributions) == 1
    assert _version(ctx, session.id) == version  # nothing changed for the room to redraw


def test_the_same_words_saved_a_moment_ago_by_another_process_are_the_ones_returned(ctx, session, monkeypatch):
    """Two processes can both find no earlier copy before either writes; the database keeps one."""
    from hopecircle.store.contributions import ContributionQueries

    token = participation.join(ctx, session.code).token
    first = participation.submit_reflection(ctx, token, "Hope is a practice")
    monkeypatch.setattr(ContributionQueries, "keyed_for_participant", lambda self, participant_id: [])
    second = participation.submit_reflection(ctx, token, "Hope is a practice")
    assert second.contribution == first.contribution
    assert len(participation.resume(ctx, token).contributions) == 1


def test_a_send_holds_the_write_lock_for_three_statements(ctx, session, monkeypatch):
    """Its own words, the room's change count (which says the session is open), the new row."""
    from contextlib import contextmanager

    from sqlalchemy import event

    token = participation.join(ctx, session.code).token
    written: list[str] = []
    real_write = ctx.store.write

    @contextmanager
    def counted_write():
        def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            written.append(statement.split()[0].upper())

        with real_write() as tx:
            event.listen(tx.connection, "before_cursor_execute", count)
            yield tx

    monkeypatch.setattr(ctx.store, "write", counted_write)
    participation.submit_reflection(ctx, token, "Hope is a practice")
    assert written == ["SELECT", "UPDATE", "INSERT"]
    written.clear()
    participation.submit_goal(ctx, token, GoalInput("call my sister"))
    participation.submit_goal(ctx, token, GoalInput("call my brother"))  # the goal, changed
    assert written == ["SELECT", "UPDATE", "INSERT", "SELECT", "UPDATE", "DELETE", "UPDATE"]


def test_several_reflections_are_allowed_up_to_a_limit(ctx, session):
    token = participation.join(ctx, session.code).token
    for n in range(10):
        participation.submit_reflection(ctx, token, f"thought {n}")
    with pytest.raises(LimitReached):
        participation.submit_reflection(ctx, token, "one more")


def test_bad_text_gets_a_reason_and_nothing_is_stored(ctx, session):
    token = participation.join(ctx, session.code).token
    with pytest.raises(EmptyText):
        participation.submit_reflection(ctx, token, "   \n\t ")
    with pytest.raises(TextTooLong) as too_long:
        participation.submit_reflection(ctx, token, "x" * 281)
    assert too_long.value.params == {"length": 281, "limit": 280}
    assert participation.resume(ctx, token).contributions == []


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "**bold** and [a link](http://example.org) ![img](http://x/y.png)",
        "Esperanza 🌱💪 — 希望 — أمل — надежда",
        "line one\nline two",
    ],
)
def test_markup_emoji_and_other_scripts_are_stored_exactly(ctx, session, text):
    token = participation.join(ctx, session.code).token
    stored = participation.submit_reflection(ctx, token, text).contribution
    assert stored.body == text


def test_one_goal_per_phone_and_sending_again_replaces_it(ctx, session):
    token = participation.join(ctx, session.code).token
    participation.submit_goal(ctx, token, GoalInput("call my sister", "Friday", "my sponsor", "community"))
    participation.submit_goal(ctx, token, GoalInput("walk ten minutes", "tomorrow"))
    participation.submit_goal(ctx, token, GoalInput("call my sister", "Friday", "my sponsor", "community"))
    goals = participation.resume(ctx, token).of_kind(Kind.GOAL)
    assert len(goals) == 1
    assert (goals[0].body, goals[0].goal_when, goals[0].goal_support, goals[0].dimension) == (
        "call my sister",
        "Friday",
        "my sponsor",
        "community",
    )


def test_a_goal_needs_words_and_a_known_dimension(ctx, session):
    token = participation.join(ctx, session.code).token
    with pytest.raises(EmptyText):
        participation.submit_goal(ctx, token, GoalInput("  "))
    with pytest.raises(InvalidChoice):
        participation.submit_goal(ctx, token, GoalInput("rest", dimension="money"))


def test_check_in_word_and_pulse_can_be_changed_and_withdrawn(ctx, session):
    token = participation.join(ctx, session.code).token
    participation.submit_word(ctx, token, Kind.CHECKIN, "tired")
    participation.submit_word(ctx, token, Kind.CHECKIN, "🙂")
    participation.submit_pulse(ctx, token, Moment.PRE, 4)
    participation.submit_pulse(ctx, token, Moment.PRE, 6)
    view = participation.resume(ctx, token)
    assert [c.body for c in view.of_kind(Kind.CHECKIN)] == ["🙂"]
    assert view.pulses == {"pre": 6}
    participation.withdraw_pulse(ctx, token, Moment.PRE)
    assert participation.resume(ctx, token).pulses == {}
    with pytest.raises(InvalidChoice):
        participation.submit_pulse(ctx, token, Moment.POST, 11)


def test_editing_sends_the_words_back_for_review(ctx, facilitator, session):
    token = participation.join(ctx, session.code).token
    sent = participation.submit_reflection(ctx, token, "first draft").contribution
    from hopecircle.services import moderation

    moderation.approve(ctx, facilitator, sent.id)
    edited = participation.edit_contribution(ctx, token, sent.id, "second draft").contribution
    assert (edited.body, edited.status) == ("second draft", Status.PENDING)


def test_a_phone_can_delete_only_its_own_words_and_only_while_open(ctx, facilitator, session):
    mine = participation.join(ctx, session.code).token
    theirs = participation.join(ctx, session.code).token
    kept = participation.submit_reflection(ctx, mine, "keep me").contribution
    gone = participation.submit_reflection(ctx, mine, "delete me").contribution
    with pytest.raises(NotYourContribution):
        participation.delete_contribution(ctx, theirs, gone.id)
    participation.delete_contribution(ctx, mine, gone.id)
    with ctx.store.read() as tx:
        assert tx.contributions.by_id(gone.id) is None
    sessions.close_session(ctx, facilitator, session.id)
    with pytest.raises(SessionClosed):
        participation.delete_contribution(ctx, mine, kept.id)
    with pytest.raises(SessionClosed):
        participation.submit_reflection(ctx, mine, "too late")


def test_contributions_record_the_phase_and_only_a_coarse_minute(ctx, facilitator, session, clock):
    sessions.set_phase(ctx, facilitator, session.id, Phase.REFLECT)
    token = participation.join(ctx, session.code).token
    sent = participation.submit_reflection(ctx, token, "noted").contribution
    assert sent.phase == "reflect"
    assert sent.created_minute.second == 0 and sent.created_minute.microsecond == 0
    assert clock().second != 0


def _version(ctx, session_id: int) -> int:
    with ctx.store.read() as tx:
        return tx.sessions.live_state(session_id).version


def test_a_me_too_says_what_the_phone_wants_so_a_repeat_changes_nothing(ctx, admin, facilitator, session, phone_board):
    from hopecircle.services import moderation, organization

    organization.update_settings(ctx, admin, reveal_threshold=0)
    author, reader, other = (participation.join(ctx, session.code).token for _ in range(3))
    card = participation.submit_reflection(ctx, author, "asking for help is strength").contribution
    with pytest.raises(InvalidChoice):  # not on the board yet
        participation.set_me_too(ctx, reader, card.id, True)
    moderation.approve(ctx, facilitator, card.id)
    version = _version(ctx, session.id)
    assert participation.set_me_too(ctx, reader, card.id, True) == participation.MeToo(True, 1)
    assert participation.set_me_too(ctx, reader, card.id, True) == participation.MeToo(True, 1)  # sent twice
    assert participation.set_me_too(ctx, other, card.id, True) == participation.MeToo(True, 2)
    assert participation.set_me_too(ctx, reader, card.id, False) == participation.MeToo(False, 1)
    assert participation.set_me_too(ctx, reader, card.id, False) == participation.MeToo(False, 1)
    assert phone_board(reader).cards[0].me_too == 1
    assert participation.resume(ctx, other).my_reactions == frozenset({card.id})
    # Only the three changes moved the room on: the repeats left the board as it was.
    assert _version(ctx, session.id) == version + 3
    with pytest.raises(InvalidChoice):
        participation.set_me_too(ctx, reader, card.id + 1000, True)
    sessions.close_session(ctx, facilitator, session.id)
    with pytest.raises(SessionClosed):
        participation.set_me_too(ctx, other, card.id, False)


def test_after_the_session_closes_a_phone_cannot_react_answer_or_take_back_and_nothing_changes(
    ctx, facilitator, session
):
    from hopecircle.services import moderation

    author, reader = (participation.join(ctx, session.code).token for _ in range(2))
    card = participation.submit_reflection(ctx, author, "one day at a time").contribution
    moderation.approve(ctx, facilitator, card.id)
    participation.submit_pulse(ctx, reader, Moment.PRE, 4)
    sessions.close_session(ctx, facilitator, session.id)
    for late in (
        lambda: participation.set_me_too(ctx, reader, card.id, True),
        lambda: participation.submit_pulse(ctx, reader, Moment.POST, 8),
        lambda: participation.withdraw_pulse(ctx, reader, Moment.PRE),
        lambda: participation.delete_contribution(ctx, author, card.id),
    ):
        with pytest.raises(SessionClosed):
            late()
    with ctx.store.read() as tx:
        assert tx.contributions.by_id(card.id).me_too == 0
        assert tx.pulses.of_participant(participation.resume(ctx, reader).participant_id) == {Moment.PRE.value: 4}


def test_sending_the_original_words_after_editing_them_is_a_new_reflection(ctx, session):
    token = participation.join(ctx, session.code).token
    first = participation.submit_reflection(ctx, token, "the part about her sister").contribution
    participation.edit_contribution(ctx, token, first.id, "actually, the part about the letters")
    again = participation.submit_reflection(ctx, token, "the part about her sister").contribution
    assert again.id != first.id
    assert sorted(c.body for c in participation.resume(ctx, token).contributions) == [
        "actually, the part about the letters",
        "the part about her sister",
    ]


def test_changed_words_lose_the_shareable_mark_and_their_me_toos(ctx, facilitator, session):
    from hopecircle.services import moderation

    author, reader = (participation.join(ctx, session.code).token for _ in range(2))
    card = participation.submit_reflection(ctx, author, "asking for help is strength").contribution
    moderation.approve(ctx, facilitator, card.id)
    moderation.set_shareable(ctx, facilitator, card.id, True)
    participation.set_me_too(ctx, reader, card.id, True)
    edited = participation.edit_contribution(ctx, author, card.id, "something else entirely").contribution
    assert (edited.shareable, edited.me_too) == (False, 0)
    assert participation.resume(ctx, reader).my_reactions == frozenset()


def test_editing_words_the_facilitator_deleted_says_they_are_gone(ctx, facilitator, session):
    from hopecircle.domain import ContributionGone
    from hopecircle.services import moderation

    token = participation.join(ctx, session.code).token
    card = participation.submit_reflection(ctx, token, "hello").contribution
    moderation.remove(ctx, facilitator, card.id)
    with pytest.raises(ContributionGone):
        participation.edit_contribution(ctx, token, card.id, "hello again")
    with pytest.raises(ContributionGone):
        participation.delete_contribution(ctx, token, card.id)


def test_a_join_is_a_change_the_projector_sees(ctx, session):
    before = room.live_state(ctx, session.id).version
    participation.join(ctx, session.code)
    assert room.live_state(ctx, session.id).version == before + 1


@pytest.mark.parametrize("card", [2**63, 2**70, -5, 0])
def test_a_me_too_on_a_number_no_row_can_have_is_refused_as_no_such_card(ctx, session, card):
    token = participation.join(ctx, session.code).token
    with pytest.raises(InvalidChoice):
        participation.set_me_too(ctx, token, card, True)
