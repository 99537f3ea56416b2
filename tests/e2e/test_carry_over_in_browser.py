"""Two meetings of one recurring group in a row, served as a venue runs it.

The facilitator makes the group and starts both meetings from the console's group picker. The
same phone (one browser context kept for both meetings, so its storage persists) and two fresh
phones join the second meeting from its QR code and post, from their own pages, what the phone's
follow-up question posts (`/api/carry/*`). The projector's "Since last time" shows a welcome
until the reveal threshold answered, then the counts.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.services import accounts, carry, sessions
from hopecircle.services.context import Context
from hopecircle.store import open_store
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import PASSWORD, WAIT_MS, field, join_on_phone, join_url_from_qr, start_session

CONSOLE = {"width": 1366, "height": 768}
PROJECTOR = {"width": 1920, "height": 1080}
GROUP = "Tuesday evening circle"

# What the phone's screen posts, run in the phone's own page: same origin, JSON body, its token.
POST = """async ([path, body]) => {
  const token = new URL(location.href).searchParams.get("p");
  const answer = await fetch(path, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({token, ...body}),
  });
  return {status: answer.status, body: await answer.json()};
}"""


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


def post(phone: Page, path: str, **body: object) -> dict:
    return phone.evaluate(POST, [path, body])


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
    phone = same_phone.new_page()
    join_on_phone(phone, first_url)
    (group,) = carry.list_groups(ctx, ada)
    first_state = post(phone, "/api/carry/state", lang="en")
    assert first_state == {"status": 200, "body": {"group": group.key, "asks": False, "answered": False, "open": True}}
    (first,) = [s for s in sessions.my_sessions(ctx, ada) if s.title == "First night"]
    sessions.close_session(ctx, ada, first.id)

    second_url = start_meeting(console, app, "Second night", 1)
    (second,) = [s for s in sessions.my_sessions(ctx, ada) if s.title == "Second night"]
    phones = [same_phone.new_page()] + [browser.new_context(**PHONE).new_page() for _ in range(2)]
    for each in phones:
        join_on_phone(each, second_url)
    again = post(phones[0], "/api/carry/state", lang="en")["body"]
    assert (again["group"], again["asks"]) == (group.key, True)  # the key the phone kept matches this group
    assert post(phones[1], "/api/carry/state", lang="es")["body"]["asks"]  # a new phone is asked too

    console.get_by_text("Since last time").first.click()
    console.get_by_role("button", name='Show "Since last time"').click()
    projector = browser.new_page(viewport=PROJECTOR)
    projector.goto(f"{app.base}/board?key={second.board_key}")
    expect(projector.get_by_text("Welcome back.", exact=False)).to_be_visible(timeout=WAIT_MS)

    assert post(phones[0], "/api/carry/follow-up", answer="did_it", helped="", lang="en")["body"]["counted"]
    spanish = post(phones[1], "/api/carry/follow-up", answer="partly", lang="es")
    assert spanish == {
        "status": 200,
        "body": {"counted": True, "message": "Gracias. Tu respuesta quedó contada.", "status": None, "support": False},
    }
    assert post(phones[0], "/api/carry/follow-up", answer="not_yet", lang="en")["body"]["counted"] is False
    expect(projector.get_by_text("Welcome back.", exact=False)).to_be_visible()
    post(phones[2], "/api/carry/follow-up", answer="did_it", lang="en")
    expect(projector.get_by_text("2 steps taken")).to_be_visible(timeout=WAIT_MS)
    expect(projector.get_by_text("1 partly")).to_be_visible()
    expect(projector.get_by_text("3 people answered")).to_be_visible()
    ctx.store.dispose()
