"""The hope card: a participant's own next step as a phone-wallpaper PNG, drawn on the server.

Made in memory from bundled fonts (no internet), handed to the phone, never written anywhere.
"""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

from hopecircle.crisis import crisis_lines
from hopecircle.i18n import t
from hopecircle.wording import goal_sentence

FONTS = Path(__file__).parent / "data" / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"
WIDTH, HEIGHT = 1080, 1920
MARGIN = 90
INK = (23, 32, 44)
SOFT_INK = (61, 74, 92)
ACCENT = (11, 93, 87)
TOP, BOTTOM = (214, 238, 233), (251, 248, 242)


@cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


@cache
def _covered() -> frozenset[int]:
    """Code points the bundled font can draw (emoji it cannot are left out rather than shown as boxes)."""
    return frozenset(TTFont(str(REGULAR))["cmap"].getBestCmap())


def drawable(text: str) -> str:
    """`text` without characters the font has no glyph for, with spacing tidied."""
    kept = "".join(ch for ch in text if ord(ch) in _covered() or ch in "\n ")
    return " ".join(kept.split())


def leaves_out(*texts: str | None) -> bool:
    """Whether drawing these texts would leave out characters the bundled fonts cannot draw."""
    return any(text and drawable(text) != " ".join(text.split()) for text in texts)


def _gradient() -> Image.Image:
    """A fresh copy of the card's background (drawn once per process: a tenth of a card's time)."""
    return _background().copy()


@cache
def _background() -> Image.Image:
    column = Image.new("RGB", (1, HEIGHT))
    for y in range(HEIGHT):
        mix = y / (HEIGHT - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * mix) for a, b in zip(TOP, BOTTOM, strict=True)))
    return column.resize((WIDTH, HEIGHT))


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of `text` that fit `width` pixels, breaking long words if they must."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        line = ""
        for word in words:
            candidate = f"{line} {word}".strip()
            if draw.textlength(candidate, font=font) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while draw.textlength(word, font=font) > width:
                cut = max(1, int(len(word) * width / draw.textlength(word, font=font)) - 1)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        if line:
            lines.append(line)
    return lines


def _block(
    draw: ImageDraw.ImageDraw,
    y: int,
    text: str,
    font: ImageFont.FreeTypeFont,
    fill: tuple[int, int, int],
    gap: float = 1.25,
) -> int:
    height = int(font.size * gap)
    for line in _wrap(draw, text, font, WIDTH - 2 * MARGIN):
        draw.text((MARGIN, y), line, font=font, fill=fill)
        y += height
    return y


def _goal_font(draw: ImageDraw.ImageDraw, text: str) -> ImageFont.FreeTypeFont:
    """The largest type at which the goal fits in about half the card."""
    for size in (96, 84, 72, 64, 56, 48):
        font = _font(BOLD, size)
        if len(_wrap(draw, text, font, WIDTH - 2 * MARGIN)) * size * 1.25 <= HEIGHT * 0.42:
            return font
    return _font(BOLD, 44)


def hope_card_png(
    what: str, when: str | None, support: str | None, dimension: str | None, language: str, on: date
) -> bytes:
    """The card as PNG bytes, in `language`, dated `on`."""
    image = _gradient()
    draw = ImageDraw.Draw(image)
    y = 150
    draw.text((MARGIN, y), t("card.heading", lang=language), font=_font(BOLD, 52), fill=ACCENT)
    y += 110
    goal = goal_sentence(drawable(what), drawable(when) if when else None, language)
    y = _block(draw, y, goal, _goal_font(draw, goal), INK)
    y += 40
    if support and drawable(support):
        y = _block(draw, y, t("goal.support", lang=language, support=drawable(support)), _font(REGULAR, 42), SOFT_INK)
    if dimension:
        y = _block(draw, y + 10, t(f"dimension.{dimension}", lang=language), _font(BOLD, 38), ACCENT)
    y = max(y + 60, int(HEIGHT * 0.62))
    y = _block(draw, y, t("card.encouragement", lang=language), _font(REGULAR, 46), INK, gap=1.3)
    y += 30
    _block(draw, y, t("card.date", lang=language, date=_date_text(on, language)), _font(REGULAR, 34), SOFT_INK)
    lines = crisis_lines(language).lines
    footer = "\n".join(
        [t("card.support_lines", lang=language), *(f"{line.name}: {_reach(line, language)}" for line in lines[:3])]
    )
    footer_font = _font(REGULAR, 30)
    footer_lines = _wrap(draw, footer, footer_font, WIDTH - 2 * MARGIN)
    _block(draw, HEIGHT - 110 - len(footer_lines) * int(30 * 1.3), footer, footer_font, SOFT_INK, gap=1.3)
    buffer = io.BytesIO()
    # The fastest zlib level: a quarter of the time of `optimize`, for a file a third larger. At
    # the close of a big room every phone may ask for its card within the same minute.
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _reach(line, language: str) -> str:  # type: ignore[no-untyped-def]
    """How to reach a line, in words: "call or text 988", "text HOME to 741741"."""
    if line.short:
        return line.short
    number = line.call_shown
    if line.call and line.text == line.call and not line.text_body:
        return t("card.call_or_text", lang=language, number=number)
    parts = [t("card.call", lang=language, number=number)] if line.call else []
    if line.text:
        parts.append(t("card.text", lang=language, word=line.text_body or "", number=line.text).replace("  ", " "))
    return "; ".join(parts)


def _date_text(on: date, language: str) -> str:
    month = t(f"card.month.{on.month}", lang=language)
    return t("card.date_format", lang=language, day=on.day, month=month, year=on.year)
