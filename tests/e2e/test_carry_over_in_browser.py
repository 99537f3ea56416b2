"""Two meetings of one recurring group in a row, served as a venue runs it.

The facilitator makes the group and starts both meetings from the console's group picker. One
phone (one browser context kept for both meetings, so its storage persists) sets a next step at
the first meeting and ticks "Remind me of this next time"; at the second it is shown its own
step, privately, before check-in, and answers. Two fresh phones are asked without a step. The
projector's "Since last time" shows a welcome until the reveal threshold answered, then the counts.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.domain import Phase
from hopecircle.services import accounts, carry, sessions
from hopecircle.services.context import Context
from hopecircle.store import open_store
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import PASSWORD, WAIT_MS, field, join_on_phone, join_url_from_qr, start_session
from tests.e2e.test_accessibility_and_offline import axe_violations

CONSOLE = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}
GROUP = "Tuesday evening circle"


def app_context(app) -> Context:  # type: ignore[no-untyped-def]
    return Context(
        store=open_store(f"sqlite:///{app.data_dir / 'hopecircle.db'}"),
        stories=load_stories(ROOT / "stories"),
        guides=load_guides(ROOT / "facilitator_guides"),
    )


def choose(page: Page, label: str, option: str) -> None:
    picker = page.get_by_role("combobox", name=label)
    expect(picker).to_be_visible(timeout=WAIT_MS)
    for _attempt in range(3):
        picker.click()
        try:
            page.get_by_role("option", name=option).click(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    expect(picker).to_have_value(option)


def start_meeting(console: Page, app, title: str, meetings: int) -> str:  # type: ignore[no-untyped-def]
    """Start the group's next meeting from the console; the join address from its QR code."""
    console.goto(f"{app.base}/console")
    choose(console, "Group", f"{GROUP} · Eastside · {meetings} meeting" + ("" if meetings == 1 else "s"))
    start_session(console, title)
    return join_url_from_qr(console)


STORED = "() => JSON.parse(localStorage.getItem('hopecircle.carry') || '{}')"


def in_viewport(page: Page, locator) -> bool:  # type: ignore[no-untyped-def]
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0


def answer_follow_up(phone: Page, choice: str, helped: str = "") -> None:
    """Answer the private question before check-in from the phone's own screen."""
    phone.get_by_role("button", name=choice, exact=True).click()
    if helped:
        phone.get_by_role("textbox", name="What helped? (optional)").fill(helped)
    phone.get_by_role("button", name="Send", exact=True).click()
    expect(phone.get_by_text("Your answer is counted", exact=False).first).to_be_visible(timeout=WAIT_MS)
    expect(phone.locator(".hc-carry")).to_have_count(0, timeout=WAIT_MS)


def test_two_meetings_of_a_group_and_the_rooms_counts_from_the_threshold(browser, app):
    ctx = app_context(app)
    ada = accounts.create_first_account(ctx, accounts.setup_code(ctx), "ada", "Ada", PASSWORD)
    console = browser.new_page(viewport=CONSOLE)
    console.goto(f"{app.base}/console")
    field(console, "Username").fill("ada")
    field(console, "Password").fill(PASSWORD)
    console.get_by_role("button", name="Sign in").click()
    console.get_by_text("New recurring group").click()
    field(console, "Group name").fill(GROUP)
    field(console, "Program (optional)").fill("Eastside")
    console.get_by_role("button", name="Create group").click()
    expect(console.get_by_text("Group created")).to_be_visible(timeout=WAIT_MS)

    same_phone = browser.new_context(**PHONE)  # one phone for both meetings: its storage persists
    first_url = start_meeting(console, app, "First night", 0)
    (first,) = [s for s in sessions.my_sessions(ctx, ada) if s.title == "First night"]
    phone = same_phone.new_page()
    join_on_phone(phone, first_url)
    expect(phone.locator(".hc-carry")).to_have_count(0)  # a group's first meeting asks nothing
    sessions.set_phase(ctx, ada, first.id, Phase.NEXT_STEP)
    phone.get_by_role("textbox", name="I will…", exact=False).fill("walk to the lake with Sam")
    phone.get_by_role("button", name="Save my next step").click()
    expect(phone.get_by_text("What I've shared (1)")).to_be_visible(timeout=WAIT_MS)
    # The step may open a future circle: the phone's own mark, in its list.
    phone.get_by_text("What I've shared (1)").click()
    mark = phone.get_by_role("button", name="May open a future circle")
    mark.click()
    expect(mark).to_have_attribute("aria-pressed", "true", timeout=WAIT_MS)
    sessions.set_phase(ctx, ada, first.id, Phase.CLOSE)
    remind = phone.get_by_role("checkbox", name="Remind me of this next time")
    expect(remind).to_be_visible(timeout=WAIT_MS)
    assert not remind.is_checked()  # off by default
    assert axe_violations(phone) == []  # the close screen with its reminder box
    remind.check()
    assert phone.evaluate(STORED) == {carry.list_groups(ctx, ada)[0].key: {"step": "walk to the lake with Sam"}}
    sessions.close_session(ctx, ada, first.id)

    second_url = start_meeting(console, app, "Second night", 1)
    (second,) = [s for s in sessions.my_sessions(ctx, ada) if s.title == "Second night"]
    phones = [same_phone.new_page()] + [browser.new_context(**PHONE).new_page() for _ in range(2)]
    for each in phones:
        join_on_phone(each, second_url)
    expect(phones[0].get_by_text("Last time your next step was:")).to_be_visible(timeout=WAIT_MS)
    assert in_viewport(phones[0], phones[0].locator(".hc-carry h2"))  # first thing on the screen
    expect(phones[0].get_by_text("walk to the lake with Sam")).to_be_visible()
    assert axe_violations(phones[0]) == []
    for fresh in phones[1:]:  # a phone with no step kept is asked too, without any words
        heading = fresh.get_by_role("heading", name="Did you set a next step last time?", exact=False)
        expect(heading).to_be_visible(timeout=WAIT_MS)
        expect(fresh.get_by_text("walk to the lake with Sam")).to_have_count(0)

    console.get_by_text("Since last time").first.click()
    console.get_by_role("button", name='Show "Since last time"').click()
    projector = browser.new_page(viewport=PROJECTOR)
    projector.goto(f"{app.base}/board?key={second.board_key}")
    expect(projector.get_by_text("Welcome back.", exact=False)).to_be_visible(timeout=WAIT_MS)

    answer_follow_up(phones[0], "Partly", helped="My neighbour came along")
    assert phones[0].evaluate(STORED) == {}  # answered: the step is no longer kept on the phone
    answer_follow_up(phones[1], "Did it")
    expect(projector.get_by_text("Welcome back.", exact=False)).to_be_visible()
    answer_follow_up(phones[2], "Did it")
    expect(projector.get_by_text("2 steps taken")).to_be_visible(timeout=WAIT_MS)
    expect(projector.get_by_text("1 partly")).to_be_visible()
    expect(projector.get_by_text("3 people answered")).to_be_visible()
    # The answer is asked once: a reload does not ask again.
    phones[0].reload()
    expect(phones[0].get_by_text("What I've shared")).to_be_visible(timeout=WAIT_MS)
    expect(phones[0].locator(".hc-carry")).to_have_count(0)
    ctx.store.dispose()
