"""The console in a real room: a 1366 x 768 laptop, a phone sending words that may signal risk.

The alert must reach the console's visible area without scrolling, change the tab's title and
play the chime; the safe action must be the prominent one; closing must list what is open.
Saves the README's screenshot of the console with an alert (docs/screenshots/console.png).
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import PHONE
from tests.e2e.helpers import (
    PASSWORD,
    WAIT_MS,
    create_first_account,
    field,
    go_to_phase,
    join_on_phone,
    join_url_from_qr,
    start_session,
)
from tests.e2e.test_accessibility_and_offline import AXE, axe_violations, guard_network, save_screenshot

LAPTOP = {"width": 1366, "height": 768}
RISKY = "i want to end it all tonight"
# The issue asks for the alert within 2 s of the phone's send (the band looks every second); the
# deadline doubles that for a shared, noisy machine, and the test prints the time it took.
ALERT_DEADLINE_MS = 4_000
# Counts every play() of an audio element on the page, and lets a test make the browser refuse it.
SPY_ON_PLAY = """
window.hcPlays = 0;
window.hcRefuseSound = false;
const play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () {
  window.hcPlays += 1;
  if (window.hcRefuseSound) {
    return Promise.reject(new DOMException("refused in this test", "NotAllowedError"));
  }
  return play.call(this).catch(() => undefined);
};
"""


def in_view(page: Page, locator: Locator) -> bool:
    """The element's whole box is inside the window (not merely somewhere on the page)."""
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and (box["y"] + box["height"] <= size["height"])
    )


def scrolled(page: Page) -> int:
    return page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop")


def button_kind(button: Locator) -> str:
    """Streamlit marks a button's look in its test id: stBaseButton-primary or stBaseButton-secondary."""
    return (button.get_attribute("data-testid") or "").removeprefix("stBaseButton-")


def menu_is_valid(page: Page) -> None:
    """Wait for the sidebar menu's roles (ui/sidebar_menu.py), set once its script has loaded."""
    expect(page.locator('[data-testid="stSidebarNavItems"]')).to_have_attribute("role", "none", timeout=WAIT_MS)


def sign_in_again(page: Page) -> None:
    """After a reload: sign in if the console asks (the page's address keeps the session open)."""
    sign_in = page.get_by_role("button", name="Sign in")
    expect(sign_in.or_(page.get_by_role("switch", name="Alert sound"))).to_be_visible(timeout=WAIT_MS)
    if sign_in.is_visible():
        field(page, "Username").fill("ada")
        field(page, "Password").fill(PASSWORD)
        sign_in.click()


def plays(page: Page) -> int:
    return page.evaluate("() => window.hcPlays")


