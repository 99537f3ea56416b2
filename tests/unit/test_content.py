"""The shipped stories and guides, and the loader's refusals."""

from __future__ import annotations

import pytest

from hopecircle.config import ROOT
from hopecircle.content import SECTION_ROLES, ContentError, StoryLibrary, load_guides, load_stories, parse_story
from hopecircle.domain import PHASES

STORIES = load_stories(ROOT / "stories")
GUIDES = load_guides(ROOT / "facilitator_guides")


def test_every_shipped_story_is_valid():
    assert STORIES.errors == []
    assert len(STORIES.stories) >= 20


def test_the_library_has_ten_stories_each_told_in_english_and_in_spanish():
    english = STORIES.in_language("en")
    spanish = STORIES.in_language("es")
    assert len(english) >= 10 and len(spanish) >= 10
    assert all(story.translation_of in STORIES.stories for story in spanish)
    assert {story.translation_of for story in spanish} == {story.id for story in english}


@pytest.mark.parametrize("story_id", sorted(STORIES.stories))
def test_every_story_has_prompts_topic_notes_and_the_five_parts(story_id):
    story = STORIES.get(story_id)
    assert 3 <= len(story.prompts) <= 5
    assert story.topic_notes and story.next_step_prompt
    assert [section.role for section in story.sections] == list(SECTION_ROLES)
    assert 500 <= story.word_count <= 1200
    assert any(word in story.composite_note.lower() for word in ("composite", "fictional", "ficticia", "ficticio"))


def test_a_spanish_translation_is_found_from_either_side():
    assert STORIES.translation("morning-dose", "es").id == "morning-dose-es"
    assert STORIES.translation("morning-dose-es", "en").id == "morning-dose"
    english_only = StoryLibrary(stories={key: s for key, s in STORIES.stories.items() if key != "steady-hands-es"})
    assert english_only.translation("steady-hands", "es") is None


GOOD = (ROOT / "stories" / "steady-hands.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: s.replace("id: steady-hands", "id: Steady Hands"), "id"),
        (lambda s: s.replace("language: en", "language: fr"), "language"),
        (lambda s: s.replace("dimensions: [", "dimensions: [wealth, "), "dimensions"),
        (lambda s: s.replace("reading_minutes:", "reading_minutes: many #"), "reading_minutes"),
        (lambda s: s[: s.rindex("\n## ")] + "\n\n" + s[s.rindex("\n## ") + 4 :], "sections"),
        (lambda s: s.replace("\n## ", "\n### ", 1), "body"),
        (lambda s: s.split("\n---\n", 1)[1], "front matter"),
    ],
)
def test_an_invalid_story_is_refused_naming_the_file_and_the_field(change, field):
    with pytest.raises(ContentError) as error:
        parse_story(change(GOOD), "draft.md")
    assert error.value.source == "draft.md"
    assert error.value.field == field
    assert str(error.value).startswith(f"draft.md: {field}:")


def test_a_story_too_short_is_refused():
    head, _body = GOOD.split("\n## ", 1)
    short = head + "\n" + "\n".join(f"## Part {n}\n\nA few words here." for n in range(5))
    with pytest.raises(ContentError) as error:
        parse_story(short, "short.md")
    assert error.value.field == "body"


def test_a_bad_file_in_the_folder_is_reported_and_the_rest_load(tmp_path):
    (tmp_path / "steady-hands.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "broken.md").write_text("no front matter", encoding="utf-8")
    library = load_stories(tmp_path)
    assert list(library.stories) == ["steady-hands"]
    assert [error.source for error in library.errors] == ["broken.md"]


def test_every_guide_is_valid_and_every_phase_has_notes():
    assert GUIDES.errors == []
    for phase in PHASES:
        note = GUIDES.phase_note(phase)
        assert note is not None, phase
        assert "## Do" in note.body and "## You might say" in note.body and "## Watch for" in note.body


def test_the_plans_cover_every_phase_and_add_up():
    plans = {g.slug: g for g in GUIDES.of_kind("plan")}
    assert {"plans/session-75", "plans/drop-in-30", "plans/series-4-weeks"} <= set(plans)
    assert sum(item["minutes"] for item in plans["plans/session-75"].meta["timings"]) == 75
    assert sum(item["minutes"] for item in plans["plans/drop-in-30"].meta["timings"]) == 30
    weeks = plans["plans/series-4-weeks"].meta["weeks"]
    assert len({week["story"] for week in weeks}) == 4
    assert all(week["story"] in STORIES.stories for week in weeks)


def test_agreements_and_the_safety_protocol_are_there_in_both_languages():
    assert len(GUIDES.agreements("en")) >= 5
    assert len(GUIDES.agreements("es")) >= 5
    assert 4 <= len(GUIDES.protocol_steps()) <= 6
