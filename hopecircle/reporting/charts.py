"""The report's plotly figures, drawn from suppressed figures for the screen, the HTML file and the PDF.

A hidden figure is drawn as a pale outline labelled with its reason (analytics draws it), or as a
gap in a trend line: never as a number. A chart with nothing it may draw (a small group: every bar
hidden, or nothing to count) is not drawn at all: a `NoChart` says in one sentence why, and where
the figures still count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeAlias

import plotly.graph_objects as go

from hopecircle import analytics
from hopecircle.i18n import t
from hopecircle.reporting.formatting import band_label, change_text, format_value, where_counted
from hopecircle.reporting.summaries import Dashboard, Figures
from hopecircle.reporting.suppression import Hidden, Value
from hopecircle.themes import theme_ids


@dataclass(frozen=True)
class NoChart:
    """A chart left out, and the one sentence that says why in its place."""

    title: str
    sentence: str


Chart: TypeAlias = go.Figure | NoChart


def _labels(title: str, threshold: int, **extra: str) -> dict[str, str]:
    return {"title": title, "hidden": t("reports.fewer_than", n=threshold), **extra}


def _drawn(value: Value) -> float | str | None:
    """What a chart draws: the number, or the hidden marker's text."""
    return value.number if value.shown else format_value(value)


def _nothing_shown(values: Iterable[Value]) -> bool:
    """Every bar hidden (or zero beside hidden ones): a chart of outlines would say nothing."""
    values = list(values)
    return any(not v.shown for v in values) and not any(v.shown and v.number for v in values)


def _all_zero(values: Iterable[Value]) -> bool:
    return all(v.shown and not v.number for v in values)


def _hidden_sentence(threshold: int, where: str) -> str:
    return " ".join(x for x in (t("reports.empty_hidden", n=threshold), where) if x)


def chart_set(figures: Figures, where: str = "") -> dict[str, Chart]:
    """The charts of a summary or dashboard, ready for the screen, HTML and PDF alike.

    `where` says where hidden figures still count (a session's month; a longer range), and ends
    the sentence that stands in for a chart whose every bar is hidden.
    """
    threshold = figures.threshold
    charts: dict[str, Chart] = {
        "pulse": _pulse_chart(figures, where),
        "kinds": _bars_or_sentence(
            t("reports.chart_kinds"),
            [(t(f"reports.kind.{k}"), v) for k, v in figures.kinds.items()],
            threshold,
            t("reports.contributions"),
            t("reports.empty_kinds_none"),
            where,
        ),
        "dimensions": _bars_or_sentence(
            t("reports.chart_dimensions"),
            [(t(f"reports.dimension.{k}"), v) for k, v in figures.dimensions.items()],
            threshold,
            t("reports.people"),
            t("reports.empty_goals_none"),
            where,
        ),
        "themes": _themes_chart(figures, where),
    }
    for key, words in (("checkin", figures.checkin_words), ("checkout", figures.checkout_words)):
        title = t(f"reports.chart_{key}_words")
        if words:
            charts[f"{key}_words"] = analytics.bar_figure(
                [(word, n) for word, n in words[:15]], _labels(title, threshold), threshold
            )
        elif _all_zero([figures.kinds[key]]):
            charts[f"{key}_words"] = NoChart(title, t(f"reports.empty_{key}_words_none"))
        else:
            # Said even when none were sent if the count of words is hidden: "none" would pin it at 0.
            sentence = " ".join(x for x in (t(f"reports.empty_{key}_words", n=threshold), where) if x)
            charts[f"{key}_words"] = NoChart(title, sentence)
    return charts


def _pulse_chart(figures: Figures, where: str) -> Chart:
    threshold = figures.threshold
    pulse = figures.pulse
    title = t("reports.chart_pulse")
    bins = (*pulse.pre_bins, *pulse.post_bins)
    if _all_zero(bins):
        return NoChart(title, t("reports.empty_pulse_none"))
    if _nothing_shown(bins):
        return NoChart(title, " ".join(x for x in (t("reports.empty_pulse", n=threshold), where) if x))
    labels = _labels(
        title,
        threshold,
        pre=t("reports.pulse_pre"),
        post=t("reports.pulse_post"),
        axis=t("reports.pulse_axis"),
        count=t("reports.people"),
    )
    return analytics.pulse_distribution_figure(
        [_drawn(v) for v in pulse.pre_bins],
        [_drawn(v) for v in pulse.post_bins],
        labels,
        threshold,
        categories=[band_label(key) for key in pulse.bin_keys] if pulse.scale == "band" else None,
    )


