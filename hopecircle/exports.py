"""Exports a funder can open without the app: CSV (Excel-safe), a self-contained HTML report, a PDF.

Everything here starts from the services' already-suppressed figures, so no export can carry a
small count. Nothing exported names a person, carries a participant token, or a time finer than
the session's day.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go

from hopecircle import analytics
from hopecircle.i18n import t
from hopecircle.reporting.summaries import Card, Dashboard, Figures, SessionSummary
from hopecircle.reporting.suppression import Hidden, Value
from hopecircle.themes import theme_ids

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def format_value(value: Value, style: str = "count") -> str:
    """A figure as text: the number in its style, or the reason it is hidden."""
    if value.hidden is Hidden.SMALL:
        return t("reports.fewer_than", n=value.threshold)
    if value.hidden is Hidden.COMPLEMENT:
        return t("reports.not_shown")
    if value.number is None:
        return "—"
    number = value.number
    if style == "percent":
        return f"{number:.0%}"
    if style == "mean":
        return f"{number:.1f}"
    if style == "change":
        return f"{number:+.1f}"
    if style == "ratio":
        return f"{number:.1f}"
    return f"{number:,.0f}"


def safe_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs: risky text gets a leading apostrophe."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents right), every cell made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: Value, style: str = "count") -> object:
    """A CSV cell: a plain number a spreadsheet can add up, or the hidden marker as text."""
    if value.shown and value.number is not None:
        return round(value.number, 3) if style != "count" else int(value.number)
    return format_value(value, style)


def _figure_rows(figures: Figures) -> list[tuple[str, str, object]]:
    rows: list[tuple[str, str, object]] = [
        ("attendance", "participants", _cell(figures.participants)),
        ("contributions", "total", _cell(figures.contributions)),
    ]
    rows += [("contributions", kind, _cell(v)) for kind, v in figures.kinds.items()]
    rows.append(("goals", "share_of_participants", _cell(figures.goal_share, "percent")))
    pulse = figures.pulse
    for name, value, style in (
        ("pre_n", pulse.pre_n, "count"),
        ("pre_mean", pulse.pre_mean, "mean"),
        ("post_n", pulse.post_n, "count"),
        ("post_mean", pulse.post_mean, "mean"),
        ("paired_n", pulse.paired_n, "count"),
        ("mean_change", pulse.mean_change, "change"),
    ):
        rows.append(("hope_pulse", name, _cell(value, style)))
    rows += [("hope_pulse_pre", str(i), _cell(v)) for i, v in enumerate(pulse.pre_bins)]
    rows += [("hope_pulse_post", str(i), _cell(v)) for i, v in enumerate(pulse.post_bins)]
    rows += [("goal_dimension", key, _cell(v)) for key, v in figures.dimensions.items()]
    rows += [("theme_people", key, _cell(v)) for key, v in figures.themes.items()]
    rows += [("checkin_word", word, n) for word, n in figures.checkin_words]
    rows += [("checkout_word", word, n) for word, n in figures.checkout_words]
    return rows


def summary_csv(summary: SessionSummary) -> bytes:
    """One session's aggregates as section,item,value rows."""
    s = summary.session
    head = [
        ("session", "date", s.day.isoformat()),
        ("session", "title", s.title),
        ("session", "story", summary.story_title),
        ("session", "program", s.program),
        ("session", "language", s.language),
        ("session", "suppression_threshold", summary.threshold),
    ]
    return csv_bytes(["section", "item", "value"], [*head, *_figure_rows(summary.figures)])


def dashboard_csv(board: Dashboard) -> bytes:
    """Figures across sessions: totals, then one row per period and per story."""
    T = board.threshold
    f = board.filters
    rows: list[tuple[object, ...]] = [
        ("filter", "from", f.start.isoformat() if f.start else ""),
        ("filter", "to", f.end.isoformat() if f.end else ""),
        ("filter", "program", f.program or ""),
        ("filter", "story", f.story_id or ""),
        ("filter", "language", f.language or ""),
        ("totals", "suppression_threshold", T),
        ("totals", "sessions", board.sessions),
        ("totals", "contributions_per_participant", _cell(board.contributions_per_participant, "ratio")),
        *_figure_rows(board.figures),
    ]
    for r in board.trends:
        rows += [
            (f"{board.period}:{r.period}", "sessions", r.sessions),
            (f"{board.period}:{r.period}", "participants", _cell(r.participants)),
            (
                f"{board.period}:{r.period}",
                "contributions_per_participant",
                _cell(r.contributions_per_participant, "ratio"),
            ),
            (f"{board.period}:{r.period}", "goal_rate", _cell(r.goal_rate, "percent")),
            (f"{board.period}:{r.period}", "pulse_paired_n", _cell(r.paired_n)),
            (f"{board.period}:{r.period}", "pulse_mean_change", _cell(r.mean_change, "change")),
        ]
    for story in board.stories:
        rows += [
            (f"story:{story.title}", "sessions", story.sessions),
            (f"story:{story.title}", "pulse_paired_n", _cell(story.paired_n)),
            (f"story:{story.title}", "pulse_mean_change", _cell(story.mean_change, "change")),
        ]
    return csv_bytes(["section", "item", "value"], rows)


def cards_csv(cards: Sequence[Card]) -> bytes:
    """The approved cards marked shareable: words, dimension, session day, story and program only."""
    header = ["session_date", "story", "program", "kind", "text", "when", "support", "dimension"]
    rows = [
        (
            c.day.isoformat(),
            c.story_title,
            c.program,
            c.kind,
            c.body,
            c.goal_when or "",
            c.goal_support or "",
            c.dimension or "",
        )
        for c in cards
    ]
    return csv_bytes(header, rows)


