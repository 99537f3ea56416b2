"""The console's room pieces in AppTest: co-facilitators, who did what, live edits, plans, the countdown, printouts."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime

import pytest

from hopecircle import process
from hopecircle.config import ROOT
from hopecircle.domain import Phase
from hopecircle.services import accounts, hosts, moderation, participation, sessions
from hopecircle.ui.console_timer import COMPONENT_NAME
from tests.app.conftest import page, signed_in, texts
from tests.conftest import PASSWORD, FakeClock

STAFF_NAMES = ("Ada Admin", "Sam Cohost")


@pytest.fixture
def sam(app_ctx, admin_account):
    return accounts.create_account(app_ctx, admin_account, "sam", "Sam Cohost", PASSWORD)


@pytest.fixture
def clock(app_ctx):
    app_ctx.clock = FakeClock(datetime(2026, 11, 24, 18, 0, 0))
    return app_ctx.clock


def start(app_ctx, account, story="letters-to-my-daughter", plan_id="session-75"):
    return sessions.start_session(app_ctx, account, story, "Evening circle", plan_id=plan_id)


def console(account, session):
    return signed_in("console", account, session=str(session.id))


def countdown(at) -> dict:
    (found,) = [el for el in at.get("bidi_component") if el.proto.component_name.endswith(COMPONENT_NAME)]
    return json.loads(found.proto.json)


def button(at, label: str, index: int = 0):
    return [b for b in at.button if b.label == label][index]


def test_the_owner_adds_a_co_facilitator_from_the_console(app_ctx, admin_account, sam):
    session = start(app_ctx, admin_account)
    at = console(admin_account, session)
    assert "Facilitators (1)" in [e.label for e in at.expander]
    button(at, "Add").click().run()
    assert "Pick someone from the list first." in texts(at)
    picker = next(box for box in at.selectbox if box.label == "Add a co-facilitator")
    picker.select(sam.id)
    button(at, "Add").click().run()
    assert [member.id for member in hosts.team(app_ctx, admin_account, session.id).co_hosts] == [sam.id]
    assert "Facilitators (2)" in [e.label for e in at.expander]
    assert "Sam Cohost (co-facilitator)" in texts(at)
    button(at, "Remove").click().run()
    assert hosts.team(app_ctx, admin_account, session.id).co_hosts == ()


def test_a_co_facilitators_console_runs_the_session_but_keeps_the_owners_notes(app_ctx, admin_account, sam):
    session = start(app_ctx, admin_account)
    sessions.save_notes(app_ctx, admin_account, session.id, "Private: call the venue")
    hosts.add_co_host(app_ctx, admin_account, session.id, sam.id)
    token = participation.join(app_ctx, session.code).token
    participation.submit_reflection(app_ctx, token, "i want to end it all tonight")
    at = signed_in("console", sam)
    button(at, next(b.label for b in at.button if session.code in b.label)).click().run()
    shown = texts(at)
    assert "may signal risk" in shown and "Ada Admin (started this session)" in shown
    assert "Private: call the venue" not in shown
    assert "Session notes (only you see these)" not in [e.label for e in at.expander]
    assert "Add a co-facilitator" not in [box.label for box in at.selectbox]
    button(at, "Next phase").click().run()
    assert sessions.get_session(app_ctx, admin_account, session.id).changed_by == sam.id
    assert "Moved to" not in texts(at)  # a console's own moves need no label
    assert "Moved to Check-in by Sam Cohost" in texts(console(admin_account, session))


def test_the_owners_console_says_who_did_what_and_the_room_never_does(app_ctx, admin_account, sam):
    session = start(app_ctx, admin_account)
    hosts.add_co_host(app_ctx, admin_account, session.id, sam.id)
    tokens = [participation.join(app_ctx, session.code).token for _ in range(4)]
    for n, token in enumerate(tokens):
        sent = participation.submit_reflection(app_ctx, token, f"The letters part stayed with me {n}").contribution
        moderation.approve(app_ctx, sam, sent.id)
    alert = participation.submit_reflection(app_ctx, tokens[0], "I don't want to be here anymore").contribution
    moderation.mark_reviewed(app_ctx, sam, alert.id)
    sessions.set_phase(app_ctx, sam, session.id, Phase.BOARD)
    at = console(admin_account, session)
    shown = texts(at)
    assert "Moved to Hope board by Sam Cohost" in shown
    assert "Approved by Sam Cohost" in shown and "Reviewed by Sam Cohost" in shown
    room = [texts(page("board", key=session.board_key)), texts(page("join", code=session.code, p=tokens[1]))]
    sessions.set_phase(app_ctx, sam, session.id, Phase.WELCOME)
    room += [texts(page("board", key=session.board_key)), texts(page("join", code=session.code, p=tokens[1]))]
    assert "The letters part stayed with me" in room[0]
    for screen in room:
        assert not any(name in screen or name.split()[0] in screen for name in STAFF_NAMES)


def prompts_box(at):
    return next(area for area in at.text_area if area.label.startswith("Prompts, one per line"))


def test_the_console_edits_the_prompts_and_phones_follow_in_the_sessions_language(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = console(admin_account, session)
    prompts_box(at).input("What stayed with you?\n\nWhat will you carry home?")
    button(at, "Save", 1).click().run()
    assert sessions.get_session(app_ctx, admin_account, session.id).prompts == (
        "What stayed with you?",
        "What will you carry home?",
    )
    assert "Phones set to Español keep the story's prompts in their language" in texts(at)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    english = participation.join(app_ctx, session.code, "en").token
    spanish = participation.join(app_ctx, session.code, "es").token
    assert "What will you carry home?" in texts(page("join", code=session.code, p=english))
    phone_es = texts(page("join", code=session.code, p=spanish, lang="es"))
    assert "What will you carry home?" not in phone_es
    assert app_ctx.stories.get("letters-to-my-daughter-es").prompts[0] in phone_es
    assert "What stayed with you?" in texts(page("board", key=session.board_key))


def test_a_refused_edit_keeps_the_typed_lines_and_reset_goes_back(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    at = console(admin_account, session)
    typed = "\n".join(f"Prompt {n}" for n in range(7))
    prompts_box(at).input(typed)
    button(at, "Save", 1).click().run()
    assert "That's 7 lines; keep it to 5 or fewer" in texts(at)
    assert prompts_box(at).value == typed
    prompts_box(at).input("Just one")
    button(at, "Save", 1).click().run()
    button(at, "Reset to the defaults").click().run()
    assert sessions.get_session(app_ctx, admin_account, session.id).prompts is None


def test_edited_agreements_reach_the_phone_and_the_projector(app_ctx, admin_account):
    session = start(app_ctx, admin_account)
    token = participation.join(app_ctx, session.code).token
    at = console(admin_account, session)
    agreements = next(area for area in at.text_area if area.label == "Agreements, one per line")
    agreements.input("We listen without fixing\nWe may pass")
    button(at, "Save", 0).click().run()
    assert "We may pass" in texts(page("join", code=session.code, p=token))
    assert "We listen without fixing" in texts(page("board", key=session.board_key))


def test_the_countdown_is_calm_then_amber_then_red(app_ctx, admin_account, clock):
    session = start(app_ctx, admin_account)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    data = countdown(console(admin_account, session))
    assert (data["tone"], data["text"], data["planned"]) == ("calm", "18:00 left", 18 * 60)
    assert data["started"] == int(clock().replace(tzinfo=UTC).timestamp() * 1000) and data["chime"] is None
    clock.advance(minutes=15)
    at = console(admin_account, session)
    assert (countdown(at)["tone"], countdown(at)["text"]) == ("near", "03:00 left")
    assert "Plan: Standard session: 75 minutes · 18 min for this phase" in texts(at)
    clock.advance(minutes=4)
    at = console(admin_account, session)
    assert (countdown(at)["tone"], countdown(at)["text"]) == ("over", "+01:00 over")
    next(toggle for toggle in at.toggle if toggle.label == "Chime at time").set_value(True).run()
    assert countdown(at)["chime"].startswith("data:audio/wav;base64,")


def test_a_custom_session_counts_the_time_spent(app_ctx, admin_account, clock):
    session = start(app_ctx, admin_account, plan_id=None)
    clock.advance(minutes=2, seconds=5)
    at = console(admin_account, session)
    assert (countdown(at)["tone"], countdown(at)["text"]) == ("none", "02:05 in this phase")
    assert "Custom session: no planned minutes" in texts(at)


def calm_timer(session) -> list[str]:
    """What the projector's calm countdown says (nothing when it is not shown)."""
    at = page("board", key=session.board_key)
    blocks = [str(el.proto.body) for el in at.get("html") if 'class="hc-calm-timer"' in str(el.proto.body)]
    return [re.sub(r"<[^>]+>", "", block) for block in blocks]


