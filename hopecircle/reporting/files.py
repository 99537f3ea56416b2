"""Files a funder can open without the app: CSV (Excel-safe), a self-contained HTML report, a PDF.

Everything here starts from already-suppressed figures, so no file can carry a small count.
Nothing in a file names a person, carries a participant token, or a time finer than the
session's day.
"""

from __future__ import annotations

import csv
import html
import io
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from hopecircle.i18n import current_language
from hopecircle.reporting.charts import NoChart
from hopecircle.reporting.document import Report
from hopecircle.reporting.formatting import cell
from hopecircle.reporting.pdf import render_pdf
from hopecircle.reporting.summaries import Card, Dashboard, Figures, SessionSummary

# plotly.js with only the traces reports draw (bar, scatter): 1.2 MB instead of the full 4.8 MB.
PLOTLY_JS = Path(__file__).parents[1] / "data" / "plotly" / "plotly-basic.min.js"

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs: risky text gets a leading apostrophe."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    # Invisible characters first (a zero-width space, a byte-order mark, a bidi mark) do not stop a
    # spreadsheet from reading what follows as a formula.
    return "'" + text if _visible_start(text).startswith(_FORMULA_STARTS) else text


def _visible_start(text: str) -> str:
    """The text from its first character that is not a format, control or space character."""
    for index, ch in enumerate(text):
        if ch in _FORMULA_STARTS or unicodedata.category(ch) not in ("Cf", "Cc", "Zs", "Zl", "Zp"):
            return text[index:]
    return ""


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads accents right), every cell made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(item) for item in header])
    for row in rows:
        writer.writerow([safe_cell(item) for item in row])
    return buffer.getvalue().encode("utf-8-sig")


def _figure_rows(figures: Figures) -> list[tuple[str, str, object]]:
    rows: list[tuple[str, str, object]] = [
        ("attendance", "participants", cell(figures.participants)),
        ("contributions", "total", cell(figures.contributions)),
    ]
    rows += [("contributions", kind, cell(v)) for kind, v in figures.kinds.items()]
    rows.append(("goals", "share_of_participants", cell(figures.goal_share, "percent")))
    pulse = figures.pulse
    for name, value, style in (
        ("pre_n", pulse.pre_n, "count"),
        ("pre_mean", pulse.pre_mean, "mean"),
        ("post_n", pulse.post_n, "count"),
        ("post_mean", pulse.post_mean, "mean"),
        # The change counts only the people who answered both pulses: its base comes right before it.
        ("answered_both_pulses", pulse.paired_n, "count"),
        ("mean_change", pulse.mean_change, "change"),
        ("share_rose", pulse.rose_share, "percent"),
    ):
        rows.append(("hope_pulse", name, cell(value, style)))
    rows += [("hope_pulse_pre", key, cell(v)) for key, v in zip(pulse.bin_keys, pulse.pre_bins, strict=True)]
    rows += [("hope_pulse_post", key, cell(v)) for key, v in zip(pulse.bin_keys, pulse.post_bins, strict=True)]
    rows += [("goal_dimension", key, cell(v)) for key, v in figures.dimensions.items()]
    rows += [("theme_people", key, cell(v)) for key, v in figures.themes.items()]
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
    f = board.filters
    rows: list[tuple[object, ...]] = [
        ("filter", "from", f.start.isoformat() if f.start else ""),
        ("filter", "to", f.end.isoformat() if f.end else ""),
        ("filter", "program", f.program or ""),
        ("filter", "story", f.story_id or ""),
        ("filter", "language", f.language or ""),
        ("totals", "suppression_threshold", board.threshold),
        ("totals", "sessions", board.sessions),
        ("totals", "contributions_per_participant", cell(board.contributions_per_participant, "ratio")),
        *_figure_rows(board.figures),
    ]
    for r in board.trends:
        rows += [
            (f"{board.period}:{r.period}", "sessions", r.sessions),
            (f"{board.period}:{r.period}", "participants", cell(r.participants)),
            (
                f"{board.period}:{r.period}",
                "contributions_per_participant",
                cell(r.contributions_per_participant, "ratio"),
            ),
            (f"{board.period}:{r.period}", "goal_rate", cell(r.goal_rate, "percent")),
            (f"{board.period}:{r.period}", "pulse_answered_both", cell(r.paired_n)),
            (f"{board.period}:{r.period}", "pulse_mean_change", cell(r.mean_change, "change")),
        ]
    for story in board.stories:
        rows += [
            (f"story:{story.title}", "sessions", story.sessions),
            (f"story:{story.title}", "pulse_answered_both", cell(story.paired_n)),
            (f"story:{story.title}", "pulse_mean_change", cell(story.mean_change, "change")),
        ]
    for follow in board.follow.rows:
        section = f"follow_through:{follow.scope}:{follow.name}:{follow.period}"
        rows.append((section, "meetings", follow.meetings))
        rows.append((section, "answered", cell(follow.answered)))
        rows += [(section, f"share_{answer.value}", cell(share, "percent")) for answer, share in follow.shares.items()]
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