@dataclass
class Section:
    heading: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    figures: list[go.Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What a printed report says, independent of HTML or PDF."""

    title: str
    subtitle: str
    sections: list[Section]
    footer: list[str]


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


def _method_notes(threshold: int) -> list[str]:
    return [t("reports.note_suppression", n=threshold), t("reports.note_outcomes")]


def _figure_facts(figures: Figures) -> list[tuple[str, str]]:
    p = figures.pulse
    return [
        (t("reports.participants"), format_value(figures.participants)),
        (t("reports.contributions"), format_value(figures.contributions)),
        (t("reports.goal_share"), format_value(figures.goal_share, "percent")),
        (
            t("reports.pulse_pre_mean"),
            f"{format_value(p.pre_mean, 'mean')} (n={format_value(p.pre_n)})",
        ),
        (
            t("reports.pulse_post_mean"),
            f"{format_value(p.post_mean, 'mean')} (n={format_value(p.post_n)})",
        ),
        (
            t("reports.pulse_change"),
            f"{format_value(p.mean_change, 'change')} (n={format_value(p.paired_n)})",
        ),
    ]


def session_report(summary: SessionSummary) -> Report:
    """A printable report of one session (never the facilitator's private notes)."""
    T = summary.threshold
    s = summary.session
    charts = chart_set(summary.figures)
    words = [charts[k] for k in ("checkin_words", "checkout_words") if k in charts]
    sections = [
        Section(t("reports.section_overview"), facts=_figure_facts(summary.figures), figures=[charts["kinds"]]),
        Section(t("reports.section_pulse"), figures=[charts["pulse"]], notes=[t("reports.note_pulse")]),
        Section(t("reports.section_goals"), figures=[charts["dimensions"]]),
        Section(
            t("reports.section_words"),
            figures=words,
            notes=[t("reports.words_left_out", count=summary.figures.words_left_out, n=T)],
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


def card_text(card: Card) -> str:
    """A card as one line of text: the words, then when and who or what supports it."""
    parts = [card.body]
    if card.goal_when:
        parts.append(t("reports.card_when", when=card.goal_when))
    if card.goal_support:
        parts.append(t("reports.card_support", support=card.goal_support))
    return " — ".join(parts)


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


def dashboard_report(board: Dashboard, heading: str) -> Report:
    """A printable report across the sessions of a date range (and any other filters)."""
    T = board.threshold
    charts = chart_set(board.figures)
    trends = trend_charts(board)
    stories = story_chart(board)
    facts = [(t("reports.sessions_held"), f"{board.sessions:,}"), *_figure_facts(board.figures)]
    facts.append((t("reports.per_participant"), format_value(board.contributions_per_participant, "ratio")))
    sections = [
        Section(t("reports.section_overview"), facts=facts, figures=[charts["kinds"]]),
        Section(t("reports.section_trends"), figures=list(trends.values())),
        Section(
            t("reports.section_stories"), figures=[stories] if stories else [], notes=[t("reports.note_not_causal")]
        ),
        Section(t("reports.section_pulse"), figures=[charts["pulse"]], notes=[t("reports.note_pulse")]),
        Section(t("reports.section_goals"), figures=[charts["dimensions"]]),
        Section(t("reports.section_themes"), figures=[charts["themes"]], notes=[t("reports.note_themes")]),
    ]
    return Report(heading, board.organization, sections, _method_notes(T))


_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#17202c;max-width:960px;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;border-bottom:2px solid #0b5d57;padding-bottom:.2rem;margin-top:2rem}
.subtitle{color:#4a5563}table{border-collapse:collapse}td{padding:.25rem 1rem .25rem 0;border-bottom:1px solid #dde}
td.value{font-weight:bold}.chart{break-inside:avoid;margin:1rem 0}blockquote{border-left:4px solid #0b5d57;margin:.6rem 0;padding:.2rem .8rem;break-inside:avoid}
.note{color:#4a5563;font-size:.9rem}footer{margin-top:2rem;border-top:1px solid #ccd;padding-top:.5rem}
@page{size:A4;margin:16mm}@media print{body{margin:0;max-width:none}h2{break-after:avoid}}
"""


def to_html(report: Report) -> str:
    """One HTML file with plotly.js inside it: opens offline, prints on paper, fetches nothing."""
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(report.title)}</h1><p class='subtitle'>{html.escape(report.subtitle)}</p>",
    ]
    config = {"displayModeBar": False, "responsive": True}
    first = True
    for section in report.sections:
        parts.append(f"<section><h2>{html.escape(section.heading)}</h2>")
        if section.facts:
            rows = "".join(
                f"<tr><td>{html.escape(label)}</td><td class='value'>{html.escape(value)}</td></tr>"
                for label, value in section.facts
            )
            parts.append(f"<table>{rows}</table>")
        for figure in section.figures:
            chart = figure.to_html(full_html=False, include_plotlyjs=first, config=config)
            parts.append(f"<div class='chart'>{chart}</div>")
            first = False
        parts += [f"<blockquote>{html.escape(quote)}</blockquote>" for quote in section.quotes]
        parts += [f"<p class='note'>{html.escape(note)}</p>" for note in section.notes]
        parts.append("</section>")
    parts.append("<footer>" + "".join(f"<p class='note'>{html.escape(n)}</p>" for n in report.footer) + "</footer>")
    parts.append("</body></html>")
    return "".join(parts)


def to_pdf(report: Report) -> bytes:
    """The same report as a PDF, charts drawn as vector graphics (no browser needed)."""
    from hopecircle.pdf import render_pdf

    return render_pdf(report)