def test_the_projector_shows_a_calm_countdown_when_switched_on(app_ctx, admin_account, clock):
    session = start(app_ctx, admin_account)
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.REFLECT)
    assert calm_timer(session) == []
    at = console(admin_account, session)
    next(toggle for toggle in at.toggle if toggle.label == "Countdown on the projector").set_value(True).run()
    assert sessions.get_session(app_ctx, admin_account, session.id).projector_timer is True
    clock.advance(minutes=13, seconds=50)
    assert calm_timer(session) == ["About 4 minutes left"]
    clock.advance(minutes=3)
    assert calm_timer(session) == ["About 1 minute left"]
    clock.advance(seconds=30)
    assert calm_timer(session) == ["Less than a minute left"]
    clock.advance(minutes=5)
    assert calm_timer(session) == ["Time to finish up"]
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.NEXT_STEP)
    assert calm_timer(session) == ["About 10 minutes left"]
    sessions.set_phase(app_ctx, admin_account, session.id, Phase.BOARD)
    assert calm_timer(session) == []


def test_the_start_form_offers_every_plan_and_each_week_of_the_series(app_ctx, admin_account):
    at = signed_in("console", admin_account)
    picker = next(box for box in at.selectbox if box.label == "Session plan")
    assert picker.value == "session-75"
    assert picker.options == [
        "Standard session: 75 minutes",
        "Drop-in session: 30 minutes",
        "Four-week series, week 1: hope and home (story: The Long Way Home)",
        "Four-week series, week 2: many paths of recovery (story: Morning Dose)",
        "Four-week series, week 3: repairing relationships (story: Letters to My Daughter)",
        "Four-week series, week 4: community and carrying it forward (story: Quiet Kitchen)",
        "Custom (no plan)",
    ]
    picker.select("series-4-weeks/week-2")
    button(at, "Start session").click().run()
    (started,) = sessions.my_sessions(app_ctx, admin_account)
    assert started.plan_id == "series-4-weeks/week-2"


