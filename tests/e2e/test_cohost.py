"""Two facilitators run one room from two computers: the owner adds a co-facilitator, who then
sees the queue and a risk alert, approves and moves the room; the owner's console says who did it,
and neither the projector nor a phone shows a staff name. The join sheet downloads and scans."""

from __future__ import annotations

import re
import subprocess

import zxingcpp
from PIL import Image
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.services import accounts
from hopecircle.services.context import Context
from hopecircle.store import open_store
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import PASSWORD, WAIT_MS, field, go_to_phase, join_on_phone, start_session

CONSOLE = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}
STAFF = ("Ada", "Sam")


def staff_accounts(app) -> None:  # type: ignore[no-untyped-def]
    """The organization's two facilitators (Ada is its first account), made on the app's database."""
    ctx = Context(
        store=open_store(f"sqlite:///{app.data_dir / 'hopecircle.db'}"),
        stories=load_stories(ROOT / "stories"),
        guides=load_guides(ROOT / "facilitator_guides"),
    )
    ada = accounts.create_first_account(ctx, accounts.setup_code(ctx), "ada", "Ada", PASSWORD)
    accounts.create_account(ctx, ada, "sam", "Sam", PASSWORD)
    ctx.store.dispose()


def sign_in(page: Page, app, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app.base}/console")
    field(page, "Username").fill(username)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Start session")).to_be_visible(timeout=WAIT_MS)


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of a select box, as a person does: open it, then click the option."""
    picker = page.get_by_role("combobox", name=label)
    expect(picker).to_be_visible(timeout=WAIT_MS)
    for _attempt in range(3):
        picker.click()
        try:
            page.get_by_role("option", name=option).click(timeout=5_000)
            break
        except PlaywrightTimeout:  # the list closed under the click (the page was still drawing)
            page.keyboard.press("Escape")
    expect(picker).to_have_value(option)


def in_viewport(page: Page, element: Locator) -> None:
    """The element is on screen at this window size: scrolled to, with its whole box inside the window."""
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    assert box["width"] > 0 and box["height"] > 0
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], box
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], box


def all_text(page: Page) -> str:
    """Every word the page shows, components' shadow roots included."""
    return page.evaluate(
        """() => {
            const parts = [document.body.innerText];
            for (const el of document.querySelectorAll('*')) {
                if (el.shadowRoot) parts.push(el.shadowRoot.textContent || '');
            }
            return parts.join('\\n');
        }"""
    )


def test_two_facilitators_run_one_room_and_only_their_consoles_say_who_did_what(app, browser, artifacts, tmp_path):
    staff_accounts(app)
    owner = browser.new_context(viewport=CONSOLE).new_page()
    sign_in(owner, app, "ada")
    start_session(owner, "Thursday circle")
    expect(owner.get_by_text(re.compile(r"Code [A-Z0-9]{6} ·"))).to_be_visible(timeout=WAIT_MS)
    code = re.search(r"Code ([A-Z0-9]{6}) ·", owner.locator("body").inner_text()).group(1)
    countdown = owner.get_by_role("timer")
    expect(countdown).to_have_text(re.compile(r"^\d\d:\d\d left$"), timeout=WAIT_MS)
    in_viewport(owner, countdown)

    # The owner adds Sam as co-facilitator.
    owner.get_by_text("Facilitators (1)").click()
    choose(owner, "Add a co-facilitator", "Sam")
    owner.get_by_role("button", name="Add", exact=True).click()
    added = owner.get_by_text("Sam (co-facilitator)")
    expect(added).to_be_visible(timeout=WAIT_MS)
    in_viewport(owner, added)

    # Sam signs in on another computer and finds the session among his.
    cohost = browser.new_context(viewport=CONSOLE).new_page()
    sign_in(cohost, app, "sam")
    cohost.get_by_role("button", name=re.compile(f"Thursday circle · {code}")).click()
    expect(cohost.get_by_text(re.compile(f"Code {code} ·"))).to_be_visible(timeout=WAIT_MS)

    go_to_phase(owner, "Reflect")
    phone = browser.new_context(**PHONE).new_page()
    join_on_phone(phone, f"{app.base}/?code={code}")
    expect(phone.get_by_text("Reflect", exact=True)).to_be_visible(timeout=WAIT_MS)
    for words in ("The letters part stayed with me", "honestly I don't want to be here anymore"):
        phone.get_by_role("textbox", name=re.compile("Your reflection")).fill(words)
        phone.get_by_role("button", name="Share").click()
        phone.wait_for_timeout(1500)

    # Sam's console shows the queue and the risk alert; he approves and moves the room on.
    alert = cohost.locator(".hc-band-head", has_text="may signal risk")
    expect(alert).to_be_visible(timeout=WAIT_MS)
    in_viewport(cohost, alert)
    item = cohost.get_by_text("The letters part stayed with me")
    expect(item).to_be_visible(timeout=WAIT_MS)
    in_viewport(cohost, item)
    cohost.get_by_role("button", name="Approve", exact=True).last.click()
    # Out of the queue (it is on the board now: the console's on-board list holds it).
    expect(cohost.get_by_role("heading", name="To review (0)")).to_be_visible(timeout=WAIT_MS)
    cohost.get_by_role("button", name="Next phase").click()
    expect(cohost.get_by_text("Phase 5 of 7: Next step")).to_be_visible(timeout=WAIT_MS)
    cohost.screenshot(path=artifacts / "console-cohost.png")

    # The owner's console follows and says who did it.
    moved = owner.get_by_text("Moved to Next step by Sam")
    expect(moved).to_be_visible(timeout=WAIT_MS)
    in_viewport(owner, moved)
    owner.get_by_text("On the board", exact=True).click()
    approved = owner.get_by_text("Approved by Sam")
    expect(approved).to_be_visible(timeout=WAIT_MS)
    in_viewport(owner, approved)
    owner.screenshot(path=artifacts / "console-owner.png")

    # The room never sees a staff name: not on the projector, not on the phone.
    projector_link = owner.get_by_role("link", name="Open projector view").get_attribute("href")
    projector = browser.new_page(viewport=PROJECTOR)
    projector.goto(re.sub(r"^(?!http)", f"{app.base}/", projector_link))
    expect(projector.get_by_text(re.compile("on the board")).first).to_be_visible(timeout=WAIT_MS)
    expect(phone.get_by_text("Your next step").first).to_be_visible(timeout=WAIT_MS)
    for screen in (projector, phone):
        shown = all_text(screen)
        assert not any(re.search(rf"\b{name}\b", shown) for name in STAFF), shown

    # The join sheet downloads from the console, and its QR code opens the session.
    owner.get_by_text("Print", exact=True).click()
    with owner.expect_download(timeout=WAIT_MS) as download:
        owner.get_by_role("button", name="Join sheet (Letter)").click()
    sheet = tmp_path / "join-sheet.pdf"
    download.value.save_as(sheet)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", "1", "-l", "1", str(sheet), str(tmp_path / "p")], check=True)
    (page_png,) = tmp_path.glob("p*.png")
    assert [found.text for found in zxingcpp.read_barcodes(Image.open(page_png))] == [f"{app.base}/?code={code}"]


