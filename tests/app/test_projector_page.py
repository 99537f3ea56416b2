"""The projector page's screens, and the keys on the console and the projector, in AppTest."""

from __future__ import annotations

import json

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.load.client import Element, component_event
from hopecircle import story_screens
from hopecircle.domain import Kind, Moment, Phase, Screen
from hopecircle.services import accounts, moderation, organization, participation, sessions
from hopecircle.services.participation import GoalInput
from hopecircle.ui import hands_free
from tests.app.conftest import new_app, page, projected, signed_in, texts
from tests.conftest import PASSWORD

STORY = "morning-dose"  # its third part takes two screens


def start(app_ctx, account, story=STORY, language="en"):
    return sessions.start_session(app_ctx, account, story, "Evening circle", language=language)


def projector(session, **params: str):
    return page("board", key=session.board_key, **params)


def listener(at):
    (element,) = [el for el in at.get("bidi_component") if el.proto.component_name == hands_free.COMPONENT_NAME]
    return element


def listening(at) -> dict:
    """What the key listener on the page was told: may it move the room, what to list, what to say."""
    return json.loads(json.loads(listener(at).proto.json)["settings"])


def press(at, wish: object):
    """What a key (or anything else) sent by the listener's JavaScript does: the run it causes."""
    states = at._tree.get_widget_states()
    event = component_event(Element(kind="bidi_component", id=listener(at).proto.id), "key", wish)
    states.widgets.append(event)
    return at._run(states)


def report_size(at, width: int, height: int):
    """The projector's browser says how big its window is."""
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=listener(at).proto.id, json_value=json.dumps({"viewport": [width, height]})))
    return at._run(states)


def approved_cards(app_ctx, account, session, *bodies: str) -> list[str]:
    tokens = []
    for body in bodies:
        token = participation.join(app_ctx, session.code).token
        moderation.approve(app_ctx, account, participation.submit_reflection(app_ctx, token, body).contribution.id)
        tokens.append(token)
    return tokens


def test_a_blank_screen_shows_nothing_at_all_from_the_room(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    approved_cards(app_ctx, admin_account, session, "A walk with my sister", "Soup on Tuesdays", "Quiet mornings")
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.BOARD)
    assert "A walk with my sister" in texts(projector(session))
    sessions.set_screen(app_ctx, admin_account, session.id, Screen.BLANK)
    at = projector(session)
    shown = texts(at)
    assert projected(at) == [] and "A walk with my sister" not in shown
    assert "Need support now?" not in shown and session.code not in shown  # no footer, no join corner
    assert "hc-blank" in shown and "The screen is paused" in shown  # said to a screen reader only
    assert not at.get("plotly_chart")


def test_the_big_join_screen_shows_the_qr_the_code_and_the_address(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    approved_cards(app_ctx, admin_account, session, "A walk with my sister", "Soup on Tuesdays", "Quiet mornings")
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.BOARD)
    sessions.set_screen(app_ctx, admin_account, session.id, Screen.JOIN)
    shown = texts(projector(session))
    assert "Join with your phone" in shown and session.code in shown
    assert f"/?code={session.code}" in shown and 'src="data:image/png;base64,' in shown
    assert "A walk with my sister" not in shown
    assert "Need support now?" in shown  # the crisis line stays on the wall
    sessions.set_screen(app_ctx, admin_account, session.id, Screen.ROOM)
    assert "A walk with my sister" in texts(projector(session))


