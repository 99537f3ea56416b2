from datetime import datetime

import pytest

from hopecircle.domain import (
    JOIN_CODE_ALPHABET,
    EmptyText,
    InvalidChoice,
    Phase,
    TextTooLong,
    clean_text,
    coarse_minute,
    new_join_code,
    next_phase,
    normalize_join_code,
    previous_phase,
    require_pulse,
    require_text,
)


def test_join_codes_use_only_characters_that_cannot_be_misread():
    for ambiguous in "0O1IL2Z5S6G8BQ":
        assert ambiguous not in JOIN_CODE_ALPHABET
    codes = {new_join_code() for _ in range(2000)}
    # 22**6 codes: a repeat among 2,000 draws happens about 2% of the time, so allow a couple.
    assert len(codes) >= 1995
    assert all(len(code) == 6 and set(code) <= set(JOIN_CODE_ALPHABET) for code in codes)


def test_typed_codes_are_normalized():
    assert normalize_join_code(" k7m-4qx ") == "K7M4QX"
    assert normalize_join_code("ｋ７") == ""  # full-width letters are not ASCII codes
    assert normalize_join_code("") == ""


def test_clean_text_trims_and_keeps_emoji_and_scripts():
    assert clean_text("  hola   mundo 🌱 \r\n\r\n\r\n  希望  ") == "hola mundo 🌱\n\n希望"
    assert clean_text(None) == ""


def test_required_text_says_what_is_wrong():
    with pytest.raises(EmptyText):
        require_text(" \u00a0\t", 10)
    with pytest.raises(TextTooLong) as error:
        require_text("x" * 11, 10)
    assert error.value.params == {"length": 11, "limit": 10}
    assert require_text(" ok ", 10) == "ok"


@pytest.mark.parametrize("value", [-1, 11, None, True, 5.5, "7"])
def test_pulse_must_be_a_whole_number_from_0_to_10(value):
    with pytest.raises(InvalidChoice):
        require_pulse(value)


def test_pulse_accepts_the_ends_of_the_scale():
    assert require_pulse(0) == 0 and require_pulse(10) == 10


def test_times_are_kept_to_the_minute():
    assert coarse_minute(datetime(2026, 1, 2, 3, 4, 59, 999)) == datetime(2026, 1, 2, 3, 4)


def test_phases_step_within_their_ends():
    assert next_phase(Phase.WELCOME) is Phase.CHECKIN
    assert next_phase(Phase.CLOSE) is Phase.CLOSE
    assert previous_phase(Phase.WELCOME) is Phase.WELCOME
    assert previous_phase(Phase.CLOSE) is Phase.BOARD


@pytest.mark.parametrize(
    "blank",
    [
        "\u200b",  # zero-width space
        "\u2800\u2800",  # Braille blank
        "\u3164 \u115f\u1160\uffa0",  # Hangul fillers
        "\u202e\u2066\u2069",  # bidi controls
        "\U000e0068\U000e0069",  # tag characters
        "\u0301\u0301",  # combining marks with no letter
        "\u200d\ufe0f",  # joiner and variation selector alone
    ],
)
def test_text_of_only_invisible_characters_is_refused_like_an_empty_one(blank):
    from hopecircle.domain import InvisibleText, optional_text

    with pytest.raises(InvisibleText):
        require_text(blank, 100)
    assert optional_text(blank, 100) is None


def test_controls_are_dropped_and_a_lone_surrogate_kept_as_a_replacement_character():
    assert require_text("a\x00b\x07c\r\nd\te", 100) == "abc\nd e"
    assert require_text("half \ud83d an emoji", 100) == "half \ufffd an emoji"
    assert require_text("a whole 👍🏽 emoji and e\u0301", 100) == "a whole 👍🏽 emoji and é"
    with pytest.raises(EmptyText):
        require_text("\x00\x01", 100)
