"""Hostile words end to end: posted by phones, approved, drawn on the projector and on a phone in
chromium, and exported as CSV, HTML and PDF.

The corpus (`hostile_corpus.py`) holds over 200 texts (HTML and scripts, Markdown, LaTeX, emoji
shortcodes, spreadsheet formulas, SQL, bidi and invisible characters, other scripts), floods of
100 KB and more, and malformed request bodies. Nothing may answer 5xx; every accepted text is
stored as the product's one cleaning rule (`domain.clean_text`) leaves it and shown exactly so;
nothing becomes markup, runs, opens a dialog or reaches a spreadsheet as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
from collections import Counter

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from hopecircle.domain import DIMENSIONS, Kind, Phase, clean_text
from hopecircle.reporting import files, summaries
from hopecircle.reporting.document import session_report
from hopecircle.services import moderation, participation, sessions
from hopecircle.services.context import Context
from hopecircle.wording import goal_sentence
from tests.e2e.helpers import WAIT_MS, join_on_phone
from tests.e2e.hostile_corpus import MALFORMED_BODIES, MARK, TOO_BIG, reflections
from tests.e2e.test_projector import settled

PER_PHONE = 10  # the most reflections one phone may add
GOALS = [
    ("<script>window.__hc_pwned=1</script>", "=1+1", "**my sponsor**"),
    ("<img src=x onerror=window.__hc_pwned=1>", "'; DROP TABLE goals;--", "$x^2$"),
    ("call my sister :phone:", "\u202etomorrow", '<a href="https://hcevil.example">her</a>'),
]

# Everything in the page and in components' shadow roots that would mean a payload was obeyed.
OBEYED = """(mark) => {
  const roots = [document];
  const walk = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.shadowRoot) { roots.push(element.shadowRoot); walk(element.shadowRoot); }
    }
  };
  walk(document);
  const found = [];
  for (const root of roots) {
    for (const element of root.querySelectorAll(
      `[class~="${mark}"], [href*="${mark}"], [src*="${mark}"], [action*="${mark}"], img[src="x"],`
      + ' [onerror], [onload], [ontoggle], [onfocus], a[href^="javascript"], iframe[srcdoc], marquee, object')) {
      found.push(element.outerHTML.slice(0, 120));
    }
  }
  return {found, pwned: window.__hc_pwned === 1};
}"""


def post(base: str, path: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict]:
    request = urllib.request.Request(base + path, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw or b"{}")
        except ValueError:
            return error.code, {}


def send(base: str, token: str, form: str, fields: dict) -> tuple[int, dict]:
    body = json.dumps({"token": token, "form": form, "fields": fields, "lang": "en"}).encode()
    return post(base, "/api/phone/send", body)


def watch(page: Page) -> list[str]:
    """Every dialog a page opens (and dismisses), and every script error it reports."""
    seen: list[str] = []
    page.on("dialog", lambda dialog: (seen.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: seen.append(f"error: {error}"))
    return seen


def obeyed(page: Page) -> dict:
    return page.evaluate(OBEYED, MARK)


@pytest.fixture
def ctx(served_ctx):
    return served_ctx


@pytest.fixture
def admin(served_admin):
    return served_admin


@pytest.fixture
def hostile_room(app, ctx, admin):
    """A session in its board phase with every accepted hostile text approved and marked shareable."""
    session = sessions.start_session(ctx, admin, "steady-hands", "Evening circle")
    sessions.set_phase(ctx, admin, session.id, Phase.REFLECT)
    corpus = reflections()
    assert len(corpus) >= 200
    answers: Counter[int] = Counter()
    sent: list[str] = []
    token = ""
    for index, text in enumerate(corpus):
        if index % PER_PHONE == 0:
            token = participation.join(ctx, session.code).token
        status, answer = send(app.base, token, "reflection", {"text": text})
        answers[status] += 1
        assert status == 200, (status, answer, text)
        sent.append(text)
    for text in TOO_BIG:
        status, answer = send(app.base, participation.join(ctx, session.code).token, "reflection", {"text": text})
        answers[status] += 1
        assert status in (413, 422) and answer.get("message"), (status, answer)
    for body in MALFORMED_BODIES:
        status, _answer = post(app.base, "/api/phone/send", body)
        answers[status] += 1
        assert status in (400, 404, 413, 422), (status, body[:60])
    for body in (b'{"token": "x"}', b"text=hello"):  # the wrong kind of body
        assert post(app.base, "/api/phone/send", body, "application/x-www-form-urlencoded")[0] == 400
    sessions.set_phase(ctx, admin, session.id, Phase.NEXT_STEP)
    goals = []
    for what, when, support in GOALS:
        token = participation.join(ctx, session.code).token
        fields = {"what": what, "when": when, "support": support, "dimension": DIMENSIONS[0]}
        status, answer = send(app.base, token, "goal", fields)
        assert status == 200, (status, answer)
        goals.append((what, when, support))
    assert not [code for code in answers if code >= 500]
    for item in moderation.review_queue(ctx, admin, session.id):
        moderation.approve(ctx, admin, item.contribution.id)
    assert moderation.review_queue(ctx, admin, session.id) == []  # held ones too: approved anyway
    for card in moderation.on_board(ctx, admin, session.id):
        moderation.set_shareable(ctx, admin, card.id, True)
    sessions.set_phase(ctx, admin, session.id, Phase.BOARD)
    return session, sent, goals


def stored(ctx: Context, admin, session, kind: Kind) -> list[str]:
    return [c.body for c in moderation.on_board(ctx, admin, session.id) if c.kind is kind]


def test_every_hostile_text_is_stored_as_typed_and_shown_as_text_on_the_projector(
    app,
    browser,
    ctx,
    admin,
    hostile_room,
):
    session, sent, goals = hostile_room
    expected = sorted(clean_text(text) for text in sent)
    assert sorted(stored(ctx, admin, session, Kind.REFLECTION)) == expected
    assert sorted(stored(ctx, admin, session, Kind.GOAL)) == sorted(clean_text(what) for what, _w, _s in goals)

    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    problems = watch(page)
    try:
        page.goto(f"{app.base}/board?key={session.board_key}&seconds=120")
        settled(page, "Our hope board")
        pages = int(
            page.evaluate(
                """() => [...document.querySelectorAll('*')].filter((e) => e.shadowRoot)
                    .map((e) => e.shadowRoot.querySelector('section.hc-fit')).filter(Boolean)[0].dataset.pages"""
            )
        )
        assert pages > 1
        page.get_by_role("button", name="Pause (P)").click()
        shown: list[str] = []
        for number in range(pages):
            if number:
                page.get_by_role("button", name="Next page").click()
                expect(page.locator(".hc-page-of span[aria-hidden]")).to_have_text(f"{number + 1} / {pages}")
            shown += page.evaluate(
                """() => [...document.querySelectorAll('*')].filter((e) => e.shadowRoot)
                    .flatMap((e) => [...e.shadowRoot.querySelectorAll('.hc-stage [data-card] .hc-card-text')])
                    .map((text) => text.textContent)"""
            )
            assert obeyed(page) == {"found": [], "pwned": False}
        reflections_shown = sorted(text for text in shown if text in set(expected))
        assert reflections_shown == expected  # every card once, each exactly as stored
    finally:
        page.close()
    assert problems == []


def test_a_phone_shows_the_hostile_board_as_text(app, browser, ctx, admin, hostile_room):
    session, sent, goals = hostile_room
    expected = {clean_text(text) for text in sent}
    expected |= {goal_sentence(clean_text(what), clean_text(when), "en") for what, when, _support in goals}
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    problems = watch(phone)
    try:
        join_on_phone(phone, f"{app.base}/?code={session.code}")
        cards = phone.locator(".hc-cards .hc-card .hc-text")
        expect(cards.first).to_be_visible(timeout=WAIT_MS)
        shown = cards.evaluate_all("(texts) => texts.map((text) => text.textContent)")
        # The phone's page of cards (reflections and next steps), each exactly as stored.
        assert shown and set(shown) <= expected
        first = cards.first.bounding_box()
        assert first is not None and first["x"] >= 0 and first["x"] + first["width"] <= 390
        assert obeyed(phone) == {"found": [], "pwned": False}
    finally:
        phone.close()
    assert problems == []


def test_the_hostile_cards_export_as_text_in_csv_html_and_pdf(app, browser, ctx, admin, hostile_room):
    session, sent, goals = hostile_room
    sessions.close_session(ctx, admin, session.id)
    summary = summaries.session_summary(ctx, admin, session.id)
    expected = sorted(clean_text(text) for text in sent)

    rows = list(csv.DictReader(io.StringIO(files.cards_csv(summary.cards).decode("utf-8-sig"))))
    cells = [value for row in rows for value in row.values() if value]
    risky = ("=", "+", "-", "@", "\t", "\r")
    assert not [cell for cell in cells if cell.lstrip("\u200b\ufeff\u202e").startswith(risky)]
    # Each text as stored, with the one leading apostrophe that keeps a formula a text.
    texts = sorted(row["text"] for row in rows if row["kind"] == "reflection")
    assert texts == sorted(str(files.safe_cell(text)) for text in expected)
    goal_rows = sorted((row["text"], row["when"], row["support"]) for row in rows if row["kind"] == "goal")
    assert goal_rows == sorted(tuple(str(files.safe_cell(clean_text(part))) for part in goal) for goal in goals)
    formulas = [
        text for text in texts if text.startswith("'") and text[1:].lstrip("\u200b\ufeff\u202e").startswith(risky)
    ]
    assert len(formulas) >= 10  # the corpus's formulas reached the file, each kept a text

    report = session_report(summary)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    problems = watch(page)
    page.route("**/*", lambda route: route.abort())  # the report is one file: it asks for nothing
    try:
        page.set_content(files.to_html(report), wait_until="load")
        quotes = page.locator("blockquote").evaluate_all("(quotes) => quotes.map((q) => q.textContent)")
        for text in expected:
            assert any(text in quote for quote in quotes), text
        assert obeyed(page) == {"found": [], "pwned": False}
    finally:
        page.close()
    assert problems == []

    pdf = PdfReader(io.BytesIO(files.to_pdf(report)))
    # Each page's text without its footer (the page number), so a quote across pages reads whole.
    pages = [(page.extract_text() or "").rstrip().rsplit("\n", 1)[0] for page in pdf.pages]
    drawn = " ".join(" ".join(text.split()) for text in pages)
    for text in expected:
        if text.isascii() and "\t" not in text:  # the bundled font draws Latin text; others as it can
            assert " ".join(text.split()) in drawn, text