def test_a_closed_session_shows_its_close_screen_whatever_the_screen_was(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    sessions.set_screen(app_ctx, admin_account, session.id, Screen.BLANK)
    sessions.close_session(app_ctx, admin_account, session.id)
    assert "Thank you" in texts(projector(session))


def test_a_long_story_part_is_shown_one_screen_at_a_time(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    story = app_ctx.stories.get(STORY)
    screens = story_screens.part_screens(story, 2)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.STORY)
    sessions.set_story_section(app_ctx, admin_account, session.id, 2)
    items = projected(projector(session), "flow")
    assert items[0]["text"] == f"{story.title} · part 3 of 5 · screen 1 of {len(screens)}"
    assert items[1] == {"tag": "h2", "text": story.sections[2].heading}
    assert [item["text"] for item in items[2:]] == list(screens[0])
    sessions.step(app_ctx, admin_account, session.id)
    items = projected(projector(session), "flow")
    assert items[0]["text"].endswith(f"screen 2 of {len(screens)}")
    assert [item["text"] for item in items[2:]] == list(screens[1])


def test_the_topic_notes_come_first_with_the_right_to_step_out(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.STORY)
    items = projected(projector(session), "flow")
    story = app_ctx.stories.get(STORY)
    assert [item["text"] for item in items if item["tag"] == "li"] == list(story.topic_notes)
    assert any(item["tag"] == "strong" and "step out" in item["text"] for item in items)


def test_cards_reach_the_projector_as_data_with_their_part_of_life_and_me_toos(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    tokens = approved_cards(app_ctx, admin_account, session, "<i>Soup</i> on Tuesdays", "A walk", "Tea")
    goal = participation.submit_goal(
        app_ctx, tokens[0], GoalInput("call my brother", "Friday", "my sister", "community")
    )
    moderation.approve(app_ctx, admin_account, goal.contribution.id)
    participation.set_me_too(app_ctx, tokens[1], goal.contribution.id, True)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.BOARD)
    cards = {item["text"]: item for item in projected(projector(session), "cards")}
    assert set(cards) == {"<i>Soup</i> on Tuesdays", "A walk", "Tea", "I will call my brother by Friday"}
    assert cards["I will call my brother by Friday"]["goal"] is True
    assert cards["I will call my brother by Friday"]["meta"] == "Community · me too × 1"
    assert cards["Tea"] == {"id": cards["Tea"]["id"], "text": "Tea", "meta": "", "goal": False}
    assert "my sister" not in texts(projector(session))  # who supports a goal stays on the writer's phone


def test_the_welcome_and_check_in_fit_their_agreements_and_words(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    items = projected(projector(session), "flow")
    assert items[0] == {"tag": "h2", "text": "Our agreements", "keep": True}  # heads every page
    assert len(items) == 1 + len(app_ctx.guides.agreements("en"))
    for word in ("hopeful", "tired", "hopeful"):
        token = participation.join(app_ctx, session.code).token
        moderation.approve(
            app_ctx, admin_account, participation.submit_word(app_ctx, token, Kind.CHECKIN, word).contribution.id
        )
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.CHECKIN)
    words = projected(projector(session), "cloud")
    assert words == [{"text": "hopeful", "scale": 2.4}, {"text": "tired", "scale": 1.7}]


@pytest.mark.parametrize(
    ("raw", "expected"), [("6", [6.0, 6.0, 1.0]), ("abc", [12, 40, 20]), ("9000", [12, 40, 20]), ("", [12, 40, 20])]
)
def test_how_long_a_board_page_stays_can_be_set_in_the_projector_address(app_ctx, admin_account, raw, expected):
    session = start(app_ctx, admin_account)
    approved_cards(app_ctx, admin_account, session, "A walk", "Soup", "Tea")
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.BOARD)
    at = projector(session, seconds=raw)
    (element,) = [el for el in at.get("bidi_component") if "projector_fit" in el.proto.component_name]
    assert json.loads(json.loads(element.proto.json)["spec"])["rotate"] == expected


def test_the_pulse_chart_type_follows_the_projector_window(app_ctx, admin_account):
    organization.update_settings(app_ctx, admin_account, suppression_threshold=3)
    session = start(app_ctx, admin_account)
    for value in (3, 5, 6):
        participation.submit_pulse(app_ctx, participation.join(app_ctx, session.code).token, Moment.PRE, value)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.BOARD)
    at = projector(session)

    def font() -> int:
        (chart,) = at.get("plotly_chart")
        return json.loads(chart.proto.spec)["layout"]["font"]["size"]

    assert font() == 34  # 1/32 of 1080 lines until the browser says otherwise
    at = report_size(at, 1024, 768)
    assert font() == 24
    assert report_size(at, 1280, 720) and font() == 23


