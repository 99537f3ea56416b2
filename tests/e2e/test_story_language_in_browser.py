"""A Spanish phone in a real browser: the story's own Spanish words, where a person can read them.

The room is made through the services on the app's database (as the accessibility tests do); the
phone follows it through the served page at the reference phone size, 390 by 844.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from hopecircle.config import ROOT
from hopecircle.content import load_guides, load_stories
from hopecircle.domain import Phase
from hopecircle.services import accounts, sessions
from hopecircle.services.context import Context
from hopecircle.store import open_store
from tests.e2e.conftest import PHONE
from tests.e2e.helpers import PASSWORD, WAIT_MS

STORIES = load_stories(ROOT / "stories")


def within_window(page: Page, element: Locator) -> bool:
    """Whether the whole element is inside the window as it is now (no scrolling done for it)."""
    box = element.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def readable(page: Page, text: str) -> Locator:
    element = page.get_by_text(text, exact=True).first
    expect(element).to_be_visible(timeout=WAIT_MS)
    return element


def test_a_spanish_phone_reads_the_story_notes_and_prompts_in_spanish(app, browser):
    ctx = Context(
        store=open_store(f"sqlite:///{app.data_dir / 'hopecircle.db'}"),
        stories=STORIES,
        guides=load_guides(ROOT / "facilitator_guides"),
    )
    admin = accounts.create_first_account(ctx, accounts.setup_code(ctx), "ada", "Ada", PASSWORD)
    session = sessions.start_session(ctx, admin, "steady-hands")  # no title: named after its story
    english, spanish = STORIES.get("steady-hands"), STORIES.get("steady-hands-es")
    assert english is not None and spanish is not None

    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.goto(f"{app.base}/?code={session.code}&lang=es")
    assert within_window(phone, readable(phone, spanish.title))
    phone.get_by_role("button", name="Entiendo, quiero unirme").click()
    expect(phone.get_by_text("Lo que he compartido")).to_be_visible(timeout=WAIT_MS)

    sessions.set_phase(ctx, admin, session.id, Phase.STORY)
    readable(phone, "Momento de la historia")
    # Joining leaves the screen scrolled where the join button was; the person scrolls back up.
    phone.mouse.wheel(0, -2000)
    phone.wait_for_timeout(300)
    assert within_window(phone, readable(phone, "Momento de la historia"))
    assert within_window(phone, readable(phone, spanish.topic_notes[0]))
    assert within_window(phone, readable(phone, spanish.title))
    expect(phone.get_by_text(english.topic_notes[0])).to_have_count(0)

    sessions.set_phase(ctx, admin, session.id, Phase.REFLECT)
    assert within_window(phone, readable(phone, spanish.prompts[0]))
    expect(phone.get_by_text(english.prompts[0])).to_have_count(0)

    # Half a reflection typed when the group moves on: the phone keeps that form and says so, in Spanish.
    phone.get_by_role("textbox", name=re.compile("Tu reflexión")).fill("Me quedé con")
    sessions.set_phase(ctx, admin, session.id, Phase.NEXT_STEP)
    expect(phone.get_by_text("El grupo pasó a: Próximo paso", exact=False)).to_be_visible(timeout=WAIT_MS)
    phone.get_by_role("button", name="Continuar").click()
    assert within_window(phone, readable(phone, spanish.next_step_prompt))
    community = phone.get_by_role("button", name="Comunidad")
    expect(community).to_be_visible(timeout=WAIT_MS)
    community.scroll_into_view_if_needed()
    assert within_window(phone, community)
    expect(phone.get_by_text(english.next_step_prompt)).to_have_count(0)
    context.close()
