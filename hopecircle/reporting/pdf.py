"""A report as a PDF: text in DejaVu Sans (accents and ñ), charts drawn as vector shapes with fpdf2.

Charts are drawn from the same plotly figures the screen and the HTML report show, reading their
bars and lines directly, so the PDF needs neither a browser (kaleido needs Chrome and takes seconds
per chart) nor any other plotting library.

A section heading keeps with what follows it: when the heading and the section's first block (its
facts, first chart, sentence or paragraph) do not fit on what is left of a page, the heading starts
the next page.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import plotly.graph_objects as go
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from hopecircle.analytics import HIDDEN_META
from hopecircle.reporting.charts import Chart, NoChart
from hopecircle.reporting.document import Report, Section

FONTS = Path(__file__).parents[1] / "data" / "fonts"
FONT = "DejaVu"
PAGE_WIDTH = 180.0
INK = (23, 32, 44)
MUTED = (90, 99, 112)
GRID = (222, 226, 232)
LEFT = 15.0
BOTTOM = 18.0  # the lowest a block may end above the page's bottom edge (the footer sits below)
HEADING_HEIGHT = 14.0  # space above, the heading line, the rule and the gap below it
FACT_HEIGHT = 6.0
LABEL_WIDTH = 80.0


class ReportPDF(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, str(self.page_no()), align="C")


def render_pdf(report: Report) -> bytes:
    """Lay out a Report on A4 pages and return the PDF's bytes."""
    pdf = ReportPDF(format="A4", unit="mm")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(report.title)
    pdf.set_creator("HopeCircle")
    pdf.add_page()
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(0, 8, report.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=10)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 6, report.subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for section in report.sections:
        _heading(pdf, section.heading, _first_block_height(pdf, section))
        for label, value in section.facts:
            pdf.set_font(FONT, size=10)
            pdf.set_text_color(*INK)
            pdf.cell(LABEL_WIDTH, FACT_HEIGHT, label)
            pdf.set_font(FONT, "B", 10)
            pdf.multi_cell(PAGE_WIDTH - LABEL_WIDTH, FACT_HEIGHT, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for figure in section.figures:
            draw_chart(pdf, figure)
        for quote in section.quotes:
            _paragraph(pdf, "“" + quote + "”", size=10, indent=4)
        for note in section.notes:
            _paragraph(pdf, note, size=8.5, color=MUTED)
    pdf.ln(4)
    for note in report.footer:
        _paragraph(pdf, note, size=8.5, color=MUTED)
    return bytes(pdf.output())


def _first_block_height(pdf: FPDF, section: Section) -> float:
    """How tall the first thing under a heading is, so the heading never ends a page alone."""
    if section.facts:
        pdf.set_font(FONT, "B", 10)
        return sum(
            len(_wrapped(pdf, value, PAGE_WIDTH - LABEL_WIDTH, FACT_HEIGHT)) * FACT_HEIGHT
            for _label, value in section.facts
        )
    if section.figures:
        return chart_height(pdf, section.figures[0])
    if section.quotes:
        return _paragraph_height(pdf, "“" + section.quotes[0] + "”", size=10, indent=4)
    if section.notes:
        return _paragraph_height(pdf, section.notes[0], size=8.5)
    return 0.0


def _heading(pdf: FPDF, text: str, following: float) -> None:
    if pdf.get_y() + HEADING_HEIGHT + following > pdf.h - BOTTOM:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(FONT, "B", 13)
    pdf.set_text_color(*INK)
    pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(11, 93, 87)
    pdf.set_line_width(0.5)
    pdf.line(15, pdf.get_y(), 15 + PAGE_WIDTH, pdf.get_y())
    pdf.ln(2)


def _paragraph(pdf: FPDF, text: str, *, size: float, color: tuple[int, int, int] = INK, indent: float = 0) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*color)
    pdf.set_x(LEFT + indent)
    pdf.multi_cell(PAGE_WIDTH - indent, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _paragraph_height(pdf: FPDF, text: str, *, size: float, indent: float = 0) -> float:
    pdf.set_font(FONT, size=size)
    return len(_wrapped(pdf, text, PAGE_WIDTH - indent, size * 0.5)) * size * 0.5 + 1


def _wrapped(pdf: FPDF, text: str, width: float, height: float) -> list[str]:
    """The lines `text` takes in the current font at `width` (nothing is drawn)."""
    lines = pdf.multi_cell(width, height, text, dry_run=True, output="LINES")
    assert isinstance(lines, list)
    return lines


def rgb(color: object) -> tuple[int, int, int]:
    """A plotly colour ('#rrggbb' or 'rgba(r,g,b,a)') as RGB on white paper."""
    text = str(color or "#0b5d57")
    if text.startswith("#") and len(text) == 7:
        return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)
    found = re.findall(r"[\d.]+", text)
    if len(found) >= 3:
        r, g, b = (float(v) for v in found[:3])
        a = float(found[3]) if len(found) > 3 else 1.0

        def on_white(c: float) -> int:
            return round(c * a + 255 * (1 - a))

        return on_white(r), on_white(g), on_white(b)
    return 11, 93, 87


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _ticks(low: float, high: float, percent: bool) -> list[float]:
    """About five round tick values covering low..high (whole numbers for counts)."""
    if percent:
        return [0.0, 0.25, 0.5, 0.75, 1.0]
    span = (high - low) or 1.0
    raw = span / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude)
    if step < 1:
        step = 1.0
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high - 1e-9:
        ticks.append(ticks[-1] + step)
    return ticks


