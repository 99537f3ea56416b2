"""Printouts for the room, as PDFs on A4 or Letter paper: the join sheet and the hope board.

The join sheet goes on doors and tables: the session's title, a QR code big enough to scan from
an arm's length, the join code and address, and the support lines in each language side by
side. The board is the approved cards as the room saw them (masked, no support lines), with no
name or time on them. Text is set in the bundled DejaVu Sans (accents, ñ); nothing is fetched.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from hopecircle.crisis import CrisisDirectory
from hopecircle.domain import Card, Kind
from hopecircle.i18n import t
from hopecircle.qr import qr_png
from hopecircle.wording import goal_sentence

FONTS = Path(__file__).parent / "data" / "fonts"
FONT = "DejaVu"
PAPERS: dict[str, str] = {"a4": "A4", "letter": "Letter"}
MARGIN = 14.0
QR_MM = 105.0  # about 4 inches: a phone camera reads it from a metre away
INK = (23, 32, 44)
MUTED = (90, 99, 112)
ACCENT = (11, 93, 87)
CARD_FILL = (244, 247, 246)


@dataclass(frozen=True)
class JoinSheet:
    """What a join sheet says: the first language is the session's, the others follow it."""

    title: str
    code: str
    url: str  # what the QR code holds: the address with the code in it
    address: str  # where to type the code by hand
    languages: tuple[str, ...]
    support: tuple[CrisisDirectory, ...]  # the support lines, one directory per language


@dataclass(frozen=True)
class BoardSheet:
    """The hope board to print: the session's title and its cards as the room saw them."""

    title: str
    language: str
    cards: tuple[Card, ...]


def paper_format(paper: str) -> str:
    """fpdf2's name for a paper size ('a4' or 'letter'); anything else is refused."""
    try:
        return PAPERS[paper.lower()]
    except KeyError:
        raise ValueError(f"unknown paper size {paper!r}: use one of {', '.join(PAPERS)}") from None


def _document(paper: str, title: str) -> FPDF:
    pdf = FPDF(format=paper_format(paper), unit="mm")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_creator("HopeCircle")
    pdf.set_text_color(*INK)
    return pdf


def join_sheet_pdf(sheet: JoinSheet, paper: str = "a4") -> bytes:
    """One page to print and put up: title, big QR, code, address, support lines in every language.

    The support lines sit at the foot of the page and the QR code takes the room left between,
    up to QR_MM. Should an organization's own lines leave too little room for a QR code a phone
    can read (QR_MIN_MM), the lines go on a second page instead.
    """
    pdf = _document(paper, sheet.title)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    width = pdf.w - 2 * MARGIN
    first, others = sheet.languages[0], sheet.languages[1:]
    _centred(pdf, width, sheet.title, size=24, bold=True, height=10)
    pdf.ln(1)
    _centred(pdf, width, t("print.join_heading", lang=first), size=17, bold=True, height=9, color=ACCENT)
    for language in others:
        _centred(pdf, width, t("print.join_heading", lang=language), size=12, height=6, color=ACCENT)
    top = pdf.get_y() + 2
    support = _support_height(pdf, sheet)
    below = _under_code_height(pdf, sheet, width)
    room = pdf.h - MARGIN - support - 5 - below - 2 - top
    own_page = room < QR_MIN_MM
    size = min(QR_MM, pdf.h - MARGIN - below - 2 - top if own_page else room)
    # The page around it is blank paper: a quiet zone of two modules in the image is enough.
    pdf.image(io.BytesIO(qr_png(sheet.url, border=2)), x=(pdf.w - size) / 2, y=top, w=size, h=size)
    pdf.set_y(top + size + 1)
    for language in sheet.languages:
        _centred(pdf, width, t("print.join_steps", lang=language, address=sheet.address), size=10.5, height=5)
    _centred(pdf, width, " ".join(sheet.code), size=40, bold=True, height=18)
    for language in sheet.languages:
        _centred(pdf, width, t("print.anonymous", lang=language), size=9.5, height=4.5, color=MUTED)
    if own_page:
        pdf.add_page()
        pdf.set_y(MARGIN)
    else:
        pdf.set_y(pdf.h - MARGIN - support)
    _support_columns(pdf, sheet)
    return bytes(pdf.output())


QR_MIN_MM = 60.0


