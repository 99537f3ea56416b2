"""Guided story authoring on a real database: create, edit, validate, save, pick for a session, export."""

from __future__ import annotations

import pytest

from hopecircle.content import SECTION_ROLES, parse_story
from hopecircle.domain import NotAuthorized, StoryVersionTaken, UnknownStory
from hopecircle.services import accounts, library, sessions
from hopecircle.services.library import StoryDraft
from tests.conftest import PASSWORD

PARAGRAPH = (
    "I want to tell you about a stretch of my life that I do not talk about easily. "
    "There were mornings when getting out of bed felt like the hardest work I had ever done, "
    "and I stopped answering the phone because I did not know what to say to the people who loved me. "
    "A neighbor kept knocking anyway, and one day I opened the door. "
)


def valid_draft(**changes) -> StoryDraft:
    draft = StoryDraft(
        title="Open Doors",
        storyteller="Lee",
        about_storyteller="a peer specialist in her forties",
        language="en",
        themes=["depression", "peer-support"],
        dimensions=["community"],
        topic_notes=["Mentions depression"],
        sections={role: PARAGRAPH * 2 for role in SECTION_ROLES},
        prompts=["What stayed with you?", "Who knocks on your door?", "What helps on a hard morning?"],
        next_step_prompt="What is one door you could open this week?",
    )
    for key, value in changes.items():
        setattr(draft, key, value)
    return draft


def test_a_complete_draft_is_saved_ready_and_can_be_picked_for_a_session(ctx, facilitator):
    story_id, result = library.save_draft(ctx, facilitator, valid_draft())
    assert story_id.startswith("own-open-doors-")
    assert result.problems == () and result.story.storyteller == "Lee"
    assert result.story.reading_minutes == round(result.story.word_count / 130)
    assert story_id in [s.id for s in library.stories_for(ctx, facilitator)]
    session = sessions.start_session(ctx, facilitator, story_id)
    assert library.get_story(ctx, session.story_id).title == "Open Doors"


def test_an_incomplete_draft_is_kept_with_a_message_for_each_field(ctx, facilitator):
    draft = valid_draft(title="", prompts=["only one"], sections={"where_i_was": "Just this."}, dimensions=[])
    story_id, result = library.save_draft(ctx, facilitator, draft)
    fields = {problem.field for problem in result.problems}
    assert {
        "title",
        "prompts",
        "dimensions",
        "turning_point",
        "what_helped",
        "where_i_am_now",
        "message_of_hope",
    } <= fields
    assert all(problem.problem for problem in result.problems)
    assert result.story is None
    assert story_id not in [s.id for s in library.stories_for(ctx, facilitator)]
    assert library.open_draft(ctx, facilitator, story_id).sections["where_i_was"] == "Just this."


def test_a_too_short_story_is_refused_with_the_word_count(ctx, facilitator):
    short = valid_draft(sections={role: "A short part." for role in SECTION_ROLES})
    _story_id, result = library.save_draft(ctx, facilitator, short)
    (problem,) = result.problems
    assert problem.field == "body" and "words" in problem.problem


def test_editing_keeps_the_same_story_and_round_trips_every_field(ctx, facilitator):
    story_id, _result = library.save_draft(ctx, facilitator, valid_draft())
    opened = library.open_draft(ctx, facilitator, story_id)
    assert (opened.title, opened.storyteller, opened.themes, opened.dimensions) == (
        "Open Doors",
        "Lee",
        ["depression", "peer-support"],
        ["community"],
    )
    opened.title = "Open Doors, Again"
    same_id, result = library.save_draft(ctx, facilitator, opened)
    assert same_id == story_id and result.story.title == "Open Doors, Again"
    assert library.get_story(ctx, story_id).title == "Open Doors, Again"


