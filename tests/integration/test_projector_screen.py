"""What the projector shows and the keys' next/back, on a real database: screen states and story steps."""

from __future__ import annotations

import pytest

from hopecircle import story_screens
from hopecircle.domain import InvalidChoice, NotAuthorized, Phase, Screen, SessionClosed, WorkshopError
from hopecircle.services import accounts, room, sessions
from tests.conftest import PASSWORD

STORY = "morning-dose"  # its third part takes two screens


def test_a_session_starts_on_the_room_and_can_blank_or_show_the_big_qr(ctx, facilitator):
    session = sessions.start_session(ctx, facilitator, STORY)
    assert session.screen is Screen.ROOM and session.projected is Screen.ROOM
    assert sessions.set_screen(ctx, facilitator, session.id, Screen.BLANK).screen is Screen.BLANK
    assert sessions.set_screen(ctx, facilitator, session.id, Screen.JOIN).screen is Screen.JOIN
    assert sessions.set_screen(ctx, facilitator, session.id, "room").screen is Screen.ROOM
    assert sessions.get_session(ctx, facilitator, session.id).screen is Screen.ROOM


def test_changing_the_screen_bumps_the_version_so_projectors_redraw(ctx, facilitator):
    session = sessions.start_session(ctx, facilitator, STORY)
    before = room.live_state(ctx, session.id).version
    sessions.set_screen(ctx, facilitator, session.id, Screen.BLANK)
    sessions.toggle_screen(ctx, facilitator, session.id, Screen.BLANK)
    assert room.live_state(ctx, session.id).version == before + 2


def test_a_key_toggles_a_screen_and_a_second_press_comes_back_to_the_room(ctx, facilitator):
    session = sessions.start_session(ctx, facilitator, STORY)
    assert sessions.toggle_screen(ctx, facilitator, session.id, Screen.BLANK).screen is Screen.BLANK
    assert sessions.toggle_screen(ctx, facilitator, session.id, Screen.JOIN).screen is Screen.JOIN
    assert sessions.toggle_screen(ctx, facilitator, session.id, Screen.JOIN).screen is Screen.ROOM


@pytest.mark.parametrize("wrong", ["", "dark", "ROOM ", None, 3])
def test_a_screen_that_does_not_exist_is_refused_with_a_message(ctx, facilitator, wrong):
    session = sessions.start_session(ctx, facilitator, STORY)
    for change in (sessions.set_screen, sessions.toggle_screen):
        with pytest.raises(WorkshopError) as refused:
            change(ctx, facilitator, session.id, wrong)
        assert refused.value.message_key == InvalidChoice.message_key
    assert sessions.get_session(ctx, facilitator, session.id).screen is Screen.ROOM


def test_only_whoever_runs_the_session_changes_its_screen_and_only_while_it_is_open(ctx, admin, facilitator):
    other = accounts.create_account(ctx, admin, "olu", "Olu", PASSWORD)
    session = sessions.start_session(ctx, facilitator, STORY)
    for change in (sessions.set_screen, sessions.toggle_screen):
        with pytest.raises(NotAuthorized):
            change(ctx, other, session.id, Screen.BLANK)
    with pytest.raises(NotAuthorized):
        sessions.step(ctx, other, session.id)
    assert sessions.set_screen(ctx, admin, session.id, Screen.BLANK).screen is Screen.BLANK
    closed = sessions.close_session(ctx, facilitator, session.id)
    assert closed.screen is Screen.BLANK and closed.projected is Screen.ROOM  # the close screen shows
    for change in (sessions.set_screen, sessions.toggle_screen):
        with pytest.raises(SessionClosed):
            change(ctx, facilitator, session.id, Screen.ROOM)
    with pytest.raises(SessionClosed):
        sessions.step(ctx, facilitator, session.id)


def test_next_goes_through_the_phases_and_every_screen_of_the_story(ctx, facilitator, stories, clock):
    story = stories.get(STORY)
    session = sessions.start_session(ctx, facilitator, STORY)
    places = []
    while True:
        clock.advance(seconds=30)
        moved = sessions.step(ctx, facilitator, session.id)
        places.append((moved.phase, moved.story_section, moved.story_screen))
        if moved.phase is Phase.CLOSE:
            break
    in_story = [(part, screen) for phase, part, screen in places if phase is Phase.STORY]
    assert in_story == story_screens.steps(story)
    assert [phase for phase, _, _ in places if phase is not Phase.STORY] == [
        Phase.CHECKIN, Phase.REFLECT, Phase.NEXT_STEP, Phase.BOARD, Phase.CLOSE
    ]  # fmt: skip
    assert (2, 1) in in_story  # the long third part's second screen
    assert moved.phase_started_at == clock()
    # Next at the end changes nothing, not even the version.
    assert sessions.step(ctx, facilitator, session.id).version == moved.version


def test_back_walks_the_story_in_reverse_and_leaves_it_before_the_topic_notes(ctx, facilitator, stories):
    story = stories.get(STORY)
    session = sessions.start_session(ctx, facilitator, STORY)
    sessions.set_phase(ctx, facilitator, session.id, Phase.STORY)
    last_part = len(story.sections) - 1
    sessions.set_story_section(ctx, facilitator, session.id, last_part)
    seen = []
    moved = sessions.get_session(ctx, facilitator, session.id)
    while moved.phase is Phase.STORY:
        seen.append((moved.story_section, moved.story_screen))
        moved = sessions.step(ctx, facilitator, session.id, forward=False)
    assert moved.phase is Phase.CHECKIN
    places = story_screens.steps(story)
    assert list(reversed(seen)) == places[: places.index((last_part, 0)) + 1]
    # Coming back into the story from the check-in finds it where it was left: the topic notes.
    assert sessions.step(ctx, facilitator, session.id).story_section == -1


def test_choosing_a_part_shows_its_first_screen(ctx, facilitator):
    session = sessions.start_session(ctx, facilitator, STORY)
    sessions.set_phase(ctx, facilitator, session.id, Phase.STORY)
    sessions.set_story_section(ctx, facilitator, session.id, 2)
    assert sessions.step(ctx, facilitator, session.id).story_screen == 1
    chosen = sessions.set_story_section(ctx, facilitator, session.id, 2)
    assert (chosen.story_section, chosen.story_screen) == (2, 0)


def test_the_story_a_spanish_session_steps_through_is_the_one_its_projector_shows(ctx, facilitator, stories):
    session = sessions.start_session(ctx, facilitator, "morning-dose", language="es")
    spanish = stories.translation("morning-dose", "es")
    assert spanish is not None and spanish.language == "es"
    sessions.set_phase(ctx, facilitator, session.id, Phase.STORY)
    walked = [(-1, 0)]
    moved = sessions.get_session(ctx, facilitator, session.id)
    while True:
        moved = sessions.step(ctx, facilitator, session.id)
        if moved.phase is not Phase.STORY:
            break
        walked.append((moved.story_section, moved.story_screen))
    assert walked == story_screens.steps(spanish)
