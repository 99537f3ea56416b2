"""A session's (or many sessions') aggregates as the figures a report may show, already suppressed.

Small groups (6 to 12 people) are the usual case, so the rules of `suppression.py` are applied so
that a report stays useful without giving anyone away:

- the hope pulse is drawn value by value (0 to 10) or, when that would hide more people, in three
  bands (low 0-3, middle 4-6, high 7-10), never both, so one cannot be subtracted from the other;
- a goal share whose only problem is the few who set none is said as "most" (and so is the share
  whose pulse rose, among those who answered both);
- when a few people answered only one of the two pulses (a late joiner), the before and after means
  are not shown: with the change of those who answered both, they would give those few answers away.

docs/reports.md works through each rule with hand-counted examples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hopecircle import safety
from hopecircle.domain import DIMENSIONS, PULSE_MAX, PULSE_MIN, Kind
from hopecircle.reporting.suppression import (
    Hidden,
    Value,
    breakdown,
    count,
    majority_share,
    outside_bounds,
    statistic,
    top_words,
)
from hopecircle.services.organization import OrgSettings
from hopecircle.stats import NO_DIMENSION, SessionStats
from hopecircle.themes import theme_ids

KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)
DIMENSION_KEYS: tuple[str, ...] = (*DIMENSIONS, NO_DIMENSION)
# The pulse in three bands, for groups too small to show each value: (name, lowest, highest).
BANDS: tuple[tuple[str, int, int], ...] = (("low", 0, 3), ("middle", 4, 6), ("high", 7, 10))
VALUES, BANDED = "value", "band"
_NO_GOAL = "__no_goal__"


@dataclass(frozen=True)
class PulseView:
    """The hope pulse before and after, and the change for the people who answered both.

    `scale` says what the bins are: one per value 0-10 (VALUES) or one per band of BANDS (BANDED).
    `means_protected` says the before and after means are hidden because a few answered only one pulse.
    """

    pre_n: Value
    post_n: Value
    paired_n: Value
    pre_mean: Value
    post_mean: Value
    mean_change: Value
    scale: str
    pre_bins: tuple[Value, ...]
    post_bins: tuple[Value, ...]
    # Of the people who answered both pulses, the share whose pulse rose (or "most").
    rose_share: Value
    means_protected: bool

    @property
    def bin_keys(self) -> tuple[str, ...]:
        """What each bin counts: the value ("0".."10") or the band's name."""
        if self.scale == BANDED:
            return tuple(name for name, _low, _high in BANDS)
        return tuple(str(v) for v in range(PULSE_MIN, PULSE_MAX + 1))


@dataclass(frozen=True)
class Figures:
    """The suppressed figures of one session or of many added together, and the threshold they keep to."""

    threshold: int
    participants: Value
    contributions: Value
    kinds: dict[str, Value]
    goal_share: Value
    pulse: PulseView
    dimensions: dict[str, Value]
    checkin_words: tuple[tuple[str, int], ...]
    checkout_words: tuple[tuple[str, int], ...]
    words_left_out: int
    themes: dict[str, Value]


def _mean(total: int, n: int) -> float | None:
    return total / n if n else None


def contributors(stats: SessionStats) -> int:
    """A lower bound on how many people contributed: the most people behind any one kind."""
    return max((people for _count, people in stats.kinds.values()), default=0)


def suppressed_figures(stats: SessionStats, threshold: int, settings: OrgSettings) -> Figures:
    """A session's (or several sessions') aggregates as the figures a report may show."""
    goals = stats.participants_with_goal
    goal_share = majority_share(goals, stats.participants, threshold)
    words_in, left_in = top_words(stats.checkin_words, threshold)
    words_out, left_out = top_words(stats.checkout_words, threshold)
    if settings.profanity_policy is not safety.ProfanityPolicy.OFF:
        words_in = tuple((safety.mask_profanity(w), n) for w, n in words_in)
        words_out = tuple((safety.mask_profanity(w), n) for w, n in words_out)
    return Figures(
        threshold=threshold,
        participants=count(stats.participants, threshold),
        contributions=count(stats.contributions, threshold)
        if contributors(stats) >= threshold
        else _hidden_unless_zero(stats, threshold),
        kinds=_kinds(stats, threshold, goal_share),
        goal_share=goal_share,
        pulse=pulse_view(stats, threshold),
        dimensions=_dimensions(stats, threshold, goal_share),
        checkin_words=words_in,
        checkout_words=words_out,
        words_left_out=left_in + left_out,
        themes={theme: count(stats.themes.get(theme, 0), threshold) for theme in theme_ids()},
    )


def _hidden_unless_zero(stats: SessionStats, threshold: int) -> Value:
    return Value(0, threshold=threshold) if stats.contributions == 0 else Value.small(threshold)