def test_export_is_a_story_file_the_library_loader_accepts(ctx, facilitator, tmp_path):
    story_id, _result = library.save_draft(ctx, facilitator, valid_draft())
    name, markdown = library.export_story(ctx, facilitator, story_id)
    assert name == f"{story_id}.md"
    story = parse_story(markdown, name, expected_id=story_id)
    assert [s.role for s in story.sections] == list(SECTION_ROLES)


def test_markup_in_a_part_cannot_add_headings(ctx, facilitator):
    sneaky = valid_draft(sections={role: PARAGRAPH * 2 + "\n## Extra part" for role in SECTION_ROLES})
    _story_id, result = library.save_draft(ctx, facilitator, sneaky)
    assert result.problems == () and len(result.story.sections) == 5


def test_only_the_author_or_an_admin_opens_a_story(ctx, admin, facilitator):
    story_id, _result = library.save_draft(ctx, facilitator, valid_draft())
    other = accounts.create_account(ctx, admin, "olu", "Olu", PASSWORD)
    for action in (library.open_draft, library.export_story):
        with pytest.raises(NotAuthorized):
            action(ctx, other, story_id)
    with pytest.raises(NotAuthorized):
        library.save_draft(ctx, other, library.open_draft(ctx, facilitator, story_id))
    assert library.open_draft(ctx, admin, story_id).title == "Open Doors"
    assert story_id not in [s.id for s in library.stories_for(ctx, other)]
    with pytest.raises(UnknownStory):
        library.open_draft(ctx, admin, "own-nothing")


def test_a_session_named_after_its_story_is_named_in_the_readers_language(ctx, facilitator):
    unnamed = sessions.start_session(ctx, facilitator, "small-lights")
    assert unnamed.title == "Small Lights"
    assert library.session_title(ctx, unnamed, "en") == "Small Lights"
    assert library.session_title(ctx, unnamed, "es") == "Lucecitas"
    from_spanish = sessions.start_session(ctx, facilitator, "small-lights-es")
    assert library.session_title(ctx, from_spanish, "en") == "Small Lights"
    named = sessions.start_session(ctx, facilitator, "small-lights", "Tuesday circle")
    assert library.session_title(ctx, named, "es") == "Tuesday circle"
    story_id, _result = library.save_draft(ctx, facilitator, valid_draft())
    own = sessions.start_session(ctx, facilitator, story_id)
    assert library.session_title(ctx, own, "es") == "Open Doors"  # no other version: the story's own title


PARRAFO = (
    "Quiero contarles de una etapa de mi vida de la que no hablo con facilidad. "
    "Había mañanas en que levantarme de la cama era lo más difícil que había hecho, "
    "y dejé de contestar el teléfono porque no sabía qué decirle a la gente que me quería. "
    "Una vecina seguía tocando la puerta de todos modos, y un día le abrí. "
)


def spanish_version(ctx, by, story_id, **changes) -> StoryDraft:
    draft = library.new_version(ctx, by, story_id, "es")
    draft.title = "Puertas abiertas"
    draft.topic_notes = ["Se habla de depresión"]
    draft.sections = {role: PARRAFO * 2 for role in SECTION_ROLES}
    draft.prompts = ["¿Qué se te quedó?", "¿Quién toca a tu puerta?", "¿Qué te ayuda en una mañana difícil?"]
    draft.next_step_prompt = "¿Qué puerta podrías abrir esta semana?"
    for key, value in changes.items():
        setattr(draft, key, value)
    return draft