def test_the_console_offers_the_printouts(app_ctx, admin_account, monkeypatch):
    monkeypatch.setenv("HOPECIRCLE_PUBLIC_URL", "https://hope.example.org")
    session = start(app_ctx, admin_account)
    labels = [b.label for b in console(admin_account, session).get("download_button")]
    assert labels == ["Join sheet (A4)", "Join sheet (Letter)", "Hope board (A4)", "Hope board (Letter)"]


@pytest.fixture
def edited_plan_ctx(tmp_path, monkeypatch):
    """The app started on a copy of the guides whose standard plan gives reflect 20 minutes."""
    folder = tmp_path / "guides"
    shutil.copytree(ROOT / "facilitator_guides", folder)
    plan = folder / "plans" / "session-75.md"
    text = plan.read_text(encoding="utf-8")
    edited = "  - {phase: reflect, minutes: 20}\n  - {phase: next_step, minutes: 8}"
    plan.write_text(text.replace("  - {phase: reflect, minutes: 18}\n  - {phase: next_step, minutes: 10}", edited))
    monkeypatch.setenv("HOPECIRCLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HOPECIRCLE_GUIDES_DIR", str(folder))
    monkeypatch.delenv("HOPECIRCLE_DATABASE_URL", raising=False)
    process.reset()
    ctx = process.context()
    ctx.cache.scale = 0
    yield ctx
    process.reset()


def test_a_plan_file_edited_in_the_guides_folder_changes_the_console(edited_plan_ctx):
    ctx = edited_plan_ctx
    admin = accounts.create_first_account(ctx, accounts.setup_code(ctx), "ada", "Ada Admin", PASSWORD)
    session = start(ctx, admin)
    sessions.set_phase(ctx, admin, session.id, Phase.REFLECT)
    at = console(admin, session)
    assert countdown(at)["planned"] == 20 * 60 and "20 min for this phase" in texts(at)


def test_a_late_run_with_the_old_phase_picker_never_moves_the_room_back(app_ctx, admin_account):
    """Two consoles redraw each other: a run the browser started before its redraw arrived carries
    the old phase picker's value, and must leave the room where it is."""
    session = start(app_ctx, admin_account)
    at = console(admin_account, session)
    before = at._tree.get_widget_states()  # what the browser holds while the next redraw is on its way
    button(at, "Next phase").click().run()
    assert sessions.get_session(app_ctx, admin_account, session.id).phase is Phase.CHECKIN
    at._run(before)
    assert sessions.get_session(app_ctx, admin_account, session.id).phase is Phase.CHECKIN
    at.selectbox(key=f"jump-{session.id}-checkin").select(Phase.STORY).run()
    assert sessions.get_session(app_ctx, admin_account, session.id).phase is Phase.STORY
