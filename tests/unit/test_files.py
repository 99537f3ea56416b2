"""Report files open where a funder opens them: Excel-safe CSV, offline HTML with charts, readable PDF."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from hopecircle.domain import ReportFilter, SessionRow
from hopecircle.reporting import files
from hopecircle.reporting.charts import NoChart, chart_set
from hopecircle.reporting.document import Section, dashboard_report, session_report
from hopecircle.reporting.summaries import Card, Dashboard, SessionSummary, suppressed_figures
from hopecircle.reporting.suppression import Value
from hopecircle.reporting.trends import StoryRow, TrendRow
from hopecircle.services.organization import OrgSettings
from hopecircle.stats import SessionStats

INJECTIONS = ["=1+1", "+SUM(A1:A2)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\tTAB", "\rCR"]


def summary(cards: tuple[Card, ...] = ()) -> SessionSummary:
    stats = SessionStats(
        participants=12,
        kinds={"reflection": (7, 7), "goal": (12, 12), "checkin": (9, 9)},
        participants_with_goal=12,
        pulse_pre=(0, 0, 0, 6, 0, 0, 6, 0, 0, 0, 0),
        pulse_post=(0, 0, 0, 0, 0, 5, 0, 3, 2, 0, 0),
        pulse_change=(0,) * 9 + (4, 0, 0, 1, 0, 5) + (0,) * 6,
        dimensions={"health": 6, "community": 5, "none": 1},
        checkin_words=(("esperanzada", 6), ("tired", 2)),
        themes={"hope": 6, "family": 1},
    )
    session = SessionRow(
        id=3,
        day=date(2026, 11, 24),
        title="Círculo de los martes",
        facilitator_id=1,
        program="Eastside",
        story_id="small-lights-es",
        language="es",
        status="closed",
        purged=False,
    )
    return SessionSummary(
        session=session,
        story_title="Pequeñas luces",
        facilitator_name="Fran",
        threshold=5,
        organization="Peer Center",
        figures=suppressed_figures(stats, 5, OrgSettings()),
        cards=cards,
        notes="private notes must never be exported",
        from_snapshot=False,
    )


def card(body: str, when: str | None = None) -> Card:
    return Card("goal", body, when, None, "health", date(2026, 11, 24), "Pequeñas luces", "Eastside")


def parse(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark to read accents"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("text", INJECTIONS)
def test_text_that_a_spreadsheet_would_run_is_made_inert(text):
    assert files.safe_cell(text) == "'" + text


def test_ordinary_text_and_real_numbers_are_left_alone():
    assert files.safe_cell("Mañana camino 20 minutos") == "Mañana camino 20 minutos"
    assert files.safe_cell(-1.5) == -1.5 and files.safe_cell(12) == 12
    assert files.safe_cell("a=b") == "a=b"


def test_shareable_cards_csv_escapes_every_injection_and_keeps_spanish_text():
    cards = (*(card(text) for text in INJECTIONS), card("Mañana llamo a mi hermana", when="=HYPERLINK()"))
    rows = parse(files.cards_csv(cards))
    assert rows[0] == ["session_date", "story", "program", "kind", "text", "when", "support", "dimension"]
    texts = [row[4] for row in rows[1:]]
    assert texts[:-1] == ["'" + text for text in INJECTIONS]
    assert texts[-1] == "Mañana llamo a mi hermana" and rows[-1][5] == "'=HYPERLINK()"
    assert all(not cell.startswith(tuple("=+-@\t\r")) for row in rows for cell in row)


def test_summary_csv_has_numbers_and_hidden_markers_but_no_notes_or_times():
    data = files.summary_csv(summary())
    rows = {(section, item): value for section, item, value in parse(data)[1:]}
    assert rows[("attendance", "participants")] == "12"
    # Two answered only the first pulse: the means would give their answers away beside the change.
    assert rows[("hope_pulse", "pre_mean")] == "not shown (protects a small count)"
    assert rows[("hope_pulse_post", "middle")] == "5" and rows[("hope_pulse_post", "high")] == "5"
    assert rows[("theme_people", "family")] == "fewer than 5"
    assert rows[("goal_dimension", "community")] == "not shown (protects a small count)"
    assert rows[("checkin_word", "esperanzada")] == "6" and ("checkin_word", "tired") not in rows
    text = data.decode("utf-8-sig")
    assert "private notes" not in text and not re.search(r"\d{2}:\d{2}", text)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.scripts += tag == "script"
        self.urls += [value or "" for name, value in attrs if name in ("src", "href")]


def test_the_html_report_carries_its_charts_and_fetches_nothing():
    page = files.to_html(session_report(summary((card("Voy a caminar <b>mañana</b>"),))))
    links = Links()
    links.feed(page)
    assert all(url.startswith(("#", "data:")) for url in links.urls), links.urls
    assert "cdn" not in " ".join(links.urls).lower()
    assert page.count("plotly.js (basic - minified)") == 1, "one copy of plotly.js, inside the file"
    drawn = [chart for chart in chart_set(summary().figures).values() if not isinstance(chart, NoChart)]
    assert page.count("Plotly.newPlot") == len(drawn)
    assert "Voy a caminar &lt;b&gt;mañana&lt;/b&gt;" in page and "<b>mañana" not in page
    assert "fewer than 5" in page and "private notes" not in page


def test_the_pdf_reads_back_with_its_accents_figures_and_quotes():
    data = files.to_pdf(session_report(summary((card("Mañana llamo a mi hermana"),))))
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Círculo de los martes" in text and "Pequeñas luces" in text
    assert "Mañana llamo a mi hermana" in text
    assert "Hope pulse before and after" in text and "fewer than 5" in text
    assert "esperanzada" in text
    assert "private notes" not in text


def test_the_range_report_exports_open_too(ctx_free_dashboard):
    board = ctx_free_dashboard
    rows = parse(files.dashboard_csv(board))
    assert ["totals", "sessions", "1"] in rows
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(files.to_pdf(dashboard_report(board, "Sessions 2026")))).pages
    )
    assert "Sessions 2026" in text and "Attendance" in text and "not causal" in text


@pytest.fixture
def ctx_free_dashboard():
    s = summary()
    trend = TrendRow("2026-11", 1, Value(12), Value(28 / 12), Value(1.0), Value(1.3), Value(10))
    story = StoryRow("small-lights-es", "Pequeñas luces", 1, Value(10), Value(1.3))
    return Dashboard(
        filters=ReportFilter(start=date(2026, 1, 1), end=date(2026, 12, 31)),
        threshold=5,
        organization="Peer Center",
        sessions=1,
        open_sessions=0,
        figures=s.figures,
        contributions_per_participant=Value(28 / 12),
        trends=(trend,),
        period="month",
        stories=(story,),
    )


@pytest.mark.parametrize("lead", ["\u200b", "\ufeff", "\u200e", "\u202e", "\u2066", " \u200b", "\u00a0"])
@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_invisible_characters_before_a_formula_do_not_let_it_run(lead, formula):
    assert files.safe_cell(lead + formula) == "'" + lead + formula


def test_words_that_only_look_like_formulas_later_stay_as_typed():
    assert files.safe_cell("I felt = to everyone") == "I felt = to everyone"
    assert files.safe_cell("\u200bhello") == "\u200bhello"


def test_a_one_session_report_is_well_under_one_and_a_half_megabytes():
    page = files.to_html(session_report(summary((card("Mañana llamo a mi hermana"),))))
    assert len(page.encode("utf-8")) < 1_500_000


def test_the_bundled_plotly_js_is_the_version_the_figures_are_written_for():
    from plotly.offline import get_plotlyjs_version

    head = files.PLOTLY_JS.read_text(encoding="utf-8")[:200]
    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}" in head


def small_summary() -> SessionSummary:
    """Seven people: every pulse value, part of life and theme rests on fewer than 5."""
    stats = SessionStats(
        participants=7,
        kinds={"reflection": (6, 5), "goal": (7, 7), "checkin": (7, 7)},
        participants_with_goal=7,
        pulse_pre=(0, 0, 0, 1, 2, 1, 1, 1, 1, 0, 0),
        pulse_post=(0, 0, 0, 0, 0, 1, 2, 2, 1, 1, 0),
        pulse_change=(0,) * 11 + (3, 4) + (0,) * 8,
        dimensions={"health": 3, "community": 3, "none": 1},
        checkin_words=(("hopeful", 3), ("ok", 2), ("tired", 2)),
        themes={"hope": 4, "family": 2},
    )
    return replace(summary(), figures=suppressed_figures(stats, 5, OrgSettings()))


def test_a_small_sessions_empty_charts_are_one_sentence_each_in_the_html_and_the_pdf():
    report = session_report(small_summary())
    sentence = "No bars: fewer than 5 people gave any one answer, even grouped as low, middle and high."
    where = "Under Across sessions, these answers are counted with the other sessions of November 2026."
    page = files.to_html(report)
    assert f"{sentence} {where}" in page and "No theme was mentioned by 5 or more people." in page
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(files.to_pdf(report))).pages)
    assert sentence in text and "No theme was mentioned by 5 or more people." in text
    assert "+1.6 (7 answered both pulses)" in text


def pages_of(report) -> list[list[str]]:
    """Each page's lines of text, without the page number the footer prints last."""
    pages = []
    for page in PdfReader(io.BytesIO(files.to_pdf(report))).pages:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        pages.append(lines[:-1] if lines and lines[-1].isdigit() else lines)
    return pages


@pytest.mark.parametrize("lines_above", range(0, 40, 2))
def test_no_pdf_page_ends_with_a_section_heading(lines_above):
    # Ever more text above the report's sections moves each heading through every height of a page.
    report = session_report(summary((card("Mañana llamo a mi hermana"),)))
    report.sections.insert(
        0, Section("Before the figures", notes=[f"Line {n} of the opening." for n in range(lines_above)])
    )
    headings = {section.heading for section in report.sections}
    pages = pages_of(report)
    assert len(pages) > 1
    for number, lines in enumerate(pages[:-1], 1):
        assert lines and lines[-1] not in headings, f"page {number} ends with the heading {lines[-1]!r}"
    for lines in pages:
        for index, line in enumerate(lines):
            if line in headings:
                assert index + 1 < len(lines), f"{line!r} has nothing after it on its page"
