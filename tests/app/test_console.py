"""The live console in AppTest: the alert band, the safe action first, the alarm's data, closing with open items."""

from __future__ import annotations

import json

from hopecircle.domain import Status
from hopecircle.services import moderation, participation, sessions, support
from hopecircle.ui.alerting import COMPONENT_NAME
from hopecircle.ui.wiring import LANGUAGE_KEY
from tests.app.conftest import new_app, signed_in, texts

RISKY = "i want to end it all tonight"


def start(app_ctx, account):
    return sessions.start_session(app_ctx, account, "steady-hands", "Evening circle")


def with_alert(app_ctx, account, words=RISKY):
    """A session where one phone sent words that may signal risk; the contribution it made."""
    session = start(app_ctx, account)
    token = participation.join(app_ctx, session.code).token
    sent = participation.submit_reflection(app_ctx, token, words).contribution
    return session, token, sent


def console(account, session):
    return signed_in("console", account, session=str(session.id))


def alarm(at) -> dict:
    """The data the alarm component (tab title and chime) was given on the last run."""
    (found,) = [el for el in at.get("bidi_component") if el.proto.component_name == COMPONENT_NAME]
    return json.loads(found.proto.json)


def button_type(at, key: str) -> str:
    return at.button(key=key).proto.type


def status(app_ctx, account, session, contribution_id):
    shown = {c.id: c.status for c in moderation.on_board(app_ctx, account, session.id)}
    if contribution_id in shown:
        return shown[contribution_id]
    queue = {i.contribution.id: i.contribution.status for i in moderation.review_queue(app_ctx, account, session.id)}
    return queue.get(contribution_id, Status.HIDDEN)


def test_a_risk_alert_is_in_the_band_with_keeping_it_hidden_as_the_prominent_action(app_ctx, admin_account):
    session, _token, sent = with_alert(app_ctx, admin_account)
    at = console(admin_account, session)
    assert not at.exception
    band = [el for el in at.get("html") if "hc-band-alert" in el.proto.body]
    assert band and "may signal risk" in band[0].proto.body
    assert button_type(at, f"act-{sent.id}-hide") == "primary"
    assert button_type(at, f"act-{sent.id}-seen") == "primary"
    assert button_type(at, f"act-{sent.id}-anyway") == "secondary"
    assert at.button(key=f"act-{sent.id}-hide").label == "Keep hidden"
    # The alert is in the band, not a second time in the queue.
    assert "To review (0)" in texts(at)


def test_approving_a_risk_alert_asks_a_second_time(app_ctx, admin_account):
    session, _token, sent = with_alert(app_ctx, admin_account)
    at = console(admin_account, session)
    at.button(key=f"act-{sent.id}-anyway").click().run()
    assert status(app_ctx, admin_account, session, sent.id) is Status.HELD  # nothing shown yet
    assert "Show these words on the projector? They may signal risk." in texts(at)
    assert button_type(at, f"act-{sent.id}-hide") == "primary"  # "No, keep it hidden" stays the prominent one
    assert button_type(at, f"act-{sent.id}-yes") == "secondary"
    at.button(key=f"act-{sent.id}-cancel").click().run()
    assert status(app_ctx, admin_account, session, sent.id) is Status.HELD
    assert at.button(key=f"act-{sent.id}-anyway").label == "Approve anyway…"

    at.button(key=f"act-{sent.id}-anyway").click().run()
    at.button(key=f"act-{sent.id}-yes").click().run()
    assert not at.exception
    assert status(app_ctx, admin_account, session, sent.id) is Status.APPROVED
    assert alarm(at)["count"] == 0


def test_keep_hidden_and_mark_reviewed_each_answer_the_alert(app_ctx, admin_account):
    session, token, sent = with_alert(app_ctx, admin_account)
    second = participation.submit_reflection(app_ctx, token, "I don't want to be here anymore").contribution
    at = console(admin_account, session)
    assert alarm(at)["count"] == 2
    at.button(key=f"act-{sent.id}-hide").click().run()
    assert status(app_ctx, admin_account, session, sent.id) is Status.HIDDEN
    assert alarm(at)["count"] == 1

    at.button(key=f"act-{second.id}-seen").click().run()
    assert alarm(at)["count"] == 0
    assert "No alerts right now." in texts(at)
    # Reviewed, it waits in the queue, still held, with the safe action first.
    assert "To review (1)" in texts(at)
    assert button_type(at, f"act-{second.id}-hide") == "primary"
    assert button_type(at, f"act-{second.id}-anyway") == "secondary"
    assert [b for b in at.button if b.key == f"act-{second.id}-seen"] == []


