"""Hope that carries over: recurring groups, last time's step followed up, words passed on.

The server never links one person's sessions: after two meetings with the same phones, nothing
in the participant rows is shared between the sessions, and no step's words exist outside their
own session.
"""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from hopecircle.domain import InvalidChoice, Moment, NotAuthorized, SessionClosed, Status
from hopecircle.groups import (
    FollowUp,
    GroupNameTaken,
    NoFollowUp,
    NotAnOpeningCard,
    TooManyOpeningCards,
    UnknownGroup,
)
from hopecircle.reporting import files, summaries
from hopecircle.reporting.document import dashboard_report
from hopecircle.reporting.suppression import Hidden
from hopecircle.services import accounts, carry, hosts, moderation, organization, participation, sessions
from hopecircle.services.participation import GoalInput
from hopecircle.services.retention import run_retention
from hopecircle.store.schema import follow_ups, metadata, opening_cards, participants
from tests.conftest import PASSWORD


def meeting(ctx, by, group, phones=0):
    """A meeting of `group` with `phones` new phones joined; returns (session, tokens)."""
    session = sessions.start_session(ctx, by, "steady-hands", group_id=group.id)
    tokens = [participation.join(ctx, session.code).token for _ in range(phones)]
    return session, tokens


@pytest.fixture
def group(ctx, facilitator):
    return carry.create_group(ctx, facilitator, "Tuesday evening circle", "Eastside")


def test_a_session_started_as_a_groups_meeting_takes_the_groups_program(ctx, facilitator, group):
    session, _ = meeting(ctx, facilitator, group)
    assert (session.group_id, session.program) == (group.id, "Eastside")
    assert [(g.name, g.meetings) for g in carry.list_groups(ctx, facilitator)] == [("Tuesday evening circle", 1)]
    assert carry.group_of(ctx, facilitator, session.id) == carry.list_groups(ctx, facilitator)[0]


def test_another_facilitator_of_the_organization_runs_the_groups_next_meeting(ctx, admin, facilitator, group):
    other = accounts.create_account(ctx, admin, "sam", "Sam", PASSWORD)
    first, _ = meeting(ctx, facilitator, group)
    sessions.close_session(ctx, facilitator, first.id)
    second, (token,) = meeting(ctx, other, group, phones=1)
    assert carry.phone_state(ctx, token).asks
    assert carry.since_last_time(ctx, other, second.id).counts.answered == 0
    with pytest.raises(NotAuthorized):
        carry.since_last_time(ctx, other, first.id)  # another's session stays theirs


def test_group_names_are_unique_within_a_program_and_an_unknown_group_is_refused(ctx, facilitator, group):
    with pytest.raises(GroupNameTaken):
        carry.create_group(ctx, facilitator, " Tuesday evening circle ", "Eastside")
    assert carry.create_group(ctx, facilitator, "Tuesday evening circle", "Westside").program == "Westside"
    with pytest.raises(UnknownGroup):
        sessions.start_session(ctx, facilitator, "steady-hands", group_id=group.id + 99)


def test_a_one_off_and_a_groups_first_meeting_ask_nothing_and_refuse_an_answer(ctx, facilitator, group):
    one_off = sessions.start_session(ctx, facilitator, "steady-hands")
    token = participation.join(ctx, one_off.code).token
    assert carry.phone_state(ctx, token) == carry.PhoneCarry(None, False, False, True)
    with pytest.raises(NoFollowUp):
        carry.answer_follow_up(ctx, token, "did_it")
    _first, (first_phone,) = meeting(ctx, facilitator, group, phones=1)
    state = carry.phone_state(ctx, first_phone)
    assert (state.group_key, state.asks) == (group.key, False)


def test_answers_are_counted_once_per_phone_in_the_new_session_only(ctx, facilitator, group, clock):
    first, _ = meeting(ctx, facilitator, group)
    sessions.close_session(ctx, facilitator, first.id)
    clock.advance(days=7)
    second, tokens = meeting(ctx, facilitator, group, phones=4)
    answers = ["did_it", "did_it", "partly", "not_yet"]
    for token, answer in zip(tokens, answers, strict=True):
        assert carry.answer_follow_up(ctx, token, answer).counted
    assert not carry.answer_follow_up(ctx, tokens[0], "not_yet").counted  # a repeat counts once
    assert carry.phone_state(ctx, tokens[0]).answered
    counts = carry.since_last_time(ctx, facilitator, second.id).counts
    assert (counts.of(FollowUp.DID_IT), counts.of(FollowUp.PARTLY), counts.of(FollowUp.NOT_YET)) == (2, 1, 1)
    with ctx.store.read() as tx:
        stored = tx.connection.execute(select(follow_ups.c.session_id).distinct()).scalars().all()
    assert stored == [second.id]
    with pytest.raises(InvalidChoice):
        carry.answer_follow_up(ctx, tokens[1], "maybe")


