"""Session plans from the guide files, each week of a series as its own plan, and the countdown rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hopecircle import plans
from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.domain import Phase
from hopecircle.plans import Countdown, countdown

GUIDES = load_guides(ROOT / "facilitator_guides")
STORIES = load_stories(ROOT / "stories")


def test_every_plan_file_is_a_choice_and_each_week_of_the_series_is_its_own():
    ids = [plan.id for plan in plans.session_plans(GUIDES)]
    assert ids == [
        "session-75",
        "drop-in-30",
        "series-4-weeks/week-1",
        "series-4-weeks/week-2",
        "series-4-weeks/week-3",
        "series-4-weeks/week-4",
    ]
    week = plans.find_plan(GUIDES, "series-4-weeks/week-2")
    assert (week.week, week.story_id, week.focus, week.total_minutes) == (
        2,
        "morning-dose",
        "many paths of recovery",
        75,
    )
    assert plans.plan_label(week, STORIES) == "Four-week series, week 2: many paths of recovery (story: Morning Dose)"
    assert plans.plan_label(plans.find_plan(GUIDES, "drop-in-30"), STORIES) == "Drop-in session: 30 minutes"


def test_each_phase_gets_the_plans_minutes():
    standard = plans.find_plan(GUIDES, plans.DEFAULT_PLAN)
    assert standard.minutes_for(Phase.REFLECT) == 18 and standard.total_minutes == 75
    assert plans.find_plan(GUIDES, "drop-in-30").minutes_for(Phase.CLOSE) == 5
    assert plans.find_plan(GUIDES, None) is None and plans.find_plan(GUIDES, "no-such-plan") is None


def edited_guides(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the shipped guides with one line of the standard plan changed."""
    folder = tmp_path / "guides"
    shutil.copytree(ROOT / "facilitator_guides", folder)
    plan = folder / "plans" / "session-75.md"
    text = plan.read_text(encoding="utf-8")
    assert old in text
    plan.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_editing_a_plan_file_changes_the_minutes(tmp_path):
    folder = edited_guides(
        tmp_path,
        "  - {phase: reflect, minutes: 18}\n  - {phase: next_step, minutes: 10}",
        "  - {phase: reflect, minutes: 20}\n  - {phase: next_step, minutes: 8}",
    )
    edited = load_guides(folder)
    assert edited.errors == []
    assert plans.find_plan(edited, plans.DEFAULT_PLAN).minutes_for(Phase.REFLECT) == 20


@pytest.mark.parametrize(
    "weeks",
    [
        "weeks: [{week: 2, story: morning-dose}]",
        "weeks: [{week: 1}, {week: 1}]",
        "weeks: [{week: 1, story: Not An Id}]",
        "weeks: []",
        "weeks: this week",
    ],
)
def test_a_series_whose_weeks_do_not_add_up_is_refused_by_name(tmp_path, weeks):
    folder = edited_guides(tmp_path, "total_minutes: 75\n", f"total_minutes: 75\n{weeks}\n")
    (error,) = load_guides(folder).errors
    assert (error.source, error.field, error.problem_key) == ("plans/session-75.md", "weeks", "content.plan_weeks")


@pytest.mark.parametrize(
    ("elapsed", "planned", "expected"),
    [
        (0, 18, Countdown("calm", 18 * 60)),
        (14 * 60 + 23, 18, Countdown("calm", 3 * 60 + 37)),  # 20 % of 18 minutes is 3:36
        (14 * 60 + 24, 18, Countdown("near", 3 * 60 + 36)),
        (2 * 60 + 59, 4, Countdown("calm", 61)),  # a short phase: amber for its last minute
        (3 * 60, 4, Countdown("near", 60)),
        (4 * 60, 4, Countdown("near", 0)),
        (4 * 60 + 65, 4, Countdown("over", 65)),
        (125.7, None, Countdown("none", 125)),
        (-3, 5, Countdown("calm", 300)),  # a clock a little behind the phase's start
    ],
)
def test_the_countdown_turns_amber_near_the_end_and_red_when_over(elapsed, planned, expected):
    assert countdown(elapsed, planned) == expected


def test_clock_text_and_the_projectors_calm_minutes():
    assert plans.clock_text(3 * 60 + 7) == "03:07" and plans.clock_text(125 * 60) == "125:00"
    elapsed = (0, 89, 90, 220, 241, 299, 300, 400)
    assert [plans.minutes_left_about(seconds, 5) for seconds in elapsed] == [5, 4, 4, 1, 0, 0, None, None]
