"""The served phone in a real browser at the reference phone size (390 x 844): it follows the room
within 2 s of the facilitator's move, keeps words being written across phase changes and
reloads, joins with one post, and every word and tap it sends is acknowledged on its screen,
without a Streamlit run."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from playwright.sync_api import Locator, Page, expect

from hopecircle import hope_card
from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.domain import Phase
from hopecircle.services import accounts, moderation, organization, participation, sessions, support
from hopecircle.services.context import Context
from hopecircle.store import open_store
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import PASSWORD, WAIT_MS
from tests.e2e.test_accessibility_and_offline import AXE, axe_violations

FOLLOW_MS = 2_000  # the deadline: the phone shows the new phase within 2 s of the move


@pytest.fixture
def room(app):
    """A session made through the services on the app's database, and a way to read it back."""
    ctx = Context(
        store=open_store(f"sqlite:///{app.data_dir / 'hopecircle.db'}"),
        stories=load_stories(ROOT / "stories"),
        guides=load_guides(ROOT / "facilitator_guides"),
    )
    admin = accounts.create_first_account(ctx, accounts.setup_code(ctx), "ada", "Ada", PASSWORD)
    organization.update_settings(ctx, admin, reveal_threshold=0)
    session = sessions.start_session(ctx, admin, "steady-hands", "Evening circle")
    yield ctx, admin, session
    ctx.store.dispose()


def within_window(page: Page, element: Locator) -> bool:
    """Whether the whole element is inside the window as it is now."""
    box = element.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    # Half a pixel either way: layout positions are fractions, the window is whole pixels.
    return (
        box["x"] >= -0.5
        and box["y"] >= -0.5
        and box["x"] + box["width"] <= size["width"] + 0.5
        and box["y"] + box["height"] <= size["height"] + 0.5
    )


def script_runs(phone: Page) -> list[str]:
    """Every message the page sends Streamlit over its WebSocket (a rerun is one), as text."""
    sent: list[str] = []
    phone.on("websocket", lambda socket: socket.on("framesent", lambda frame: sent.append(repr(frame)[:80])))
    return sent


def join(phone: Page, app, session) -> None:  # type: ignore[no-untyped-def]
    phone.goto(f"{app.base}/?code={session.code}")
    phone.get_by_role("button", name="I understand, join").click()
    expect(phone.get_by_role("heading", name="Welcome")).to_be_visible(timeout=WAIT_MS)


def test_a_phone_follows_every_phase_change_within_two_seconds(app, browser, room):
    ctx, admin, session = room
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    join(phone, app, session)
    runs = script_runs(phone)
    titles = {
        Phase.CHECKIN: "Check-in",
        Phase.STORY: "Story time",
        Phase.REFLECT: "Reflect",
        Phase.NEXT_STEP: "Your next step",
        Phase.BOARD: "The hope board",
        Phase.CLOSE: "Thank you for being here",
        Phase.WELCOME: "Welcome",
    }
    for phase, title in titles.items():
        sessions.set_phase(ctx, admin, session.id, phase)
        moved = time.monotonic()
        heading = phone.get_by_role("heading", name=title, exact=True)
        expect(heading).to_be_visible(timeout=FOLLOW_MS)
        followed = time.monotonic() - moved
        assert followed <= FOLLOW_MS / 1000, (phase, followed)
        assert within_window(phone, heading), phase
    assert runs == []  # not one Streamlit run for seven phase changes
    context.close()


def test_joining_is_one_post_and_a_reload_comes_back_to_the_room(app, browser, room):
    ctx, _admin, session = room
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.goto(f"{app.base}/?code={session.code}")
    join_button = phone.get_by_role("button", name="I understand, join")
    assert within_window(phone, phone.get_by_role("heading", name="Evening circle"))
    join_button.dblclick()  # a double tap joins once
    expect(phone.get_by_role("heading", name="Welcome")).to_be_visible(timeout=WAIT_MS)
    assert re.search(r"[?&]p=[A-Za-z0-9_-]{24,}", phone.url) and f"code={session.code}" in phone.url
    with ctx.store.read() as tx:
        assert tx.participants.count(session.id) == 1
    phone.reload()
    expect(phone.get_by_role("heading", name="Welcome")).to_be_visible(timeout=WAIT_MS)
    expect(phone.get_by_role("button", name="I understand, join")).to_have_count(0)
    # Another language is the page loaded in it, with the phone's place.
    phone.get_by_role("button", name="Español").click()
    expect(phone.get_by_role("heading", name="Bienvenida")).to_be_visible(timeout=WAIT_MS)
    assert "lang=es" in phone.url and "p=" in phone.url
    with ctx.store.read() as tx:
        assert tx.participants.count(session.id) == 1
    context.close()


