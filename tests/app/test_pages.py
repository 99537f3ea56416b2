"""Every page in AppTest: what a person sees, and how bad input is answered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hopecircle.domain import Phase
from hopecircle.services import organization, participation, sessions, support
from tests.app.conftest import (
    CARDS_COMPONENT,
    new_app,
    page,
    phone_cards,
    send_me_too,
    serve,
    signed_in,
    tap_me_too,
    texts,
)
from tests.conftest import PASSWORD


def start(app_ctx, account, story="steady-hands"):
    return sessions.start_session(app_ctx, account, story, "Evening circle")


def test_the_join_page_asks_for_a_code_and_shows_crisis_lines(app_ctx):
    at = page("join")
    shown = texts(at)
    assert "Session code" in [w.label for w in at.text_input]
    assert "not a crisis service" in shown
    # The bar at the top: one tap to call or text, as plain links a phone dials.
    assert 'href="tel:988"' in shown and "Call 988</a>" in shown
    assert 'href="sms:988"' in shown and "Text 988</a>" in shown


def test_an_unknown_code_says_so_and_keeps_what_was_typed(app_ctx):
    at = page("join", code="zzzzzz")
    assert "couldn't find a session with the code ZZZZZZ" in texts(at)
    assert at.text_input(key="code").value == "zzzzzz"


def test_a_phone_that_tries_too_many_wrong_codes_waits_and_a_repeat_does_not_count(app_ctx, admin_account, monkeypatch):
    from hopecircle import process
    from hopecircle.live.tries import Tries

    monkeypatch.setattr(process, "JOIN_TRIES", Tries(per_key=3, in_all=100))
    session = start(app_ctx, admin_account)
    at = page("join")
    for wrong in ("AAAAAA", "CCCCCC", "CCCCCC", "DDDDDD"):  # the repeat of CCCCCC counts once
        at.text_input(key="code").set_value(wrong).run()
        assert "couldn't find a session" in texts(at)
    at.text_input(key="code").set_value(session.code).run()
    shown = texts(at)
    assert "Too many codes were tried" in shown and "I understand, join" not in [b.label for b in at.button]
    assert "988" in shown  # the crisis lines stay on the screen
    from hopecircle.ui import runs

    monkeypatch.setattr(runs, "tab_key", lambda: "f" * 16)  # another phone (AppTest gives every tab one id)
    fresh = page("join", code=session.code)  # is not held up by this one
    assert "I understand, join" in [b.label for b in fresh.button]


def test_a_closed_session_code_says_the_session_has_ended(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    sessions.close_session(app_ctx, admin_account, session.id)
    assert "This session has ended" in texts(page("join", code=session.code))


def test_a_session_closed_while_reading_the_consent_says_so_and_joins_no_one(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = page("join", code=session.code)
    sessions.close_session(app_ctx, admin_account, session.id)
    next(b for b in at.button if b.label == "I understand, join").click().run()
    assert "This session has ended" in texts(at)
    assert "p" not in at.query_params
    assert at.text_input(key="code").value == session.code
    other = start(app_ctx, admin_account)
    at.text_input(key="code").input(other.code).run()
    assert "Before you join" in texts(at) and "This session has ended" not in texts(at)


def test_a_second_tap_on_join_from_the_same_phone_keeps_its_place(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = page("join", code=session.code.lower())
    next(b for b in at.button if b.label == "I understand, join").click().run()
    first = at.query_params["p"]
    # The second tap left the phone before the first one's page came back: no token in its address.
    del at.query_params["p"]
    at.run()
    next(b for b in at.button if b.label == "I understand, join").click().run()
    assert at.query_params["p"] == first and "Welcome" in texts(at)
    assert sessions.session_counts(app_ctx, admin_account, session.id).participants == 1


def test_a_lost_token_offers_to_join_again(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = page("join", code=session.code, p="not-a-real-token")
    assert "couldn't find your place" in texts(at)
    assert any(b.label == "I understand, join" for b in at.button)


def test_the_consent_screen_links_to_the_privacy_statement(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = page("join", code=session.code)
    assert any(link.proto.page.endswith("privacy.py") or "privacy" in link.proto.page for link in at.get("page_link"))


def test_a_too_long_reflection_is_refused_and_kept_in_the_box(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    token = participation.join(app_ctx, session.code).token
    at = page("join", code=session.code, p=token)
    long_text = "hope " * 80
    at.text_area(key="reflection-text").input(long_text)
    next(b for b in at.button if b.label == "Share").click().run()
    assert "the limit is 280" in texts(at)
    assert at.text_area(key="reflection-text").value == long_text


def test_a_risky_reflection_shows_support_and_the_talk_after_option(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    token = participation.join(app_ctx, session.code).token
    at = page("join", code=session.code, p=token)
    at.text_area(key="reflection-text").input("honestly I don't want to be here anymore")
    next(b for b in at.button if b.label == "Share").click().run()
    shown = texts(at)
    assert "It sounds like things may be really hard" in shown
    assert "988" in shown
    at.text_input(key="talk-note").input("red hoodie")
    next(b for b in at.button if b.label.startswith("Yes, I'd like to talk")).click().run()
    assert [r.note for r in support.requests_for(app_ctx, admin_account, session.id)] == ["red hoodie"]


def test_phones_show_resources_the_facilitator_shares(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    token = participation.join(app_ctx, session.code).token
    support.push_resources(app_ctx, admin_account, session.id)
    at = page("join", code=session.code, p=token)
    assert "shared these support lines with everyone" in texts(at)
    next(b for b in at.button if b.label == "Close").click().run()
    assert "shared these support lines with everyone" not in texts(at)


def test_each_phase_shows_its_own_prompt_on_the_phone(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    token = participation.join(app_ctx, session.code).token
    expected = {
        Phase.WELCOME: "Everything here is optional",
        Phase.CHECKIN: "How are you arriving today?",
        Phase.STORY: "You can step out at any time",
        Phase.REFLECT: "Your reflection",
        Phase.NEXT_STEP: "Your next step",
        Phase.BOARD: "The hope board",
        Phase.CLOSE: "One thing you're taking with you",
    }
    for phase, words in expected.items():
        sessions.set_phase(app_ctx, admin_account, session.id, phase)
        at = page("join", code=session.code, p=token)
        labels = " ".join(w.label for w in [*at.text_input, *at.text_area])
        assert words in texts(at) + labels, phase


def test_the_projector_refuses_an_unknown_key(app_ctx):
    assert "projector link isn't valid" in texts(page("board", key="nope"))


def test_the_projector_shows_the_story_part_by_part(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.STORY)
    shown = texts(page("board", key=session.board_key))
    assert "Before we begin, this story:" in shown and "Anyone may step out" in shown
    sessions.set_story_section(app_ctx, admin_account, session.id, 0)
    story = app_ctx.stories.get("steady-hands")
    shown = texts(page("board", key=session.board_key))
    assert story.sections[0].heading in shown and "part 1 of 5" in shown


def test_the_projector_welcome_shows_the_join_code_and_agreements(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    shown = texts(page("board", key=session.board_key))
    assert session.code in shown and "Our agreements" in shown


def test_the_projector_shows_the_pulse_chart_once_enough_people_answered(app_ctx, admin_account):
    from hopecircle.domain import Moment

    organization.update_settings(app_ctx, admin_account, suppression_threshold=3)
    session = start(app_ctx, admin_account)
    for value in (3, 5, 6):
        token = participation.join(app_ctx, session.code).token
        participation.submit_pulse(app_ctx, token, Moment.PRE, value)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.BOARD)
    at = page("board", key=session.board_key)
    assert len(at.get("plotly_chart")) == 1
    # Beside the cards, so a full board does not push it below the screen's fold.
    cards_column, chart_column = at.columns
    assert len(chart_column.get("plotly_chart")) == 1 and not cards_column.get("plotly_chart")


def test_staff_pages_show_only_the_sign_in_form_to_a_stranger(app_ctx, admin_account):
    for path in ("console", "guides"):
        at = page(path)
        assert "Facilitator sign-in" in texts(at)
        assert "Start a session" not in texts(at)


def test_a_wrong_password_gets_one_clear_message(app_ctx, admin_account):
    at = page("console")
    at.text_input[0].input("ada")
    at.text_input[1].input("wrong password!")
    at.button[0].click().run()
    assert "don't match an account" in texts(at)
    assert "account" not in at.session_state


def test_signing_in_opens_the_console(app_ctx, admin_account):
    at = page("console")
    at.text_input[0].input("ada")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert "Start a session" in texts(at)


def test_reopening_the_console_resumes_the_open_session(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = signed_in("console", admin_account)
    resume = next(b for b in at.button if session.code in b.label)
    resume.click().run()
    assert at.query_params["session"] in (str(session.id), [str(session.id)])
    assert "Join code" in texts(at)


def test_the_console_moves_phases_and_story_parts(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = signed_in("console", admin_account, session=str(session.id))
    next(b for b in at.button if b.label == "Next phase").click().run()
    next(b for b in at.button if b.label == "Next phase").click().run()
    assert sessions.get_session(app_ctx, admin_account, session.id).phase is Phase.STORY
    next(b for b in at.button if b.label == "Next part").click().run()
    assert sessions.get_session(app_ctx, admin_account, session.id).story_section == 0
    assert "Your reading copy" in [e.label for e in at.expander]


def test_the_console_says_how_long_phones_take_to_follow_in_a_big_room(app_ctx, admin_account, monkeypatch):
    from hopecircle import process
    from hopecircle.live.pacing import Pacing

    session = start(app_ctx, admin_account)
    monkeypatch.setattr(process, "PACING", Pacing())
    assert "to follow you" not in texts(signed_in("console", admin_account, session=str(session.id)))
    # 300 phones looking through this process: each checks every 8 s, give or take a quarter.
    for i in range(300):
        process.PACING.seen(f"phone-{i}")
    shown = texts(signed_in("console", admin_account, session=str(session.id)))
    assert "give them up to 10 s to follow you" in shown
    # Served with the room endpoint (serve.py), phones wait on the room and follow at the pace the
    # server redraws, not on an interval: nothing to warn about.
    serve(monkeypatch)
    assert "to follow you" not in texts(signed_in("console", admin_account, session=str(session.id)))


def test_the_console_shows_alerts_and_support_requests_privately(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    token = participation.join(app_ctx, session.code).token
    participation.submit_reflection(app_ctx, token, "i want to end it all tonight")
    support.ask_to_talk(app_ctx, token, "by the window")
    at = signed_in("console", admin_account, session=str(session.id))
    shown = texts(at)
    assert "may signal risk" in shown and "by the window" in shown
    board = texts(page("board", key=session.board_key))
    assert "end it all" not in board and "by the window" not in board


def test_the_guide_browser_shows_every_guide(app_ctx, admin_account):
    at = signed_in("guides", admin_account)
    assert len(at.selectbox[0].options) >= 15
    at.selectbox[0].select("safety-protocol").run()
    assert "Safety" in texts(at)


def test_the_privacy_statement_matches_the_settings(app_ctx, admin_account):
    organization.update_settings(app_ctx, admin_account, retention_days=45)
    shown = texts(page("privacy"))
    assert "45 days after the session ends" in shown
    assert "IP address" in shown


def test_a_second_visit_to_the_root_without_code_is_the_join_page(app_ctx):
    at = new_app().run()
    assert "Join a session" in texts(at)


def close_screen_after_goal(app_ctx, account, what: str, when: str):
    """The phone's close screen after it set a goal and the facilitator closed the session."""
    from hopecircle.services.participation import GoalInput

    session = start(app_ctx, account)
    token = participation.join(app_ctx, session.code).token
    participation.submit_goal(app_ctx, token, GoalInput(what, when))
    sessions.close_session(app_ctx, account, session.id)
    return page("join", code=session.code, p=token)


