"""Cross-session trends and the story ranking: pandas over one row per session, then suppression."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from hopecircle.reporting.suppression import Value, breakdown, share, statistic
from hopecircle.stats import SessionStats, parse_all


@dataclass(frozen=True)
class TrendRow:
    period: str
    sessions: int
    participants: Value
    contributions_per_participant: Value
    goal_rate: Value
    mean_change: Value
    paired_n: Value


@dataclass(frozen=True)
class StoryRow:
    story_id: str
    title: str
    sessions: int
    paired_n: Value
    mean_change: Value


def _mean(total: int, n: int) -> float | None:
    return total / n if n else None


def per_person(contributions: int, participants: int, contributors: int, people: Value) -> Value:
    """Contributions per participant under the rule of `people` (the participant count as shown):
    hidden with it, and hidden when few people contributed (the ratio times the visible participant
    count would give the hidden total back)."""
    if not people.shown:
        return people
    threshold = people.threshold
    if contributions and contributors < threshold:
        return Value.small(threshold)
    return Value(contributions / participants if participants else None, threshold=threshold)


def contributors_of(kinds_json: list[Any]) -> list[int]:
    """Per session, a lower bound on how many people contributed: the most people behind any one kind."""
    return [max((people for _count, people in entry.values()), default=0) for entry in parse_all(kinds_json)]


def frame_of(columns: dict[str, list[Any]]) -> pd.DataFrame:
    """One row per session: day, story and the counts trends add up (summed by pandas, not Python)."""
    frame = pd.DataFrame(
        {
            "day": pd.to_datetime(columns["created_at"]).normalize(),
            "story_id": columns["story_id"],
            "participants": columns["participants"],
            "contributions": columns["contributions"],
            "contributors": contributors_of(columns["kinds"]),
            "with_goal": columns["participants_with_goal"],
            "paired_n": columns["paired_n"],
            "change_sum": columns["change_sum"],
        }
    )
    return frame


def period_of(frame: pd.DataFrame) -> str:
    """Weeks for a short span, months otherwise, so a trend has enough points to read."""
    if frame.empty:
        return "month"
    span = (frame["day"].max() - frame["day"].min()).days
    return "week" if span <= 92 else "month"


def period_trends(frame: pd.DataFrame, total: SessionStats, threshold: int) -> tuple[str, tuple[TrendRow, ...]]:
    """The trend rows by week for a short span, unless months show more of their figures (small
    weekly groups hide most of theirs); by month for a long span. Only one of the two is published."""
    if period_of(frame) == "month":
        return "month", trends(frame, "month", total, threshold)
    weekly = trends(frame, "week", total, threshold)
    monthly = trends(frame, "month", total, threshold)
    return ("month", monthly) if _shown_share(monthly) > _shown_share(weekly) else ("week", weekly)


def _shown_share(rows: tuple[TrendRow, ...]) -> float:
    figures = [value for row in rows for value in (row.participants, row.goal_rate, row.mean_change)]
    return sum(value.shown for value in figures) / len(figures) if figures else 0.0


def trends(frame: pd.DataFrame, period: str, total: SessionStats, threshold: int) -> tuple[TrendRow, ...]:
    """Per week or month: sessions, attendance, contributions per person, goal rate, pulse change."""
    if frame.empty:
        return ()
    key = frame["day"].dt.to_period("W-SUN" if period == "week" else "M")
    sums = frame.groupby(key).agg(
        sessions=("participants", "size"),
        participants=("participants", "sum"),
        contributions=("contributions", "sum"),
        contributors=("contributors", "sum"),
        with_goal=("with_goal", "sum"),
        paired_n=("paired_n", "sum"),
        change_sum=("change_sum", "sum"),
    )
    labels = [str(p.start_time.date()) if period == "week" else str(p) for p in sums.index]
    people = breakdown(dict(zip(labels, map(int, sums["participants"]), strict=True)), total.participants, threshold)
    goals = breakdown(
        dict(zip(labels, map(int, sums["with_goal"]), strict=True)), total.participants_with_goal, threshold
    )
    without = dict(zip(labels, map(int, sums["participants"] - sums["with_goal"]), strict=True))
    no_goal = breakdown(without, total.participants - total.participants_with_goal, threshold)
    paired = breakdown(dict(zip(labels, map(int, sums["paired_n"]), strict=True)), total.paired_n, threshold)
    rows = []
    for label, (_period_key, row) in zip(labels, sums.iterrows(), strict=True):
        n = int(row["participants"])
        visible = people[label].shown
        rate = share(int(row["with_goal"]), n, threshold)
        if rate.shown and not (goals[label].shown and no_goal[label].shown):
            # This month's goal count could otherwise be worked out from the total and the other months.
            rate = Value.small(threshold)
        change = statistic(_mean(int(row["change_sum"]), int(row["paired_n"])), int(row["paired_n"]), threshold)
        rows.append(
            TrendRow(
                period=label,
                sessions=int(row["sessions"]),
                participants=people[label],
                contributions_per_participant=per_person(
                    int(row["contributions"]), n, int(row["contributors"]), people[label]
                ),
                goal_rate=rate if visible else people[label],
                mean_change=change if paired[label].shown else paired[label],
                paired_n=paired[label],
            )
        )
    return tuple(rows)


def stories(
    frame: pd.DataFrame, total: SessionStats, threshold: int, title: Callable[[str], str]
) -> tuple[StoryRow, ...]:
    """Mean pulse change after each story, largest first; stories resting on few people sink to the end."""
    if frame.empty:
        return ()
    sums = frame.groupby("story_id").agg(
        sessions=("participants", "size"), paired_n=("paired_n", "sum"), change_sum=("change_sum", "sum")
    )
    paired = breakdown({sid: int(n) for sid, n in sums["paired_n"].items()}, total.paired_n, threshold)
    rows = []
    for story_id, row in sums.iterrows():
        n = int(row["paired_n"])
        change = statistic(_mean(int(row["change_sum"]), n), n, threshold)
        rows.append(
            StoryRow(
                story_id=str(story_id),
                title=title(str(story_id)),
                sessions=int(row["sessions"]),
                paired_n=paired[str(story_id)],
                mean_change=change if paired[str(story_id)].shown else paired[str(story_id)],
            )
        )
    return tuple(sorted(rows, key=lambda r: (not r.mean_change.shown, -(r.mean_change.number or 0), r.title)))
