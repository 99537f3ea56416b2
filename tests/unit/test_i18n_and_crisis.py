"""One translation function; crisis lines from data, in the reader's language."""

from __future__ import annotations

import json
from datetime import date

import pytest

from hopecircle.crisis import crisis_lines
from hopecircle.i18n import LOCALES_DIR, available_languages, catalog, t


def test_t_fills_in_values_and_falls_back_to_english():
    assert t("error.text_too_long", lang="en", length=300, limit=280).startswith("That's 300 characters")
    assert t("phone.send", lang="xx") == "Send"


def test_an_unknown_key_is_a_loud_error_not_a_blank():
    with pytest.raises(KeyError):
        t("no.such.key", lang="en")


def test_every_catalog_is_valid_json_with_string_values():
    for path in LOCALES_DIR.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert all(isinstance(value, str) for value in data.values()), path.name


def test_english_comes_first():
    assert available_languages()[0] == "en"
    assert catalog("en")["language.name"] == "English"


def test_the_crisis_lines_are_dated_and_callable():
    directory = crisis_lines("en")
    assert directory.last_verified >= date(2026, 1, 1)
    lifeline = directory.lines[0]
    assert lifeline.call_url == "tel:988" and lifeline.text_url == "sms:988"
    ids = [line.id for line in directory.lines]
    assert {"lifeline-988", "crisis-text-line", "samhsa-helpline"} <= set(ids)
    samhsa = next(line for line in directory.lines if line.id == "samhsa-helpline")
    assert samhsa.call_url == "tel:18006624357"


def test_spanish_readers_get_the_spanish_options():
    lines = {line.id: line for line in crisis_lines("es").lines}
    assert "AYUDA" in lines["lifeline-988"].detail and "2" in lines["lifeline-988"].detail
    assert lines["crisis-text-line"].text_url == "sms:741741?&body=AYUDA"
    assert lines["crisis-text-line"].text_url != crisis_lines("en").lines[1].text_url


def test_crisis_numbers_are_shown_grouped_as_people_read_them():
    from hopecircle.crisis import shown_number

    assert shown_number("18006624357") == "1-800-662-4357"
    assert shown_number("5552017788") == "555-201-7788"
    assert shown_number("988") == "988" and shown_number("+44 20 7946 0000") == "+44 20 7946 0000"
    samhsa = next(line for line in crisis_lines("es").lines if line.id == "samhsa-helpline")
    assert samhsa.call_shown == "1-800-662-4357" and samhsa.call_url == "tel:18006624357"
