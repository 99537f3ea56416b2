"""The authoring language check: it finds what the guide lists, suggests alternatives, and passes shipped content."""

from __future__ import annotations

import pytest

from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.language_check import check_language, terms_from

GUIDES = load_guides(ROOT / "facilitator_guides")
TERMS = terms_from(GUIDES)


@pytest.mark.parametrize(
    ("draft", "found", "suggested"),
    [
        ("I was an addict for ten years.", "addict", "person in recovery"),
        ("My first clean test came back in May.", "clean test", "negative test result"),
        ("My uncle committed suicide when I was nine.", "committed suicide", "died by suicide"),
        ("After my relapse failure I hid for weeks.", "relapse failure", "return to use"),
        ("Mi hermano era adicto.", "adicto", ""),
    ],
)
def test_stigmatizing_terms_are_found_with_an_alternative(draft, found, suggested):
    findings = [f for f in check_language(draft, TERMS) if f.kind == "term"]
    assert [f.text.lower() for f in findings] == [found]
    assert findings[0].why
    if suggested:
        assert suggested in findings[0].suggestions


def test_method_like_detail_gets_a_warning():
    draft = "That night I took 40 mg and went to the bridge to end it."
    kinds = {f.kind for f in check_language(draft, TERMS)}
    assert kinds == {"method"}


def test_ordinary_recovery_language_passes():
    draft = "I'm a person in recovery. My test came back negative and I called my peer specialist."
    assert check_language(draft, TERMS) == []


def test_no_shipped_story_uses_a_stigmatizing_term():
    stories = load_stories(ROOT / "stories")
    for story in stories.stories.values():
        text = "\n".join([story.title, *story.prompts, story.next_step_prompt, *(s.text for s in story.sections)])
        terms = [f.text for f in check_language(text, TERMS) if f.kind == "term"]
        assert terms == [], (story.id, terms)


def test_no_guide_uses_a_stigmatizing_term_outside_the_language_guide_itself():
    for guide in GUIDES.guides.values():
        if guide.kind == "language":
            continue
        terms = [f.text for f in check_language(guide.body, TERMS) if f.kind == "term"]
        assert terms == [], (guide.slug, terms)


@pytest.mark.parametrize(
    "draft",
    ["I used a razor on my arm.", "Me corté los brazos con una navaja.", "I burned my skin with a lighter."],
)
def test_self_harm_method_detail_gets_a_warning(draft):
    assert "method" in {f.kind for f in check_language(draft, TERMS)}


def test_a_full_name_gets_a_warning_but_the_storytellers_own_pseudonym_does_not():
    findings = check_language("My sponsor Carol Jenkins called. Grace Lee listened.", TERMS, storyteller="Grace Lee")
    assert [(f.kind, f.text) for f in findings] == [("name", "Carol Jenkins")]
    assert check_language("I called my sister and my sponsor.", TERMS) == []
