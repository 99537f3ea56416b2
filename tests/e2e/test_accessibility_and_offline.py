"""WCAG 2.2 AA checks with axe-core, phone ergonomics, and no request leaving the machine.

Also saves the screenshots the README shows: the phone in English and Spanish, the projector in
both themes, and a hope card.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.domain import Kind, Moment, Phase
from hopecircle.services import accounts, moderation, organization, participation, sessions
from hopecircle.services.context import Context
from hopecircle.services.participation import GoalInput
from hopecircle.store import open_store
from tests.e2e.conftest import PHONE

AXE = ROOT / "tests" / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def room(app):
    """A session with a few approved cards and pulses, made through the services on the app's database."""
    ctx = Context(
        store=open_store(f"sqlite:///{app.data_dir / 'hopecircle.db'}"),
        stories=load_stories(ROOT / "stories"),
        guides=load_guides(ROOT / "facilitator_guides"),
    )
    admin = accounts.create_first_account(ctx, accounts.setup_code(ctx), "ada", "Ada", "correct horse battery")
    organization.update_settings(ctx, admin, suppression_threshold=3)
    session = sessions.start_session(ctx, admin, "letters-to-my-daughter", "Thursday circle")
    words = [
        ("The Sunday cooking brought me back to my grandmother's kitchen", "checkin", "hopeful"),
        ("Keeping small promises is something I can start today", "checkin", "tired"),
        ("Writing letters I don't send: I want to try that", "checkin", "🙂"),
        ("Lo de las cartas me llegó al corazón", "checkin", "esperanza"),
    ]
    tokens = []
    for text, _kind, word in words:
        token = participation.join(ctx, session.code).token
        tokens.append(token)
        moderation.approve(ctx, admin, participation.submit_reflection(ctx, token, text).contribution.id)
        moderation.approve(ctx, admin, participation.submit_word(ctx, token, Kind.CHECKIN, word).contribution.id)
        participation.submit_pulse(ctx, token, Moment.PRE, 4 + len(tokens))
        participation.submit_pulse(ctx, token, Moment.POST, 6 + len(tokens) // 2)
    goal = participation.submit_goal(ctx, tokens[0], GoalInput("call my daughter", "Sunday", "my sister", "community"))
    moderation.approve(ctx, admin, goal.contribution.id)
    yield ctx, admin, session, tokens
    ctx.store.dispose()


def guard_network(page: Page) -> list[str]:
    """Block and record every request to anywhere but this machine."""
    blocked: list[str] = []

    def handle(route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", handle)

    def record_failure(request) -> None:
        if request.url in blocked:
            return
        if "ABORTED" in (request.failure or ""):
            # Cancelled by the page itself, not refused by the network: the room watcher lets go
            # of its held question when its screen redraws, and a reload cancels what is on its way.
            return
        blocked.append(f"failed: {request.url} ({request.failure})")

    page.on("requestfailed", record_failure)
    return blocked


def axe_violations(page: Page) -> list[str]:
    # Evaluated through the browser's debugging protocol, not added as a <script>: the app's
    # Content-Security-Policy refuses inline scripts, as it should, and the check runs under it.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[(n['target'], n.get('failureSummary', '')[-160:]) for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def small_targets(page: Page) -> list[str]:
    """Visible buttons, links and inputs smaller than 44 x 44 CSS pixels (components' shadow roots included)."""
    return page.evaluate(
        """() => [document, ...[...document.querySelectorAll('*')].map(el => el.shadowRoot).filter(Boolean)]
            .flatMap(root => [...root.querySelectorAll('button, a[href], input, textarea, [role=button], [role=radio], [role=tab]')])
            .filter(el => el.offsetParent !== null && !el.closest('[aria-hidden=true]'))
            .filter(el => getComputedStyle(el).visibility !== 'hidden')
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, r]) => r.width > 2 && r.height > 2 && (r.width < 44 || r.height < 44))
            .filter(([el, r]) => !(el.tagName === 'A' && el.closest('p, li')))
            .map(([el, r]) => `${el.tagName} "${(el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`)"""
    )


def scrolls_sideways(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")


def settle(page: Page, text: str) -> None:
    expect(page.get_by_text(text).first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(800)


def save_screenshot(page: Page, name: str, artifacts: Path, **options) -> None:
    path = artifacts / name
    page.screenshot(path=path, **options)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, SCREENSHOTS / name)


@pytest.mark.parametrize("language", ["en", "es"])
def test_phone_screens_are_accessible_offline_and_fit_small_screens(app, browser, room, artifacts, language):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: scripts/test.sh installs axe-core with npm")
    ctx, admin, session, tokens = room
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    blocked = guard_network(phone)
    marker = {"en": "Session code", "es": "Código de la sesión"}[language]
    phone.goto(f"{app.base}/?lang={language}")
    settle(phone, marker)

    screens = []
    phone.goto(f"{app.base}/?code={session.code}&lang={language}")
    settle(phone, session.title)
    screens.append(("consent", phone.url))
    assert axe_violations(phone) == [], (language, "consent")
    token = tokens[1]
    for phase in (Phase.CHECKIN, Phase.REFLECT, Phase.NEXT_STEP, Phase.BOARD, Phase.CLOSE):
        sessions.set_phase(ctx, admin, session.id, phase)
        phone.goto(f"{app.base}/?code={session.code}&p={token}&lang={language}")
        settle(phone, session.title)
        screens.append((phase.value, phone.url))
        problems = axe_violations(phone)
        assert problems == [], (language, phase.value, problems)
        assert small_targets(phone) == [], (language, phase.value, small_targets(phone))
        if phase in (Phase.CHECKIN, Phase.REFLECT, Phase.BOARD, Phase.CLOSE):
            save_screenshot(phone, f"phone-{phase.value}-{language}.png", artifacts, full_page=True)

    phone.set_viewport_size({"width": 320, "height": 700})
    for name, url in screens:
        phone.goto(url)
        settle(phone, session.title)
        assert not scrolls_sideways(phone), (language, name, "320 px")
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    phone.wait_for_timeout(500)
    assert not scrolls_sideways(phone), (language, "200% text")
    assert blocked == [], blocked
    context.close()
    sessions.set_phase(ctx, admin, session.id, Phase.WELCOME)


def test_errors_are_announced_not_only_coloured(app, browser, room):
    ctx, admin, session, tokens = room
    sessions.set_phase(ctx, admin, session.id, Phase.REFLECT)
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.goto(f"{app.base}/?code={session.code}&p={tokens[2]}")
    phone.get_by_role("textbox", name=re.compile("Your reflection")).fill("hope " * 70)
    phone.get_by_role("button", name="Share").click()
    alert = phone.get_by_role("alert").filter(has_text="the limit is 280")
    expect(alert).to_be_visible(timeout=30_000)
    context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_projector_is_accessible_offline_in_both_themes(app, browser, room, artifacts, theme):
    ctx, admin, session, _tokens = room
    sessions.set_phase(ctx, admin, session.id, Phase.BOARD)
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    blocked = guard_network(projector)
    projector.goto(f"{app.base}/board?key={session.board_key}&theme={theme}")
    settle(projector, "Lo de las cartas me llegó al corazón")
    projector.wait_for_timeout(1500)
    assert axe_violations(projector) == []
    save_screenshot(projector, f"projector-board-{theme}.png", artifacts)
    sessions.set_phase(ctx, admin, session.id, Phase.STORY)
    sessions.set_story_section(ctx, admin, session.id, 0)
    settle(projector, "part 1 of 5")
    assert axe_violations(projector) == []
    save_screenshot(projector, f"projector-story-{theme}.png", artifacts)
    assert blocked == [], blocked
    projector.close()


def test_the_hope_card_downloads_from_the_close_screen(app, browser, room, artifacts):
    ctx, admin, session, tokens = room
    sessions.close_session(ctx, admin, session.id)
    context = browser.new_context(**PHONE, accept_downloads=True)
    phone = context.new_page()
    phone.goto(f"{app.base}/?code={session.code}&p={tokens[0]}")
    settle(phone, "I will call my daughter by Sunday")
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Save my hope card").click()
    saved = artifacts / "hope-card.png"
    download.value.save_as(saved)
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(saved, SCREENSHOTS / "hope-card.png")
    context.close()