def test_a_request_to_talk_stays_in_the_band_until_noted_and_counts_in_the_tab_title(app_ctx, admin_account):
    session, token, _sent = with_alert(app_ctx, admin_account)
    support.ask_to_talk(app_ctx, token, "by the <b>window</b>")
    at = console(admin_account, session)
    data = alarm(at)
    assert data["count"] == 2 and data["session"] == str(session.id)
    assert data["title"] == "({count}) ⚠ {title}"
    assert data["chime"].startswith("data:audio/wav;base64,UklGR")  # a RIFF/WAVE file, bundled
    assert data["announce"].startswith("1 contribution may signal risk")
    assert "would like to talk after the group" in data["announce"]
    # The note is the participant's: shown literally.
    assert any("by the &lt;b&gt;window&lt;/b&gt;" in el.proto.body for el in at.get("html"))
    (request,) = support.requests_for(app_ctx, admin_account, session.id)
    at.button(key=f"talk-{request.id}").click().run()
    assert alarm(at)["count"] == 1
    assert support.requests_for(app_ctx, admin_account, session.id)[0].acknowledged


def test_words_held_for_personal_details_keep_approving_them_redacted_as_the_prominent_action(app_ctx, admin_account):
    session, _token, sent = with_alert(app_ctx, admin_account, "call my sponsor at 555-201-7788")
    at = console(admin_account, session)
    assert alarm(at)["count"] == 0
    assert button_type(at, f"act-{sent.id}-redact") == "primary"
    assert button_type(at, f"act-{sent.id}-ok") == "secondary"
    assert [b for b in at.button if b.key == f"act-{sent.id}-anyway"] == []
    at.button(key=f"act-{sent.id}-redact").click().run()
    (card,) = moderation.on_board(app_ctx, admin_account, session.id)
    assert "555-201-7788" not in card.body


def test_the_sound_switch_and_test_button_are_in_the_console_language(app_ctx, admin_account):
    session, _token, _sent = with_alert(app_ctx, admin_account)
    at = new_app()
    at.session_state["account"] = admin_account
    at.session_state[LANGUAGE_KEY] = "es"
    at.query_params["session"] = str(session.id)
    at.run()
    at.switch_page("pages/console.py").run()
    data = alarm(at)
    assert (data["sound"], data["test"]) == ("Sonido de alerta", "Probar el sonido")
    assert "Presiona" in data["blocked"]


def test_closing_with_open_items_lists_them_and_asks_first(app_ctx, admin_account):
    session, token, _sent = with_alert(app_ctx, admin_account)
    participation.submit_reflection(app_ctx, token, "text me at 555-201-7788 <i>ok</i>")
    support.ask_to_talk(app_ctx, token, "")
    at = console(admin_account, session)
    at.button(key="close-ask").click().run()
    shown = texts(at)
    assert "Before you close: 3 things still need an answer" in shown
    assert "Risk alerts not reviewed (1)" in shown and RISKY in shown
    assert "People who asked to talk after the group (1)" in shown
    assert "Held back, not decided yet (1)" in shown
    assert "555-201-7788 &lt;i&gt;ok&lt;/i&gt;" in shown  # excerpts are escaped
    assert button_type(at, "close-cancel") == "primary"
    assert at.button(key="close-now").label == "Close anyway"

    at.button(key="close-cancel").click().run()
    assert sessions.get_session(app_ctx, admin_account, session.id).is_open
    assert [b for b in at.button if b.key == "close-now"] == []

    at.button(key="close-ask").click().run()
    at.button(key="close-now").click().run()
    assert not at.exception
    assert not sessions.get_session(app_ctx, admin_account, session.id).is_open
    assert "This session is closed" in texts(at)