def test_keys_on_the_console_move_the_room_and_toggle_the_projector(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = signed_in("console", admin_account, session=str(session.id))
    assert listening(at)["control"] is True
    press(at, {"action": "next"})
    assert sessions.get_session(app_ctx, admin_account, session.id).phase is Phase.CHECKIN
    assert "Check-in" in texts(at)  # the console redrew at once
    press(at, {"action": "next"})
    press(at, {"action": "next"})
    moved = sessions.get_session(app_ctx, admin_account, session.id)
    assert (moved.phase, moved.story_section) == (Phase.STORY, 0)
    press(at, {"action": "back"})
    assert sessions.get_session(app_ctx, admin_account, session.id).story_section == -1
    press(at, {"action": "blank"})
    assert sessions.get_session(app_ctx, admin_account, session.id).screen is Screen.BLANK
    assert "The projector shows a blank screen." in texts(at)
    press(at, {"action": "blank"})
    assert sessions.get_session(app_ctx, admin_account, session.id).screen is Screen.ROOM
    press(at, {"action": "join"})
    assert sessions.get_session(app_ctx, admin_account, session.id).screen is Screen.JOIN


@pytest.mark.parametrize("wish", [{"action": "explode"}, "next", None, {"action": ["next"]}, {}])
def test_what_no_key_sends_changes_nothing(app_ctx, admin_account, wish):
    session = start(app_ctx, admin_account)
    at = signed_in("console", admin_account, session=str(session.id))
    before = sessions.get_session(app_ctx, admin_account, session.id)
    press(at, wish)
    assert not at.exception
    assert sessions.get_session(app_ctx, admin_account, session.id).version == before.version


def test_keys_on_a_projector_nobody_signed_in_to_move_nothing_and_say_so(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = projector(session)
    told = listening(at)
    assert told["control"] is False and told["where"] == "projector"
    assert "use the console window" in told["labels"]["signed_out"].lower()
    press(at, {"action": "next"})
    assert sessions.get_session(app_ctx, admin_account, session.id).phase is Phase.WELCOME
    assert "can't move the room" in listening(at)["notice"]


def test_keys_on_a_projector_move_the_room_for_whoever_runs_it_signed_in_there(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = new_app()
    at.session_state["account"] = admin_account
    at.query_params["key"] = session.board_key
    at.run()
    at.switch_page("pages/board.py").run()
    assert listening(at)["control"] is True
    press(at, {"action": "next"})
    assert sessions.get_session(app_ctx, admin_account, session.id).phase is Phase.CHECKIN
    assert "How are we arriving?" in texts(at)
    press(at, {"action": "join"})
    assert "Join with your phone" in texts(at)


def test_keys_on_a_projector_do_nothing_for_someone_who_does_not_run_the_session(app_ctx, admin_account):
    other = accounts.create_account(app_ctx, admin_account, "olu", "Olu", PASSWORD)
    session = start(app_ctx, admin_account)
    at = new_app()
    at.session_state["account"] = other
    at.query_params["key"] = session.board_key
    at.run()
    at.switch_page("pages/board.py").run()
    assert listening(at)["control"] is False
    press(at, {"action": "blank"})
    assert sessions.get_session(app_ctx, admin_account, session.id).screen is Screen.ROOM


def test_a_key_for_a_closed_session_is_refused_in_words(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = signed_in("console", admin_account, session=str(session.id))
    sessions.close_session(app_ctx, admin_account, session.id)
    press(at, {"action": "blank"})
    assert "session has ended" in listening(at)["notice"]


def test_the_shortcuts_are_listed_in_the_projectors_language(app_ctx, admin_account):
    session = start(app_ctx, admin_account, language="es")
    shortcuts = dict(listening(projector(session))["shortcuts"])
    assert shortcuts["B"] == "Dejar el proyector en blanco (presiona de nuevo para volver)"
    assert "← · RePág" in shortcuts


def test_the_console_shows_and_changes_what_the_projector_shows(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = signed_in("console", admin_account, session=str(session.id))
    assert "The projector shows the room." in texts(at)
    at.button(key="projector-screen-join").click().run()
    assert sessions.get_session(app_ctx, admin_account, session.id).screen is Screen.JOIN
    assert "The projector shows the big join QR code." in texts(at)
    assert at.button(key="projector-screen-join").disabled
    at.button(key="projector-screen-room").click().run()
    assert sessions.get_session(app_ctx, admin_account, session.id).screen is Screen.ROOM
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.STORY)
    sessions.set_story_section(app_ctx, admin_account, session.id, 2)
    at.run()
    assert "The story on the projector: part 3 of 5, screen 1 of 2." in texts(at)


def test_the_console_says_why_a_screen_change_was_refused(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = signed_in("console", admin_account, session=str(session.id))
    sessions.close_session(app_ctx, admin_account, session.id)
    blank = at.button(key="projector-screen-blank")
    blank.click().run()
    assert "session has ended" in texts(at)