def _outside(goal_share: Value, stats: SessionStats) -> tuple[int, int] | None:
    """What the goal share as said tells of how many set no goal (None: the exact number follows)."""
    if goal_share.shown:
        return None
    return outside_bounds(goal_share, stats.participants_with_goal, stats.participants)


def _kinds(stats: SessionStats, threshold: int, goal_share: Value) -> dict[str, Value]:
    """Contributions by kind. A next-step goal is one per person, so the goals' count is the
    goal-setters' count: it is hidden whenever the goal share is (beside the participants it would
    give the share back), bounded by what the share as said tells."""
    pairs = {kind: stats.kinds.get(kind, (0, 0)) for kind in KINDS}
    outside = _outside(goal_share, stats)
    known = {}
    if outside is not None and stats.participants_with_goal:
        known[Kind.GOAL.value] = (stats.participants - outside[1], stats.participants - outside[0])
    return breakdown(
        {kind: n for kind, (n, _people) in pairs.items()},
        stats.contributions,
        threshold,
        upper=stats.contributions,
        primary=[kind for kind, (n, people) in pairs.items() if n and people < threshold],
        known=known,
    )


def _dimensions(stats: SessionStats, threshold: int, goal_share: Value) -> dict[str, Value]:
    """Goals by recovery dimension. Unless the goal share is exact, the people with no goal are an
    unseen cell of the same breakdown of participants, so the dimensions cannot add up to the
    goal-setters' count and, beside the participants, give away the few who set none."""
    cells = {key: stats.dimensions.get(key, 0) for key in DIMENSION_KEYS}
    outside = _outside(goal_share, stats)
    if outside is None:
        return breakdown(cells, stats.participants_with_goal, threshold)
    cells[_NO_GOAL] = stats.participants - stats.participants_with_goal
    suppressed = breakdown(cells, stats.participants, threshold, known={_NO_GOAL: outside})
    suppressed.pop(_NO_GOAL)
    return suppressed


def pulse_view(stats: SessionStats, threshold: int) -> PulseView:
    """The pulse at the scale that shows the most people, with means hidden when a few answered only one."""
    answered_one = stats.pre_n + stats.post_n - 2 * stats.paired_n
    means_protected = 0 < answered_one < threshold
    values = [_by_value(stats.pulse_pre, stats.pre_n, threshold), _by_value(stats.pulse_post, stats.post_n, threshold)]
    bands = [_by_band(stats.pulse_pre, stats.pre_n, threshold), _by_band(stats.pulse_post, stats.post_n, threshold)]
    # Values shown one by one add up to exact sums: with a few answering only one pulse, only bands.
    use_bands = means_protected or _people_shown(bands) > _people_shown(values)
    pre, post = bands if use_bands else values
    means = (
        statistic(_mean(stats.pre_sum, stats.pre_n), stats.pre_n, threshold),
        statistic(_mean(stats.post_sum, stats.post_n), stats.post_n, threshold),
    )
    pre_mean, post_mean = (_protected(m) for m in means) if means_protected else means
    return PulseView(
        pre_n=count(stats.pre_n, threshold),
        post_n=count(stats.post_n, threshold),
        paired_n=count(stats.paired_n, threshold),
        pre_mean=pre_mean,
        post_mean=post_mean,
        mean_change=statistic(_mean(stats.change_sum, stats.paired_n), stats.paired_n, threshold),
        rose_share=majority_share(_rose(stats), stats.paired_n, threshold),
        scale=BANDED if use_bands else VALUES,
        pre_bins=tuple(pre.values()),
        post_bins=tuple(post.values()),
        means_protected=(pre_mean, post_mean) != means,
    )


def _rose(stats: SessionStats) -> int:
    """How many of those who answered both pulses answered higher the second time."""
    return sum(n for change, n in enumerate(stats.pulse_change, PULSE_MIN - PULSE_MAX) if change > 0)


def _protected(mean: Value) -> Value:
    return Value(None, Hidden.COMPLEMENT, mean.threshold) if mean.shown and mean.number is not None else mean


def _by_value(bins: Sequence[int], n: int, threshold: int) -> dict[str, Value]:
    return breakdown({str(value): k for value, k in enumerate(bins, PULSE_MIN)}, n, threshold)


def _by_band(bins: Sequence[int], n: int, threshold: int) -> dict[str, Value]:
    cells = {name: sum(bins[low - PULSE_MIN : high - PULSE_MIN + 1]) for name, low, high in BANDS}
    return breakdown(cells, n, threshold)


def _people_shown(breakdowns: Sequence[Mapping[str, Value]]) -> int:
    return sum(int(v.number or 0) for cells in breakdowns for v in cells.values() if v.shown)
