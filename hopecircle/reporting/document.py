"""What a printed report says, section by section, before it becomes an HTML file or a PDF.

A report never carries the facilitator's private notes, a participant's token, or a time finer
than the session's day; every figure in it is already suppressed. A chart with nothing it may draw
is a `NoChart`: its sentence takes the chart's place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hopecircle.i18n import t
from hopecircle.reporting.charts import Chart, chart_set, story_chart, trend_charts
from hopecircle.reporting.formatting import (
    card_text,
    dashboard_facts,
    figure_facts,
    follow_facts,
    pulse_notes,
    where_counted,
    words_note,
)
from hopecircle.reporting.summaries import Dashboard, SessionSummary


@dataclass
class Section:
    heading: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    figures: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What a printed report says, independent of HTML or PDF."""

    title: str
    subtitle: str
    sections: list[Section]
    footer: list[str]


def _method_notes(threshold: int) -> list[str]:
    return [t("reports.note_suppression", n=threshold), t("reports.note_outcomes")]


def session_report(summary: SessionSummary) -> Report:
    """A printable report of one session (never the facilitator's private notes)."""
    T = summary.threshold
    s = summary.session
    charts = chart_set(summary.figures, where_counted(s.day))
    words = [charts[k] for k in ("checkin_words", "checkout_words") if k in charts]
    pulse = [*pulse_notes(summary.figures.pulse), t("reports.note_pulse")]
    sections = [
        Section(t("reports.section_overview"), facts=figure_facts(summary.figures), figures=[charts["kinds"]]),
        Section(t("reports.section_pulse"), figures=[charts["pulse"]], notes=pulse),
        Section(t("reports.section_goals"), figures=[charts["dimensions"]]),
        Section(
            t("reports.section_words"),
            figures=words,
            notes=[words_note(summary.figures)],
        ),
        Section(t("reports.section_themes"), figures=[charts["themes"]], notes=[t("reports.note_themes")]),
        Section(
            t("reports.section_cards"),
            quotes=[card_text(c) for c in summary.cards],
            notes=[] if summary.cards else [t("reports.no_cards")],
        ),
    ]
    subtitle = " · ".join(x for x in (s.day.isoformat(), summary.story_title, s.program, summary.organization) if x)
    return Report(t("reports.report_session_title", title=s.title), subtitle, sections, _method_notes(T))


def dashboard_report(board: Dashboard, heading: str) -> Report:
    """A printable report across the sessions of a date range (and any other filters)."""
    charts = chart_set(board.figures, where_counted(None))
    trends = trend_charts(board)
    stories = story_chart(board)
    pulse = [*pulse_notes(board.figures.pulse), t("reports.note_pulse")]
    figures: list[Chart] = list(trends.values())
    sections = [
        Section(t("reports.section_overview"), facts=dashboard_facts(board), figures=[charts["kinds"]]),
        Section(t("reports.section_trends"), figures=figures, notes=[t("reports.note_trend_change")]),
        Section(
            t("reports.section_stories"), figures=[stories] if stories else [], notes=[t("reports.note_not_causal")]
        ),
        Section(t("reports.section_pulse"), figures=[charts["pulse"]], notes=pulse),
        Section(t("reports.section_goals"), figures=[charts["dimensions"]]),
        Section(t("reports.section_themes"), figures=[charts["themes"]], notes=[t("reports.note_themes")]),
    ]
    if board.follow.rows:
        sections.append(
            Section(t("reports.section_follow"), facts=follow_facts(board), notes=[t("reports.note_follow")])
        )
    return Report(heading, board.organization, sections, _method_notes(board.threshold))