def test_the_room_follows_edited_prompts_and_the_projector_counts_down_calmly(app, browser):
    from hopecircle.domain import Phase
    from hopecircle.services import participation, sessions
    from tests.e2e.test_accessibility_and_offline import axe_violations

    ctx = Context(
        store=open_store(f"sqlite:///{app.data_dir / 'hopecircle.db'}"),
        stories=load_stories(ROOT / "stories"),
        guides=load_guides(ROOT / "facilitator_guides"),
    )
    ada = accounts.create_first_account(ctx, accounts.setup_code(ctx), "ada", "Ada", PASSWORD)
    session = sessions.start_session(ctx, ada, "letters-to-my-daughter", "Thursday circle", plan_id="session-75")
    sessions.set_phase(ctx, ada, session.id, Phase.REFLECT)
    sessions.set_projector_timer(ctx, ada, session.id, True)
    english = participation.join(ctx, session.code, "en").token
    spanish = participation.join(ctx, session.code, "es").token

    # The console ticks on its own, second by second, without a script run.
    console = browser.new_context(viewport=CONSOLE).new_page()
    console.goto(f"{app.base}/console?session={session.id}")
    field(console, "Username").fill("ada")
    field(console, "Password").fill(PASSWORD)
    console.get_by_role("button", name="Sign in").click()
    clock = console.get_by_role("timer")
    expect(clock).to_have_text(re.compile(r"^1[78]:\d\d left$"), timeout=WAIT_MS)
    first = clock.inner_text()
    expect(clock).not_to_have_text(first, timeout=10_000)

    phones = {}
    for language, token in (("en", english), ("es", spanish)):
        phones[language] = browser.new_context(**PHONE).new_page()
        phones[language].goto(f"{app.base}/?code={session.code}&p={token}&lang={language}")
    story_prompt = ctx.stories.get("letters-to-my-daughter").prompts[0]
    expect(phones["en"].get_by_text(story_prompt)).to_be_visible(timeout=WAIT_MS)

    projectors = [
        browser.new_page(viewport=size)
        for size in (PROJECTOR, {"width": 1280, "height": 720}, {"width": 1024, "height": 768})
    ]
    for projector in projectors:
        projector.goto(f"{app.base}/board?key={session.board_key}")
        expect(projector.get_by_text(story_prompt)).to_be_visible(timeout=WAIT_MS)

    sessions.set_prompts(ctx, ada, session.id, ["What will you carry home tonight?", "What surprised you?"])
    edited = phones["en"].get_by_text("What will you carry home tonight?")
    expect(edited).to_be_visible(timeout=WAIT_MS)
    in_viewport(phones["en"], edited)
    spanish_prompt = ctx.stories.get("letters-to-my-daughter-es").prompts[0]
    expect(phones["es"].get_by_text(spanish_prompt)).to_be_visible(timeout=WAIT_MS)
    expect(phones["es"].get_by_text("What will you carry home tonight?")).to_have_count(0)
    for projector in projectors:
        heading = projector.get_by_text("What will you carry home tonight?")
        expect(heading).to_be_visible(timeout=WAIT_MS)
        in_viewport(projector, heading)
        calm = projector.get_by_role("status").filter(has_text=re.compile(r"minutes left"))
        expect(calm).to_have_text(re.compile(r"^About 1[78] minutes left$"), timeout=WAIT_MS)
        in_viewport(projector, calm)
    assert axe_violations(projectors[0]) == []
    ctx.store.dispose()
