"""The projector in a real browser at 1920x1080, 1280x720 and 1024x768, light and dark.

What the room sees must be on the screen, whole and at the wall's smallest type at least: every
element with text of its own is checked to lie inside the window (its bounding box), to show all
its text (no box that scrolls or clips) and to be drawn at MIN_TYPE_VH of the height or more.
"""

from __future__ import annotations

import io
import math
import re
import shutil

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from hopecircle import story_screens
from hopecircle.config import ROOT
from hopecircle.content import load_stories
from hopecircle.domain import Kind, Moment, Phase, Screen
from hopecircle.services import accounts, moderation, organization, participation, sessions
from hopecircle.services.participation import GoalInput
from hopecircle.ui.projector_fit import MIN_TYPE_VH
from tests.e2e.helpers import PASSWORD, WAIT_MS, create_first_account, start_session
from tests.e2e.test_accessibility_and_offline import AXE, SCREENSHOTS, axe_violations

SIZES = [(1920, 1080), (1280, 720), (1024, 768)]
STORIES = load_stories(ROOT / "stories")

# Every element that draws text of its own, in the page and inside components' shadow roots.
TEXTS = """() => {
  const elements = [];
  const walk = (root) => {
    for (const element of root.querySelectorAll('*')) {
      elements.push(element);
      if (element.shadowRoot) { walk(element.shadowRoot); }
    }
  };
  walk(document);
  const found = [];
  for (const element of elements) {
    if (['STYLE', 'SCRIPT', 'NOSCRIPT', 'TITLE'].includes(element.tagName)) { continue; }
    const own = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
    if (!own) { continue; }
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (style.visibility === 'hidden' || box.width < 2 || box.height < 2) { continue; }  // not drawn, or for screen readers only
    found.push({
      text: element.textContent.trim().slice(0, 50), font: parseFloat(style.fontSize),
      left: box.left, top: box.top, right: box.right, bottom: box.bottom,
      dims: [element.scrollHeight, element.clientHeight, element.scrollWidth, element.clientWidth],
      overflows: !(element instanceof SVGElement) && element.clientHeight > 0 && (element.scrollHeight > element.clientHeight + 1 || element.scrollWidth > element.clientWidth + 1),
    });
  }
  return found;
}"""


def smallest_type(height: int) -> float:
    return height * MIN_TYPE_VH / 100


