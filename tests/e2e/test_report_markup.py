"""Participants' words in report charts, drawn by plotly in a real browser: as typed, never as markup."""

from __future__ import annotations

import pytest

from hopecircle.domain import Kind, Status
from hopecircle.reporting import files, summaries
from hopecircle.reporting.document import session_report
from hopecircle.services import moderation, participation, sessions

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
