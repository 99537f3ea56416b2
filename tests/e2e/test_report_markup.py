"""Report files and the Reports page in a real browser: participants' words as typed, never as markup;
the HTML report offline at the reference screen sizes; two alike sessions each opening its own report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.domain import Kind, Moment, Status
from hopecircle.reporting import files, summaries
from hopecircle.reporting.document import session_report
from hopecircle.services import accounts, moderation, participation, sessions
from hopecircle.services.context import Context
from hopecircle.store import open_store
from tests.e2e.helpers import PASSWORD, WAIT_MS

LINK = '<a href="//ex.org">go</a>'
STYLED = "<i>it</i><sup>2</sup>"
BREAK = "one<br>two"


@pytest.fixture
def hostile_summary(ctx, facilitator):
    """A session whose most common check-in words are markup (each said by enough people to show)."""
    session = sessions.start_session(ctx, facilitator, "steady-hands", "Evening <b>circle</b>", "East <i>side</i>")
    for word in (LINK, STYLED, BREAK):
        for _ in range(5):
            token = participation.join(ctx, session.code).token
            sent = participation.submit_word(ctx, token, Kind.CHECKIN, word).contribution
            if sent.status is Status.HELD:  # a link is held for the facilitator, who approves it here
                moderation.approve(ctx, facilitator, sent.id)
    sessions.close_session(ctx, facilitator, session.id)
    return summaries.session_summary(ctx, facilitator, session.id)


def test_report_charts_draw_markup_as_text_with_no_link_or_styling(browser, hostile_summary):
    words = [word for word, _n in hostile_summary.figures.checkin_words]
    assert {LINK, STYLED, BREAK} <= set(words)  # the words reach the chart
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.set_content(files.to_html(session_report(hostile_summary)), wait_until="load")
        page.wait_for_selector(".main-svg text", timeout=30_000)
        drawn = page.evaluate(
            """() => {
                const svgs = [...document.querySelectorAll('.js-plotly-plot svg')];
                return {
                  text: svgs.map(svg => svg.textContent).join('\\n'),
                  links: [...document.querySelectorAll('svg a, a[href*="ex.org"]')].length,
                  styled: svgs.flatMap(svg => [...svg.querySelectorAll('tspan')])
                    .filter(t => /italic|baseline-shift|sup/.test(t.getAttribute('style') || '')
                              || t.getAttribute('dy')).length,
                };
            }"""
        )
    finally:
        page.close()
    assert drawn["links"] == 0
    assert drawn["styled"] == 0
    for word in (LINK, STYLED, BREAK):
        assert word in drawn["text"]  # shown exactly as typed


SCREENS = {"console": (1366, 768), "projector": (1920, 1080), "small projector": (1024, 768)}


def small_group(ctx, facilitator, title="Thursday circle", people=7):
    """A closed session of `people` phones: before 3,4,4,5,6,7,8,... after two higher; every pulse value
    and band rests on fewer than 5 people, so the pulse chart is one sentence."""
    session = sessions.start_session(ctx, facilitator, "steady-hands", title, "Eastside")
    for n in range(people):
        token = participation.join(ctx, session.code).token
        before = [3, 4, 4, 5, 6, 7, 8, 2, 9][n % 9]
        participation.submit_pulse(ctx, token, Moment.PRE, before)
        participation.submit_pulse(ctx, token, Moment.POST, min(10, before + 2))
        for _ in range(1 + n % 2):
            participation.submit_reflection(ctx, token, "Hope came back when I asked for help")
    sessions.close_session(ctx, facilitator, session.id)
    return session


def in_viewport(page, locator) -> bool:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"] + 0.5
        and box["y"] + box["height"] <= size["height"] + 0.5
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_the_html_report_draws_offline_and_each_chart_and_sentence_fits_the_screen(browser, ctx, facilitator, screen):
    session = small_group(ctx, facilitator)
    report = files.to_html(session_report(summaries.session_summary(ctx, facilitator, session.id)))
    width, height = SCREENS[screen]
    page = browser.new_page(viewport={"width": width, "height": height})
    requests: list[str] = []
    errors: list[str] = []
    page.route("**/*", lambda route: (requests.append(route.request.url), route.abort()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.set_content(report, wait_until="load")
        charts = page.locator("div.chart:not(.no-chart)")
        sentences = page.locator("div.no-chart")
        assert charts.count() >= 2 and sentences.count() >= 2
        for index in range(charts.count()):
            expect(charts.nth(index).locator(".main-svg").first).to_be_attached(timeout=30_000)
            assert in_viewport(page, charts.nth(index)), f"chart {index} does not fit {width}x{height}"
        for index in range(sentences.count()):
            expect(sentences.nth(index)).to_be_visible()
            assert in_viewport(page, sentences.nth(index)), f"sentence {index} does not fit {width}x{height}"
        assert page.get_by_text("No bars: fewer than 5 people gave any one answer").count() == 1
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        page.close()
    assert requests == [] and errors == []


def test_the_reports_page_opens_each_of_two_alike_sessions_in_the_browser(browser, app):
    ctx = Context(
        store=open_store(f"sqlite:///{app.data_dir / 'hopecircle.db'}"),
        stories=load_stories(ROOT / "stories"),
        guides=load_guides(ROOT / "facilitator_guides"),
    )
    admin = accounts.create_first_account(ctx, accounts.setup_code(ctx), "ada", "Ada", PASSWORD)
    small_group(ctx, admin, people=7)
    second = small_group(ctx, admin, people=9)
    ctx.store.dispose()
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(f"{app.base}/reports")
        page.get_by_role("textbox", name="Username").fill("ada")
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        picker = page.get_by_role("combobox", name="Session")
        expect(picker).to_be_visible(timeout=WAIT_MS)
        picker.click()
        page.get_by_role("option", name=f"session #{second.id}").click()
        line = page.get_by_text(f"facilitator: Ada · session #{second.id}")
        expect(line).to_be_visible(timeout=WAIT_MS)
        assert in_viewport(page, line)
        metric = page.get_by_test_id("stMetric").filter(has_text="Phones that joined").first  # "One session" tab
        expect(metric).to_contain_text("9", timeout=WAIT_MS)
        sentence = page.locator(".st-key-no-chart-session-pulse")
        expect(sentence).to_contain_text("No bars: fewer than 5 people", timeout=WAIT_MS)
        assert in_viewport(page, sentence)
    finally:
        page.close()