_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#17202c;max-width:960px;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;border-bottom:2px solid #0b5d57;padding-bottom:.2rem;margin-top:2rem}
.subtitle{color:#4a5563}table{border-collapse:collapse}td{padding:.25rem 1rem .25rem 0;border-bottom:1px solid #dde}
td.value{font-weight:bold}.chart{break-inside:avoid;margin:1rem 0}blockquote{border-left:4px solid #0b5d57;margin:.6rem 0;padding:.2rem .8rem;break-inside:avoid}
.no-chart{border:1px dashed #8a9bb0;border-radius:6px;padding:.6rem .9rem}.no-chart .title{font-weight:bold;margin:0 0 .2rem}.no-chart p{margin:0}
.note{color:#4a5563;font-size:.9rem}footer{margin-top:2rem;border-top:1px solid #ccd;padding-top:.5rem}
@page{size:A4;margin:16mm}@media print{body{margin:0;max-width:none}h2{break-after:avoid}}
"""


@cache
def plotly_js() -> str:
    """The bundled charting script, read once per process."""
    return PLOTLY_JS.read_text(encoding="utf-8")


def to_html(report: Report) -> str:
    """One HTML file with one copy of plotly.js inside it: opens offline, prints on paper, fetches nothing."""
    parts = [
        f'<!DOCTYPE html><html lang="{current_language()}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(report.title)}</title><style>{_CSS}</style>",
        f"<script>{plotly_js()}</script></head><body>",
        f"<h1>{html.escape(report.title)}</h1><p class='subtitle'>{html.escape(report.subtitle)}</p>",
    ]
    config = {"displayModeBar": False, "responsive": True}
    for section in report.sections:
        parts.append(f"<section><h2>{html.escape(section.heading)}</h2>")
        if section.facts:
            rows = "".join(
                f"<tr><td>{html.escape(label)}</td><td class='value'>{html.escape(value)}</td></tr>"
                for label, value in section.facts
            )
            parts.append(f"<table>{rows}</table>")
        for figure in section.figures:
            if isinstance(figure, NoChart):
                parts.append(
                    f"<div class='chart no-chart'><p class='title'>{html.escape(figure.title)}</p>"
                    f"<p>{html.escape(figure.sentence)}</p></div>"
                )
                continue
            chart = figure.to_html(full_html=False, include_plotlyjs=False, config=config)
            parts.append(f"<div class='chart'>{chart}</div>")
        parts += [f"<blockquote>{html.escape(quote)}</blockquote>" for quote in section.quotes]
        parts += [f"<p class='note'>{html.escape(note)}</p>" for note in section.notes]
        parts.append("</section>")
    parts.append("<footer>" + "".join(f"<p class='note'>{html.escape(n)}</p>" for n in report.footer) + "</footer>")
    parts.append("</body></html>")
    return "".join(parts)


def to_pdf(report: Report) -> bytes:
    """The same report as a PDF, charts drawn as vector graphics (no browser needed)."""
    return render_pdf(report)