def test_a_risk_alert_from_a_phone_is_in_view_at_once_with_title_chime_safe_actions_and_a_careful_close(
    app, browser, artifacts
):
    assert AXE.exists(), f"{AXE} is missing: scripts/test.sh installs axe-core with npm"
    context = browser.new_context(viewport=LAPTOP)
    console = context.new_page()
    console.add_init_script(SPY_ON_PLAY)
    blocked = guard_network(console)
    create_first_account(console, app)
    expect(console.get_by_text("Start a session")).to_be_visible(timeout=WAIT_MS)
    menu_is_valid(console)
    problems = axe_violations(console)
    assert problems == [], "\n".join(problems)

    start_session(console, "Thursday circle")
    join_url = join_url_from_qr(console)
    go_to_phase(console, "Reflect")
    expect(console).to_have_title("HopeCircle")
    # The live layout fits the laptop: phase controls, timer, queue and the alert band in view.
    for part in (
        console.get_by_role("button", name="Next phase"),
        console.get_by_role("timer"),
        console.locator(".hc-queue-title"),
        console.locator(".st-key-hc-safety"),
    ):
        expect(part).to_be_visible(timeout=WAIT_MS)
        assert in_view(console, part), part

    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    join_on_phone(phone, join_url)
    phone.get_by_role("textbox", name=re.compile("Your reflection")).fill(RISKY)
    with phone.expect_response(lambda response: "/api/phone/send" in response.url) as sent:
        phone.get_by_role("button", name="Share").click()
    assert sent.value.status == 200
    posted = time.monotonic()

    alert = console.locator('[class*="st-key-hc-alert-"]').filter(has_text=RISKY)
    expect(alert).to_be_visible(timeout=ALERT_DEADLINE_MS)
    expect(console).to_have_title("(1) ⚠ HopeCircle", timeout=ALERT_DEADLINE_MS)
    arrived = time.monotonic() - posted
    assert in_view(console, alert), alert.bounding_box()
    assert scrolled(console) == 0  # nobody scrolled: it came to where the facilitator looks
    console.wait_for_function("() => window.hcPlays >= 1", timeout=ALERT_DEADLINE_MS)
    print(f"alert in view and title changed {arrived:.2f} s after the phone's send was answered")
    expect(console.get_by_role("alert").filter(has_text="may signal risk")).to_have_count(1)

    # The safe actions are the prominent ones; approving asks a second time.
    keep_hidden = alert.get_by_role("button", name="Keep hidden")
    assert button_kind(keep_hidden) == "primary"
    assert button_kind(alert.get_by_role("button", name="Mark reviewed")) == "primary"
    anyway = alert.get_by_role("button", name="Approve anyway…")
    assert button_kind(anyway) == "secondary"

    # Scrolled down to the guide notes, the alert stays pinned in view.
    console.mouse.move(600, 600)
    console.mouse.wheel(0, 1500)
    console.wait_for_function("() => document.querySelector('[data-testid=stMain]').scrollTop > 300")
    assert in_view(console, alert)
    console.mouse.wheel(0, -3000)
    console.wait_for_function("() => document.querySelector('[data-testid=stMain]').scrollTop === 0")
    console.wait_for_timeout(500)
    save_screenshot(console, "console.png", artifacts)
    menu_is_valid(console)
    assert axe_violations(console) == [], "live console with an alert"

    # The safety protocol is one click away, and stays open while the band refreshes.
    console.get_by_role("button", name="Safety protocol").click()
    step = console.get_by_text("Read the flagged message privately")
    expect(step).to_be_visible(timeout=WAIT_MS)
    console.wait_for_timeout(4_500)  # two of the band's refreshes
    expect(step).to_be_visible()
    console.keyboard.press("Escape")
    expect(step).to_be_hidden(timeout=WAIT_MS)

    anyway.click()
    expect(alert.get_by_text("Show these words on the projector?")).to_be_visible(timeout=WAIT_MS)
    assert button_kind(alert.get_by_role("button", name="No, keep it hidden")) == "primary"
    assert button_kind(alert.get_by_role("button", name="Yes, show it on the board")) == "secondary"
    alert.get_by_role("button", name="Cancel").click()
    expect(alert.get_by_role("button", name="Approve anyway…")).to_be_visible(timeout=WAIT_MS)

    # The browser refuses the sound: the console says so, and "Test sound" (a click) plays it.
    console.evaluate("() => { window.hcRefuseSound = true; }")
    before = plays(console)
    phone.get_by_role("textbox", name=re.compile("How can they find you")).fill("green scarf")
    phone.get_by_role("button", name="Yes, I'd like to talk after the group").click()
    talk = console.locator('[class*="st-key-hc-talk-"]').filter(has_text="green scarf")
    expect(talk).to_be_visible(timeout=ALERT_DEADLINE_MS)
    assert in_view(console, talk)
    expect(console).to_have_title("(2) ⚠ HopeCircle", timeout=ALERT_DEADLINE_MS)
    blocked_note = console.get_by_text("The browser is blocking the alert sound")
    expect(blocked_note).to_be_visible(timeout=WAIT_MS)
    assert plays(console) == before + 1
    console.evaluate("() => { window.hcRefuseSound = false; }")
    console.get_by_role("button", name="Test sound").click()
    expect(console.get_by_text("The sound works.")).to_be_visible(timeout=WAIT_MS)
    expect(blocked_note).to_be_hidden()

    # The sound switch is remembered by this browser.
    switch = console.get_by_role("switch", name="Alert sound")
    expect(switch).to_have_attribute("aria-checked", "true")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")
    console.reload()
    sign_in_again(console)
    expect(console.get_by_role("switch", name="Alert sound")).to_have_attribute(
        "aria-checked", "false", timeout=WAIT_MS
    )
    expect(console).to_have_title("(2) ⚠ HopeCircle", timeout=ALERT_DEADLINE_MS)
    console.get_by_role("switch", name="Alert sound").click()

    # Answered, the alerts leave the band and the title is the page's own again.
    alert.get_by_role("button", name="Mark reviewed").click()
    talk.get_by_role("button", name="Noted").click()
    expect(console).to_have_title("HopeCircle", timeout=ALERT_DEADLINE_MS)
    expect(console.get_by_text("No alerts right now.")).to_be_visible(timeout=WAIT_MS)
    reviewed = console.locator('[class*="st-key-hc-item-"]').filter(has_text=RISKY)
    expect(reviewed).to_be_visible(timeout=WAIT_MS)
    assert button_kind(reviewed.get_by_role("button", name="Keep hidden")) == "primary"

    # Closing lists what is still held and asks first.
    console.get_by_role("button", name="Close session").click()
    check = console.locator(".st-key-hc-close-check")
    expect(check.get_by_text("Before you close: 1 thing still needs an answer")).to_be_visible(timeout=WAIT_MS)
    expect(check.get_by_text("Held back, not decided yet (1)")).to_be_visible()
    expect(check.get_by_role("listitem").filter(has_text=RISKY)).to_be_visible()
    assert in_view(console, check)
    assert button_kind(check.get_by_role("button", name="Keep the session open")) == "primary"
    check.get_by_role("button", name="Close anyway").click()
    expect(phone.get_by_text("This session has ended")).to_be_visible(timeout=WAIT_MS)
    expect(console.get_by_text("This session is closed")).to_be_visible(timeout=WAIT_MS)
    assert blocked == [], blocked
    phone_context.close()
    context.close()