def wall_problems(page: Page) -> list[str]:
    """What on the screen is outside the window, cut off, or smaller than the wall's smallest type."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    smallest = smallest_type(height) - 1  # the page rounds the size down to a whole pixel
    problems = []
    for item in page.evaluate(TEXTS):
        where = f"{item['text']!r} at {width}x{height}"
        if item["left"] < -1 or item["top"] < -1 or item["right"] > width + 1 or item["bottom"] > height + 1:
            problems.append(f"outside the window: {where} {item}")
        if item["overflows"]:
            problems.append(f"cut off: {where} {item['dims']}")
        if item["font"] < smallest:
            problems.append(f"{item['font']}px, under {smallest + 1:.1f}px: {where}")
    return problems


def layouts(page: Page) -> list[dict]:
    """How each fitted element on the page laid itself out: type size, smallest size, pages."""
    return page.evaluate(
        """() => [...document.querySelectorAll('*')].filter((e) => e.shadowRoot)
            .map((e) => e.shadowRoot.querySelector('section.hc-fit')).filter(Boolean)
            .map((section) => ({...section.dataset}))"""
    )


def settled(page: Page, text: str) -> None:
    """Wait until `text` is shown, then for the fitting to have looked at the space once more."""
    expect(page.get_by_text(text, exact=False).first).to_be_visible(timeout=WAIT_MS)
    page.wait_for_timeout(900)


@pytest.fixture(autouse=True)
def axe_installed():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: scripts/test.sh installs axe-core with npm")


@pytest.fixture
def ctx(served_ctx):
    return served_ctx


@pytest.fixture
def admin(served_admin):
    return served_admin


def longest_part(story) -> int:
    return max(range(len(story.sections)), key=lambda n: len(story.sections[n].text))


def test_the_longest_part_of_every_story_is_whole_at_every_size(app, browser, ctx, admin, artifacts):
    """Each shipped story, English and Spanish, its longest part screen by screen, at the three
    sizes (light and dark in turn, story by story)."""
    pages = {size: browser.new_page(viewport={"width": size[0], "height": size[1]}) for size in SIZES}
    problems: list[str] = []
    for number, story in enumerate(sorted(STORIES.stories.values(), key=lambda s: s.id)):
        theme = "dark" if number % 2 else "light"
        session = sessions.start_session(ctx, admin, story.id, language=story.language)
        part = longest_part(story)
        sessions.set_phase(ctx, admin, session.id, Phase.STORY)
        sessions.set_story_section(ctx, admin, session.id, part)
        screens = story_screens.part_screens(story, part)
        for page in pages.values():
            page.goto(f"{app.base}/board?key={session.board_key}&theme={theme}")
        for screen in range(len(screens)):
            if screen:
                sessions.step(ctx, admin, session.id)
            for (width, height), page in pages.items():
                settled(page, screens[screen][-1][:40])
                (layout,) = layouts(page)
                problems += [f"{story.id} screen {screen + 1}: {p}" for p in wall_problems(page)]
                if float(layout["font"]) < float(layout["minimum"]):
                    problems.append(f"{story.id} screen {screen + 1} at {width}x{height}: shrunk {layout}")
                if story.id == "morning-dose" and (width, height) == (1920, 1080) and screen == 0:
                    page.screenshot(path=artifacts / "projector-long-story-part.png")
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(
                        artifacts / "projector-long-story-part.png", SCREENSHOTS / "projector-long-story-part.png"
                    )
        sessions.close_session(ctx, admin, session.id)
    for page in pages.values():
        page.close()
    assert problems == [], "\n".join(problems)


SHORT = ["Soup on Tuesdays", "The walk", "Not alone", "Grief and love", "Small promises", "Hope", "Her laugh",
         "Nine chairs", "Keep going", "Me too"]  # fmt: skip
SENTENCES = [
    "The part about the friend who kept leaving soup on the porch stayed with me all week.",
    "I have a neighbour like that and I never once thanked her for it, so I am going to.",
    "It reminded me that support does not have to be loud or wise to matter to someone.",
    "Sometimes it is only showing up again on Tuesday, and then again the Tuesday after.",
]
GOALS = ["call my brother", "walk to the lake", "go to the Thursday group", "text my sponsor", "cook one real meal"]
DIMENSIONS = ["health", "home", "purpose", "community"]


def long_text(n: int) -> str:
    text = " ".join(SENTENCES[(n + k) % len(SENTENCES)] for k in range(4))
    return text[:280].rsplit(" ", 1)[0] + "."


def thirty_cards(ctx, admin, session) -> list[str]:
    """Ten short reflections, ten long ones (about 280 characters) and ten goals, approved; with pulses."""
    texts = []
    for n in range(30):
        token = participation.join(ctx, session.code).token
        if n % 3 == 0:
            sent = participation.submit_reflection(ctx, token, SHORT[n // 3])
            texts.append(SHORT[n // 3])
        elif n % 3 == 1:
            sent = participation.submit_reflection(ctx, token, long_text(n))
            texts.append(long_text(n))
        else:
            goal = GoalInput(GOALS[n % len(GOALS)], f"day {n}", None, DIMENSIONS[n % len(DIMENSIONS)])
            sent = participation.submit_goal(ctx, token, goal)
            texts.append(f"I will {goal.what} by {goal.when}")
        moderation.approve(ctx, admin, sent.contribution.id)
        participation.submit_pulse(ctx, token, Moment.PRE, 3 + n % 6)
    return texts


def on_this_page(page: Page) -> list[str]:
    """The cards the board shows now, each checked to lie whole inside the window."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    cards = page.evaluate(
        """() => [...document.querySelectorAll('*')].filter((e) => e.shadowRoot)
            .flatMap((e) => [...e.shadowRoot.querySelectorAll('.hc-stage [data-card]')])
            .map((card) => { const box = card.getBoundingClientRect();
                return {text: card.querySelector('.hc-card-text').textContent, box: [box.left, box.top, box.right, box.bottom]}; })"""
    )
    for card in cards:
        left, top, right, bottom = card["box"]
        assert left >= -1 and top >= -1 and right <= width + 1 and bottom <= height + 1, (card, width, height)
    return [card["text"] for card in cards]