def _tick(value: float, percent: bool) -> str:
    if percent:
        return f"{value:.0%}"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _room(pdf: FPDF, height: float) -> float:
    if pdf.get_y() + height > pdf.h - BOTTOM:
        pdf.add_page()
    return pdf.get_y()


def chart_height(pdf: FPDF, chart: Chart) -> float:
    """The height a chart (or the sentence in its place) takes on the page, gap below included."""
    if isinstance(chart, NoChart):
        return 7 + _paragraph_height(pdf, chart.sentence, size=9.5) + 2
    bars = [trace for trace in chart.data if trace.type == "bar"]
    if bars and bars[0].orientation == "h":
        return 14 + 6.5 * len(bars[0].y or ()) + 2
    return 78 + 2


def draw_chart(pdf: FPDF, chart: Chart) -> None:
    """Draw a report chart, or the sentence that stands in for it, at the current position."""
    if isinstance(chart, NoChart):
        top = _room(pdf, chart_height(pdf, chart))
        _title(pdf, chart.title, top)
        pdf.set_xy(LEFT, top + 7)
        _paragraph(pdf, chart.sentence, size=9.5, color=MUTED)
        pdf.ln(2)
        return
    draw_figure(pdf, chart)


def draw_figure(pdf: FPDF, figure: go.Figure) -> None:
    """Draw a report figure (bars, horizontal bars or lines) at the current position."""
    bars = [trace for trace in figure.data if trace.type == "bar"]
    title = _drawn(figure.layout.title.text)
    height = chart_height(pdf, figure) - 2
    top = _room(pdf, height)
    _title(pdf, title, top)
    if bars and bars[0].orientation == "h":
        _horizontal_bars(pdf, figure, top + 8)
    elif bars:
        _vertical_bars(pdf, figure, top + 8)
    else:
        _lines(pdf, figure, top + 8)
    pdf.set_y(top + height + 2)


def _title(pdf: FPDF, title: str, top: float) -> None:
    pdf.set_xy(15, top)
    pdf.set_font(FONT, "B", 10.5)
    pdf.set_text_color(*INK)
    pdf.cell(0, 6, title)


