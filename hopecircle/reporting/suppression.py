"""Small-count suppression: no figure in a report may rest on fewer than `threshold` people.

Rules (docs/reports.md explains them with examples):

1. A count of people from 1 to threshold-1 is hidden as SMALL ("fewer than N"); 0 is shown.
2. A statistic (mean, change, share) is hidden as SMALL when it rests on fewer than threshold people;
   a share is also hidden when the people *outside* it are 1 to threshold-1 ("10 of 12" tells 2 did not).
3. Complementary suppression: in a breakdown whose total is published (goals by dimension, people
   per month, answers per pulse value), a hidden cell must not be recoverable as total minus the
   visible cells. More cells are hidden until no hidden cell's value is pinned down, and the hidden
   cells together are 0 or at least threshold (so a derived "rest" is not itself a small count).
   Zero cells are hidden first (truthfully "fewer than N"); a larger cell is hidden as COMPLEMENT.
4. A share whose only problem is a small group outside it ("13 of 15 set a goal") is said as MOST
   ("most", more than half) when that cannot pin the few outside it; the breakdowns that add up to the
   same people are then told what "most" gives away (`outside_bounds`, `breakdown(..., known=...)`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Hidden(StrEnum):
    SMALL = "small"
    COMPLEMENT = "complement"
    # Not a number, but a true statement: more than half (and the few outside it stay unknown).
    MOST = "most"


@dataclass(frozen=True)
class Value:
    """A figure as a report may show it: the number, or why it is hidden (never both).

    `threshold` is the smallest count the rules that made it allowed, so a figure hidden as SMALL
    reads "fewer than <threshold>" wherever it goes. Two Values are equal when their number and
    reason are: the threshold says how a reason reads, not what the figure is.
    """

    number: float | None
    hidden: Hidden | None = None
    threshold: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        if self.hidden is Hidden.SMALL and self.threshold < 1:
            raise ValueError("a figure hidden as small needs the threshold it is below")

    @property
    def shown(self) -> bool:
        return self.hidden is None

    @classmethod
    def small(cls, threshold: int) -> Value:
        """A figure hidden because it rests on fewer than `threshold` people."""
        return cls(None, Hidden.SMALL, threshold)


def count(n: int, threshold: int) -> Value:
    """A count of people: hidden when 1 to threshold-1."""
    return Value.small(threshold) if 0 < n < threshold else Value(n, threshold=threshold)


def statistic(number: float | None, n: int, threshold: int) -> Value:
    """A mean or change computed from `n` people; nothing to show when nobody answered."""
    if n == 0 or number is None:
        return Value(None, threshold=threshold)
    return Value.small(threshold) if n < threshold else Value(number, threshold=threshold)


def share(part: int, whole: int, threshold: int) -> Value:
    """part/whole as a fraction, hidden when it would reveal a small group inside or outside it."""
    if whole == 0:
        return Value(None, threshold=threshold)
    if whole < threshold or 0 < part < threshold or 0 < whole - part < threshold:
        return Value.small(threshold)
    return Value(part / whole, threshold=threshold)


def majority_share(part: int, whole: int, threshold: int) -> Value:
    """Like `share`, but said as MOST ("more than half") when only the few outside it keep it hidden.

    "13 of 15 set a goal" would tell that 2 did not; "most set a goal" is true and tells only that
    1 to threshold-1 did not. When that range is a single number (15 of 16 at threshold 5: the one
    outside is pinned), the share is not shown at all.
    """
    exact = share(part, whole, threshold)
    outside = whole - part
    if exact.shown or whole < threshold or part < threshold or not 0 < outside < threshold:
        return exact
    if _most_outside(whole, threshold) >= 2:
        return Value(None, Hidden.MOST, threshold)
    return Value(None, Hidden.COMPLEMENT, threshold)


def _most_outside(whole: int, threshold: int) -> int:
    # MOST is said only when at least threshold are inside and 1 to threshold-1 outside.
    return min(threshold - 1, whole - threshold)


def outside_bounds(said: Value, part: int, whole: int) -> tuple[int, int]:
    """What a reader of the share as said can tell about how many are outside it: (least, most)."""
    if said.shown:
        return whole - part, whole - part
    if said.hidden is Hidden.MOST:
        return 1, _most_outside(whole, said.threshold)
    if said.hidden is Hidden.SMALL and whole >= said.threshold:
        # "fewer than N" inside (never 0, which is shown): the rest are outside.
        return whole - said.threshold + 1, whole - 1
    return 0, whole


def breakdown(
    cells: Mapping[str, int],
    total: int,
    threshold: int,
    *,
    upper: int | None = None,
    primary: Iterable[str] | None = None,
    known: Mapping[str, tuple[int, int]] | None = None,
) -> dict[str, Value]:
    """Suppress a partition of `total` (the cells must add up to it) with complementary suppression.

    `upper` bounds what a reader may assume of a SMALL cell; it defaults to threshold-1 for counts of
    people. For counts of contributions (several per person) pass the total, and name in `primary`
    the cells that rest on fewer than threshold people. `known` names cells that are hidden from the
    start, with what a reader can already tell of each from elsewhere in the report (least, most):
    a share said as "most" bounds the few outside it.
    """
    assert sum(cells.values()) == total, "a breakdown's cells must add up to its published total"
    if 0 < total < threshold:
        # With fewer than threshold people in all, even a zero would tell what everyone answered.
        return {key: Value.small(threshold) for key in cells}
    known = dict(known or {})
    small_max = threshold - 1 if upper is None else upper
    small = set(primary) if primary is not None else {key for key, n in cells.items() if 0 < n < threshold}
    hidden: dict[str, Hidden] = {key: Hidden.SMALL for key in cells if key in small}
    hidden.update({key: Hidden.SMALL if key in small else Hidden.COMPLEMENT for key in known})
    while hidden and _recoverable(cells, hidden, total, threshold, small_max, known):
        extra = _next_complement(cells, hidden)
        if extra is None:
            # Even with every cell hidden, "fewer than N" bounds pin them (4 + 4 = 8): say nothing per cell.
            return {key: Value(None, Hidden.COMPLEMENT, threshold) for key in cells}
        key, why = extra
        hidden[key] = why
    return {
        key: Value(None, hidden[key], threshold) if key in hidden else Value(n, threshold=threshold)
        for key, n in cells.items()
    }


def _next_complement(cells: Mapping[str, int], hidden: Mapping[str, Hidden]) -> tuple[str, Hidden] | None:
    visible = [(n, key) for key, n in cells.items() if key not in hidden]
    if not visible:
        return None
    zeros = [key for n, key in visible if n == 0]
    if zeros:
        return zeros[0], Hidden.SMALL
    _n, key = min(visible)
    return key, Hidden.COMPLEMENT


def _recoverable(
    cells: Mapping[str, int],
    hidden: Mapping[str, Hidden],
    total: int,
    threshold: int,
    small_max: int,
    known: Mapping[str, tuple[int, int]],
) -> bool:
    """Whether a reader who knows the total can pin any hidden cell, or learns a small 'rest'."""
    rest = total - sum(n for key, n in cells.items() if key not in hidden)
    if 0 < rest < threshold:
        return True
    bounds = {
        key: known.get(key, (0, small_max) if why is Hidden.SMALL else (threshold, total))
        for key, why in hidden.items()
    }
    low_sum = sum(lo for lo, _hi in bounds.values())
    high_sum = sum(hi for _lo, hi in bounds.values())
    for lo, hi in bounds.values():
        least = max(lo, rest - (high_sum - hi))
        most = min(hi, rest - (low_sum - lo))
        if least >= most:
            return True
    return False


def top_words(words: tuple[tuple[str, int], ...], threshold: int) -> tuple[tuple[tuple[str, int], ...], int]:
    """Words said by at least threshold people, and how many other words are left out."""
    shown = tuple((word, n) for word, n in words if n >= threshold)
    return shown, len(words) - len(shown)