def pager(page: Page) -> str:
    """The page indicator as shown ("2 / 3"), or "" when everything is on one page."""
    indicator = page.locator(".hc-pager:not([hidden]) .hc-page-of span[aria-hidden]")
    return indicator.first.text_content() if indicator.count() else ""


def chart_labels_overlapping(page: Page) -> list[str]:
    """Axis titles of the pulse chart drawn over or against its tick labels (boxes within 4 px)."""
    return page.evaluate(
        """() => {
          const boxes = (selector) => [...document.querySelectorAll(selector)].map((e) => [e.textContent, e.getBoundingClientRect()]);
          const meet = (a, b) => a.left < b.right + 4 && b.left < a.right + 4 && a.top < b.bottom + 4 && b.top < a.bottom + 4;
          const found = [];
          for (const [title, box] of boxes('.js-plotly-plot .ytitle, .js-plotly-plot .xtitle')) {
            for (const [tick, other] of boxes('.js-plotly-plot .ytick text, .js-plotly-plot .xtick text')) {
              if (meet(box, other)) { found.push(`${title} over ${tick}`); }
            }
          }
          return found;
        }"""
    )


def chart_type_follows(page: Page) -> None:
    """Wait for the pulse chart to be drawn for this window's size (the browser reports it once)."""
    expected = math.ceil(page.viewport_size["height"] * MIN_TYPE_VH / 100)
    chart = page.locator(".js-plotly-plot .xtick text").first
    expect(chart).to_have_css("font-size", f"{expected}px", timeout=WAIT_MS)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_thirty_cards_of_mixed_length_are_all_shown_whole_or_paged(app, browser, ctx, admin, artifacts, theme):
    organization.update_settings(ctx, admin, suppression_threshold=3)
    session = sessions.start_session(ctx, admin, "after-the-call", "Thursday circle")
    cards = thirty_cards(ctx, admin, session)
    sessions.set_phase(ctx, admin, session.id, Phase.BOARD)
    for width, height in SIZES:
        page = browser.new_page(viewport={"width": width, "height": height})
        # Pages stay two minutes: long enough that none turns by itself while the test turns them.
        page.goto(f"{app.base}/board?key={session.board_key}&theme={theme}&seconds=120")
        settled(page, "Our hope board")
        chart_type_follows(page)
        page.wait_for_timeout(900)
        assert chart_labels_overlapping(page) == [], (width, height)
        (layout,) = layouts(page)
        pages = int(layout["pages"])
        assert float(layout["font"]) >= float(layout["minimum"]) >= smallest_type(height) - 1
        if width == 1920:
            assert axe_violations(page) == []
        if (width, theme) == (1920, "light"):
            page.screenshot(path=artifacts / "projector-full-board.png")
            shutil.copyfile(artifacts / "projector-full-board.png", SCREENSHOTS / "projector-full-board.png")
        if pages > 1:
            assert pager(page) == f"1 / {pages}"
            page.get_by_role("button", name="Pause (P)").click()
            expect(page.get_by_role("button", name="Resume (P)")).to_be_visible()
        seen: list[str] = []
        for number in range(pages):
            if number:
                page.get_by_role("button", name="Next page").click()
                expect(page.locator(".hc-page-of span[aria-hidden]")).to_have_text(f"{number + 1} / {pages}")
            assert wall_problems(page) == []
            seen += on_this_page(page)
        assert sorted(seen) == sorted(cards), (width, height)  # every card, each on one page
        page.close()


