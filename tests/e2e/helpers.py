"""Steps a person takes in the browser, shared by the end-to-end tests."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery"
WAIT_MS = 30_000


def field(page: Page, label: str):
    return page.get_by_role("textbox", name=label, exact=True)


def create_first_account(page: Page, app) -> None:  # type: ignore[no-untyped-def]
    """First start: the console asks for the setup code the server printed (and saved)."""
    page.goto(f"{app.base}/console")
    expect(page.get_by_text("Welcome to HopeCircle")).to_be_visible(timeout=WAIT_MS)
    field(page, "Setup code").fill(app.setup_code())
    field(page, "Your name (shown only to staff)").fill("Ada")
    field(page, "Username").fill("ada")
    field(page, "Password (at least 10 characters)").fill(PASSWORD)
    field(page, "Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account and sign in").click()
    expect(page.get_by_role("button", name="Start session")).to_be_visible(timeout=WAIT_MS)


def start_session(page: Page, title: str) -> None:
    field(page, "Session title (optional)").fill(title)
    page.get_by_role("button", name="Start session").click()
    expect(page.get_by_role("button", name="Next phase")).to_be_visible(timeout=WAIT_MS)


def join_url_from_qr(page: Page) -> str:
    """Open "Show join QR" and decode the QR code the console shows there, as a phone camera would."""
    page.get_by_role("button", name="Show join QR").click()
    image = page.get_by_test_id("stPopoverBody").get_by_role("img").first
    expect(image).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(500)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.screenshot())))
    assert decoded, "no QR code could be read from the console"
    page.keyboard.press("Escape")
    expect(image).to_be_hidden(timeout=WAIT_MS)
    return decoded[0].text


def next_phase(page: Page, expected: str) -> None:
    page.get_by_role("button", name="Next phase").click()
    expect(page.get_by_text(expected).first).to_be_visible(timeout=WAIT_MS)


def go_to_phase(page: Page, phase_name: str) -> None:
    """Press Next until the console says the room is in `phase_name`."""
    for _ in range(7):
        if page.get_by_text(f": {phase_name}", exact=False).count():
            return
        page.get_by_role("button", name="Next phase").click()
        page.wait_for_timeout(700)
    expect(page.get_by_text(f": {phase_name}", exact=False).first).to_be_visible(timeout=WAIT_MS)


def join_on_phone(phone: Page, url: str) -> None:
    phone.goto(url)
    phone.get_by_role("button", name="I understand, join").click()
    expect(phone.get_by_text("What I've shared")).to_be_visible(timeout=WAIT_MS)