def test_a_story_written_in_the_app_gets_a_version_in_another_language(ctx, facilitator):
    original, _result = library.save_draft(ctx, facilitator, valid_draft())
    assert library.story_languages(ctx, original) == ("en",)
    assert library.languages_to_write(ctx, facilitator, original) == ["es"]
    draft = library.new_version(ctx, facilitator, original, "es")
    # A blank version keeps who tells it and what it is about, and nothing of the English words.
    assert (draft.translation_of, draft.language, draft.storyteller) == (original, "es", "Lee")
    assert draft.themes == ["depression", "peer-support"] and draft.sections == {} and draft.story_id is None

    version, result = library.save_draft(ctx, facilitator, spanish_version(ctx, facilitator, original))
    assert result.problems == () and result.story.translation_of == original
    assert library.story_languages(ctx, original) == ("en", "es")
    assert library.story_languages(ctx, version) == ("en", "es")
    assert library.story_in(ctx, original, "es").title == "Puertas abiertas"
    assert library.story_in(ctx, version, "en").title == "Open Doors"
    assert library.languages_to_write(ctx, facilitator, original) == []
    assert library.open_draft(ctx, facilitator, version).translation_of == original  # round trip
    # Exported, it names the story it is a version of, as a library file does.
    assert "translation_of: " + original in library.export_story(ctx, facilitator, version)[1]


def test_a_phone_in_the_versions_language_reads_its_prompts_and_the_console_stops_warning(ctx, facilitator):
    from hopecircle.services import participation

    original, _result = library.save_draft(ctx, facilitator, valid_draft())
    session = sessions.start_session(ctx, facilitator, original)
    participation.join(ctx, session.code, language="es")
    assert sessions.phones_without_the_story(ctx, facilitator, session.id) == {"es": 1}
    library.save_draft(ctx, facilitator, spanish_version(ctx, facilitator, original))
    assert sessions.phones_without_the_story(ctx, facilitator, session.id) == {}
    told = library.session_story(ctx, session, "es")
    assert told.prompts[0] == "¿Qué se te quedó?" and told.topic_notes == ("Se habla de depresión",)
    assert library.session_title(ctx, session, "es") == "Puertas abiertas"


def test_a_language_has_one_version_and_the_original_keeps_its_own(ctx, admin, facilitator):
    original, _result = library.save_draft(ctx, facilitator, valid_draft())
    library.save_draft(ctx, facilitator, spanish_version(ctx, facilitator, original))
    with pytest.raises(StoryVersionTaken):
        library.new_version(ctx, facilitator, original, "es")
    with pytest.raises(StoryVersionTaken):  # a second Spanish version saved behind the form's back
        library.save_draft(ctx, facilitator, valid_draft(translation_of=original, language="es"))
    with pytest.raises(StoryVersionTaken):  # a "version" in the original's own language
        library.save_draft(ctx, facilitator, valid_draft(translation_of=original, language="en"))
    other = accounts.create_account(ctx, admin, "olu", "Olu", PASSWORD)
    with pytest.raises(UnknownStory):  # another facilitator cannot write versions of my story
        library.new_version(ctx, other, original, "es")
    with pytest.raises(UnknownStory):
        library.save_draft(ctx, other, valid_draft(translation_of=original, language="es"))
    with pytest.raises(UnknownStory):  # nor of a story that does not exist
        library.save_draft(ctx, facilitator, valid_draft(translation_of="own-nothing", language="es"))


def test_an_unfinished_version_is_not_told_yet_but_is_where_the_language_is_written(ctx, facilitator):
    original, _result = library.save_draft(ctx, facilitator, valid_draft())
    draft = spanish_version(ctx, facilitator, original, prompts=[])
    version, result = library.save_draft(ctx, facilitator, draft)
    assert result.story is None
    assert library.story_languages(ctx, original) == ("en",)
    assert library.story_in(ctx, original, "es").title == "Open Doors"
    # No second Spanish version is offered: the author finishes this one (it opens from the picker).
    assert library.languages_to_write(ctx, facilitator, original) == []
    finished = library.open_draft(ctx, facilitator, version)
    finished.prompts = ["¿Qué se te quedó?", "¿Quién toca a tu puerta?", "¿Qué te ayuda hoy?"]
    assert library.save_draft(ctx, facilitator, finished)[1].story is not None
    assert library.story_languages(ctx, original) == ("en", "es")