def approve_one(ctx, admin, session, text: str) -> None:
    token = participation.join(ctx, session.code).token
    moderation.approve(ctx, admin, participation.submit_reflection(ctx, token, text).contribution.id)


# Note how each card moves as it is first drawn (inside the board component's shadow root).
WATCH_ARRIVALS = """() => {
  window.arrivals = {};
  const root = [...document.querySelectorAll('*')].find((e) => e.shadowRoot && e.shadowRoot.querySelector('.hc-stage'));
  new MutationObserver(() => {
    for (const card of root.shadowRoot.querySelectorAll('.hc-stage [data-card]')) {
      const text = card.querySelector('.hc-card-text').textContent;
      if (!(text in window.arrivals)) { window.arrivals[text] = getComputedStyle(card).animationName; }
    }
  }).observe(root.shadowRoot, {childList: true, subtree: true});
}"""


def arrived(page: Page, text: str) -> str:
    """The newly approved card with `text` once it is on the screen, inside the window and marked:
    how it moved in."""
    card = page.locator(".hc-stage [data-card]").filter(has_text=text)
    expect(card).to_be_visible(timeout=WAIT_MS)
    expect(card).to_have_class(re.compile(r"\bhc-new\b"), timeout=WAIT_MS)
    assert text in on_this_page(page)
    return page.evaluate("(text) => window.arrivals[text]", text)


def test_pages_turn_by_themselves_pause_on_a_click_or_p_and_new_cards_come_up_at_once(app, browser, ctx, admin):
    session = sessions.start_session(ctx, admin, "after-the-call", "Thursday circle")
    thirty_cards(ctx, admin, session)
    sessions.set_phase(ctx, admin, session.id, Phase.BOARD)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{app.base}/board?key={session.board_key}&seconds=4")
    settled(page, "Our hope board")
    pages = int(layouts(page)[0]["pages"])
    assert pages > 1
    expect(page.locator(".hc-page-of span[aria-hidden]")).not_to_have_text(pager(page), timeout=15_000)

    page.get_by_role("button", name="Pause (P)").click()
    held = pager(page)
    page.wait_for_timeout(9_000)  # more than two turns' time
    assert pager(page) == held
    page.keyboard.press("p")  # the same from the keyboard: going again
    expect(page.get_by_role("button", name="Pause (P)")).to_be_visible()
    expect(page.locator(".hc-page-of span[aria-hidden]")).not_to_have_text(held, timeout=15_000)
    page.keyboard.press("P")
    expect(page.get_by_role("button", name="Resume (P)")).to_be_visible()

    # A card approved while the board is paused on some page comes up at once, marked, moving in.
    page.evaluate(WATCH_ARRIVALS)
    approve_one(ctx, admin, session, "Brand new: a card approved just now")
    assert arrived(page, "Brand new: a card approved just now") == "hc-arrive"
    page.close()

    # With reduced motion: no arrival movement and no fading, but the pages still turn.
    quiet = browser.new_context(viewport={"width": 1280, "height": 720}, reduced_motion="reduce")
    page = quiet.new_page()
    page.goto(f"{app.base}/board?key={session.board_key}&seconds=4")
    settled(page, "Our hope board")
    page.evaluate(WATCH_ARRIVALS)
    approve_one(ctx, admin, session, "Another card, arriving quietly")
    assert arrived(page, "Another card, arriving quietly") == "none"
    now = pager(page)
    expect(page.locator(".hc-page-of span[aria-hidden]")).not_to_have_text(now, timeout=15_000)
    assert page.evaluate("() => document.getAnimations().length") == 0
    quiet.close()