def test_what_helped_is_an_ordinary_reflection_reviewed_before_the_room_sees_it(ctx, admin, facilitator, group):
    organization.update_settings(ctx, admin, reveal_threshold=3)
    first, _ = meeting(ctx, facilitator, group)
    sessions.close_session(ctx, facilitator, first.id)
    second, tokens = meeting(ctx, facilitator, group, phones=3)
    results = [carry.answer_follow_up(ctx, token, "did_it", "Calling my sponsor every morning") for token in tokens]
    helped = results[0].helped
    assert helped is not None and helped.contribution.status is Status.PENDING
    assert carry.since_last_time(ctx, facilitator, second.id).helped == ()
    moderation.approve(ctx, facilitator, helped.contribution.id)
    assert carry.since_last_time(ctx, facilitator, second.id).helped == ("Calling my sponsor every morning",)
    assert carry.since_for_room(ctx, second).helped == ("Calling my sponsor every morning",)


def test_the_room_sees_the_counts_only_from_the_reveal_threshold(ctx, admin, facilitator, group):
    organization.update_settings(ctx, admin, reveal_threshold=3)
    first, _ = meeting(ctx, facilitator, group)
    sessions.close_session(ctx, facilitator, first.id)
    second, tokens = meeting(ctx, facilitator, group, phones=3)
    carry.answer_follow_up(ctx, tokens[0], "did_it")
    carry.answer_follow_up(ctx, tokens[1], "partly")
    below = carry.since_for_room(ctx, second)
    assert (below.shown, below.counts.answered) == (False, 0)
    console = carry.since_last_time(ctx, facilitator, second.id)
    assert (console.shown, console.counts.answered) == (False, 2)
    carry.answer_follow_up(ctx, tokens[2], "rather_not")
    shown = carry.since_for_room(ctx, second)
    assert (shown.shown, shown.counts.answered, shown.counts.of(FollowUp.DID_IT)) == (True, 3, 1)


def test_after_two_meetings_nothing_links_a_phones_two_sessions(ctx, facilitator, group, clock):
    first, tokens = meeting(ctx, facilitator, group, phones=3)
    steps = [f"Walk to the library on day {n}" for n in range(3)]
    for token, step in zip(tokens, steps, strict=True):
        participation.submit_goal(ctx, token, GoalInput(step, "Friday", "my sister"))
        participation.submit_pulse(ctx, token, Moment.PRE, 5)
    sessions.close_session(ctx, facilitator, first.id)
    clock.advance(days=7)
    # The same three people at the next meeting: their phones kept their steps and answer.
    second, again = meeting(ctx, facilitator, group, phones=3)
    for token in again:
        carry.answer_follow_up(ctx, token, "did_it", "A friend came with me")
        participation.submit_pulse(ctx, token, Moment.PRE, 6)
    with ctx.store.read() as tx:
        rows = tx.connection.execute(select(participants)).mappings().all()
        every_table = {
            table.name: [dict(row) for row in tx.connection.execute(select(table)).mappings()]
            for table in metadata.sorted_tables
        }
    # The language is a choice every phone in a room may share, not a value of one phone.
    columns = [name for name in rows[0] if name not in ("session_id", "language")]
    for name in columns:
        before = {row[name] for row in rows if row["session_id"] == first.id}
        after = {row[name] for row in rows if row["session_id"] == second.id}
        assert before.isdisjoint(after), name
    for step in steps:
        holders = [
            (table, row.get("session_id"))
            for table, table_rows in every_table.items()
            for row in table_rows
            if any(isinstance(value, str) and step in value for value in row.values())
        ]
        assert holders == [("contributions", first.id)]


