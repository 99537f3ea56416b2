"""What the harness knows about HopeCircle's screens. When the UI changes, this is the file to update.

Widgets are found by their Streamlit key where they have one, otherwise by their English label
taken from the same catalog the app uses, so a reworded button does not break the harness.
"""

from __future__ import annotations

import json
import re
import time

from bench.load.client import Element, Page, ProtocolError, Session, component_event, text, trigger
from hopecircle.i18n import t
from hopecircle.ui.following import MOVED_ON_KEY
from hopecircle.ui.phone_board import CARDS_COMPONENT
from hopecircle.ui.phone_posted import FORM_COMPONENT
from hopecircle.ui.projector_fit import COMPONENT_NAME as PROJECTOR_FIT
from hopecircle.ui.room_watch import COMPONENT_NAME as ROOM_WATCHER

LANGUAGE = "en"
CONSENT_LABEL = t("consent.join", lang=LANGUAGE)
REFLECTION_KEY = "reflection-text"
GOAL_WHAT_KEY = "goal-what"
GOAL_WHEN_KEY = "goal-when"
POSTED_FIELDS = {REFLECTION_KEY: "text", GOAL_WHAT_KEY: "what", GOAL_WHEN_KEY: "when"}  # the posted form's names
SENT_OK = (t("phone.sent_on_board", lang=LANGUAGE), t("phone.sent_pending", lang=LANGUAGE))
SENT_HELD = t("phone.sent_held", lang=LANGUAGE)
SUPPORT_SHOWN = t("phone.support_message", lang=LANGUAGE)
_TITLES = {
    t("phone.welcome_title", lang=LANGUAGE): "welcome",
    t("phone.story_title", lang=LANGUAGE): "story",
    t("phone.board_title", lang=LANGUAGE): "board",
    t("phone.close_title", lang=LANGUAGE): "close",
}
# The room watcher of phones and projectors: the harness plays its JavaScript (a held GET of the
# room or board endpoint, and a wake when the answer differs).
WATCHERS = frozenset({ROOM_WATCHER})
FORM_SCREENS = {"reflection": "reflect", "goal": "next_step"}  # the posted forms (phone_posted), by form
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
        if element.kind == "bidi_component" and element.label == FORM_COMPONENT:
            return FORM_SCREENS.get(_data(element).get("form"), "other")
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
        for card in _cards_of(element)
    ]


def _data(element: Element) -> dict:
    data = json.loads(element.data or "{}")
    return data if isinstance(data, dict) else {}


def _cards_of(cards: Element) -> list[dict]:
    return json.loads(_data(cards).get("cards") or "[]")


async def tap_me_too(session: Session, cards: Element, card_id: int) -> float:
    """What a tap on a card's "me too" does in the cards component's JavaScript; when the phone had the answer.

    Served through serve.py the tap is posted and the answer is the post's (no script run);
    otherwise it goes to the page's script, and the answer is the run it starts.
    """
    data = _data(cards)
    added = any(card["added"] for card in _cards_of(cards) if card["id"] == card_id)
    wish = {"card": card_id, "on": not added}
    if data.get("url"):
        status, answer = await session.post(data["url"], {"token": data.get("token"), **wish, "lang": data.get("lang")})
        if status != 200 or "label" not in answer:
            raise ProtocolError(f"the me-too post answered {status}: {answer.get('message') or answer}")
        return time.time()
    return await session.act(component_event(cards, "metoo", wish), within=cards)


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


def posted_form(page: Page) -> Element | None:
    """The phone's posted form (a reflection's or a goal's, served through serve.py), if it shows one."""
    for element in page.elements.values():
        if element.kind == "bidi_component" and element.label == FORM_COMPONENT:
            return element
    return None


async def post_words(session: Session, form: Element, fields: dict[str, str]) -> tuple[int, dict]:
    """What the posted form's JavaScript does on "send": post the fields; once answered, ask the
    page for its redraw ("sent") when it needs one, without waiting for it. The post's status and answer."""
    data = _data(form)
    payload = {"token": data.get("token"), "form": data.get("form"), "fields": fields, "lang": data.get("lang")}
    status, answer = await session.post(data["url"], payload)
    support = answer.get("support") is True
    if status == 200 and (support or data.get("redraw") is True):
        await session.tell(component_event(form, "sent", {"support": support}), within=form)
    return status, answer


async def send_words(session: Session, key: str, words: str) -> None:
    """Send `words` from the form whose first field is `key` (a Streamlit form's key: "reflection-text",
    "goal-what"), the way the phone shows it; return once the phone has the answer."""
    form = posted_form(session.page)
    if form is not None:
        status, answer = await post_words(session, form, {POSTED_FIELDS[key]: words})
        assert status == 200, f"the post answered {status}: {answer}"
        return
    field = session.page.widget(key=key)
    assert field is not None, f"no {key} field on the phone"
    button = session.page.submit_button(field)
    assert button is not None, f"no submit button for {key}"
    await session.act(text(field, words), trigger(button), within=button)
    assert set(session.page.alerts()) & set(SENT_OK), f"not confirmed: {session.page.alerts()}"


def markers_in(page: Page) -> set[str]:
    """Every contribution marker visible on a board page (the projector's cards arrive as its
    fitted component's data)."""
    found: set[str] = set()
    bodies = list(page.texts("html"))
    for element in page.elements.values():
        if element.kind == "bidi_component" and element.label == PROJECTOR_FIT:
            bodies += [
                str(item.get("text", "")) for item in json.loads(_data(element).get("spec") or "{}").get("items", [])
            ]
    for body in bodies:
        if "hcm" in body:
            found.update(MARKER.findall(body))
    return found
