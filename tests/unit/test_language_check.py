"""The authoring language check: it finds what the guide lists, suggests alternatives, and passes shipped content."""

from __future__ import annotations

import pytest

from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.language_check import check_language, terms_from

GUIDES = load_guides(ROOT / "facilitator_guides")
TERMS = terms_from(GUIDES)
STORIES = load_stories(ROOT / "stories")


@pytest.mark.parametrize(
    ("draft", "found", "suggested"),
    [
        ("I was an addict for ten years.", "addict", "person in recovery"),
        ("My first clean test came back in May.", "clean test", "negative test result"),
        ("My uncle committed suicide when I was nine.", "committed suicide", "died by suicide"),
        ("After my relapse failure I hid for weeks.", "relapse failure", "return to use"),
        ("Mi hermano era adicto.", "adicto", ""),
        ("Mi primo era drogadicto.", "drogadicto", "persona que usa drogas"),
        ("Salí limpia en el análisis de mayo.", "limpia", "resultado negativo"),
        ("Mi tío se suicidó cuando yo tenía nueve años.", "se suicidó", "murió por suicidio"),
        ("Ahí empezó mi abuso de sustancias.", "abuso de sustancias", "consumo de sustancias"),
        (
            "Dicen que la metadona es cambiar una adicción por otra.",
            "cambiar una adicción por otra",
            "tratamiento con metadona o buprenorfina",
        ),
        ("Después de mi recuperación fallida me escondí.", "recuperación fallida", "volvió a consumir"),
        ("Mi papá cayó en el vicio muy joven.", "cayó en el vicio", "el consumo"),
        ("Conocí a un recluso que me ayudó.", "recluso", "persona privada de libertad"),
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


@pytest.mark.parametrize(
    "draft",
    [
        "I'm a person in recovery. My test came back negative and I called my peer specialist.",
        "Soy una persona en recuperación. Tuve una recaída, volví a consumir y regresé a las juntas con mi madrina.",
        "Mi hermano murió por suicidio. Salí negativo en el análisis y le llamé a mi consejera.",
    ],
)
def test_ordinary_recovery_language_passes(draft):
    assert check_language(draft, TERMS) == []


def test_a_program_s_own_name_is_left_alone_in_either_language():
    draft = "Fui a Narcotics Anonymous y después a Alcohólicos Anónimos."
    assert [f for f in check_language(draft, TERMS) if f.kind == "term"] == []


def test_the_shipped_stories_are_checked_in_both_languages():
    languages = {story.language for story in STORIES.stories.values()}
    assert languages == {"en", "es"}
    originals = [story for story in STORIES.stories.values() if story.translation_of is None]
    for story in originals:
        assert STORIES.translation(story.id, "es") is not None, story.id


@pytest.mark.parametrize("story", sorted(STORIES.stories.values(), key=lambda s: s.id), ids=lambda s: s.id)
def test_no_shipped_story_uses_a_stigmatizing_term(story):
    text = "\n".join(
        [
            story.title,
            story.about_storyteller,
            *story.topic_notes,
            *story.prompts,
            story.next_step_prompt,
            *(f"{section.heading}\n{section.text}" for section in story.sections),
        ]
    )
    findings = [(f.kind, f.text) for f in check_language(text, TERMS, storyteller=story.storyteller)]
    assert findings == []  # no stigmatizing term, no method detail, no full name


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
