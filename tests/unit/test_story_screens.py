"""Story parts cut into projector screens: every word kept in order, each screen within what one holds."""

from __future__ import annotations

import pytest

from hopecircle import story_screens
from hopecircle.config import ROOT
from hopecircle.content import load_stories
from hopecircle.story_screens import LINES_PER_SCREEN, PARAGRAPH_GAP, lines, split

STORIES = load_stories(ROOT / "stories")


def cost(screen: tuple[str, ...]) -> float:
    return sum(lines(paragraph) for paragraph in screen) + PARAGRAPH_GAP * (len(screen) - 1)


def words(paragraphs) -> list[str]:
    return " ".join(paragraphs).split()


def test_a_short_part_is_one_screen():
    assert split(("One short paragraph.", "And another.")) == (("One short paragraph.", "And another."),)


def test_a_long_part_is_cut_between_paragraphs_into_balanced_screens():
    paragraphs = tuple(f"Paragraph {n}. " + "word " * 55 for n in range(7))  # five lines each, three a screen
    screens = split(paragraphs)
    assert len(screens) == 3
    assert sorted(len(screen) for screen in screens) == [2, 2, 3]  # not three, three and one
    assert tuple(p for screen in screens for p in screen) == paragraphs


def test_a_paragraph_longer_than_a_screen_is_cut_between_sentences():
    sentence = "This sentence is about sixty characters long, give or take. "
    paragraph = (sentence * 40).strip()
    screens = split((paragraph,))
    assert len(screens) > 1
    assert all(cost(screen) <= LINES_PER_SCREEN for screen in screens)
    assert all(piece.endswith(".") for screen in screens for piece in screen)
    assert words(p for screen in screens for p in screen) == paragraph.split()


def test_one_endless_sentence_is_cut_between_words():
    paragraph = " ".join(f"w{n}" for n in range(800))
    screens = split((paragraph,))
    assert len(screens) > 1 and all(cost(screen) <= LINES_PER_SCREEN for screen in screens)
    assert words(p for screen in screens for p in screen) == paragraph.split()


def test_an_empty_part_is_one_empty_screen():
    assert split(()) == ((),)


@pytest.mark.parametrize("story_id", sorted(STORIES.stories))
def test_every_part_of_every_shipped_story_keeps_all_its_words_within_the_screens(story_id):
    story = STORIES.get(story_id)
    for part, section in enumerate(story.sections):
        screens = story_screens.part_screens(story, part)
        assert words(p for screen in screens for p in screen) == words(section.paragraphs)
        assert all(cost(screen) <= LINES_PER_SCREEN for screen in screens), (story_id, part)


def test_the_steps_are_the_topic_notes_then_every_screen_of_every_part_in_order():
    story = STORIES.get("morning-dose")
    steps = story_screens.steps(story)
    assert steps[0] == (-1, 0)
    assert [part for part, _ in steps[1:]] == sorted(part for part, _ in steps[1:])
    counts = [len(story_screens.part_screens(story, part)) for part in range(len(story.sections))]
    assert len(steps) == 1 + sum(counts) and max(counts) >= 2