def test_only_cards_their_writers_marked_can_open_a_later_session_of_the_program(ctx, facilitator, group, clock):
    first, tokens = meeting(ctx, facilitator, group, phones=3)
    marked = participation.submit_reflection(ctx, tokens[0], "Hope is a practice").contribution
    unmarked = participation.submit_reflection(ctx, tokens[1], "Only for this room").contribution
    pending = participation.submit_reflection(ctx, tokens[2], "Not approved yet").contribution
    for card in (marked, unmarked):
        moderation.approve(ctx, facilitator, card.id)
    carry.set_pass_on(ctx, tokens[0], marked.id, True)
    carry.set_pass_on(ctx, tokens[2], pending.id, True)
    with pytest.raises(InvalidChoice):
        carry.set_pass_on(ctx, tokens[0], unmarked.id, True)  # not the writer
    sessions.close_session(ctx, facilitator, first.id)
    with pytest.raises(SessionClosed):
        carry.set_pass_on(ctx, tokens[1], unmarked.id, True)  # consent is given while the session is open
    clock.advance(days=7)
    later = sessions.start_session(ctx, facilitator, "steady-hands", program="Eastside")
    elsewhere = sessions.start_session(ctx, facilitator, "steady-hands", program="Northside")
    offered = carry.opening_candidates(ctx, facilitator, later.id)
    assert [card.text for card in offered] == ["Hope is a practice"]
    assert carry.opening_candidates(ctx, facilitator, elsewhere.id) == []
    with pytest.raises(NotAnOpeningCard):
        carry.set_opening_cards(ctx, facilitator, later.id, [unmarked.id])
    with pytest.raises(NotAnOpeningCard):
        carry.set_opening_cards(ctx, facilitator, elsewhere.id, [marked.id])
    with pytest.raises(TooManyOpeningCards):
        carry.set_opening_cards(ctx, facilitator, later.id, list(range(1, 8)))
    carry.set_opening_cards(ctx, facilitator, later.id, [marked.id])
    room = carry.opening_for_room(ctx, later)
    assert [(card.text, card.language) for card in room] == [("Hope is a practice", "en")]
    assert carry.opening_choice(ctx, facilitator, later.id) == [marked.id]


def test_an_edit_or_a_card_taken_down_withdraws_it_from_future_circles(ctx, facilitator, group, clock):
    first, (token,) = meeting(ctx, facilitator, group, phones=1)
    card = participation.submit_reflection(ctx, token, "Keep going").contribution
    moderation.approve(ctx, facilitator, card.id)
    carry.set_pass_on(ctx, token, card.id, True)
    participation.edit_contribution(ctx, token, card.id, "Keep going, gently")
    moderation.approve(ctx, facilitator, card.id)
    sessions.close_session(ctx, facilitator, first.id)
    later = sessions.start_session(ctx, facilitator, "steady-hands", program="Eastside")
    assert carry.opening_candidates(ctx, facilitator, later.id) == []  # consent was for the old words


def test_retention_removes_passed_on_cards_on_their_own_sessions_schedule(ctx, admin, facilitator, group, clock):
    organization.update_settings(ctx, admin, retention_days=30)
    first, (token,) = meeting(ctx, facilitator, group, phones=1)
    card = participation.submit_goal(ctx, token, GoalInput("Call the clinic")).contribution
    moderation.approve(ctx, facilitator, card.id)
    carry.set_pass_on(ctx, token, card.id, True)
    sessions.close_session(ctx, facilitator, first.id)
    clock.advance(days=20)
    later, _ = meeting(ctx, facilitator, group)
    carry.set_opening_cards(ctx, facilitator, later.id, [card.id])
    assert [c.text for c in carry.opening_for_room(ctx, later)] == ["Call the clinic"]
    clock.advance(days=11)  # the first session's period is over; the later one's is not
    run_retention(ctx)
    assert carry.opening_for_room(ctx, later) == ()
    with ctx.store.read() as tx:
        assert tx.connection.execute(select(opening_cards)).all() == []


def test_follow_up_counts_outlive_retention_as_aggregates(ctx, admin, facilitator, group, clock):
    organization.update_settings(ctx, admin, retention_days=30)
    first, _ = meeting(ctx, facilitator, group)
    sessions.close_session(ctx, facilitator, first.id)
    second, tokens = meeting(ctx, facilitator, group, phones=2)
    for token in tokens:
        carry.answer_follow_up(ctx, token, "partly")
    sessions.close_session(ctx, facilitator, second.id)
    clock.advance(days=31)
    run_retention(ctx)
    assert carry.since_last_time(ctx, facilitator, second.id).counts.of(FollowUp.PARTLY) == 2


def test_a_co_facilitator_picks_opening_words_and_reads_the_counts(ctx, admin, facilitator, group):
    co = accounts.create_account(ctx, admin, "cole", "Cole", PASSWORD)
    session, _ = meeting(ctx, facilitator, group)
    hosts.add_co_host(ctx, facilitator, session.id, co.id)
    assert carry.since_last_time(ctx, co, session.id).counts.answered == 0
    assert carry.opening_candidates(ctx, co, session.id) == []


