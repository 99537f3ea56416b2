"""Pieces of the reports screen: figures as metrics and charts, filters, and the export buttons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from hopecircle.domain import ReportFilter, SessionRow
from hopecircle.i18n import language_name, t
from hopecircle.reporting.charts import Chart, NoChart, chart_set, story_chart, trend_charts
from hopecircle.reporting.formatting import (
    card_text,
    follow_label,
    format_value,
    pulse_notes,
    where_counted,
    words_note,
)
from hopecircle.reporting.summaries import Dashboard, Figures, SessionSummary
from hopecircle.reporting.suppression import Hidden, Value
from hopecircle.ui.widgets import bullet_list, escaped, participant_text

CHART_CONFIG = {"displayModeBar": False}
ANY = "__any__"


def chart(figure: Chart, key: str) -> None:
    """A chart, or in its place the sentence that says why there is none."""
    if isinstance(figure, NoChart):
        with st.container(border=True, key=f"no-chart-{key}"):
            st.html(f"<p><strong>{escaped(figure.title)}</strong><br>{escaped(figure.sentence)}</p>")
        return
    st.plotly_chart(figure, config=CHART_CONFIG, key=key)


def session_label(row: SessionRow) -> str:
    """A session as the picker lists it: day, title, program and its number, so no two read alike."""
    parts = [row.day.isoformat(), row.title, row.program, t("reports.session_number", id=row.id)]
    return " · ".join(part for part in parts if part)


def _metric(column: Any, label: str, value: Value, style: str = "count") -> None:
    """A figure as a metric: short enough to read at a glance, the full reason in its help."""
    if value.hidden is Hidden.MOST:
        column.metric(label, t("reports.most_short"), help=t("reports.most_help"))
    elif value.hidden is Hidden.COMPLEMENT:
        column.metric(label, t("reports.not_shown_short"), help=t("reports.not_shown"))
    else:
        column.metric(label, format_value(value, style))


def headline(figures: Figures, extra: list[tuple[str, str]] | None = None) -> None:
    """The few numbers a reader looks for first, as metrics; the pulse change beside its base."""
    pulse = figures.pulse
    first = st.columns(len(extra or []) + 3)
    for column, (label, text) in zip(first, extra or [], strict=False):
        column.metric(label, text)
    people, contributions, goals = first[len(extra or []) :]
    _metric(people, t("reports.participants"), figures.participants)
    _metric(contributions, t("reports.contributions"), figures.contributions)
    _metric(goals, t("reports.goal_share"), figures.goal_share, "percent")
    change, base, rose = st.columns(3)
    _metric(change, t("reports.pulse_change"), pulse.mean_change, "change")
    _metric(base, t("reports.answered_both_label"), pulse.paired_n)
    _metric(rose, t("reports.pulse_rose"), pulse.rose_share, "percent")
    st.caption(
        t(
            "reports.pulse_line",
            pre=format_value(pulse.pre_mean, "mean"),
            pre_n=format_value(pulse.pre_n),
            post=format_value(pulse.post_mean, "mean"),
            post_n=format_value(pulse.post_n),
            paired=format_value(pulse.paired_n),
        )
    )


def figure_sections(figures: Figures, prefix: str, where: str) -> None:
    """Pulse, goals by dimension, contributions by kind, words and themes."""
    charts = chart_set(figures, where)
    st.subheader(t("reports.section_pulse"))
    chart(charts["pulse"], f"{prefix}-pulse")
    for note in [*pulse_notes(figures.pulse), t("reports.note_pulse")]:
        st.caption(note)
    left, right = st.columns(2)
    with left:
        chart(charts["dimensions"], f"{prefix}-dimensions")
    with right:
        chart(charts["kinds"], f"{prefix}-kinds")
    st.subheader(t("reports.section_words"))
    words = [key for key in ("checkin_words", "checkout_words") if key in charts]
    for column, key in zip(st.columns(max(len(words), 1)), words, strict=False):
        with column:
            chart(charts[key], f"{prefix}-{key}")
    st.caption(words_note(figures))
    st.subheader(t("reports.section_themes"))
    chart(charts["themes"], f"{prefix}-themes")
    st.caption(t("reports.note_themes"))


def session_summary(summary: SessionSummary) -> None:
    """Everything about one session: figures, shareable cards, and (for its facilitator) the notes."""
    s = summary.session
    st.header(s.title)
    st.caption(
        t(
            "reports.session_line",
            day=s.day.isoformat(),
            story=summary.story_title,
            program=s.program or "—",
            language=language_name(s.language),
            facilitator=summary.facilitator_name,
            number=t("reports.session_number", id=s.id),
        )
    )
    if s.status != "closed":
        st.info(t("reports.session_open"))
    if summary.from_snapshot:
        st.info(t("reports.from_snapshot"))
    headline(summary.figures)
    figure_sections(summary.figures, "session", where_counted(s.day))
    st.subheader(t("reports.section_cards"))
    if summary.cards:
        for card in summary.cards:
            participant_text(card_text(card))
    else:
        st.caption(t("reports.no_cards"))
    if summary.notes is not None:
        st.subheader(t("reports.section_notes"))
        participant_text(summary.notes)
    st.caption(t("reports.note_suppression", n=summary.threshold))


def dashboard_filters(choices: dict[str, list[Any]], show_facilitators: bool) -> ReportFilter:
    """Date range, facilitator (admins), program/site, story and language."""
    days = choices.get("days") or [date.today(), date.today()]
    with st.container(border=True):
        first, second, third = st.columns(3)
        picked = first.date_input(t("reports.filter_dates"), value=(days[0], days[1]), key="report-dates")
        start, end = (picked[0], picked[-1]) if isinstance(picked, tuple) and picked else (None, None)
        facilitator = None
        if show_facilitators:
            names = dict(choices["facilitator_id"])
            facilitator = second.selectbox(
                t("reports.filter_facilitator"),
                [ANY, *names],
                format_func=lambda v: t("reports.any") if v == ANY else names[v],
                key="report-facilitator",
            )
        program = third.selectbox(
            t("reports.filter_program"), [ANY, *choices["program"]], format_func=_any, key="report-program"
        )
        stories = dict(choices["story_id"])
        story = first.selectbox(
            t("reports.filter_story"),
            [ANY, *stories],
            format_func=lambda v: t("reports.any") if v == ANY else stories[v],
            key="report-story",
        )
        language = second.selectbox(
            t("reports.filter_language"),
            [ANY, *choices["language"]],
            format_func=lambda v: t("reports.any") if v == ANY else language_name(v),
            key="report-language",
        )
    return ReportFilter(
        start=start,
        end=end,
        facilitator_id=None if facilitator in (None, ANY) else facilitator,
        program=None if program == ANY else program,
        story_id=None if story == ANY else story,
        language=None if language == ANY else language,
    )


def _any(value: str) -> str:
    return t("reports.any") if value == ANY else value


def dashboard(board: Dashboard) -> None:
    """Totals, trends over time, stories by pulse change, and the combined figures."""
    T = board.threshold
    if board.sessions == 0:
        st.info(t("reports.no_sessions"))
        return
    headline(board.figures, [(t("reports.sessions_held"), f"{board.sessions:,}")])
    if board.open_sessions:
        st.caption(t("reports.open_included", count=board.open_sessions))
    st.subheader(t("reports.section_trends"))
    trends = trend_charts(board)
    left, right = st.columns(2)
    for index, (name, figure) in enumerate(trends.items()):
        with left if index % 2 == 0 else right:
            chart(figure, f"across-trend-{name}")
    st.subheader(t("reports.section_stories"))
    story_figure = story_chart(board)
    if story_figure is not None:
        chart(story_figure, "across-stories")
    hidden = [s.title for s in board.stories if not s.mean_change.shown]
    if hidden:
        st.caption(t("reports.stories_hidden", n=T))
        bullet_list(hidden)
    st.caption(t("reports.note_not_causal"))
    figure_sections(board.figures, "across", where_counted(None))
    if board.follow.rows:
        follow_through(board)
    st.caption(t("reports.note_suppression", n=T))


def follow_through(board: Dashboard) -> None:
    """How last time's next steps went, per group and program and month: a table of plain text."""
    st.subheader(t("reports.section_follow"))
    rows = [
        {
            t("reports.follow_where"): follow_label(row),
            t("reports.follow_meetings"): row.meetings,
            t("reports.follow_answered_column"): format_value(row.answered),
            **{
                t(f"reports.follow_column_{answer.value}"): format_value(share, "percent")
                for answer, share in row.shares.items()
            },
        }
        for row in board.follow.rows
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.caption(t("reports.note_follow"))


def downloads(name: str, files: dict[str, tuple[Callable[[], bytes | str], str, str]]) -> None:
    """One row of download buttons; each file is built only when its button is pressed."""
    st.subheader(t("reports.exports"))
    st.caption(t("reports.exports_hint"))
    for column, (label, (build, suffix, mime)) in zip(st.columns(len(files)), files.items(), strict=True):
        column.download_button(
            label,
            data=build,
            file_name=f"{name}.{suffix}",
            mime=mime,
            on_click="ignore",
            icon=":material/download:",
            key=f"download-{name}-{suffix}-{label}",
        )
