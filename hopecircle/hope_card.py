"""The hope card: a participant's own next step as a phone-wallpaper PNG, drawn on the server.

Made in memory from bundled fonts (no internet), handed to the phone, never written anywhere.
`card_image` is the picture; `hope_card_png` encodes the same pixels, quickly (see its bands).
"""

from __future__ import annotations

import struct
import zlib
from datetime import date
from functools import cache, lru_cache
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


Line = tuple[int, str, ImageFont.FreeTypeFont, tuple[int, int, int]]  # (y, text, font, colour)


def _lines(
    measure: ImageDraw.ImageDraw,
    y: int,
    text: str,
    font: ImageFont.FreeTypeFont,
    fill: tuple[int, int, int],
    gap: float = 1.25,
) -> tuple[list[Line], int]:
    """Where each line of a block of text goes, from `y` down, and the `y` below it."""
    height = int(font.size * gap)
    placed = []
    for line in _wrap(measure, text, font, WIDTH - 2 * MARGIN):
        placed.append((y, line, font, fill))
        y += height
    return placed, y


@cache
def _measure() -> ImageDraw.ImageDraw:
    """A drawing on a pixel, for measuring text (widths depend on the font alone)."""
    return ImageDraw.Draw(Image.new("RGB", (1, 1)))


def _top_lines(language: str) -> list[Line]:
    return [(150, t("card.heading", lang=language), _font(BOLD, 52), ACCENT)]


def _goal_lines(
    what: str, when: str | None, support: str | None, dimension: str | None, language: str
) -> tuple[list[Line], int]:
    """The participant's own words on the card, and where the card's closing words start below them."""
    measure = _measure()
    goal = goal_sentence(drawable(what), drawable(when) if when else None, language)
    placed, y = _lines(measure, 260, goal, _goal_font(measure, goal), INK)
    y += 40
    if support and drawable(support):
        text = t("goal.support", lang=language, support=drawable(support))
        more, y = _lines(measure, y, text, _font(REGULAR, 42), SOFT_INK)
        placed += more
    if dimension:
        more, y = _lines(measure, y + 10, t(f"dimension.{dimension}", lang=language), _font(BOLD, 38), ACCENT)
        placed += more
    return placed, max(y + 60, int(HEIGHT * 0.62))


def _bottom_lines(language: str, on: date, y: int) -> list[Line]:
    """The encouragement from `y`, the date, and the support lines at the foot of the card."""
    measure = _measure()
    placed, y = _lines(measure, y, t("card.encouragement", lang=language), _font(REGULAR, 46), INK, gap=1.3)
    dated = t("card.date", lang=language, date=_date_text(on, language))
    more, _y = _lines(measure, y + 30, dated, _font(REGULAR, 34), SOFT_INK)
    lines = crisis_lines(language).lines
    footer = "\n".join(
        [t("card.support_lines", lang=language), *(f"{line.name}: {_reach(line, language)}" for line in lines[:3])]
    )
    footer_font = _font(REGULAR, 30)
    footer_lines = _wrap(measure, footer, footer_font, WIDTH - 2 * MARGIN)
    foot, _y = _lines(measure, HEIGHT - 110 - len(footer_lines) * int(30 * 1.3), footer, footer_font, SOFT_INK, gap=1.3)
    return placed + more + foot


def _paint(image: Image.Image, lines: list[Line], top: int = 0) -> Image.Image:
    """Draw `lines` on `image`, whose first row is the card's row `top`."""
    draw = ImageDraw.Draw(image)
    for y, text, font, fill in lines:
        draw.text((MARGIN, y - top), text, font=font, fill=fill)
    return image


def card_image(
    what: str, when: str | None, support: str | None, dimension: str | None, language: str, on: date
) -> Image.Image:
    """The card as one picture, in `language`, dated `on`: what every PNG of it shows."""
    goal, bottom = _goal_lines(what, when, support, dimension, language)
    return _paint(_gradient(), _top_lines(language) + goal + _bottom_lines(language, on, bottom))


# The card is encoded in three bands of rows: above the participant's words (the heading), their
# words, and below them (the encouragement, the date, the support lines). The first is the same
# on every card in a language and the last on every card of a day in a language, so those are
# compressed once and kept; only the middle band is drawn and compressed for each card, about a
# fifth of the time of encoding the whole picture. Every band starts a little above its first
# line of text, so accents above a line stay in the band that draws them.
_TOP_END = 224  # the heading (52 px at row 150) ends by row 212; the words start at row 260
_BOTTOM_LEAD = 20  # the closing words' band starts this far above their first line


def hope_card_png(
    what: str, when: str | None, support: str | None, dimension: str | None, language: str, on: date
) -> bytes:
    """The card as PNG bytes, in `language`, dated `on` (the pixels of `card_image`)."""
    goal, bottom = _goal_lines(what, when, support, dimension, language)
    middle_end = bottom - _BOTTOM_LEAD
    middle = _paint(_background().crop((0, _TOP_END, WIDTH, middle_end)), goal, top=_TOP_END)
    return _png([_top_band(language), _band(middle), _bottom_band(language, on, bottom)])


@lru_cache(maxsize=8)
def _top_band(language: str) -> tuple[bytes, int, int]:
    return _band(_paint(_background().crop((0, 0, WIDTH, _TOP_END)), _top_lines(language)))


@lru_cache(maxsize=64)
def _bottom_band(language: str, on: date, bottom: int) -> tuple[bytes, int, int]:
    start = bottom - _BOTTOM_LEAD
    band = _background().crop((0, start, WIDTH, HEIGHT))
    return _band(_paint(band, _bottom_lines(language, on, bottom), top=start))


def _band(image: Image.Image) -> tuple[bytes, int, int]:
    """Rows of the picture as PNG scanlines (no filter), deflated on their own and byte-aligned
    (so bands deflated apart join into one stream): (deflated, their Adler-32, their length)."""
    raw = image.tobytes()
    stride = WIDTH * 3
    rows = bytearray(image.height * (stride + 1))  # each scanline: a zero filter byte, then its pixels
    for row in range(image.height):
        rows[row * (stride + 1) + 1 : (row + 1) * (stride + 1)] = raw[row * stride : (row + 1) * stride]
    # The fastest zlib level: a card is asked for by every phone at the close of a big room.
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    return packer.compress(rows) + packer.flush(zlib.Z_FULL_FLUSH), zlib.adler32(rows), len(rows)


def _png(bands: list[tuple[bytes, int, int]]) -> bytes:
    """A PNG of the whole card from its bands, top to bottom: one zlib stream in one IDAT chunk."""
    checksum = 1  # the Adler-32 of nothing
    for _deflated, adler, length in bands:
        checksum = _adler32_combine(checksum, adler, length)
    last = zlib.compressobj(1, zlib.DEFLATED, -15).flush()  # the final, empty block
    stream = b"\x78\x01" + b"".join(band[0] for band in bands) + last + struct.pack(">I", checksum)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


_ADLER = 65521


def _adler32_combine(first: int, second: int, length: int) -> int:
    """The Adler-32 of two byte strings joined, from each one's and the second's length (zlib's
    adler32_combine, which Python's zlib does not offer)."""
    remainder = length % _ADLER
    low = (first & 0xFFFF) + (second & 0xFFFF) + _ADLER - 1
    high = (remainder * (first & 0xFFFF)) % _ADLER
    high += ((first >> 16) & 0xFFFF) + ((second >> 16) & 0xFFFF) + _ADLER - remainder
    low %= _ADLER
    high %= _ADLER
    return low | (high << 16)


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
