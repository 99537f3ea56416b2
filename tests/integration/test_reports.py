"""Organization review on a real database: hand-counted figures, suppression, snapshots and roles."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader

from hopecircle.domain import Kind, Moment, NotAuthorized, ReportFilter
from hopecircle.reporting import files, summaries
from hopecircle.reporting.charts import NoChart, trend_charts
from hopecircle.reporting.document import session_report
from hopecircle.reporting.formatting import figure_facts
from hopecircle.reporting.suppression import Hidden, Value
from hopecircle.services import accounts, moderation, organization, participation, retention, sessions
from hopecircle.services.participation import GoalInput
from tests.conftest import PASSWORD

SMALL = Value(None, Hidden.SMALL, 5)
COMPLEMENT = Value(None, Hidden.COMPLEMENT)
MOST = Value(None, Hidden.MOST)


def run_twelve(ctx, facilitator, story="steady-hands", program="Eastside"):
    """The fixture session, counted by hand below (12 phones).

    pre pulse: six answer 3, six answer 6              -> n=12, mean 4.5
    post pulse: phones 0-4 answer 7, phones 5-9 answer 5 -> n=10, mean 6.0
    paired change: 0-4 +4, 5 +2, 6-9 -1                -> n=10, sum 18, mean 1.8
    goals: all 12; dimensions health 6, community 5, none 1
    reflections: 0-5 mention hope, 6 mentions family  -> 7 reflections from 7 people
    check-in words: 0-5 "hopeful", 6-7 "tired", 8 a word the facilitator hides -> 9 check-ins
    """
    session = sessions.start_session(ctx, facilitator, story, "Tuesday circle", program)
    tokens = [participation.join(ctx, session.code).token for _ in range(12)]
    for n, token in enumerate(tokens):
        participation.submit_pulse(ctx, token, Moment.PRE, 3 if n < 6 else 6)
        if n < 10:
            participation.submit_pulse(ctx, token, Moment.POST, 7 if n < 5 else 5)
        dimension = "health" if n < 6 else ("community" if n < 11 else None)
        participation.submit_goal(ctx, token, GoalInput(what="Walk after dinner", dimension=dimension))
    for n in range(6):
        participation.submit_reflection(ctx, tokens[n], "I have hope for tomorrow")
    participation.submit_reflection(ctx, tokens[6], "My family came to mind")
    for n in range(8):
        participation.submit_word(ctx, tokens[n], Kind.CHECKIN, "hopeful" if n < 6 else "tired")
    hidden = participation.submit_word(ctx, tokens[8], Kind.CHECKIN, "grumpy").contribution
    moderation.hide(ctx, facilitator, hidden.id)
    return session, tokens


def run_small(ctx, facilitator, story="quiet-kitchen", people=3):
    session = sessions.start_session(ctx, facilitator, story, "Small group", "Westside")
    for n in range(people):
        token = participation.join(ctx, session.code).token
        participation.submit_pulse(ctx, token, Moment.PRE, 4)
        participation.submit_pulse(ctx, token, Moment.POST, 6 + n % 2)
    return session


def test_a_session_summary_matches_the_hand_counted_figures(ctx, facilitator):
    session, _tokens = run_twelve(ctx, facilitator)
    figures = summaries.session_summary(ctx, facilitator, session.id).figures
    assert figures.participants == Value(12)
    assert figures.contributions == Value(12 + 7 + 9)
    assert figures.kinds == {"reflection": Value(7), "goal": Value(12), "checkin": Value(9), "checkout": Value(0)}
    assert figures.goal_share == Value(1.0)
    pulse = figures.pulse
    assert (pulse.pre_n, pulse.post_n, pulse.paired_n) == (Value(12), Value(10), Value(10))
    assert pulse.mean_change.number == pytest.approx(1.8)
    # Phones 10 and 11 answered only the first pulse: means of 4.5 and 6.0 beside a change of +1.8
    # for the other ten would give their two answers' sum (54 - (60 - 18) = 12), so the means are
    # not shown, and the bars are in bands (value by value they would add up to the same sums).
    assert pulse.pre_mean == COMPLEMENT and pulse.post_mean == COMPLEMENT and pulse.means_protected
    assert pulse.scale == "band"
    assert [v.number for v in pulse.pre_bins] == [6, 6, 0]
    assert [v.number for v in pulse.post_bins] == [0, 5, 5]
    # Rose: phones 0-5 (6 of the 10 who answered both); the 4 who did not are too few to say "60%".
    assert pulse.rose_share == MOST
    assert figures.checkin_words == (("hopeful", 6),)
    assert figures.words_left_out == 1  # "tired"; the hidden word never counts at all
    assert figures.themes["hope"] == Value(6)
    assert figures.themes["family"] == SMALL
    assert figures.themes["gratitude"] == Value(0)


def test_goals_by_dimension_hide_the_small_cell_and_its_complement(ctx, facilitator):
    session, _tokens = run_twelve(ctx, facilitator)
    dimensions = summaries.session_summary(ctx, facilitator, session.id).figures.dimensions
    # none=1 is small; hiding the zeros still leaves 12 - 6 - 5 = 1, so community (5) is hidden too.
    assert dimensions == {"health": Value(6), "home": SMALL, "purpose": SMALL, "community": COMPLEMENT, "none": SMALL}


def test_closing_writes_a_snapshot_that_outlives_retention(ctx, facilitator, clock):
    session, _tokens = run_twelve(ctx, facilitator)
    before = summaries.session_summary(ctx, facilitator, session.id)
    sessions.close_session(ctx, facilitator, session.id)
    clock.advance(days=organization.get_settings(ctx).retention_days + 1)
    retention.run_retention(ctx)
    after = summaries.session_summary(ctx, facilitator, session.id)
    assert after.from_snapshot and not before.from_snapshot
    assert after.figures == before.figures
    assert after.cards == ()


def test_the_dashboard_adds_sessions_and_ranks_stories_by_pulse_change(ctx, facilitator, clock):
    first, _ = run_twelve(ctx, facilitator, story="steady-hands")
    sessions.close_session(ctx, facilitator, first.id)
    clock.advance(days=1)
    run_twelve(ctx, facilitator, story="the-long-way-home")
    board = summaries.dashboard(ctx, facilitator)
    assert board.sessions == 2 and board.open_sessions == 1
    assert board.figures.participants == Value(24)
    assert board.figures.pulse.mean_change.number == pytest.approx(1.8)
    assert board.contributions_per_participant == Value(56 / 24)
    # Equal changes (1.8 each) fall back to title order.
    assert [(s.story_id, s.paired_n) for s in board.stories] == [
        ("steady-hands", Value(10)),
        ("the-long-way-home", Value(10)),
    ]
    assert board.period == "week" and len(board.trends) == 1
    assert board.trends[0].sessions == 2 and board.trends[0].goal_rate == Value(1.0)


def test_a_filter_that_leaves_one_session_of_three_shows_fewer_than_five(ctx, facilitator):
    run_twelve(ctx, facilitator)
    small = run_small(ctx, facilitator)
    board = summaries.dashboard(ctx, facilitator, ReportFilter(story_id="quiet-kitchen"))
    assert board.sessions == 1
    figures = board.figures
    assert figures.participants == SMALL
    assert figures.pulse.pre_n == SMALL and figures.pulse.mean_change == SMALL
    assert all(v == SMALL for v in figures.pulse.pre_bins)
    assert [s.mean_change for s in board.stories] == [SMALL]
    assert [r.participants for r in board.trends] == [SMALL]
    # A trend with every point hidden is a sentence, not an empty plot; the sessions held still plot.
    trends = trend_charts(board)
    assert not isinstance(trends["sessions"], NoChart)
    assert isinstance(trends["attendance"], NoChart) and "fewer than 5" in trends["attendance"].sentence
    assert trends["attendance"].sentence.endswith("A longer date range combines more sessions.")
    summary = summaries.session_summary(ctx, facilitator, small.id).figures
    assert summary.participants == SMALL and summary.pulse.post_mean == SMALL


def test_a_small_month_cannot_be_worked_out_from_the_total(ctx, facilitator, clock):
    big, _ = run_twelve(ctx, facilitator)
    sessions.close_session(ctx, facilitator, big.id)
    clock.advance(days=120)
    run_small(ctx, facilitator, story="steady-hands")
    board = summaries.dashboard(ctx, facilitator)
    assert board.period == "month"
    assert board.figures.participants == Value(15)
    by_period = {r.period: r for r in board.trends}
    assert by_period["2026-11"].participants == COMPLEMENT
    assert by_period["2027-03"].participants == SMALL
    assert all(not r.mean_change.shown for r in board.trends)
    # The one story's change rests on 13 people and is shown; so is the total it comes from.
    assert board.stories[0].paired_n == Value(13)


def test_closed_sessions_without_a_snapshot_are_counted_once_lazily(ctx, facilitator):
    session, _ = run_twelve(ctx, facilitator)
    sessions.close_session(ctx, facilitator, session.id)
    with ctx.store.write() as tx:
        tx.connection.exec_driver_sql(f"DELETE FROM session_stats WHERE session_id = {session.id}")
    assert summaries.dashboard(ctx, facilitator).figures.participants == Value(12)
    with ctx.store.read() as tx:
        assert tx.reports.snapshot(session.id) is not None


def test_only_shareable_approved_cards_leave_the_session(ctx, facilitator):
    session, _tokens = run_twelve(ctx, facilitator)
    cards = moderation.review_queue(ctx, facilitator, session.id)
    reflections = [i.contribution for i in cards if i.contribution.kind is Kind.REFLECTION]
    for contribution in reflections[:2]:
        moderation.approve(ctx, facilitator, contribution.id)
    moderation.set_shareable(ctx, facilitator, reflections[0].id, True)
    summary = summaries.session_summary(ctx, facilitator, session.id)
    assert [c.body for c in summary.cards] == [reflections[0].body]
    assert summary.cards[0].day == date(2026, 11, 24)
    assert summaries.dashboard_cards(ctx, facilitator)[0].body == reflections[0].body


def test_notes_are_shown_only_to_the_facilitator_who_wrote_them(ctx, admin, facilitator):
    session, _ = run_twelve(ctx, facilitator)
    sessions.save_notes(ctx, facilitator, session.id, "Two newcomers; follow up on housing list")
    assert summaries.session_summary(ctx, facilitator, session.id).notes.startswith("Two newcomers")
    assert summaries.session_summary(ctx, admin, session.id).notes is None


def test_a_higher_threshold_from_settings_hides_more(ctx, admin, facilitator):
    session, _ = run_twelve(ctx, facilitator)
    organization.update_settings(ctx, admin, suppression_threshold=11)
    figures = summaries.session_summary(ctx, facilitator, session.id).figures
    assert figures.participants == Value(12)
    assert figures.pulse.post_mean == SMALL and figures.themes["hope"] == SMALL


def test_facilitators_see_only_their_own_sessions(ctx, admin, facilitator):
    mine, _ = run_twelve(ctx, facilitator)
    other = accounts.create_account(ctx, admin, "olu", "Olu", PASSWORD)
    theirs = run_small(ctx, other, people=6)
    assert [s.id for s in summaries.report_sessions(ctx, facilitator)] == [mine.id]
    assert {s.id for s in summaries.report_sessions(ctx, admin)} == {mine.id, theirs.id}
    with pytest.raises(NotAuthorized):
        summaries.session_summary(ctx, facilitator, theirs.id)
    with pytest.raises(NotAuthorized):
        summaries.dashboard(ctx, facilitator, ReportFilter(facilitator_id=other.id))
    assert summaries.dashboard(ctx, facilitator).figures.participants == Value(12)
    assert summaries.dashboard(ctx, admin).figures.participants == Value(18)
    assert summaries.filter_choices(ctx, facilitator)["facilitator_id"] == []
    assert len(summaries.filter_choices(ctx, admin)["facilitator_id"]) == 2


def test_only_admins_manage_accounts_and_settings(ctx, admin, facilitator):
    for call in (
        lambda: accounts.account_statuses(ctx, facilitator),
        lambda: accounts.set_account_active(ctx, facilitator, admin.id, False),
        lambda: accounts.reset_password(ctx, facilitator, admin.id, "another long password"),
        lambda: organization.update_settings(ctx, facilitator, suppression_threshold=3),
    ):
        with pytest.raises(NotAuthorized):
            call()


def test_a_deactivated_account_can_neither_sign_in_nor_read_reports(ctx, admin, facilitator):
    run_twelve(ctx, facilitator)
    accounts.set_account_active(ctx, admin, facilitator.id, False)
    assert {s.account.username: s.active for s in accounts.account_statuses(ctx, admin)} == {"ada": True, "fran": False}
    with pytest.raises(accounts.InvalidCredentials):
        accounts.authenticate(ctx, "fran", PASSWORD)
    with pytest.raises(NotAuthorized):
        summaries.dashboard(ctx, facilitator)
    accounts.set_account_active(ctx, admin, facilitator.id, True)
    accounts.reset_password(ctx, admin, facilitator.id, "a brand new passphrase")
    assert accounts.authenticate(ctx, "fran", "a brand new passphrase").id == facilitator.id


def test_the_last_admin_cannot_be_deactivated(ctx, admin):
    with pytest.raises(accounts.LastAdmin):
        accounts.set_account_active(ctx, admin, admin.id, False)


def test_program_labels_and_local_lines_are_settings(ctx, admin, facilitator):
    organization.update_settings(
        ctx,
        admin,
        program_labels="Eastside\nWestside\n\nEastside",
        local_crisis_lines="County Crisis | 5550100 | | 24/7",
    )
    settings = organization.get_settings(ctx)
    assert settings.program_list == ("Eastside", "Westside")
    assert settings.local_lines[0]["name"] == "County Crisis" and settings.local_lines[0]["call"] == "5550100"
    assert "Westside" in summaries.filter_choices(ctx, facilitator)["program"]
    with pytest.raises(organization.InvalidChoice):
        organization.update_settings(ctx, admin, local_crisis_lines="No number at all")


def test_contributions_per_person_cannot_give_back_a_hidden_total(ctx, admin, facilitator):
    """10 people joined, 2 of them wrote 3 reflections: the total is hidden, so is the ratio."""
    from hopecircle.services import participation as p

    session = sessions.start_session(ctx, facilitator, "steady-hands")
    tokens = [p.join(ctx, session.code).token for _ in range(10)]
    p.submit_reflection(ctx, tokens[0], "one")
    p.submit_reflection(ctx, tokens[0], "two")
    p.submit_reflection(ctx, tokens[1], "three")
    sessions.close_session(ctx, facilitator, session.id)
    board = summaries.dashboard(ctx, admin)
    assert not board.figures.contributions.shown
    assert not board.contributions_per_participant.shown
    assert all(not row.contributions_per_participant.shown for row in board.trends)


def run_seven(ctx, facilitator):
    """Seven phones, counted by hand; every one answers both pulses, six set a goal.

    before 3,4,4,5,6,7,8 (mean 5.3); after 5,6,6,7,7,8,9 (mean 6.9); change: sum 11, mean +1.6, all rose
    goals: health 3, community 2, none 1; no goal from phone 6
    check-in words: hopeful 3, ok 2, tired 2; reflections from phones 0-4 mention hope (4 of them) or family
    """
    session = sessions.start_session(ctx, facilitator, "steady-hands", "Tuesday circle", "Eastside")
    tokens = [participation.join(ctx, session.code).token for _ in range(7)]
    for n, (before, after) in enumerate(zip([3, 4, 4, 5, 6, 7, 8], [5, 6, 6, 7, 7, 8, 9], strict=True)):
        participation.submit_pulse(ctx, tokens[n], Moment.PRE, before)
        participation.submit_pulse(ctx, tokens[n], Moment.POST, after)
    for n, word in enumerate(["hopeful"] * 3 + ["ok"] * 2 + ["tired"] * 2):
        participation.submit_word(ctx, tokens[n], Kind.CHECKIN, word)
    for n, dimension in enumerate(["health"] * 3 + ["community"] * 2 + [None]):
        participation.submit_goal(ctx, tokens[n], GoalInput(what="Call my sister", dimension=dimension))
    for n in range(4):
        participation.submit_reflection(ctx, tokens[n], "I have hope")
    participation.submit_reflection(ctx, tokens[4], "My family")
    return session


def test_a_group_of_seven_reads_as_a_useful_report_with_nothing_singled_out(ctx, facilitator):
    session = run_seven(ctx, facilitator)
    summary = summaries.session_summary(ctx, facilitator, session.id)
    facts = dict(figure_facts(summary.figures))
    assert facts["Phones that joined"] == "7"
    assert facts["Set a next-step goal"] == "most (more than half)"
    assert facts["Hope pulse before, mean"] == "5.3 (n=7)" and facts["Hope pulse after, mean"] == "6.9 (n=7)"
    assert facts["Hope pulse change, mean"] == "+1.6 (7 answered both pulses)"
    assert facts["Hope pulse rose for"] == "100% (7 answered both pulses)"
    assert summary.figures.kinds["goal"] == COMPLEMENT  # 6 goals beside 7 phones would tell 1 set none
    report = session_report(summary)
    sentences = [
        chart.sentence for section in report.sections for chart in section.figures if isinstance(chart, NoChart)
    ]
    where = "Under Across sessions, these answers are counted with the other sessions of November 2026."
    assert (
        f"No bars: fewer than 5 people gave any one answer, even grouped as low, middle and high. {where}" in sentences
    )
    assert any(s.startswith("No theme was mentioned by 5 or more people.") for s in sentences)


def test_a_late_joiner_is_left_out_of_the_change_and_every_export_says_how_many_are_in_it(ctx, facilitator):
    """Eight phones; the eighth joins after the first pulse. before (0-6) 4,4,5,5,6,6,7; after (0-6)
    6,6,6,7,7,8,8 and 9 from the late joiner: 7 answered both, change sum 11, mean +1.6."""
    session = sessions.start_session(ctx, facilitator, "steady-hands", "Tuesday circle", "Eastside")
    tokens = [participation.join(ctx, session.code).token for _ in range(7)]
    for token, before in zip(tokens, [4, 4, 5, 5, 6, 6, 7], strict=True):
        participation.submit_pulse(ctx, token, Moment.PRE, before)
    tokens.append(participation.join(ctx, session.code).token)
    for token, after in zip(tokens, [6, 6, 6, 7, 7, 8, 8, 9], strict=True):
        participation.submit_pulse(ctx, token, Moment.POST, after)
    summary = summaries.session_summary(ctx, facilitator, session.id)
    pulse = summary.figures.pulse
    assert (pulse.pre_n, pulse.post_n, pulse.paired_n) == (Value(7), Value(8), Value(7))
    assert pulse.mean_change.number == pytest.approx(11 / 7)
    assert pulse.means_protected and pulse.pre_mean == COMPLEMENT
    rows = [row.decode() for row in files.summary_csv(summary).splitlines()]
    both = rows.index("hope_pulse,answered_both_pulses,7")
    assert rows[both + 1] == "hope_pulse,mean_change,1.571"
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(files.to_pdf(session_report(summary)))).pages
    )
    assert "+1.6 (7 answered both pulses)" in text
    assert "+1.6 (7 answered both pulses)" in files.to_html(session_report(summary))


def test_only_reflections_and_goals_can_be_marked_shareable_and_the_export_carries_exactly_those(ctx, facilitator):
    session = sessions.start_session(ctx, facilitator, "steady-hands", "Tuesday circle", "Eastside")
    a, b, c = (participation.join(ctx, session.code).token for _ in range(3))
    kept = participation.submit_reflection(ctx, a, "Asking for help is strength").contribution
    unmarked = participation.submit_reflection(ctx, b, "I heard my own story").contribution
    goal = participation.submit_goal(ctx, c, GoalInput(what="Walk after dinner", when="Friday")).contribution
    word = participation.submit_word(ctx, a, Kind.CHECKIN, "hopeful").contribution
    for contribution in (kept, unmarked, goal, word):
        moderation.approve(ctx, facilitator, contribution.id)
    on_board = {card.id: card for card in moderation.on_board(ctx, facilitator, session.id)}
    assert [cid for cid, card in on_board.items() if moderation.may_share(card)] == [kept.id, unmarked.id, goal.id]
    moderation.set_shareable(ctx, facilitator, kept.id, True)
    moderation.set_shareable(ctx, facilitator, goal.id, True)
    with pytest.raises(moderation.NotShareable) as refused:
        moderation.set_shareable(ctx, facilitator, word.id, True)
    assert refused.value.message_key == "error.not_shareable"
    moderation.set_shareable(ctx, facilitator, word.id, False)  # taking a mark off is always allowed
    exported = files.cards_csv(summaries.session_summary(ctx, facilitator, session.id).cards).decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(exported))
    assert sorted((row[header.index("kind")], row[header.index("text")]) for row in rows) == [
        ("goal", "Walk after dinner"),
        ("reflection", "Asking for help is strength"),
    ]
    assert "Friday" in exported and "hopeful" not in exported and "own story" not in exported


def test_a_threshold_of_two_is_refused_since_fewer_than_two_would_name_one_person(ctx, admin):
    from hopecircle.domain import InvalidChoice

    with pytest.raises(InvalidChoice):
        organization.update_settings(ctx, admin, suppression_threshold=2)
    assert organization.update_settings(ctx, admin, suppression_threshold=3).suppression_threshold == 3