def test_words_being_written_survive_the_room_moving_on_and_a_reload(app, browser, room):
    ctx, admin, session = room
    sessions.set_phase(ctx, admin, session.id, Phase.REFLECT)
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.goto(f"{app.base}/?code={session.code}")
    phone.get_by_role("button", name="I understand, join").click()
    box = phone.get_by_role("textbox", name=re.compile("Your reflection"))
    box.fill("Half a thought about the walks")
    sessions.set_phase(ctx, admin, session.id, Phase.NEXT_STEP)
    notice = phone.get_by_text("The group has moved on to: Next step")
    expect(notice).to_be_visible(timeout=FOLLOW_MS)
    expect(box).to_have_value("Half a thought about the walks")
    if AXE.exists():
        assert axe_violations(phone) == []
    phone.reload()
    expect(notice).to_be_visible(timeout=WAIT_MS)  # still the form being written, after a reload
    expect(box).to_have_value("Half a thought about the walks")
    phone.get_by_role("button", name="Continue").click()
    what = phone.get_by_role("textbox", name=re.compile("I will"))
    expect(what).to_be_visible(timeout=WAIT_MS)
    what.fill("call my brother")
    phone.reload()
    expect(what).to_have_value("call my brother", timeout=WAIT_MS)
    sessions.set_phase(ctx, admin, session.id, Phase.REFLECT)
    expect(phone.get_by_text("The group has moved on to: Reflect")).to_be_visible(timeout=FOLLOW_MS)
    phone.get_by_role("button", name="Continue").click()
    expect(box).to_have_value("Half a thought about the walks", timeout=WAIT_MS)  # kept all along
    phone.get_by_role("button", name="Share").click()
    expect(phone.get_by_text("The facilitator will add it to the board")).to_be_visible(timeout=WAIT_MS)
    expect(box).to_have_value("")
    context.close()


def acknowledged(phone: Page, text: str) -> None:
    """The phone says what happened, where the person is looking."""
    said = phone.get_by_text(text).first
    expect(said).to_be_visible(timeout=WAIT_MS)
    said.scroll_into_view_if_needed()
    assert within_window(phone, said), text


def test_every_word_and_tap_is_acknowledged_on_the_phone_without_a_script_run(app, browser, room, artifacts):
    ctx, admin, session = room
    context = browser.new_context(**PHONE, accept_downloads=True)
    phone = context.new_page()
    join(phone, app, session)
    runs = script_runs(phone)

    sessions.set_phase(ctx, admin, session.id, Phase.CHECKIN)
    phone.get_by_role("button", name="🙂").click()
    phone.get_by_role("button", name="Send").click()
    acknowledged(phone, "The facilitator will add it to the board")
    expect(phone.get_by_text("You said:")).to_be_visible()
    phone.get_by_role("group", name="Hope, 0 to 10").get_by_role("button", name="7", exact=True).click()
    phone.get_by_role("button", name="Save", exact=True).click()
    acknowledged(phone, "Your answer: 7")
    phone.get_by_role("button", name="Remove my answer").click()
    acknowledged(phone, "Your answer is removed.")

    sessions.set_phase(ctx, admin, session.id, Phase.REFLECT)
    box = phone.get_by_role("textbox", name=re.compile("Your reflection"))
    box.fill("The morning walks <b>helped</b>")
    phone.get_by_role("button", name="Share").click()
    acknowledged(phone, "The facilitator will add it to the board")
    phone.get_by_text("What I've shared (2)").click()
    phone.get_by_role("button", name="Edit").click()
    phone.get_by_role("textbox", name="Edit your words").fill("The morning walks helped me most")
    phone.get_by_role("button", name="Save changes").click()
    expect(phone.get_by_text("The morning walks helped me most")).to_be_visible(timeout=WAIT_MS)
    phone.get_by_role("button", name="Delete").first.click()  # the check-in word, listed first
    phone.get_by_role("button", name="Yes, delete it").click()
    expect(phone.get_by_text("What I've shared (1)")).to_be_visible(timeout=WAIT_MS)

    # Words that may signal risk: the support message and the lines at once, and the offer to talk.
    box.fill("honestly I don't want to be here anymore")
    phone.get_by_role("button", name="Share").click()
    acknowledged(phone, "It sounds like things may be really hard")
    phone.get_by_role("textbox", name=re.compile("How can they find you")).fill("red hoodie")
    phone.get_by_role("button", name="Yes, I'd like to talk after the group").click()
    acknowledged(phone, "The facilitator knows you'd like to talk after the group.")
    assert [r.note for r in support.requests_for(ctx, admin, session.id)] == ["red hoodie"]
    if AXE.exists():
        assert axe_violations(phone) == []
    phone.get_by_role("button", name="Never mind, cancel").click()
    expect(phone.get_by_role("button", name="Yes, I'd like to talk after the group")).to_be_visible(timeout=WAIT_MS)

    sessions.set_phase(ctx, admin, session.id, Phase.NEXT_STEP)
    phone.get_by_role("textbox", name=re.compile("I will")).fill("call my sister")
    phone.get_by_role("textbox", name=re.compile("by")).fill("Friday")
    phone.get_by_role("button", name="Community").click()
    phone.get_by_role("button", name="Save my next step").click()
    acknowledged(phone, "The facilitator will add it to the board")
    expect(phone.get_by_role("button", name="Update my next step")).to_be_visible()

    moderation.approve_all_pending(ctx, admin, session.id)
    sessions.set_phase(ctx, admin, session.id, Phase.BOARD)
    card = phone.get_by_role("listitem").filter(has_text="I will call my sister by Friday")
    card.get_by_role("button", name="Me too (0)").click()
    pressed = card.get_by_role("button", name="Me too ✓ (1)")
    expect(pressed).to_have_attribute("aria-pressed", "true", timeout=WAIT_MS)
    assert within_window(phone, pressed)

    sessions.set_phase(ctx, admin, session.id, Phase.CLOSE)
    phone.get_by_role("textbox", name=re.compile("Or type a word")).fill("hope")
    phone.get_by_role("button", name="Send").click()
    acknowledged(phone, "The facilitator will add it to the board")
    phone.get_by_role("group", name="Hope, 0 to 10").get_by_role("button", name="9", exact=True).click()
    phone.get_by_role("button", name="Save", exact=True).click()
    acknowledged(phone, "Your answer: 9")
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Save my hope card").click()
    acknowledged(phone, "Your hope card is saved")
    saved = artifacts / "hope-card-served.png"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "hope-card.png"
    today = phone.evaluate("() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; }")
    drawn = hope_card.hope_card_png("call my sister", "Friday", None, "community", "en", date(*today))
    assert saved.read_bytes() == drawn  # the card as the server always draws it, dated on the phone's day
    token = re.search(r"[?&]p=([A-Za-z0-9_-]+)", phone.url).group(1)
    view = participation.resume(ctx, token)
    kept = {c.body for c in view.contributions}
    assert view.pulses == {"post": 9} and {"The morning walks helped me most", "hope", "call my sister"} <= kept
    assert "🙂" not in kept
    assert runs == []  # every word and tap was a post: not one Streamlit run
    context.close()


