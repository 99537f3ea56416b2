"""Personal details a small group could point at someone with: names given as the writer's, streets."""

from __future__ import annotations

import pytest

from hopecircle.safety import screen
from hopecircle.safety.personal import find_details, redact


def details(text: str) -> list[tuple[str, str]]:
    return [(detail.kind, detail.text) for detail in find_details(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I'm Maria from Oak Street", [("name", "Maria"), ("address", "Oak Street")]),
        ("i'm maria and this helped", [("name", "maria")]),
        ("my name is Ana", [("name", "Ana")]),
        ("call me Jo", [("name", "Jo")]),
        ("ask for Luis at the front desk", [("name", "Luis")]),
        ("I Am Sam", [("name", "Sam")]),
        ("soy Rosa de la calle 5", [("name", "Rosa"), ("address", "calle 5")]),
        ("me llamo Ana y vivo en Calle Ocho", [("name", "Ana"), ("address", "Calle Ocho")]),
        ("mi nombre es lupe", [("name", "lupe")]),
        ("I live on Main St.", [("address", "Main St.")]),
    ],
)
def test_names_given_and_streets_named_are_found_with_the_right_label(text, found):
    assert details(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "I'm grateful today",
        "I'm Grateful for this group",
        "I am so tired",
        "ask for help when you need it",
        "soy alcohólico y hoy estoy aquí",
        "Soy Feliz",
        "This is hard",
        "It's me again, still here",
        "call me when you can",
    ],
)
def test_ordinary_words_after_im_or_soy_are_not_names(text):
    assert details(text) == []


def test_approving_with_details_removed_keeps_no_name_or_street():
    assert redact("I'm Maria from Oak Street, thank you all") == "I'm […] from […], thank you all"
    assert screen("I'm Maria from Oak Street").flags == ("personal:name", "personal:address")