def _horizontal_bars(pdf: FPDF, figure: go.Figure, top: float) -> None:
    shown, *hidden = figure.data
    names = list(shown.y)[::-1]
    values = dict(zip(shown.y, shown.x, strict=True))
    texts = dict(zip(shown.y, shown.text or [""] * len(names), strict=True))
    ghosts = {
        name: (width, label)
        for trace in hidden
        for name, width, label in zip(trace.y, trace.x, trace.text or [], strict=False)
    }
    percent = (figure.layout.xaxis.tickformat or "") == ".0%"
    low = min(0.0, *values.values())
    high = max([1.0 if percent else 0.0, *values.values(), *(w for w, _l in ghosts.values())])
    high = 1.0 if percent else _nice_max(high)
    left, width = 15 + 62, PAGE_WIDTH - 62 - 22
    scale = width / ((high - low) or 1)
    zero = left + (-low) * scale
    pdf.set_font(FONT, size=8.5)
    for row, name in enumerate(names):
        y = top + row * 6.5
        pdf.set_text_color(*INK)
        pdf.set_xy(15, y)
        pdf.cell(60, 5.5, _fit(pdf, _drawn(name), 60), align="R")
        if name in ghosts:
            ghost_width, label = ghosts[name]
            _ghost(pdf, zero, y + 0.8, ghost_width * scale, 4.2)
            pdf.set_text_color(*MUTED)
            pdf.text(zero + ghost_width * scale + 1.5, y + 4, _drawn(label))
            continue
        value = float(values[name] or 0)
        colors = shown.marker.color
        color = colors[list(shown.y).index(name)] if isinstance(colors, list | tuple) else colors
        pdf.set_fill_color(*rgb(color))
        start = min(zero, zero + value * scale)
        pdf.rect(start, y + 0.8, abs(value) * scale, 4.2, style="F")
        pdf.set_text_color(*INK)
        pdf.text(max(zero, zero + value * scale) + 1.5, y + 4, _drawn(texts.get(name)) or _tick(value, percent))
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.2)
    pdf.line(zero, top, zero, top + 6.5 * len(names))


def _ghost(pdf: FPDF, x: float, y: float, w: float, h: float) -> None:
    """A hidden figure: a pale dashed outline, so no reader takes it for a value."""
    pdf.set_fill_color(*rgb("rgba(138,155,176,0.18)"))
    pdf.set_draw_color(138, 155, 176)
    pdf.set_line_width(0.3)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=1, gap=0.8)
        pdf.rect(x, y, max(w, 0.5), h, style="DF")


def _legend(pdf: FPDF, items: list[tuple[str, tuple[int, int, int], bool]], top: float) -> None:
    x = 15.0
    pdf.set_font(FONT, size=8)
    for name, color, ghost in items:
        if ghost:
            _ghost(pdf, x, top + 1, 4, 3)
        else:
            pdf.set_fill_color(*color)
            pdf.rect(x, top + 1, 4, 3, style="F")
        pdf.set_text_color(*INK)
        name = _drawn(name)
        pdf.text(x + 5.5, top + 3.8, name)
        x += 10 + pdf.get_string_width(name)


