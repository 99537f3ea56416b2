"""What the harness knows about HopeCircle's screens. When the UI changes, this is the file to update.

Widgets are found by their Streamlit key where they have one, otherwise by their English label
taken from the same catalog the app uses, so a reworded button does not break the harness.
"""

from __future__ import annotations

import json
import re

from bench.load.client import Element, Page, Session, component_event, trigger
from hopecircle.i18n import t
from hopecircle.ui.following import MOVED_ON_KEY
from hopecircle.ui.phone_board import CARDS_COMPONENT
from hopecircle.ui.room_watch import COMPONENT_NAME as ROOM_WATCHER

LANGUAGE = "en"
CONSENT_LABEL = t("consent.join", lang=LANGUAGE)
REFLECTION_KEY = "reflection-text"
GOAL_WHAT_KEY = "goal-what"
GOAL_WHEN_KEY = "goal-when"
SENT_OK = (t("phone.sent_on_board", lang=LANGUAGE), t("phone.sent_pending", lang=LANGUAGE))
SENT_HELD = t("phone.sent_held", lang=LANGUAGE)
_TITLES = {
    t("phone.welcome_title", lang=LANGUAGE): "welcome",
    t("phone.story_title", lang=LANGUAGE): "story",
    t("phone.board_title", lang=LANGUAGE): "board",
    t("phone.close_title", lang=LANGUAGE): "close",
}
# The room watcher of phones and projectors: the harness plays its JavaScript (a held GET of the
# room or board endpoint, and a wake when the answer differs).
WATCHERS = frozenset({ROOM_WATCHER})
PHASE_OF_SCREEN = {"reflect": "reflect", "next_step": "next_step", "board": "board", "welcome": "welcome"}

# A marker in every contribution, so boards and the database can be matched to what was sent.
# Letters only: digit runs could look like a phone number to the personal-detail screen.
MARKER = re.compile(r"\bhcm[a-z]{6,}\b")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"

REFLECTIONS = (
    "The part about asking for help on a hard morning stayed with me.",
    "Hearing that small steps still count gave me some hope today.",
    "I related to feeling alone at first and then finding people who understood.",
    "What helped was having someone check in without judging.",
    "I want to remember that a setback is not the end of the road.",
)
GOALS = (
    "take a short walk with a friend",
    "call someone from this group",
    "go to one more meeting",
    "write down three things that went well",
    "cook a real breakfast for myself",
)

# The bare-Streamlit floor app (bench/load/bare_app.py): one button, one fragment.
BARE_BUTTON_LABEL = "Press"


def _letters(number: int, width: int) -> str:
    out = ""
    for _ in range(width):
        number, digit = divmod(number, 26)
        out = _LETTERS[digit] + out
    return out


def marker(run_tag: str, phone: int, sequence: int) -> str:
    """A word no one would type: run tag, phone number and sequence, in base 26."""
    return f"hcm{run_tag}{_letters(phone, 4)}{_letters(sequence, 2)}"


def reflection_text(phone: int, sequence: int, mark: str) -> str:
    return f"{REFLECTIONS[(phone + sequence) % len(REFLECTIONS)]} {mark}"


def goal_text(phone: int, mark: str) -> str:
    return f"{GOALS[phone % len(GOALS)]} {mark}"


def phone_screen(page: Page) -> str:
    """Which screen a phone shows: consent, welcome, reflect, next_step, board, close, or other."""
    keys = {element.key for element in page.elements.values() if element.id}
    if REFLECTION_KEY in keys:
        return "reflect"
    if GOAL_WHAT_KEY in keys:
        return "next_step"
    for element in page.elements.values():
        if element.kind == "button" and element.label == CONSENT_LABEL:
            return "consent"
    for element in page.elements.values():
        if element.kind == "heading" and element.body in _TITLES:
            return _TITLES[element.body]
    return "other"


def moved_on_button(page: Page) -> Element | None:
    """The "Continue" a phone shows when the group moved on while it still had a form to send."""
    return page.widget(key=MOVED_ON_KEY, kind="button")


def me_too_taps(page: Page) -> list[tuple[Element, int]]:
    """Each "me too" the phone's board shows: its cards component, and the card's id a tap sends."""
    return [
        (element, card["id"])
        for element in page.elements.values()
        if element.kind == "bidi_component" and element.label == CARDS_COMPONENT
        for card in json.loads(json.loads(element.data or "{}").get("cards") or "[]")
    ]


async def tap_me_too(session: Session, cards: Element, card_id: int) -> float:
    """What a tap on a card's "me too" sends from the cards component; when the run answering it finished."""
    return await session.act(component_event(cards, "toggle", card_id), within=cards)


async def tap_first_me_too(session: Session) -> None:
    """Tap the first card's "me too" (the cards component, or an older checkout's buttons) and
    wait for the run that answers it."""
    taps = me_too_taps(session.page)
    if taps:
        await tap_me_too(session, *taps[0])
        return
    buttons = [e for e in session.page.widgets("button") if e.key.startswith("metoo-")]  # before the component
    assert buttons, "no me-too buttons on the phone's board"
    await session.act(trigger(buttons[0]), within=buttons[0])


def markers_in(page: Page) -> set[str]:
    """Every contribution marker visible on a board page."""
    found: set[str] = set()
    for body in page.texts("html"):
        if "hcm" in body:
            found.update(MARKER.findall(body))
    return found
