"""Follow-through per group and program: shares of those who answered, small counts suppressed,
and no hidden group figure recoverable from the program's row."""

from __future__ import annotations

from datetime import date

from hopecircle.groups import FOLLOW_UPS, FollowUp, FollowUpCounts
from hopecircle.reporting.follow_through import ANSWERED, FollowRecord, follow_through, protect
from hopecircle.reporting.suppression import Hidden

T = 5


def counts(did_it=0, partly=0, not_yet=0, rather_not=0) -> FollowUpCounts:
    return FollowUpCounts(
        {FollowUp.DID_IT: did_it, FollowUp.PARTLY: partly, FollowUp.NOT_YET: not_yet, FollowUp.RATHER_NOT: rather_not}
    )


def record(group: str, day: date, program: str = "Eastside", **answers: int) -> FollowRecord:
    return FollowRecord(day, program, group, counts(**answers))


def test_a_groups_month_reads_as_shares_of_those_who_answered():
    rows = follow_through(
        [
            record("Tuesday", date(2026, 11, 3), did_it=6, partly=5, not_yet=5),
            record("Tuesday", date(2026, 11, 10), did_it=2, partly=0, not_yet=2),
        ],
        T,
    ).rows
    program, group = rows
    assert (program.scope, group.scope, group.period, group.meetings) == ("program", "group", "2026-11", 2)
    assert group.answered.number == 20
    assert group.shares[FollowUp.DID_IT].number == 8 / 20
    assert group.shares[FollowUp.PARTLY].number == 5 / 20
    assert group.shares[FollowUp.NOT_YET].number == 7 / 20
    assert group.shares[FollowUp.RATHER_NOT].number == 0


def test_fewer_answers_than_the_threshold_say_nothing_but_that():
    (program, group) = follow_through([record("Tuesday", date(2026, 11, 3), did_it=3, partly=1)], T).rows
    for row in (program, group):
        assert row.answered.hidden is Hidden.SMALL
        assert all(not share.shown for share in row.shares.values())


def test_a_small_answer_is_hidden_with_another_so_neither_is_worked_out():
    (_program, group) = follow_through([record("Tuesday", date(2026, 11, 3), did_it=9, partly=6, not_yet=2)], T).rows
    hidden = [answer for answer, share in group.shares.items() if not share.shown]
    assert FollowUp.NOT_YET in hidden and len(hidden) >= 2


def test_a_small_group_cannot_be_worked_out_from_its_programs_row():
    big = record("Tuesday", date(2026, 11, 3), did_it=6, partly=6, not_yet=6)
    small = record("Thursday", date(2026, 11, 5), did_it=2, partly=1)
    rows = {row.name: row for row in follow_through([big, small], T).rows}
    program, tuesday, thursday = rows["Eastside"], rows["Tuesday"], rows["Thursday"]
    assert thursday.answered.hidden is Hidden.SMALL
    # Were both the program's and Tuesday's counts shown, Thursday's would be their difference.
    assert not (program.answered.shown and tuesday.answered.shown)


def test_no_row_or_column_of_a_programs_table_leaves_a_single_hidden_cell_to_work_out():
    """A row's answers add up to how many answered and the groups add up to the program: a sum
    shown with exactly one hidden cell in it would give that cell away."""
    tables = [
        {"A": counts(6, 6, 6, 0), "B": counts(2, 1, 0, 0)},
        {"A": counts(7, 5, 1, 0), "B": counts(5, 6, 5, 0)},
        {"A": counts(5, 5, 5, 5)},
        {"A": counts(9, 2, 0, 0), "B": counts(0, 5, 5, 1), "C": counts(3, 3, 0, 0)},
        {"A": counts(12, 1, 0, 0)},
    ]
    keys = [answer.value for answer in FOLLOW_UPS]
    for groups in tables:
        shown = protect(groups, T)
        for name, cells in shown.items():
            if cells[ANSWERED].shown:
                assert sum(not cells[key].shown for key in keys) != 1, (groups, name)
        for key in (*keys, ANSWERED):
            if shown[None][key].shown:
                assert sum(not shown[name][key].shown for name in groups) != 1, (groups, key)
            for name in (*groups, None):  # a small count is never shown, in a group's row or the program's
                number = shown[name][key].number
                assert number is None or not 0 < number < T
