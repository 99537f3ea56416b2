"""Reports for a peer group of 6 to 15 people: useful figures, and still nothing that gives anyone away.

Every session here is counted by hand in its docstring. "A reader" below is someone holding the
whole report who knows the rules and tries every number the published figures allow.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from hopecircle.reporting import files, trends
from hopecircle.reporting.charts import NoChart, chart_set
from hopecircle.reporting.figures import BANDED, VALUES, Figures, suppressed_figures
from hopecircle.reporting.formatting import figure_facts, words_note
from hopecircle.reporting.suppression import Hidden, Value
from hopecircle.services.organization import OrgSettings
from hopecircle.stats import CHANGE_STEPS, PULSE_STEPS, SessionStats, combine_columns, dimension_counts

T = 5
SMALL = Value.small(T)
COMPLEMENT = Value(None, Hidden.COMPLEMENT, T)
MOST = Value(None, Hidden.MOST, T)
NOVEMBER = date(2026, 11, 24)


def pulse(values: list[int]) -> tuple[int, ...]:
    bins = [0] * PULSE_STEPS
    for value in values:
        bins[value] += 1
    return tuple(bins)


def changes(pairs: list[tuple[int, int]]) -> tuple[int, ...]:
    bins = [0] * CHANGE_STEPS
    for before, after in pairs:
        bins[after - before + PULSE_STEPS - 1] += 1
    return tuple(bins)


def figures_of(stats: SessionStats) -> Figures:
    return suppressed_figures(stats, T, OrgSettings(suppression_threshold=T))


def goal_setters_a_reader_could_infer(figures: Figures, stats: SessionStats) -> set[int]:
    """Every number of goal-setters consistent with all the published figures about goals.

    What is published: the participants; the goal share as said; the goals by part of life (which
    add up to the goal-setters); the contributions and their kinds (a goal is one per person, so
    the goal kind is the goal-setters). A hidden "fewer than T" cell is 0..T-1 people among the
    goals, 0..all among contributions; a "not shown" cell is at least T, unless every cell of its
    breakdown is "not shown" (then it could be anything).
    """
    people, total = stats.participants, stats.contributions

    def fits(cells: dict[str, Value], target: int, small_max: int, top: int) -> bool:
        shown = sum(int(v.number or 0) for v in cells.values() if v.shown)
        floor = 0 if all(v.hidden is Hidden.COMPLEMENT for v in cells.values()) else T
        lows = sum(0 if v.hidden is Hidden.SMALL else floor for v in cells.values() if not v.shown)
        highs = sum(small_max if v.hidden is Hidden.SMALL else top for v in cells.values() if not v.shown)
        return lows <= target - shown <= highs

    said = figures.goal_share
    kinds = figures.kinds
    every_kind_hidden = all(v.hidden is Hidden.COMPLEMENT for v in kinds.values())
    possible = set()
    for goals in range(people + 1):
        if said.shown and said.number is not None and round(said.number * people) != goals:
            continue
        if said.hidden is Hidden.MOST and not (goals >= T and 0 < people - goals < T):
            continue
        if said.hidden is Hidden.SMALL and not 0 < goals < T:
            continue
        if not fits(figures.dimensions, goals, T - 1, people):
            continue
        if kinds["goal"].shown and kinds["goal"].number != goals:
            continue
        others = {kind: v for kind, v in kinds.items() if kind != "goal"}
        if not every_kind_hidden and not fits(others, total - goals, total, total):
            continue
        possible.add(goals)
    return possible


def seven() -> SessionStats:
    """Seven people, every one answered both pulses; six set a goal.

    before 3,4,4,5,6,7,8 (sum 37, mean 5.3); after 5,6,6,7,7,8,9 (sum 48, mean 6.9)
    change +2,+2,+2,+2,+1,+1,+1: sum 11, mean +1.6, all seven rose
    goals: health 3, community 2, no part of life 1 (6 goals, 1 without)
    reflections: 6 from 5 people; check-in words: hopeful 3, tired 2, ok 2; no check-out
    themes: hope 4 people, family 2
    """
    before, after = [3, 4, 4, 5, 6, 7, 8], [5, 6, 6, 7, 7, 8, 9]
    return SessionStats(
        participants=7,
        kinds={"reflection": (6, 5), "goal": (6, 6), "checkin": (7, 7)},
        participants_with_goal=6,
        pulse_pre=pulse(before),
        pulse_post=pulse(after),
        pulse_change=changes(list(zip(before, after, strict=True))),
        dimensions={"health": 3, "community": 2, "none": 1},
        checkin_words=(("hopeful", 3), ("ok", 2), ("tired", 2)),
        themes={"hope": 4, "family": 2},
    )


def test_a_group_of_seven_gets_its_means_change_and_a_statement_about_goals():
    stats = seven()
    figures = figures_of(stats)
    facts = dict(figure_facts(figures))
    assert facts["Phones that joined"] == "7"
    assert facts["Contributions"] == "19"
    assert facts["Set a next-step goal"] == "most (more than half)"
    assert facts["Hope pulse before, mean"] == "5.3 (n=7)"
    assert facts["Hope pulse after, mean"] == "6.9 (n=7)"
    assert facts["Hope pulse change, mean"] == "+1.6 (7 answered both pulses)"
    assert facts["Hope pulse rose for"] == "100% (7 answered both pulses)"


def test_a_group_of_seven_replaces_each_empty_chart_with_one_sentence_saying_why():
    charts = chart_set(figures_of(seven()), "Counted in November 2026.")
    assert isinstance(charts["pulse"], NoChart)
    assert charts["pulse"].sentence == (
        "No bars: fewer than 5 people gave any one answer, even grouped as low, middle and high. "
        "Counted in November 2026."
    )
    assert isinstance(charts["dimensions"], NoChart) and "fewer than 5" in charts["dimensions"].sentence
    assert charts["themes"].sentence.startswith(
        "No theme was mentioned by 5 or more people. Mentioned by fewer than 5: Hope and the future, Family."
    )
    assert charts["checkin_words"].sentence.startswith("No check-in word was said by 5 or more people.")
    # Nobody checked out, but the count of check-outs is hidden (it protects the goals' count), so the
    # sentence does not say "none were sent": it would pin the hidden count at zero.
    assert charts["checkout_words"].sentence.startswith("No check-out word was said by 5 or more people.")
    assert not isinstance(charts["kinds"], NoChart)


def test_a_group_of_seven_does_not_give_away_the_one_without_a_goal():
    stats = seven()
    figures = figures_of(stats)
    # "6 goals" beside 7 participants would tell that 1 did not set one.
    assert figures.kinds == {"reflection": Value(6), "goal": COMPLEMENT, "checkin": Value(7), "checkout": SMALL}
    assert goal_setters_a_reader_could_infer(figures, stats) == {5, 6}
    assert words_note(figures) == "Only words said by at least 5 people are shown."


def fifteen(goals: int = 13, health: int = 7) -> SessionStats:
    """Fifteen people, `goals` of them set a goal: `health` for health, the rest for community."""
    return SessionStats(
        participants=15,
        kinds={"reflection": (12, 10), "goal": (goals, goals), "checkin": (14, 14)},
        participants_with_goal=goals,
        pulse_pre=pulse([5] * 15),
        pulse_post=pulse([7] * 15),
        pulse_change=changes([(5, 7)] * 15),
        dimensions={"health": health, "community": goals - health},
    )


def test_thirteen_of_fifteen_is_most_and_no_figure_gives_the_two_away():
    stats = fifteen()
    figures = figures_of(stats)
    assert figures.goal_share == MOST
    # Health 7 + community 6 would add up to 13; community is not shown, the empty parts are "fewer than 5".
    assert figures.dimensions == {
        "health": Value(7),
        "home": SMALL,
        "purpose": SMALL,
        "community": COMPLEMENT,
        "none": SMALL,
    }
    assert figures.kinds["goal"] == COMPLEMENT
    assert len(goal_setters_a_reader_could_infer(figures, stats)) >= 2


def test_whoever_set_a_goal_in_any_small_group_no_published_figure_pins_how_many():
    """Hundreds of groups of 5 to 16 with every way of splitting their goals, drawn with a fixed seed."""
    rng = random.Random(8)
    for _ in range(600):
        people = rng.randint(5, 16)
        goals = rng.randint(0, people)
        parts = [rng.choice(["health", "home", "purpose", "community", None]) for _ in range(goals)]
        reflections = rng.randint(0, 2 * people)
        stats = SessionStats(
            participants=people,
            kinds={
                "reflection": (reflections, min(people, reflections)),
                "goal": (goals, goals),
                "checkin": (people, people),
            },
            participants_with_goal=goals,
            dimensions=dimension_counts((part, 1) for part in parts),
        )
        figures = figures_of(stats)
        possible = goal_setters_a_reader_could_infer(figures, stats)
        assert goals in possible, (stats, figures)
        if not figures.goal_share.shown:
            assert len(possible) >= 2, (people, goals, parts, figures)
            # ...and none of the numbers left open is a small count of people without a goal, pinned.
            assert len({people - g for g in possible}) >= 2


def late_joiner() -> tuple[SessionStats, int]:
    """Eight people; the eighth joined after the first pulse and answered only the second, with 9.

    before (1-7): 4,4,5,5,6,6,7 (sum 37); after (1-7): 6,6,6,7,7,8,8 (sum 48); after (8): 9
    answered before 7, after 8, both 7; change of the seven: sum 11, mean +1.6
    """
    before, after, late = [4, 4, 5, 5, 6, 6, 7], [6, 6, 6, 7, 7, 8, 8], 9
    stats = SessionStats(
        participants=8,
        kinds={"goal": (8, 8)},
        participants_with_goal=8,
        pulse_pre=pulse(before),
        pulse_post=pulse([*after, late]),
        pulse_change=changes(list(zip(before, after, strict=True))),
        dimensions={"health": 8},
    )
    return stats, late


def test_a_late_joiners_answer_would_follow_from_the_means_and_the_change():
    stats, late = late_joiner()
    # What the means and the change add up to: the one answer nobody paired.
    assert stats.post_sum - stats.pre_sum - stats.change_sum == late


def test_with_a_late_joiner_the_change_says_its_base_and_the_means_are_not_shown():
    stats, _late = late_joiner()
    figures = figures_of(stats)
    p = figures.pulse
    assert (p.pre_n, p.post_n, p.paired_n) == (Value(7), Value(8), Value(7))
    assert p.pre_mean == COMPLEMENT and p.post_mean == COMPLEMENT and p.means_protected
    assert p.mean_change.number is not None and round(p.mean_change.number, 1) == 1.6
    assert p.scale == BANDED  # value by value, the bars would add up to the exact sums
    facts = dict(figure_facts(figures))
    assert facts["Hope pulse change, mean"] == "+1.6 (7 answered both pulses)"
    rows = {(section, item): value for section, item, value in _csv_rows(figures)}
    assert rows[("hope_pulse", "answered_both_pulses")] == 7
    assert rows[("hope_pulse", "pre_mean")] == "not shown (protects a small count)"


def test_the_pulse_is_shown_in_bands_when_values_would_hide_more_people():
    """Twelve people. before: 2, 3,3,3,3, 4,4, 5,5,5, 6,6 -> low 5, middle 7, high 0; no value has 5.
    after: 5,5,5,5,5, 7,7, 8,8, 9,9, 10 -> by value only the 5 (five people) shows; low 0, middle 5, high 7.
    """
    before = [2, 3, 3, 3, 3, 4, 4, 5, 5, 5, 6, 6]
    after = [5, 5, 5, 5, 5, 7, 7, 8, 8, 9, 9, 10]
    stats = SessionStats(
        participants=12,
        pulse_pre=pulse(before),
        pulse_post=pulse(after),
        pulse_change=changes(list(zip(before, after, strict=True))),
    )
    p = figures_of(stats).pulse
    assert p.scale == BANDED and p.bin_keys == ("low", "middle", "high")
    assert [v.number for v in p.pre_bins] == [5, 7, 0]
    assert [v.number for v in p.post_bins] == [0, 5, 7]
    assert p.pre_mean.shown and p.post_mean.shown  # everyone answered both: nothing to protect
    chart = chart_set(figures_of(stats))["pulse"]
    assert list(chart.layout.xaxis.ticktext) == ["Low (0–3)", "Middle (4–6)", "High (7–10)"]
    # One scale only: a reader cannot subtract the values from the bands.
    items = {item for section, item, _v in _csv_rows(figures_of(stats)) if section.startswith("hope_pulse_p")}
    assert items == {"low", "middle", "high"}


def test_a_pulse_every_value_of_which_shows_stays_value_by_value():
    stats = SessionStats(participants=10, pulse_pre=pulse([3] * 5 + [6] * 5), pulse_post=pulse([7] * 10))
    assert figures_of(stats).pulse.scale == VALUES


def _csv_rows(figures: Figures) -> list[tuple[str, str, object]]:
    return files._figure_rows(figures)


def columns_of(sessions: list[tuple[date, SessionStats]]) -> dict[str, list]:
    """The columns the dashboard reads from session_stats, for sessions held on the given days."""
    rows = [
        {"created_at": datetime.combine(day, datetime.min.time()), "story_id": "steady-hands", **s.to_row()}
        for day, s in sessions
    ]
    return {name: [row[name] for row in rows] for name in rows[0]}


def test_weekly_groups_too_small_to_show_are_rolled_into_months():
    """Four sessions of four people, two in November and two in December (within 92 days).

    By week every row is "fewer than 5"; by month each has 8 people, 8 goals and 8 who answered both.
    """
    group = SessionStats(
        participants=4,
        kinds={"goal": (4, 4)},
        participants_with_goal=4,
        pulse_pre=pulse([4] * 4),
        pulse_post=pulse([6] * 4),
        pulse_change=changes([(4, 6)] * 4),
    )
    days = [date(2026, 11, 3), date(2026, 11, 17), date(2026, 12, 1), date(2026, 12, 15)]
    columns = columns_of([(day, group) for day in days])
    frame = trends.frame_of(columns)
    assert trends.period_of(frame) == "week"
    period, rows = trends.period_trends(frame, combine_columns(columns), T)
    assert period == "month"
    assert [(r.period, r.participants, r.goal_rate, r.paired_n) for r in rows] == [
        ("2026-11", Value(8), Value(1.0), Value(8)),
        ("2026-12", Value(8), Value(1.0), Value(8)),
    ]
    assert [round(r.mean_change.number or 0, 1) for r in rows] == [2.0, 2.0]


def test_weekly_groups_big_enough_to_show_stay_weekly():
    group = SessionStats(participants=9, pulse_pre=pulse([4] * 9), pulse_post=pulse([6] * 9))
    days = [date(2026, 11, 3) + timedelta(weeks=n) for n in range(4)]
    columns = columns_of([(day, group) for day in days])
    period, rows = trends.period_trends(trends.frame_of(columns), combine_columns(columns), T)
    assert period == "week" and len(rows) == 4