def test_closing_when_something_new_arrived_meanwhile_shows_the_list_again(app_ctx, admin_account):
    session, token, _sent = with_alert(app_ctx, admin_account)
    at = console(admin_account, session)
    at.button(key="close-ask").click().run()
    participation.submit_reflection(app_ctx, token, "I don't want to be here anymore")
    at.button(key="close-now").click().run()
    assert sessions.get_session(app_ctx, admin_account, session.id).is_open
    shown = texts(at)
    assert "Something new arrived" in shown and "Risk alerts not reviewed (2)" in shown


def test_closing_with_nothing_open_asks_plainly(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = console(admin_account, session)
    at.button(key="close-ask").click().run()
    assert "Close this session?" in texts(at)
    assert button_type(at, "close-now") == "primary" and at.button(key="close-now").label == "Close it now"
    at.button(key="close-now").click().run()
    assert not sessions.get_session(app_ctx, admin_account, session.id).is_open


def test_the_join_qr_is_behind_its_control_with_the_address_in_plain_text(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = console(admin_account, session)
    labels = [block.proto.popover.label for block in at.get("popover")]
    assert "Show join QR" in labels
    html = "".join(el.proto.body for el in at.get("html"))
    assert f"<strong>{session.code}</strong>" in html
    assert '<p class="hc-join-url">http://' in html and f"?code={session.code}" in html


def test_sharing_support_lines_from_the_band_reaches_every_phone_and_says_so(app_ctx, admin_account):
    session, _token, _sent = with_alert(app_ctx, admin_account)
    at = console(admin_account, session)
    next(b for b in at.button if b.label == "Share support lines with every phone").click().run()
    assert not at.exception
    assert [toast.value for toast in at.toast] == ["Support lines are now showing on every phone."]
    assert sessions.get_session(app_ctx, admin_account, session.id).resources_push == 1


def test_a_closed_session_keeps_its_band_and_queue_but_offers_no_close_and_no_sharing(app_ctx, admin_account):
    session, token, _sent = with_alert(app_ctx, admin_account)
    support.ask_to_talk(app_ctx, token, "by the door")
    sessions.close_session(app_ctx, admin_account, session.id)
    at = console(admin_account, session)
    assert not at.exception
    shown = texts(at)
    assert "This session is closed" in shown and "by the door" in shown  # still theirs to follow up
    labels = [b.label for b in at.button]
    assert "Close session" not in labels and "Share support lines with every phone" not in labels
    assert alarm(at)["count"] == 2


def test_the_story_picker_names_each_language_and_the_console_warns_of_phones_without_their_version(
    app_ctx, admin_account
):
    from hopecircle.content import StoryLibrary
    from hopecircle.services import participation, sessions
    from tests.app.conftest import signed_in, texts

    at = signed_in("console", admin_account)
    assert any("English · Español" in option for option in at.selectbox[0].options)
    app_ctx.stories = StoryLibrary(
        stories={key: s for key, s in app_ctx.stories.stories.items() if key != "steady-hands-es"}
    )
    session = sessions.start_session(app_ctx, admin_account, "steady-hands", "Evening circle")
    participation.join(app_ctx, session.code, "es")
    shown = texts(signed_in("console", admin_account, session=str(session.id)))
    assert "1 phone joined in Español, and this story has no Español version" in shown


def test_a_caution_is_in_the_queue_marked_for_a_careful_read_not_in_the_alert_band(app_ctx, admin_account, monkeypatch):
    from hopecircle import safety
    from hopecircle.safety.risk import RiskHit

    found = lambda text, others=(): (RiskHit("suicide", "reads like “…”", source="model"),)  # noqa: E731
    monkeypatch.setattr(safety, "find_risks", found)
    monkeypatch.setattr(safety.risk, "find_risks", found)
    session, _token, _sent = with_alert(app_ctx, admin_account, words="I have faith in tomorrow")
    at = console(admin_account, session)
    assert not at.exception
    assert any("No alerts right now." in el.proto.body for el in at.get("html"))
    item = [el.proto.body for el in at.get("html") if "I have faith in tomorrow" in el.proto.body]
    assert item and "Worth a careful read before it is shown" in item[0]
    assert "To review (1)" in texts(at)
    assert alarm(at)["count"] == 0
