"""Session plans (each phase's planned minutes, from the files in `facilitator_guides/plans/`)
and where a phase stands against them.

A plan file (kind `plan`) gives the minutes of every phase in its `timings`. A series file also
lists its `weeks` (a number, a story id, a focus); each week is a plan of its own to pick when
starting a session, with the series' timings. The files are read with the guides when the app
starts, so editing a plan file (and restarting) changes the minutes every console counts down.
"""

from __future__ import annotations

from dataclasses import dataclass

from hopecircle.content import Guide, GuideLibrary, StoryLibrary
from hopecircle.domain import Phase
from hopecircle.i18n import t

DEFAULT_PLAN = "session-75"
_WEEK = "/week-"


@dataclass(frozen=True)
class Plan:
    """What a session runs to: each phase's minutes, and for a series week its story and focus."""

    id: str  # the file's name without `.md`, plus `/week-N` for a week of a series
    title: str
    minutes: tuple[tuple[Phase, int], ...]
    order: int = 0
    week: int | None = None
    story_id: str | None = None
    focus: str = ""

    def minutes_for(self, phase: Phase) -> int | None:
        """The phase's planned minutes (None for a phase the plan does not time)."""
        return dict(self.minutes).get(phase)

    @property
    def total_minutes(self) -> int:
        return sum(minutes for _phase, minutes in self.minutes)


def session_plans(guides: GuideLibrary) -> list[Plan]:
    """Every plan to pick from, in the guides' order; a series gives one plan per week."""
    found: list[Plan] = []
    for guide in guides.of_kind("plan"):
        found.extend(_plans_of(guide))
    return found


def find_plan(guides: GuideLibrary, plan_id: str | None) -> Plan | None:
    """The plan with this id, or None (no plan: a custom session, or a plan file since removed)."""
    if not plan_id:
        return None
    return next((plan for plan in session_plans(guides) if plan.id == plan_id), None)


def plan_label(plan: Plan, stories: StoryLibrary) -> str:
    """How a plan reads in the start form and under the countdown (a week names its focus and story)."""
    if plan.week is None:
        return plan.title
    story = stories.get(plan.story_id or "")
    return t(
        "timer.plan_week",
        title=plan.title,
        week=plan.week,
        focus=plan.focus or "—",
        story=story.title if story else (plan.story_id or "—"),
    )


def _plans_of(guide: Guide) -> list[Plan]:
    base = guide.slug.rsplit("/", 1)[-1]
    minutes = tuple((Phase(item["phase"]), int(item["minutes"])) for item in guide.meta["timings"])
    weeks = guide.meta.get("weeks")
    if not weeks:
        return [Plan(id=base, title=guide.title, minutes=minutes, order=guide.order)]
    return [
        Plan(
            id=f"{base}{_WEEK}{week['week']}",
            title=guide.title,
            minutes=minutes,
            order=guide.order,
            week=int(week["week"]),
            story_id=week.get("story"),
            focus=str(week.get("focus") or ""),
        )
        for week in weeks
    ]


TIMED_ON_PROJECTOR: frozenset[Phase] = frozenset({Phase.REFLECT, Phase.NEXT_STEP})


@dataclass(frozen=True)
class Countdown:
    """Where a phase stands against its planned time, as the console shows it."""

    tone: str  # "calm", "near" (amber: the last minute or last fifth) or "over" (red); "none" without a plan
    seconds: int  # left (or, when over, past the plan; without a plan, spent in the phase)


def countdown(elapsed_seconds: float, planned_minutes: int | None) -> Countdown:
    """The countdown for a phase `elapsed_seconds` in: amber in the last minute or the last 20 %
    of the planned time, whichever is longer, red once over."""
    elapsed = max(0, int(elapsed_seconds))
    if not planned_minutes:
        return Countdown("none", elapsed)
    planned = planned_minutes * 60
    left = planned - elapsed
    if left < 0:
        return Countdown("over", -left)
    return Countdown("near" if left <= max(60, planned * 0.2) else "calm", left)


def clock_text(seconds: int) -> str:
    """Seconds as mm:ss (minutes past 99 keep counting)."""
    minutes, rest = divmod(max(0, seconds), 60)
    return f"{minutes:02d}:{rest:02d}"


def minutes_left_about(elapsed_seconds: float, planned_minutes: int) -> int | None:
    """Minutes left to the nearest whole one, for a calm "about N minutes left"; 0 in the last
    minute, None once the planned time is over."""
    left = planned_minutes * 60 - max(0, int(elapsed_seconds))
    if left <= 0:
        return None
    return 0 if left < 60 else (left + 30) // 60