def _bars_or_sentence(
    title: str, items: list[tuple[str, Value]], threshold: int, axis: str, none: str, where: str
) -> Chart:
    values = [v for _name, v in items]
    if _all_zero(values):
        return NoChart(title, none)
    if _nothing_shown(values):
        return NoChart(title, _hidden_sentence(threshold, where))
    return analytics.bar_figure(
        [(name, _drawn(v)) for name, v in items], _labels(title, threshold, axis=axis), threshold
    )


def _themes_chart(figures: Figures, where: str) -> Chart:
    threshold = figures.threshold
    title = t("reports.chart_themes")
    named = [(t(f"reports.theme.{k}"), figures.themes[k]) for k in theme_ids()]
    if any(v.shown and v.number for _name, v in named):
        ordered = sorted(named, key=lambda item: -(item[1].number if item[1].number is not None else 0.5))
        return analytics.bar_figure(
            [(name, _drawn(v)) for name, v in ordered],
            _labels(title, threshold, axis=t("reports.people")),
            threshold,
        )
    few = [name for name, v in named if v.hidden is Hidden.SMALL]
    if not few:
        return NoChart(title, t("reports.empty_themes_none"))
    sentence = t("reports.empty_themes_few", n=threshold, themes=", ".join(few))
    return NoChart(title, " ".join(x for x in (sentence, where) if x))


def trend_charts(board: Dashboard) -> dict[str, Chart]:
    """Trends over time: sessions, attendance, contributions per person, goal-setting, pulse change.

    A trend whose every point is hidden (or empty) is a sentence instead of an empty plot.
    """
    periods = [r.period for r in board.trends]
    axis = t(f"reports.period_{board.period}")
    rows = board.trends

    def trend(
        title: str, name: str, values: list[Value], *, percent: bool = False, hover: list[str] | None = None
    ) -> Chart:
        if not any(v.shown and v.number is not None for v in values):
            if any(not v.shown for v in values):
                return NoChart(title, _hidden_sentence(board.threshold, where_counted(None)))
            return NoChart(title, t("reports.empty_trend_none"))
        labels = {"title": title, "axis": axis}
        return analytics.trend_figure(periods, {name: [v.number for v in values]}, labels, percent=percent, hover=hover)

    return {
        "sessions": analytics.trend_figure(
            periods,
            {t("reports.sessions_held"): [r.sessions for r in rows]},
            {"title": t("reports.sessions_held"), "axis": axis},
        ),
        "attendance": trend(t("reports.trend_attendance"), t("reports.participants"), [r.participants for r in rows]),
        "per_person": trend(
            t("reports.trend_per_participant"),
            t("reports.per_participant"),
            [r.contributions_per_participant for r in rows],
        ),
        "goal_rate": trend(
            t("reports.trend_goal_rate"), t("reports.goal_share"), [r.goal_rate for r in rows], percent=True
        ),
        "change": trend(
            t("reports.trend_change"),
            t("reports.pulse_change"),
            [r.mean_change for r in rows],
            hover=[change_text(r.mean_change, r.paired_n) for r in rows],
        ),
    }


def story_chart(board: Dashboard) -> go.Figure | None:
    """Mean pulse change by story, for the stories resting on enough people."""
    rows = [
        (s.title, s.mean_change.number, int(s.paired_n.number))
        for s in board.stories
        if s.mean_change.shown and s.mean_change.number is not None and s.paired_n.number is not None
    ]
    if not rows:
        return None
    return analytics.change_by_story_figure(
        [(t("reports.story_base", title=title, n=n), change) for title, change, n in rows[:12]],
        {"title": t("reports.chart_stories"), "axis": t("reports.pulse_change")},
    )
