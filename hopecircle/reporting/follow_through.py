"""Follow-through across meetings: how last time's next steps went, per group and per program, by month.

Each later meeting of a group stores only how many phones answered "did it", "partly", "not yet"
and "rather not say". A report adds them up per group and per program for each month, and
says each answer as a share of those who answered. Small counts are suppressed as everywhere
else, and because a program's row is the sum of its groups' rows, a hidden group cell must not
be recoverable from the program's row either: cells are hidden across both until none is
(`protect`, complementary suppression on the table of groups by answers).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from hopecircle.groups import FOLLOW_UPS, FollowUp, FollowUpCounts
from hopecircle.reporting.suppression import Hidden, Value

ANSWERED = "answered"
_CELLS = tuple(answer.value for answer in FOLLOW_UPS)


@dataclass(frozen=True)
class FollowRecord:
    """One meeting's counts, with where it belongs: its day, program and group (no session, no people)."""

    day: date
    program: str
    group: str
    counts: FollowUpCounts


@dataclass(frozen=True)
class FollowRow:
    """A group's or a program's follow-through in one month, as a report may show it."""

    scope: str  # "group" or "program"
    name: str
    program: str
    period: str  # "2026-11"
    meetings: int
    answered: Value
    shares: dict[FollowUp, Value]  # each answer as a share of those who answered


@dataclass(frozen=True)
class FollowThrough:
    threshold: int
    rows: tuple[FollowRow, ...] = ()


NO_FOLLOW_THROUGH = FollowThrough(0)


def follow_through(records: Iterable[FollowRecord], threshold: int) -> FollowThrough:
    """Per program and month: the program's row, then each of its groups', every figure suppressed."""
    by_place: dict[tuple[str, str], dict[str, list[FollowRecord]]] = {}
    for record in records:
        period = f"{record.day:%Y-%m}"
        by_place.setdefault((record.program, period), {}).setdefault(record.group, []).append(record)
    rows: list[FollowRow] = []
    for (program, period), groups in sorted(by_place.items(), key=lambda item: (item[0][1], item[0][0])):
        counts = {name: _sum(found) for name, found in groups.items()}
        protected = protect(counts, threshold)
        meetings = {name: len(found) for name, found in groups.items()}
        total = _sum(record for found in groups.values() for record in found)
        rows.append(_row("program", program, program, period, sum(meetings.values()), total, protected[None]))
        for name in sorted(groups):
            rows.append(_row("group", name, program, period, meetings[name], counts[name], protected[name]))
    return FollowThrough(threshold, tuple(rows))


def _sum(records: Iterable[FollowRecord]) -> FollowUpCounts:
    total = FollowUpCounts({})
    for record in records:
        total = total + record.counts
    return total


def _row(
    scope: str, name: str, program: str, period: str, meetings: int, counts: FollowUpCounts, cells: dict[str, Value]
) -> FollowRow:
    answered = cells[ANSWERED]
    shares = {answer: _share(cells[answer.value], counts.answered, answered) for answer in FOLLOW_UPS}
    return FollowRow(scope, name, program, period, meetings, answered, shares)


def _share(cell: Value, whole: int, answered: Value) -> Value:
    """A shown count as a share of those who answered; a hidden one stays hidden, for the same reason."""
    if not cell.shown:
        return cell
    if not answered.shown:
        return Value(None, Hidden.COMPLEMENT, cell.threshold)
    number = cell.number / whole if whole and cell.number is not None else None
    return Value(number, threshold=cell.threshold)


Cell = tuple[str | None, str]  # (group, or None for the program; an answer, or ANSWERED)


def protect(groups: dict[str, FollowUpCounts], threshold: int) -> dict[str | None, dict[str, Value]]:
    """Suppress a program's table: a row per group (its answers and how many answered) and the
    program's row (`None`), which is the column sums.

    Every row adds up (answers to how many answered) and every column adds up (groups to the
    program), so a sum shown with one hidden cell in it gives that cell away, and one whose hidden
    cells add up to a small number tells that. Cells are hidden until no sum does either: the
    program's cell first (the detail is the groups'), then zeros (truthfully "fewer than N"), then
    the smallest.
    """
    table: dict[str | None, dict[str, int]] = {
        name: {**{a.value: c.of(a) for a in FOLLOW_UPS}, ANSWERED: c.answered} for name, c in groups.items()
    }
    table[None] = {key: sum(row[key] for row in table.values()) for key in (*_CELLS, ANSWERED)}
    hidden: dict[Cell, Hidden] = {}
    for name, row in table.items():
        if 0 < row[ANSWERED] < threshold:  # too few answered to say anything, even a zero
            hidden.update({(name, key): Hidden.SMALL for key in row})
        hidden.update({(name, key): Hidden.SMALL for key, n in row.items() if 0 < n < threshold})
    lines: list[tuple[list[Cell], Cell]] = [([(name, key) for key in _CELLS], (name, ANSWERED)) for name in table] + [
        ([(name, key) for name in groups], (None, key)) for key in (*_CELLS, ANSWERED)
    ]
    while True:
        leaking = next((line for line in lines if _gives_away(line, hidden, table, threshold)), None)
        if leaking is None:
            break
        parts, total = leaking
        visible = [cell for cell in (total, *parts) if cell not in hidden]
        if not visible:  # cannot happen while a line gives away a cell, but never loop for ever
            break
        pick = total if total in visible and total[0] is None else min(visible, key=lambda c: table[c[0]][c[1]])
        hidden[pick] = Hidden.SMALL if table[pick[0]][pick[1]] == 0 else Hidden.COMPLEMENT
    return {
        name: {
            key: Value(None, hidden[(name, key)], threshold) if (name, key) in hidden else Value(n, threshold=threshold)
            for key, n in row.items()
        }
        for name, row in table.items()
    }


def _gives_away(line: tuple[list[Cell], Cell], hidden: dict[Cell, Hidden], table, threshold: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether what is shown of a line pins one hidden cell, or tells that its hidden cells are few."""
    parts, total = line
    unknown = [cell for cell in (*parts, total) if cell in hidden]
    if len(unknown) == 1:
        return True
    if total in hidden or not unknown:
        return False
    rest = sum(table[name][key] for name, key in unknown)
    return 0 < rest < threshold