def test_the_close_screen_offers_the_hope_card_of_the_phones_own_goal(app_ctx, admin_account):
    at = close_screen_after_goal(app_ctx, admin_account, "walk ten minutes", "tomorrow")
    assert "I will walk ten minutes" in texts(at)
    assert [b.label for b in at.get("download_button")] == ["Save my hope card"]
    assert "cannot be drawn on the card" not in texts(at)


def test_the_facilitator_can_hide_the_join_corner_on_the_projector(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    assert "Join with code" in texts(page("board", key=session.board_key))
    sessions.set_show_join(app_ctx, admin_account, session.id, False)
    assert "Join with code" not in texts(page("board", key=session.board_key))


def test_the_dark_projector_theme_is_a_url_option(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    dark = texts(page("board", key=session.board_key, theme="dark"))
    assert "#101820" in dark
    assert "#101820" not in texts(page("board", key=session.board_key))


def test_local_support_lines_appear_on_the_phone(app_ctx, admin_account):
    organization.update_settings(
        app_ctx, admin_account, local_crisis_lines="Eastside Warmline | 5551230000 |  | Peers answer 4-10 pm"
    )
    shown = texts(page("join"))
    assert "Eastside Warmline" in shown and "Peers answer 4-10 pm" in shown


def test_jumping_to_a_phase_works_after_phones_have_sent_words(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    token = participation.join(app_ctx, session.code).token
    participation.submit_reflection(app_ctx, token, "thank you")
    at = signed_in("console", admin_account, session=str(session.id))
    participation.submit_reflection(app_ctx, token, "and another")
    at.selectbox(key=f"jump-{session.id}-welcome").select(Phase.STORY).run()
    assert sessions.get_session(app_ctx, admin_account, session.id).phase is Phase.STORY


def test_the_next_button_moves_to_the_phase_it_was_drawn_for(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = signed_in("console", admin_account, session=str(session.id))
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.CHECKIN)  # another tab moved on meanwhile
    next(b for b in at.button if b.label == "Next phase").click().run()
    assert sessions.get_session(app_ctx, admin_account, session.id).phase is Phase.CHECKIN


def test_risk_alert_matches_are_shown_literally_not_as_markdown(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    token = participation.join(app_ctx, session.code).token
    participation.submit_reflection(app_ctx, token, "i want to end it all tonight [now](http://example.org)")
    at = signed_in("console", admin_account, session=str(session.id))
    assert all("example.org" not in str(m.value) for m in [*at.markdown, *at.caption])
    assert any("end it all tonight" in str(h.proto.body) for h in at.get("html"))


def test_the_pulse_can_be_saved_removed_and_an_empty_save_says_so(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.CHECKIN)
    token = participation.join(app_ctx, session.code).token
    at = page("join", code=session.code, p=token)
    save = next(b for b in at.button if b.label == "Save")
    save.click().run()
    assert "Nothing to save: no number is picked" in texts(at)
    assert participation.resume(app_ctx, token).pulses == {}
    at.pills(key="pulse-pre-value").set_value(7)
    next(b for b in at.button if b.label == "Save").click().run()
    assert "Saved." in texts(at) and participation.resume(app_ctx, token).pulses == {"pre": 7}
    at.button(key="pulse-pre-remove").click().run()
    assert "Your answer is removed." in texts(at)
    assert participation.resume(app_ctx, token).pulses == {}
    assert not [b for b in at.button if b.key == "pulse-pre-remove"]


def test_the_phone_board_waits_for_the_reveal_threshold_like_the_projector(app_ctx, admin_account):
    from hopecircle.services import moderation

    session = start(app_ctx, admin_account)
    organization.update_settings(app_ctx, admin_account, reveal_threshold=3)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.BOARD)
    token = participation.join(app_ctx, session.code).token
    sent = participation.submit_reflection(app_ctx, token, "the first card in the room").contribution
    moderation.approve(app_ctx, admin_account, sent.id)
    at = page("join", code=session.code, p=token)
    assert "the first card in the room" not in texts(at)
    assert "2 more to go" in texts(at)


def test_the_hope_card_says_when_it_leaves_characters_out(app_ctx, admin_account):
    at = close_screen_after_goal(app_ctx, admin_account, "dance 💃 with my kids", "tonight")
    assert "cannot be drawn on the card" in texts(at)


def test_a_big_board_shows_on_the_phone_a_page_at_a_time(app_ctx, admin_account):
    from hopecircle.services import moderation
    from hopecircle.ui.phone import PHONE_CARDS

    session = start(app_ctx, admin_account)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.BOARD)
    tokens = [participation.join(app_ctx, session.code).token for _ in range(PHONE_CARDS + 3)]
    for n, token in enumerate(tokens):
        sent = participation.submit_reflection(app_ctx, token, f"card number {n}").contribution
        moderation.approve(app_ctx, admin_account, sent.id)
    at = page("join", code=session.code, p=tokens[0])
    assert len(phone_cards(at)) == PHONE_CARDS
    at.button(key="board-more").click().run()
    assert len(phone_cards(at)) == PHONE_CARDS + 3
    assert not [b for b in at.button if b.key == "board-more"]


def board_phone(app_ctx, account, *bodies: str):
    """A phone on the Board screen of a room whose other participants sent `bodies` (approved)."""
    from hopecircle.services import moderation

    session = start(app_ctx, account)
    sessions.set_phase(app_ctx, account, session.id, Phase.BOARD)
    for body in bodies:
        token = participation.join(app_ctx, session.code).token
        moderation.approve(app_ctx, account, participation.submit_reflection(app_ctx, token, body).contribution.id)
    token = participation.join(app_ctx, session.code).token
    return token, page("join", code=session.code, p=token)


def test_a_me_too_is_one_tap_and_a_second_tap_takes_it_back(app_ctx, admin_account):
    words = ("Soup on Tuesdays", "<b>bold</b> **not bold** :red[x]", "Call a friend 📞")
    token, at = board_phone(app_ctx, admin_account, *words)
    # The cards go to the component as the words were typed: its JavaScript sets them as text.
    assert sorted(c["text"] for c in phone_cards(at)) == sorted(words)
    card = phone_cards(at)[0]
    assert (card["label"], card["added"]) == ("Me too (0)", False)
    tap_me_too(at, card["id"])
    assert not at.exception
    assert {(c["id"], c["label"], c["added"]) for c in phone_cards(at)} >= {(card["id"], "Me too ✓ (1)", True)}
    assert participation.resume(app_ctx, token).my_reactions == frozenset({card["id"]})
    assert not at.success and not at.info  # the pressed button says it; no "sent to the facilitator"
    tap_me_too(at, card["id"])
    assert [(c["label"], c["added"]) for c in phone_cards(at) if c["id"] == card["id"]] == [("Me too (0)", False)]
    assert participation.resume(app_ctx, token).my_reactions == frozenset()


def test_a_board_below_its_reveal_threshold_says_how_many_more_and_draws_no_cards(app_ctx, admin_account):
    _token, at = board_phone(app_ctx, admin_account, "Soup on Tuesdays")
    assert "2 more" in texts(at) and phone_cards(at) == []
    assert not [el for el in at.get("bidi_component") if el.proto.component_name == CARDS_COMPONENT]


def test_drawing_the_phones_board_does_not_load_pandas_or_pyarrow():
    """Streamlit checks a component's list data for dataframes, importing both (70 MB a process)."""
    script = Path(__file__).with_name("board_cards_script.py")
    check = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({str(script)!r}).run()\n"
        "assert not at.exception, at.exception\n"
        "assert len(at.get('bidi_component')) == 1\n"
        # numpy, yes: the screener's sentence encoder runs on it in every app process.
        "print(sorted({'pandas', 'pyarrow'} & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_me_too_for_a_card_this_room_does_not_show_says_so_and_changes_nothing(app_ctx, admin_account):
    token, at = board_phone(app_ctx, admin_account, "Soup on Tuesdays", "A walk", "Tea")
    before = phone_cards(at)
    tap_me_too(at, 999_999)  # no such card (a stale page, or a made-up request)
    assert not at.exception
    assert [e.value for e in at.error] == ["That choice isn't available. Please pick one of the options shown."]
    assert phone_cards(at) == before and participation.resume(app_ctx, token).my_reactions == frozenset()


def test_a_me_too_tap_that_is_not_a_card_and_a_wish_is_ignored(app_ctx, admin_account):
    token, at = board_phone(app_ctx, admin_account, "Soup on Tuesdays", "A walk", "Tea")
    before = phone_cards(at)
    card = before[0]["id"]
    malformed = ("1", None, True, 1.5, [1], card, {"card": card}, {"card": str(card), "on": True})
    for value in (*malformed, {"card": True, "on": True}, {"card": card, "on": "yes"}):
        send_me_too(at, value)
        assert not at.exception and not at.error
    assert phone_cards(at) == before and participation.resume(app_ctx, token).my_reactions == frozenset()


def test_a_phone_writing_when_the_room_moves_on_keeps_its_form_until_a_tap(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    token = participation.join(app_ctx, session.code).token
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    at = page("join", code=session.code, p=token)
    assert "Your reflection" in " ".join(w.label for w in at.text_area)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.NEXT_STEP)
    at.run()  # the room screen redrawn (the watcher's wake, or any run): the form stays, with a note
    assert "Your reflection" in " ".join(w.label for w in at.text_area)
    assert "The group has moved on to: Next step" in texts(at)
    next(b for b in at.button if b.label == "Continue").click().run()
    assert "Your next step" in texts(at) and not at.text_area
    assert "The group has moved on" not in texts(at)


def test_a_phone_that_sent_its_words_follows_the_room_at_once(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    token = participation.join(app_ctx, session.code).token
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    at = page("join", code=session.code, p=token)
    at.text_area[0].input("Hearing about the walks helped")
    next(b for b in at.button if b.label == "Share").click().run()
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.NEXT_STEP)
    at.run()
    assert "Your next step" in texts(at) and "The group has moved on" not in texts(at)
