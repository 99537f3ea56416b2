"""The report's plotly figures, drawn from suppressed figures for the screen, the HTML file and the PDF.

A hidden figure is drawn as a pale outline labelled with its reason (analytics draws it), or as a
gap in a trend line: never as a number.
"""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go

from hopecircle import analytics
from hopecircle.i18n import t
from hopecircle.reporting.formatting import format_value
from hopecircle.reporting.summaries import Dashboard, Figures
from hopecircle.reporting.suppression import Value
from hopecircle.themes import theme_ids


def _labels(title: str, threshold: int, **extra: str) -> dict[str, str]:
    return {"title": title, "hidden": t("reports.fewer_than", n=threshold), **extra}


def _drawn(value: Value) -> float | str | None:
    """What a chart draws: the number, or the hidden marker's text."""
    return value.number if value.shown else format_value(value)


def chart_set(figures: Figures) -> dict[str, go.Figure]:
    """The charts of a summary or dashboard, ready for the screen, HTML and PDF alike."""
    threshold = figures.threshold
    pulse = figures.pulse
    pulse_labels = _labels(
        t("reports.chart_pulse"),
        threshold,
        pre=t("reports.pulse_pre"),
        post=t("reports.pulse_post"),
        axis=t("reports.pulse_axis"),
        count=t("reports.people"),
    )
    charts = {
        "pulse": analytics.pulse_distribution_figure(
            [_drawn(v) for v in pulse.pre_bins],
            [_drawn(v) for v in pulse.post_bins],
            pulse_labels,
            threshold,
        ),
        "kinds": analytics.bar_figure(
            [(t(f"reports.kind.{k}"), _drawn(v)) for k, v in figures.kinds.items()],
            _labels(t("reports.chart_kinds"), threshold, axis=t("reports.contributions")),
            threshold,
        ),
        "dimensions": analytics.bar_figure(
            [(t(f"reports.dimension.{k}"), _drawn(v)) for k, v in figures.dimensions.items()],
            _labels(t("reports.chart_dimensions"), threshold, axis=t("reports.people")),
            threshold,
        ),
        "themes": analytics.bar_figure(
            sorted(
                ((t(f"reports.theme.{k}"), _drawn(figures.themes[k])) for k in theme_ids()),
                key=lambda item: -(item[1] if isinstance(item[1], int | float) else 0.5),
            ),
            _labels(t("reports.chart_themes"), threshold, axis=t("reports.people")),
            threshold,
        ),
    }
    for key, words in (("checkin", figures.checkin_words), ("checkout", figures.checkout_words)):
        if words:
            charts[f"{key}_words"] = analytics.bar_figure(
                [(word, n) for word, n in words[:15]], _labels(t(f"reports.chart_{key}_words"), threshold), threshold
            )
    return charts


def trend_charts(board: Dashboard) -> dict[str, go.Figure]:
    """Trends over time: sessions, attendance, contributions per person, goal-setting, pulse change."""
    periods = [r.period for r in board.trends]
    axis = t(f"reports.period_{board.period}")

    def series(values: Iterable[Value]) -> list[float | None]:
        return [v.number for v in values]

    return {
        "sessions": analytics.trend_figure(
            periods,
            {t("reports.sessions_held"): [r.sessions for r in board.trends]},
            {"title": t("reports.sessions_held"), "axis": axis},
        ),
        "attendance": analytics.trend_figure(
            periods,
            {t("reports.participants"): series(r.participants for r in board.trends)},
            {"title": t("reports.trend_attendance"), "axis": axis},
        ),
        "per_person": analytics.trend_figure(
            periods,
            {t("reports.per_participant"): series(r.contributions_per_participant for r in board.trends)},
            {"title": t("reports.trend_per_participant"), "axis": axis},
        ),
        "goal_rate": analytics.trend_figure(
            periods,
            {t("reports.goal_share"): series(r.goal_rate for r in board.trends)},
            {"title": t("reports.trend_goal_rate"), "axis": axis},
            percent=True,
        ),
        "change": analytics.trend_figure(
            periods,
            {t("reports.pulse_change"): series(r.mean_change for r in board.trends)},
            {"title": t("reports.trend_change"), "axis": axis},
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
        rows[:12], {"title": t("reports.chart_stories"), "axis": t("reports.pulse_change")}
    )