def test_welcome_check_in_big_qr_blank_and_close_screens_fit_every_size(app, browser, ctx, admin, artifacts):
    session = sessions.start_session(
        ctx, admin, "steady-hands", "A circle with a long name, for the wall", language="es"
    )
    organization.update_settings(ctx, admin, suppression_threshold=3)
    for n in range(40):
        token = participation.join(ctx, session.code).token
        word = ["esperanza", "cansada", "tranquilo", "con ganas de llorar un poco"][n % 4] if n < 20 else f"palabra{n}"
        for kind in (Kind.CHECKIN, Kind.CHECKOUT):
            moderation.approve(ctx, admin, participation.submit_word(ctx, token, kind, word).contribution.id)
        participation.submit_pulse(ctx, token, Moment.PRE, n % 11)
        participation.submit_pulse(ctx, token, Moment.POST, (n + 3) % 11)
    pages = {size: browser.new_page(viewport={"width": size[0], "height": size[1]}) for size in SIZES}
    for number, page in enumerate(pages.values()):
        page.goto(f"{app.base}/board?key={session.board_key}&theme={'dark' if number % 2 else 'light'}")
    screens = [
        ("Nuestros acuerdos", lambda: None),
        ("¿Cómo llegamos hoy?", lambda: sessions.set_phase(ctx, admin, session.id, Phase.CHECKIN)),
        ("Antes de empezar, esta historia:", lambda: sessions.set_phase(ctx, admin, session.id, Phase.STORY)),
        ("Únete desde tu teléfono", lambda: sessions.set_screen(ctx, admin, session.id, Screen.JOIN)),
    ]
    join_url = f"{app.base}/?code={session.code}"
    for marker, change in screens:
        change()
        for page in pages.values():
            settled(page, marker)
            assert wall_problems(page) == [], marker
            assert all(float(layout["font"]) >= float(layout["minimum"]) for layout in layouts(page)), marker
    for (width, height), page in pages.items():
        # The big QR reads from across the room as the join address; the code and address are big.
        code = page.locator(".hc-join-screen .hc-code")
        assert float(code.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")) >= 0.08 * height
        image = Image.open(io.BytesIO(page.locator(".hc-join-screen img").screenshot()))
        assert [found.text for found in zxingcpp.read_barcodes(image)] == [join_url]
        if width == 1920:
            assert axe_violations(page) == []
            page.screenshot(path=artifacts / "projector-big-qr.png")
    sessions.set_screen(ctx, admin, session.id, Screen.BLANK)
    for page in pages.values():
        expect(page.locator(".hc-blank")).to_be_attached(timeout=WAIT_MS)
        expect(page.get_by_text("¿Necesitas apoyo ahora?")).to_have_count(0, timeout=WAIT_MS)
        assert page.evaluate(TEXTS) == []  # nothing at all to read on the wall
    # Closing ends the pause: the close screen, its check-out words beside the pulse chart.
    sessions.close_session(ctx, admin, session.id)
    for page in pages.values():
        settled(page, "Lo que nos llevamos")
        chart_type_follows(page)
        assert wall_problems(page) == []
        page.close()


def leave_fields(page: Page) -> None:
    """The page has the keys, not a field or a button."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


def test_keys_on_the_console_move_the_room_and_the_projector_follows(app, browser, ctx):
    laptop = browser.new_context(viewport={"width": 1366, "height": 768})  # the facilitator's browser
    console = laptop.new_page()
    create_first_account(console, app)
    start_session(console, "Keys circle")
    expect(console.get_by_role("link", name="Open projector view")).to_be_visible(timeout=WAIT_MS)
    projector_url = console.get_by_role("link", name="Open projector view").get_attribute("href")
    # A projector in a browser nobody signed in to (the room's own computer, say).
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.goto(re.sub(r"^(?!http)", f"{app.base}/", projector_url))
    expect(projector.get_by_text("Keys circle")).to_be_visible(timeout=WAIT_MS)
    leave_fields(console)

    # Presenter remotes send Page Down and Page Up; the arrows and Space do the same.
    for key, shown in [("PageDown", "How are we arriving?"), ("ArrowRight", "Before we begin, this story:")]:
        console.keyboard.press(key)
        expect(projector.get_by_text(shown)).to_be_visible(timeout=WAIT_MS)
    console.keyboard.press("PageUp")
    expect(projector.get_by_text("How are we arriving?")).to_be_visible(timeout=WAIT_MS)
    console.keyboard.press("Space")
    expect(projector.get_by_text("Before we begin, this story:")).to_be_visible(timeout=WAIT_MS)
    # In the story, next goes through each part's screens before the next part.
    for shown in ["part 1 of 5", "part 1 of 5 · screen 2 of 2", "part 2 of 5 · screen 1 of 2"]:
        console.keyboard.press("PageDown")
        expect(projector.get_by_text(shown, exact=False).first).to_be_visible(timeout=WAIT_MS)
    console.keyboard.press("ArrowLeft")
    expect(projector.get_by_text("part 1 of 5 · screen 2 of 2")).to_be_visible(timeout=WAIT_MS)
    expect(console.get_by_text("The story on the projector: part 1 of 5, screen 2 of 2.")).to_be_visible()

    # B and Q toggle the projector's blank and big QR screens.
    console.keyboard.press("b")
    expect(projector.locator(".hc-blank")).to_be_attached(timeout=WAIT_MS)
    console.keyboard.press("B")
    expect(projector.get_by_text("part 1 of 5 · screen 2 of 2")).to_be_visible(timeout=WAIT_MS)
    console.keyboard.press("q")
    expect(projector.get_by_text("Join with your phone")).to_be_visible(timeout=WAIT_MS)
    console.keyboard.press("q")
    expect(projector.get_by_text("Join with your phone")).to_have_count(0, timeout=WAIT_MS)

    # Keys typed into a field stay in the field.
    console.get_by_text("Session notes (only you see these)").click()
    notes = console.get_by_role("textbox", name="Notes")
    notes.click()
    notes.press_sequentially("Big Q and b ")
    notes.press("PageDown")
    expect(notes).to_have_value("Big Q and b ")
    expect(projector.get_by_text("part 1 of 5 · screen 2 of 2")).to_be_visible()

    # ? opens the list of shortcuts, with the focus in it; Escape closes it.
    leave_fields(console)
    console.keyboard.press("?")
    dialog = console.get_by_role("dialog", name="Keyboard and presenter remote")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    expect(dialog.get_by_text("Blank the projector (press again to come back)")).to_be_visible()
    assert axe_violations(console) == []
    console.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    console.get_by_role("button", name="Keyboard shortcuts (?)").click()
    expect(dialog).to_be_visible()
    console.keyboard.press("Escape")

    # Nobody is signed in to the session on the projector: its keys move nothing and say so; F and ? work.
    projector.keyboard.press("PageDown")
    said = projector.get_by_role("status").filter(has_text="Keys in this window can't move the room")
    expect(said).to_be_visible(timeout=WAIT_MS)
    projector.wait_for_timeout(1500)
    expect(projector.get_by_text("part 1 of 5 · screen 2 of 2")).to_be_visible()
    projector.keyboard.press("?")
    projector_help = projector.get_by_role("dialog", name="Keyboard and presenter remote")
    expect(projector_help.get_by_text("Use the console window")).to_be_visible()
    assert wall_problems(projector) == []  # the list on the wall is at the wall's size too
    projector.keyboard.press("Escape")
    projector.keyboard.press("f")
    projector.wait_for_function("() => document.fullscreenElement !== null", timeout=WAIT_MS)
    projector.keyboard.press("F")
    projector.wait_for_function("() => document.fullscreenElement === null", timeout=WAIT_MS)
    projector.close()

    # P on the console pauses the board's pages on a projector opened from it, in the same browser.
    account = accounts.authenticate(ctx, "ada", PASSWORD)
    (session,) = sessions.my_sessions(ctx, account)
    thirty_cards(ctx, account, session)
    sessions.set_phase(ctx, account, session.id, Phase.BOARD)
    beside = laptop.new_page()
    beside.set_viewport_size({"width": 1280, "height": 720})
    beside.goto(f"{app.base}/board?key={session.board_key}&seconds=60")
    settled(beside, "Our hope board")
    expect(beside.get_by_role("button", name="Pause (P)")).to_be_visible()
    leave_fields(console)
    console.keyboard.press("p")
    expect(beside.get_by_role("button", name="Resume (P)")).to_be_visible(timeout=WAIT_MS)
    laptop.close()