def _centred(
    pdf: FPDF,
    width: float,
    text: str,
    *,
    size: float,
    height: float,
    bold: bool = False,
    color: tuple[int, int, int] = INK,
    dry: bool = False,
) -> float:
    """A centred paragraph across the page; returns its height (`dry`: measured, not drawn)."""
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*color)
    if dry:
        measured = pdf.multi_cell(width, height, text, align="C", dry_run=True, output="HEIGHT")
        assert isinstance(measured, float | int)
        return float(measured)
    before = pdf.get_y()
    pdf.multi_cell(width, height, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return pdf.get_y() - before


def _under_code_height(pdf: FPDF, sheet: JoinSheet, width: float) -> float:
    """The height of what goes under the QR code: how to join, the code, the line on anonymity."""
    steps = sum(
        _centred(pdf, width, t("print.join_steps", lang=code, address=sheet.address), size=10.5, height=5, dry=True)
        for code in sheet.languages
    )
    anonymous = sum(
        _centred(pdf, width, t("print.anonymous", lang=code), size=9.5, height=4.5, dry=True)
        for code in sheet.languages
    )
    return 1 + steps + 18 + anonymous


def _support_entries(sheet: JoinSheet, index: int) -> list[tuple[str, float, bool, tuple[int, int, int], float]]:
    """One language's support column: (text, size, bold, colour, space above) for each paragraph."""
    language, directory = sheet.languages[index], sheet.support[index]
    entries = [
        (t("print.support_heading", lang=language), 10.5, True, INK, 0.0),
        (t("crisis.not_monitored", lang=language), 7.5, False, MUTED, 0.0),
    ]
    for line in directory.lines:
        entries.append((_reach(line.name, line.call, line.text, language), 8.5, True, INK, 1.0))
        entries.append((line.detail, 7.5, False, INK, 0.0))
    verified = t("crisis.verified", lang=language, date=directory.last_verified.isoformat())
    entries.append((verified, 7.0, False, MUTED, 1.0))
    return entries


def _column_width(pdf: FPDF, columns: int) -> float:
    return (pdf.w - 2 * MARGIN - COLUMN_GAP * (columns - 1)) / columns


COLUMN_GAP = 6.0


def _support_height(pdf: FPDF, sheet: JoinSheet) -> float:
    """The height of the support columns (the tallest), with the rule above them."""
    column = _column_width(pdf, len(sheet.languages))
    tallest = 0.0
    for index in range(len(sheet.languages)):
        height = 0.0
        for text, size, bold, _color, above in _support_entries(sheet, index):
            pdf.set_font(FONT, "B" if bold else "", size)
            measured = pdf.multi_cell(column, size * 0.46, text, align="L", dry_run=True, output="HEIGHT")
            assert isinstance(measured, float | int)
            height += above + float(measured)
        tallest = max(tallest, height)
    return tallest + 2


def _support_columns(pdf: FPDF, sheet: JoinSheet) -> None:
    """The support lines, one column per language, under a rule."""
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.4)
    pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
    column = _column_width(pdf, len(sheet.languages))
    top = pdf.get_y() + 2
    for index in range(len(sheet.languages)):
        pdf.set_xy(MARGIN + index * (column + COLUMN_GAP), top)
        for text, size, bold, color, above in _support_entries(sheet, index):
            pdf.set_xy(pdf.get_x(), pdf.get_y() + above)
            pdf.set_font(FONT, "B" if bold else "", size)
            pdf.set_text_color(*color)
            pdf.multi_cell(column, size * 0.46, text, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)


def _reach(name: str, call: str | None, text: str | None, language: str) -> str:
    ways = [
        t("crisis.call", lang=language, number=call) if call else "",
        t("crisis.text", lang=language, number=text) if text else "",
    ]
    joined = " · ".join(way for way in ways if way)
    return f"{name}: {joined}" if joined else name


def board_pdf(sheet: BoardSheet, paper: str = "a4") -> bytes:
    """The approved cards, two to a row, over as many pages as they need."""
    pdf = _document(paper, sheet.title)
    pdf.set_auto_page_break(True, margin=MARGIN + 6)
    pdf.add_page()
    width = pdf.w - 2 * MARGIN
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(width, 9, t("print.board_title", lang=sheet.language), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=12)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(width, 6, sheet.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    if not sheet.cards:
        pdf.set_font(FONT, size=11)
        pdf.multi_cell(width, 6, t("print.board_empty", lang=sheet.language), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return bytes(pdf.output())
    gap = 5.0
    column = (width - gap) / 2
    for row in range(0, len(sheet.cards), 2):
        pair = sheet.cards[row : row + 2]
        heights = [_card_height(pdf, card, column, sheet.language) for card in pair]
        height = max(heights)
        if pdf.get_y() + height > pdf.h - MARGIN - 6:
            pdf.add_page()
        top = pdf.get_y()
        for index, card in enumerate(pair):
            _card(pdf, card, MARGIN + index * (column + gap), top, column, height, sheet.language)
        pdf.set_y(top + height + gap)
    return bytes(pdf.output())


def _card_text(card: Card) -> str:
    return goal_sentence(card.body, card.goal_when, card.language) if card.kind is Kind.GOAL else card.body


def _card_meta(card: Card, language: str) -> str:
    meta = [t("kind." + card.kind.value, lang=language)]
    if card.kind is Kind.GOAL and card.dimension:
        meta.append(t(f"dimension.{card.dimension}", lang=language))
    if card.me_too:
        meta.append(t("board.me_too", lang=language, count=card.me_too))
    return " · ".join(meta)


PAD = 4.0


def _card_height(pdf: FPDF, card: Card, column: float, language: str) -> float:
    pdf.set_font(FONT, size=11.5)
    text_lines = _lines(pdf, column - 2 * PAD, _card_text(card))
    pdf.set_font(FONT, size=8.5)
    meta_lines = _lines(pdf, column - 2 * PAD, _card_meta(card, language))
    return 2 * PAD + text_lines * 5.6 + 1.5 + meta_lines * 4


def _lines(pdf: FPDF, width: float, text: str) -> int:
    """How many lines `text` takes at `width` in the current font."""
    lines = pdf.multi_cell(width, 5, text, align="L", dry_run=True, output="LINES")
    assert isinstance(lines, list)
    return len(lines)


def _card(pdf: FPDF, card: Card, left: float, top: float, column: float, height: float, language: str) -> None:
    pdf.set_fill_color(*CARD_FILL)
    pdf.set_draw_color(*(ACCENT if card.kind is Kind.GOAL else (210, 216, 222)))
    pdf.set_line_width(0.3)
    pdf.rect(left, top, column, height, style="DF", round_corners=True, corner_radius=2.5)
    pdf.set_xy(left + PAD, top + PAD)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, size=11.5)
    pdf.multi_cell(column - 2 * PAD, 5.6, _card_text(card), align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.ln(1.5)
    pdf.set_x(left + PAD)
    pdf.set_text_color(*MUTED)
    pdf.set_font(FONT, size=8.5)
    pdf.multi_cell(column - 2 * PAD, 4, _card_meta(card, language), align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