def _vertical_bars(pdf: FPDF, figure: go.Figure, top: float) -> None:
    left, width, height = 15 + 16, PAGE_WIDTH - 20, 52
    lo, hi = figure.layout.xaxis.range or (-0.6, 10.6)
    highest = max(max((y or 0) for y in trace.y) for trace in figure.data)
    _legend(pdf, [(t.name, rgb(t.marker.color), t.meta == HIDDEN_META) for t in figure.data], top)
    top += 7
    _low, high = _axes_range(pdf, left, top, width, height, 0.0, max(highest, 1.0), False)
    xscale = width / (hi - lo)
    for trace in figure.data:
        bar_width = float(trace.width or 0.8) * xscale
        for x, y in zip(trace.x, trace.y, strict=True):
            h = (y or 0) / high * height
            bx = left + (x - lo) * xscale - bar_width / 2
            if trace.meta == HIDDEN_META:
                _ghost(pdf, bx, top + height - h, bar_width, h)
            elif h > 0:
                pdf.set_fill_color(*rgb(trace.marker.color))
                pdf.rect(bx, top + height - h, bar_width, h, style="F")
    pdf.set_text_color(*MUTED)
    axis = figure.layout.xaxis
    if axis.tickvals is not None and axis.ticktext is not None:
        # Named categories (the pulse's low / middle / high bands) under their pair of bars.
        for tick, label in zip(axis.tickvals, axis.ticktext, strict=True):
            pdf.set_xy(left + (tick - lo) * xscale - 25, top + height + 1)
            pdf.cell(50, 4, _drawn(label), align="C")
    else:
        for tick in range(math.ceil(lo), math.floor(hi) + 1):
            pdf.set_xy(left + (tick - lo) * xscale - 4, top + height + 1)
            pdf.cell(8, 4, str(tick), align="C")
    pdf.set_xy(left, top + height + 5)
    pdf.cell(width, 4, _drawn(figure.layout.xaxis.title.text), align="C")


def _lines(pdf: FPDF, figure: go.Figure, top: float) -> None:
    left, width, height = 15 + 16, PAGE_WIDTH - 20, 52
    percent = (figure.layout.yaxis.tickformat or "") == ".0%"
    periods = list(figure.data[0].x) if figure.data else []
    values = [float(y) for trace in figure.data for y in trace.y if y is not None]
    high = 1.0 if percent else max(values, default=1.0)
    low = min(0.0, min(values, default=0.0))
    if len(figure.data) > 1:
        _legend(pdf, [(t.name, rgb(t.line.color), False) for t in figure.data], top)
    top += 7
    low, high = _axes_range(pdf, left, top, width, height, low, high or 1.0, percent)
    step = width / max(len(periods), 1)
    for trace in figure.data:
        color = rgb(trace.line.color)
        pdf.set_draw_color(*color)
        pdf.set_fill_color(*color)
        pdf.set_line_width(0.6)
        previous = None
        for index, y in enumerate(trace.y):
            if y is None:
                previous = None
                continue
            point = (left + step * (index + 0.5), top + height - (float(y) - low) / (high - low) * height)
            if previous is not None:
                pdf.line(*previous, *point)
            pdf.rect(point[0] - 0.9, point[1] - 0.9, 1.8, 1.8, style="F")
            previous = point
    pdf.set_font(FONT, size=7)
    pdf.set_text_color(*MUTED)
    every = max(1, math.ceil(len(periods) / 10))
    label_width = min(step * every, 24)
    for index, period in enumerate(periods):
        if index % every == 0:
            pdf.set_xy(left + step * (index + 0.5) - label_width / 2, top + height + 1)
            pdf.cell(label_width, 4, _drawn(period)[:10], align="C")


def _axes_range(
    pdf: FPDF, left: float, top: float, width: float, height: float, low: float, high: float, percent: bool
) -> tuple[float, float]:
    """Gridlines and tick labels; returns the (low, high) the ticks settled on."""
    ticks = _ticks(low, high, percent)
    low, high = ticks[0], ticks[-1]
    pdf.set_font(FONT, size=7.5)
    pdf.set_line_width(0.15)
    for value in ticks:
        y = top + height - (value - low) / ((high - low) or 1) * height
        pdf.set_draw_color(*(MUTED if abs(value) < 1e-9 else GRID))
        pdf.line(left, y, left + width, y)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(left - 14, y - 2)
        pdf.cell(12, 4, _tick(value, percent), align="R")
    return low, high


def _drawn(text: object) -> str:
    """A figure's string as the screen shows it: the entities `analytics.plain` made, undone."""
    return html.unescape(str(text)) if text is not None else ""


def _fit(pdf: FPDF, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