def test_answers_after_the_session_closed_are_refused(ctx, facilitator, group, clock):
    first, _ = meeting(ctx, facilitator, group)
    sessions.close_session(ctx, facilitator, first.id)
    clock.advance(hours=1)
    second, (token,) = meeting(ctx, facilitator, group, phones=1)
    sessions.close_session(ctx, facilitator, second.id)
    with pytest.raises(SessionClosed):
        carry.answer_follow_up(ctx, token, "did_it")


def test_reports_show_follow_through_per_group_and_program_suppressed_in_every_export(ctx, facilitator, group, clock):
    quiet = carry.create_group(ctx, facilitator, "Thursday morning circle", "Eastside")
    first, _ = meeting(ctx, facilitator, group)
    sessions.close_session(ctx, facilitator, first.id)
    first_quiet, _ = meeting(ctx, facilitator, quiet)
    sessions.close_session(ctx, facilitator, first_quiet.id)
    clock.advance(days=7)
    second, tokens = meeting(ctx, facilitator, group, phones=12)
    for token, answer in zip(tokens, ["did_it"] * 6 + ["partly"] * 6, strict=True):
        carry.answer_follow_up(ctx, token, answer)
    sessions.close_session(ctx, facilitator, second.id)
    few, (one, two) = meeting(ctx, facilitator, quiet, phones=2)
    carry.answer_follow_up(ctx, one, "not_yet")
    carry.answer_follow_up(ctx, two, "did_it")
    sessions.close_session(ctx, facilitator, few.id)

    board = summaries.dashboard(ctx, facilitator)
    rows = {row.name: row for row in board.follow.rows}
    tuesday, thursday, program = rows["Tuesday evening circle"], rows["Thursday morning circle"], rows["Eastside"]
    assert (tuesday.period, tuesday.meetings) == ("2026-12", 1)
    assert tuesday.shares[FollowUp.DID_IT].number == 0.5 and tuesday.shares[FollowUp.PARTLY].number == 0.5
    assert thursday.answered.hidden is Hidden.SMALL
    assert not (program.answered.shown and tuesday.answered.shown)  # Thursday's 2 = program - Tuesday otherwise

    exported = files.dashboard_csv(board).decode()
    assert "follow_through:group:Tuesday evening circle:2026-12,share_did_it,0.5" in exported
    assert "follow_through:group:Thursday morning circle:2026-12,answered,fewer than 5" in exported
    answered = [row[2] for row in csv.reader(io.StringIO(exported)) if row[0].startswith("follow_through:")]
    assert not any(value.isdigit() and 0 < int(value) < 5 for value in answered[1::6])  # no small "answered"
    report = dashboard_report(board, "December")
    html = files.to_html(report)
    assert "Follow-through on next steps" in html and "did it 50%" in html
    assert "Thursday morning circle (Eastside) · 2026-12" in html
    pdf = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(files.to_pdf(report))).pages)
    assert "Follow-through on next steps" in pdf and "fewer than 5 answered" in pdf


def test_the_phones_room_state_says_whether_to_ask_and_marks_its_own_words(ctx, facilitator, group, clock):
    from hopecircle.domain import Phase
    from hopecircle.services import phone_room

    first, (token,) = meeting(ctx, facilitator, group, phones=1)
    assert phone_room.state(ctx, token, "en").mine["carry"] == {"group": group.key, "asks": False, "answered": False}
    sessions.set_phase(ctx, facilitator, first.id, Phase.REFLECT)
    sent = participation.submit_reflection(ctx, token, "Walking helped me this week").contribution
    carry.set_pass_on(ctx, token, sent.id, True)
    (word,) = phone_room.mine(ctx, token)["words"]
    assert (word["pass_on"], word["since"]) == (True, False)
    sessions.close_session(ctx, facilitator, first.id)
    clock.advance(days=7)
    _second, (again,) = meeting(ctx, facilitator, group, phones=1)
    assert phone_room.mine(ctx, again)["carry"] == {"group": group.key, "asks": True, "answered": False}
    carry.answer_follow_up(ctx, again, "partly", "My neighbour came along")
    mine = phone_room.mine(ctx, again)
    assert mine["carry"]["answered"] is True
    assert [(w["text"], w["since"], w["pass_on"]) for w in mine["words"]] == [("My neighbour came along", True, False)]
    one_off = sessions.start_session(ctx, facilitator, "steady-hands")
    alone = participation.join(ctx, one_off.code).token
    assert phone_room.mine(ctx, alone)["carry"] == {"group": None, "asks": False, "answered": False}
