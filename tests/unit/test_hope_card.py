"""The hope card: a phone-wallpaper PNG of the participant's own next step."""

from __future__ import annotations

import io
import zlib
from datetime import date

import pytest
from PIL import Image

from hopecircle.hope_card import HEIGHT, WIDTH, _adler32_combine, card_image, drawable, hope_card_png, leaves_out

ON = date(2026, 11, 25)


def open_png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_the_card_is_a_phone_wallpaper_sized_png():
    image = open_png(hope_card_png("walk ten minutes", "tomorrow", "my sister", "health", "en", ON))
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) == (1080, 1920)


def test_the_card_is_drawn_in_the_participants_language():
    english = hope_card_png("caminar", None, None, None, "en", ON)
    spanish = hope_card_png("caminar", None, None, None, "es", ON)
    assert english != spanish


def test_emoji_the_font_cannot_draw_are_left_out_not_boxed():
    assert drawable("call mom 💪🌱 tonight ☺") == "call mom tonight ☺"
    assert drawable("esperanza, niño, corazón") == "esperanza, niño, corazón"


def test_the_phone_can_tell_when_something_will_be_left_out():
    assert leaves_out("call mom 💪", None)
    assert leaves_out("rest", "tonight", "我的朋友")
    assert not leaves_out("esperanza,  niño", None, "mi hermana ☺")


def test_a_very_long_goal_still_fits_on_the_card():
    long_goal = "go to a meeting " * 12 + "supercalifragilisticexpialidocious" * 3
    image = open_png(hope_card_png(long_goal, "the end of the month", "x" * 120, "purpose", "en", ON))
    assert image.size == (WIDTH, HEIGHT)
    # The lowest band of the card (behind the support lines) is drawn, not overflowed into.
    assert image.convert("L").getpixel((WIDTH // 2, HEIGHT - 20)) > 200


def test_markup_is_drawn_as_plain_text():
    data = hope_card_png("<b>rest</b> **more**", None, None, None, "en", ON)
    assert open_png(data).size == (WIDTH, HEIGHT)


@pytest.mark.parametrize(
    ("what", "when", "support", "dimension", "language"),
    [
        ("call my sister", "Friday", "my neighbor", "community", "en"),
        ("Ábrete a ÉL", "Ñandú", "Ómnibus", "health", "es"),  # accents above the first line of a band
        ("go to a meeting " * 12 + "x" * 80, "the end of the month", "y" * 120, "purpose", "en"),  # words push down
        ("rest", None, None, None, "es"),
        ("<b>x</b> 💪", None, None, None, "en"),
    ],
)
def test_the_png_shows_exactly_the_cards_picture(what, when, support, dimension, language):
    """The PNG is encoded in bands, two of them kept from card to card: its pixels are the card's."""
    image = open_png(hope_card_png(what, when, support, dimension, language, ON))
    assert image.mode == "RGB" and image.size == (WIDTH, HEIGHT)
    assert image.tobytes() == card_image(what, when, support, dimension, language, ON).tobytes()


def test_joined_checksums_are_the_checksum_of_the_joined_bytes():
    first, second = b"the heading " * 500, b"the words" * 777
    joined = _adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
    assert joined == zlib.adler32(first + second)
    assert _adler32_combine(1, zlib.adler32(second), len(second)) == zlib.adler32(second)
