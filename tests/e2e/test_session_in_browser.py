"""The whole session in a real browser: console, a phone joining by QR code, the projector."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import (
    WAIT_MS,
    create_first_account,
    go_to_phase,
    join_on_phone,
    join_url_from_qr,
    start_session,
)


def test_facilitator_phone_and_projector_through_a_session(app, browser, artifacts):
    console = browser.new_page(viewport={"width": 1400, "height": 1000})
    create_first_account(console, app)
    start_session(console, "Thursday circle")
    join_url = join_url_from_qr(console)
    assert join_url.startswith(f"{app.base}/?code=")
    console.screenshot(path=artifacts / "console.png", full_page=True)

    projector_url = console.get_by_role("link", name="Open projector view").get_attribute("href")
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.goto(re.sub(r"^(?!http)", f"{app.base}/", projector_url))
    expect(projector.get_by_text("Thursday circle")).to_be_visible(timeout=WAIT_MS)
    projector.screenshot(path=artifacts / "projector-welcome.png")

    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    # The phone's questions to its room: how each was answered, and whether it told the server
    # which state its screen shows (so the server held it until the room moved on).
    looks: list[tuple[int, bool]] = []
    # The phone's words and its "me too" go by post, answered without a script run.
    posts: list[tuple[str, int]] = []

    def answered(response) -> None:  # type: ignore[no-untyped-def]
        if "/api/phone/" not in response.url:
            return
        name = response.url.rsplit("/", 1)[-1].split("?")[0]
        if name == "room":
            looks.append((response.status, '"seen"' in (response.request.post_data or "")))
        elif name != "join":
            posts.append((name, response.status))

    phone.on("response", answered)
    join_on_phone(phone, join_url)
    phone.screenshot(path=artifacts / "phone-welcome.png", full_page=True)

    go_to_phase(console, "Reflect")
    expect(phone.get_by_text("Reflect", exact=True)).to_be_visible(timeout=WAIT_MS)
    for words in ("The morning walks with the dog <3", "**Asking** for help took courage"):
        phone.get_by_role("textbox", name=re.compile("Your reflection")).fill(words)
        phone.get_by_role("button", name="Share").click()
        expect(phone.get_by_text("The facilitator will add it to the board")).to_be_visible(timeout=WAIT_MS)
        expect(phone.get_by_role("textbox", name=re.compile("Your reflection"))).to_have_value("")
    phone.screenshot(path=artifacts / "phone-reflect.png", full_page=True)
    # What the phone has shared lists both (each post's answer brings the phone's own words).
    phone.get_by_text("What I've shared (2)").click()
    expect(phone.get_by_text("The morning walks with the dog <3").first).to_be_visible(timeout=WAIT_MS)
    expect(phone.get_by_text("**Asking** for help took courage").first).to_be_visible(timeout=WAIT_MS)

    go_to_phase(console, "Next step")
    expect(phone.get_by_text("Your next step")).to_be_visible(timeout=WAIT_MS)
    # It had sent from the reflect form, so it followed the room without asking.
    expect(phone.get_by_text("The group has moved on")).to_have_count(0)
    phone.get_by_role("textbox", name=re.compile("I will")).fill("call my brother")
    phone.get_by_role("textbox", name=re.compile("by")).fill("Friday")
    phone.get_by_role("button", name="Save my next step").click()
    expect(phone.get_by_text("The facilitator will add it to the board")).to_be_visible(timeout=WAIT_MS)

    approve_all = console.get_by_role("button", name=re.compile("Approve all"))
    expect(approve_all).to_be_visible(timeout=WAIT_MS)
    approve_all.click()
    go_to_phase(console, "Hope board")

    expect(projector.get_by_text("The morning walks with the dog <3")).to_be_visible(timeout=10_000)
    expect(projector.get_by_text("I will call my brother by Friday")).to_be_visible(timeout=10_000)
    expect(projector.get_by_text("**Asking** for help took courage")).to_be_visible(timeout=10_000)

    # The phone's board: the cards as typed, and a "me too" that says it is pressed.
    card = phone.get_by_role("listitem").filter(has_text="The morning walks with the dog <3")
    me_too = card.get_by_role("button", name="Me too (0)")
    expect(me_too).to_have_attribute("aria-pressed", "false", timeout=WAIT_MS)
    me_too.dblclick()  # a double tap counts once
    pressed = card.get_by_role("button", name="Me too ✓ (1)")
    expect(pressed).to_have_attribute("aria-pressed", "true", timeout=WAIT_MS)
    expect(projector.get_by_text("me too × 1")).to_be_visible(timeout=10_000)
    # Two reflections and a goal, each sent once; one "me too" for the double tap.
    assert posts == [("send", 200)] * 3 + [("me-too", 200)], posts
    phone.screenshot(path=artifacts / "phone-board.png", full_page=True)
    projector.screenshot(path=artifacts / "projector-board.png")
    console.screenshot(path=artifacts / "console-board.png", full_page=True)

    console.get_by_role("button", name="Close session").click()
    console.get_by_role("button", name="Close it now").click()
    expect(phone.get_by_text("Thank you for being here")).to_be_visible(timeout=15_000)
    expect(phone.get_by_text("This session has ended")).to_be_visible(timeout=WAIT_MS)
    phone.screenshot(path=artifacts / "phone-close.png", full_page=True)
    # The phone followed every phase by asking its room, which held each question and answered.
    assert len(looks) >= 4 and all(status == 200 for status, _held in looks), looks
    assert sum(held for _status, held in looks) >= 4, looks
    phone_context.close()


def test_a_phone_that_reloads_still_sees_and_can_delete_its_words(app, browser):
    console = browser.new_page(viewport={"width": 1400, "height": 1000})
    create_first_account(console, app)
    start_session(console, "Reload check")
    join_url = join_url_from_qr(console)
    go_to_phase(console, "Reflect")

    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    join_on_phone(phone, join_url)
    phone.get_by_role("textbox", name=re.compile("Your reflection")).fill("Still here after a reload")
    phone.get_by_role("button", name="Share").click()
    expect(phone.get_by_text("The facilitator will add it to the board")).to_be_visible(timeout=WAIT_MS)

    phone.reload()
    phone.get_by_text("What I've shared").click()
    expect(phone.get_by_text("Still here after a reload")).to_be_visible(timeout=WAIT_MS)
    phone.get_by_role("button", name="Delete").click()
    phone.get_by_role("button", name="Yes, delete it").click()
    expect(phone.get_by_text("Nothing yet.")).to_be_visible(timeout=WAIT_MS)
    expect(phone.get_by_text("Still here after a reload")).to_have_count(0)

    # The facilitator moves on while this phone is half-way through a new reflection: the words
    # stay in the box and the phone asks before leaving (it follows on a tap).
    box = phone.get_by_role("textbox", name=re.compile("Your reflection"))
    box.fill("Half a thought about")
    phone.reload()  # a page drawn anew (or the form mounted again) brings back what was typed
    expect(box).to_have_value("Half a thought about", timeout=WAIT_MS)
    go_to_phase(console, "Next step")
    expect(phone.get_by_text("The group has moved on to: Next step")).to_be_visible(timeout=WAIT_MS)
    expect(box).to_have_value("Half a thought about")
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_text("Your next step")).to_be_visible(timeout=WAIT_MS)
    phone_context.close()
