"""Screening: normalization against tricks, risk in context, personal details, profanity."""

from __future__ import annotations

import pytest

from hopecircle.safety import ProfanityPolicy, mask_profanity, redact, screen
from hopecircle.safety.normalize import normalize
from hopecircle.safety.personal import find_details
from hopecircle.safety.risk import find_risks, lexicon


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("k i l l myself", "kill myself"),
        ("k.i.l.l myself", "kill myself"),
        ("k1ll mys3lf", "kill myself"),
        ("KILL MYSELF", "kill myself"),
        ("ki\u200bll my\u200dself", "kill myself"),  # zero-width characters
        ("kіll myѕelf", "kill myself"),  # Cyrillic і and ѕ
        ("ｋｉｌｌ myself", "kill myself"),  # full-width letters
        ("diiiiie", "die"),
        ("s*icide", "suicide"),
        ("quiero matarme aquí", "quiero matarme aqui"),
        ("voy a m a t a r m e", "voy a matarme"),
        ("call 988 in 2024", "call 988 in 2024"),  # numbers stay numbers
    ],
)
def test_normalization_undoes_the_usual_tricks(raw, expected):
    assert normalize(raw, lexicon().vocabulary) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "im going to k1ll mys3lf tonight",
        "i just want to disappear forever",
        "everyone would be better off without me",
        "I've been cutting again",
        "I'm going to use everything I have tonight and I don't care if I wake up",
        "I'm going to hurt him when I see him",
        "quiero matarme",
        "ya no quiero vivir",
        "voy a usar todo lo que tengo hoy",
        "I don't want to live anymore",
        "I wanted to die last night",
        "I tried to kill myself in 2019 and I still think about doing it again",
    ],
)
def test_risk_language_is_flagged(text):
    assert find_risks(text), text


@pytest.mark.parametrize(
    "text",
    [
        "I overdosed twice; I'm three years in recovery now",
        "I tried to take my life in 2019. Today I'm grateful to be here",
        "I'm not suicidal, just tired",
        "I don't want to die, I want things to change",
        "this job is killing me",
        "I'd kill for a coffee right now",
        "me muero de hambre",
        "me mata el tráfico",
        "my brother died by suicide and I miss him",
        "my friend overdosed last year",
        "hace cinco años quise morirme y hoy estoy aquí",
        "The part about the dog walks stayed with me",
        "I will call my sister by Friday",
        "Marcus wanted to die back then",
    ],
)
def test_recovery_talk_negations_idioms_and_other_people_are_not_flagged(text):
    assert find_risks(text, others=("Marcus",)) == (), text


def test_a_flag_names_its_category_and_the_words_that_matched():
    hits = find_risks("I keep thinking about killing myself")
    assert {hit.category for hit in hits} == {"suicide"}
    assert any("killing myself" in hit.phrase for hit in hits)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("call me at 555-201-7788", "phone"),
        ("my number is (555) 201 7788", "phone"),
        ("write to rosa.m@example.org", "email"),
        ("see www.example.com/me", "url"),
        ("find me on insta: rosa_m82", "handle"),
        ("follow @rosa_m82", "handle"),
        ("I live at 1420 Maple Street", "address"),
        ("vivo en Calle Ocho 1420", "address"),
        ("my sponsor John Smith helped", "name"),
    ],
)
def test_personal_details_are_found(text, kind):
    assert kind in {detail.kind for detail in find_details(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Call or text 988 any time",
        "the SAMHSA helpline is 1-800-662-4357",
        "text HOME to 741741",
        "I've been in Alcoholics Anonymous for 3 years",
        "My Higher Power and my group",
        "Recovery month in New York",
        "I got sober on 2019-05-04",
        "One day at a time",
    ],
)
def test_ordinary_text_and_crisis_numbers_are_not_personal_details(text):
    assert find_details(text) == ()


def test_redaction_replaces_each_detail_and_keeps_the_rest():
    assert redact("Thanks John Smith, call 555-201-7788!") == "Thanks […], call […]!"


def test_profanity_is_masked_on_the_board_and_can_be_held_or_ignored():
    assert mask_profanity("This SHIT is hard, joder") == "This S*** is hard, j****"
    assert mask_profanity("conocer a mi comunidad") == "conocer a mi comunidad"
    assert screen("this shit is hard").profanity
    assert not screen("this shit is hard").holds
    assert screen("this shit is hard", profanity_policy=ProfanityPolicy.HOLD).holds
    assert not screen("this shit is hard", profanity_policy=ProfanityPolicy.OFF).profanity


def test_screening_flags_summarize_everything_found():
    result = screen("I want to end it all tonight, call 555-201-7788")
    assert result.flags == ("risk:suicide", "personal:phone")
    assert result.holds


def test_storyteller_names_with_accents_are_recognized_as_someone_else():
    assert find_risks("Tomás was thinking about suicide back then", others=("Tomás",)) == ()
    assert find_risks("Tomás is thinking about suicide", others=("Tomás",)) == ()