def test_every_screen_the_phone_follows_to_passes_axe_and_shows_markup_as_typed(app, browser, room):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: scripts/test.sh installs axe-core with npm")
    ctx, admin, session = room
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    join(phone, app, session)
    assert axe_violations(phone) == [], "welcome"
    markup = '**so much** <b>hope</b> <img src="x" onerror="window.pwned = 1"> _here_'
    screens = {
        Phase.CHECKIN: "Check-in",
        Phase.STORY: "Story time",
        Phase.REFLECT: "Reflect",
        Phase.NEXT_STEP: "Your next step",
        Phase.BOARD: "The hope board",
        Phase.CLOSE: "Thank you for being here",
    }
    for phase, title in screens.items():
        if phase is Phase.BOARD:
            moderation.approve_all_pending(ctx, admin, session.id)
        sessions.set_phase(ctx, admin, session.id, phase)
        heading = phone.get_by_role("heading", name=title, exact=True)
        expect(heading).to_be_visible(timeout=FOLLOW_MS)
        assert within_window(phone, heading), phase
        if phase is Phase.REFLECT:
            phone.get_by_role("textbox", name=re.compile("Your reflection")).fill(markup)
            phone.get_by_role("button", name="Share").click()
            acknowledged(phone, "The facilitator will add it to the board")
        problems = axe_violations(phone)
        assert problems == [], (phase.value, problems)

        if phase is Phase.BOARD:
            card = phone.get_by_role("listitem").filter(has_text="**so much**")
            expect(card).to_be_visible(timeout=WAIT_MS)
            assert card.locator(".hc-text").inner_text() == markup  # every character as typed
            assert card.locator(".hc-text *").count() == 0  # a text node, no element made of it
            phone.get_by_text(re.compile(r"What I've shared \(1\)")).click()
            expect(phone.get_by_text(markup, exact=True)).to_have_count(2)  # the card and my own list
    assert phone.locator("img[src='x']").count() == 0  # nowhere on the page did the words become an image
    assert phone.evaluate("() => window.pwned") is None

    sessions.close_session(ctx, admin, session.id)
    ended = phone.get_by_text("This session has ended. You can still read this page.")
    expect(ended).to_be_visible(timeout=FOLLOW_MS)
    problems = axe_violations(phone)
    assert problems == [], ("ended", problems)
    context.close()
