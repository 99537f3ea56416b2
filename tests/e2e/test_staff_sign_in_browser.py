"""Staff in a real browser: a fresh server shows the product's menu, and a sign-in outlives a reload.

The console is a laptop at 1366x768. What a person must see is asserted inside the window, not
merely somewhere in the page.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from bench.load.servers import PAGES_SCRIPT, deploy, start_apps
from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.services import accounts
from hopecircle.services.context import Context
from hopecircle.services.sign_ins import COOKIE_NAME
from hopecircle.store import open_store
from hopecircle.ui.auth import CHECK_SECONDS
from tests.e2e.helpers import PASSWORD, WAIT_MS, create_first_account, field

CONSOLE = {"width": 1366, "height": 768}
# Streamlit's centered layout caps the page at 736 px wide; the wide one uses the window.
CENTERED_WIDTH = 736
# What Streamlit lists by itself for a `pages/` folder, before (or without) the router.
FILE_NAMES = ("workshop app", "workshop_app")

# Records, from the first byte of the page on, every menu the sidebar shows and how wide the
# page is when its first title appears: a glimpse before the first run finishes counts too.
WATCH_THE_FIRST_RUN = """
window.hcSeen = { menus: [], titleWidth: null };
new MutationObserver(() => {
  const nav = document.querySelector('[data-testid="stSidebarNav"]');
  if (nav) {
    window.hcSeen.menus.push(nav.innerText);
  }
  const title = document.querySelector("h1");
  if (title && window.hcSeen.titleWidth === null) {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    window.hcSeen.titleWidth = main ? main.getBoundingClientRect().width : -1;
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def in_window(page: Page, locator) -> None:
    """The element is drawn inside the browser window (not below the fold, not off to a side)."""
    expect(locator).to_be_visible(timeout=WAIT_MS)
    size = page.viewport_size
    deadline = time.monotonic() + WAIT_MS / 1000
    box = locator.bounding_box()
    while box is None and time.monotonic() < deadline:  # redrawn by a run just then: look again
        page.wait_for_timeout(100)
        box = locator.bounding_box()
    assert box is not None and size is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"], box


def staff_cookie(context) -> dict | None:
    """The staff cookie the browser holds, once the page's post has set it."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        found = [cookie for cookie in context.cookies() if cookie["name"] == COOKIE_NAME]
        if found:
            return found[0]
        time.sleep(0.2)
    return None


def wait_until_cleared(context) -> None:
    deadline = time.monotonic() + WAIT_MS / 1000
    while any(cookie["name"] == COOKIE_NAME for cookie in context.cookies()):
        assert time.monotonic() < deadline, "the browser still holds the staff cookie after signing out"
        time.sleep(0.2)


def signed_in_console(page: Page) -> None:
    in_window(page, page.get_by_role("button", name="Start session"))
    expect(page.get_by_text("Facilitator sign-in")).to_have_count(0)


def sign_in(page: Page) -> None:
    field(page, "Username").fill("ada")
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    signed_in_console(page)


def test_a_fresh_server_opens_the_console_wide_with_the_products_menu_never_the_file_names(app, browser):
    context = browser.new_context(viewport=CONSOLE)
    context.add_init_script(WATCH_THE_FIRST_RUN)
    page = context.new_page()
    page.goto(f"{app.base}/console")  # the first tab this server ever sees
    in_window(page, page.get_by_role("heading", name="Welcome to HopeCircle"))
    in_window(page, page.get_by_role("button", name="Create account and sign in"))
    seen = page.evaluate("window.hcSeen")
    assert seen["menus"] == []  # a stranger gets no menu at all, not the folder's files
    assert seen["titleWidth"] > CENTERED_WIDTH + 100, seen  # wide from the first title on

    create_first_account(page, app)
    menu = page.get_by_test_id("stSidebarNav")
    in_window(page, menu.get_by_text("Facilitator console"))
    seen = page.evaluate("window.hcSeen")
    assert seen["menus"] and not any(name in menu_text for menu_text in seen["menus"] for name in FILE_NAMES), seen
    assert page.get_by_test_id("stMainBlockContainer").bounding_box()["width"] > CENTERED_WIDTH
    context.close()


def test_a_reload_a_new_tab_and_a_typed_address_keep_the_facilitator_signed_in_until_sign_out(app, browser):
    context = browser.new_context(viewport=CONSOLE)
    page = context.new_page()
    create_first_account(page, app)
    cookie = staff_cookie(context)
    assert cookie is not None, "the browser was not given its staff cookie"
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"], cookie["secure"]) == (True, "Strict", "/", False)
    hours_left = (cookie["expires"] - time.time()) / 3600
    assert 11.9 < hours_left <= 12.01, hours_left
    assert COOKIE_NAME not in page.evaluate("document.cookie")  # page scripts cannot read it

    page.reload()
    signed_in_console(page)
    other_tab = context.new_page()
    other_tab.goto(f"{app.base}/console")
    signed_in_console(other_tab)
    typed = context.new_page()
    typed.goto(f"{app.base}/guides")  # a staff address typed into the bar
    in_window(typed, typed.get_by_role("combobox", name="Guide"))
    in_window(typed, typed.get_by_text("Signed in as Ada"))
    typed.close()

    page.get_by_role("button", name="Sign out").click()
    in_window(page, page.get_by_role("heading", name="Facilitator sign-in"))
    in_window(page, page.get_by_text("This browser keeps you signed in for 12 hours", exact=False))
    wait_until_cleared(context)
    # The other tab, still open, is signed out at its next run after a short while.
    other_tab.wait_for_timeout(CHECK_SECONDS * 1000 + 1000)
    other_tab.get_by_test_id("stSidebarNav").get_by_text("Facilitator guides").click()
    in_window(other_tab, other_tab.get_by_role("heading", name="Facilitator sign-in"))
    expect(other_tab.get_by_text("You are signed out")).to_be_visible(timeout=WAIT_MS)
    context.close()

    # The old cookie value, copied before signing out, signs no one in.
    thief = browser.new_context(viewport=CONSOLE)
    thief.add_cookies([{"name": COOKIE_NAME, "value": cookie["value"], "url": app.base}])
    stolen = thief.new_page()
    stolen.goto(f"{app.base}/console")
    in_window(stolen, stolen.get_by_role("heading", name="Facilitator sign-in"))
    expect(stolen.get_by_role("button", name="Start session")).to_have_count(0)
    thief.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_database(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.db'}"
    return request.getfixturevalue("postgres").fresh_database()


def first_account(url: str) -> None:
    """The first account, made through the services as its first start would."""
    ctx = Context(
        store=open_store(url), stories=load_stories(ROOT / "stories"), guides=load_guides(ROOT / "facilitator_guides")
    )
    accounts.create_first_account(ctx, accounts.setup_code(ctx), "ada", "Ada", PASSWORD)
    ctx.store.dispose()


def test_two_processes_behind_nginx_keep_the_sign_in_and_a_sign_out_ends_it_in_both(shared_database, tmp_path, browser):
    first_account(shared_database)
    env = {"HOPECIRCLE_DATABASE_URL": shared_database, "HOPECIRCLE_DATA_DIR": str(tmp_path / "data")}
    deployment = deploy(2, tmp_path / "run", env=env, proxy=True)
    try:
        (proxy,) = deployment.targets
        context = browser.new_context(viewport=CONSOLE)
        page = context.new_page()
        page.goto(f"{proxy}/console")
        sign_in(page)
        cookie = staff_cookie(context)
        assert cookie is not None, "the cookie set behind the proxy did not reach the browser"
        page.reload()
        signed_in_console(page)
        # Each process on its own address (a browser's cookies are per host, not per port): both
        # accept the cookie the other, or the proxy's choice of process, set.
        for app in deployment.apps:
            direct = context.new_page()
            direct.goto(f"{app.base}/console")
            signed_in_console(direct)
            direct.close()
        # Through the proxy with a new affinity key each time, as after a process restarts.
        for _ in range(3):
            context.clear_cookies(name="hc_affinity")
            again = context.new_page()
            again.goto(f"{proxy}/console")
            signed_in_console(again)
            again.close()

        page.get_by_role("button", name="Sign out").click()
        in_window(page, page.get_by_role("heading", name="Facilitator sign-in"))
        wait_until_cleared(context)
        context.add_cookies([{"name": COOKIE_NAME, "value": cookie["value"], "url": proxy}])
        for app in deployment.apps:
            direct = context.new_page()
            direct.goto(f"{app.base}/console")
            in_window(direct, direct.get_by_role("heading", name="Facilitator sign-in"))
            expect(direct.get_by_role("button", name="Start session")).to_have_count(0)
            direct.close()
        context.close()
    finally:
        deployment.stop()


def test_started_without_serve_py_the_router_takes_over_after_the_first_page_and_the_sign_in_is_per_tab(
    tmp_path, browser
):
    (tmp_path / "data").mkdir()
    env = {"HOPECIRCLE_DATA_DIR": str(tmp_path / "data")}
    first_account(f"sqlite:///{tmp_path / 'data' / 'hopecircle.db'}")
    (app,) = start_apps(1, tmp_path / "run", script=PAGES_SCRIPT, env=env)
    try:
        context = browser.new_context(viewport=CONSOLE)
        first = context.new_page()
        first.goto(f"{app.base}/console")  # this one may still be run straight from pages/
        expect(first.get_by_role("heading", name="Facilitator sign-in")).to_be_visible(timeout=WAIT_MS)
        context.add_init_script(WATCH_THE_FIRST_RUN)
        page = context.new_page()
        page.goto(f"{app.base}/console")
        in_window(page, page.get_by_role("heading", name="Facilitator sign-in"))
        in_window(page, page.get_by_text("only while this tab is open", exact=False))
        seen = page.evaluate("window.hcSeen")
        assert seen["menus"] == [] and seen["titleWidth"] > CENTERED_WIDTH + 100, seen
        sign_in(page)
        assert not [c for c in context.cookies() if c["name"] == COOKIE_NAME]  # no endpoint: nothing kept
        page.reload()
        in_window(page, page.get_by_role("heading", name="Facilitator sign-in"))
        context.close()
    finally:
        app.process.terminate()
        app.process.wait(timeout=15)
