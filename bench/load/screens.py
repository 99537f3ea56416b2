"""What the harness knows about HopeCircle's screens. When the UI changes, this is the file to update.

A served phone's screen is its room component (`bench/load/phone.py` plays its JavaScript): the
phase it shows is the room's state, and its words go by post. Projectors are Streamlit pages:
their cards arrive as their fitted component's data.
"""

from __future__ import annotations

import json
import re

from bench.load.client import Element, Page
from hopecircle.i18n import t
from hopecircle.ui.projector_fit import COMPONENT_NAME as PROJECTOR_FIT
from hopecircle.ui.room_watch import COMPONENT_NAME as ROOM_WATCHER

LANGUAGE = "en"
SENT_OK = (t("phone.sent_on_board", lang=LANGUAGE), t("phone.sent_pending", lang=LANGUAGE))
# The projector's watcher: the harness plays its JavaScript (a held GET of the board endpoint, and
# a rerun when the answer differs).
WATCHERS = frozenset({ROOM_WATCHER})
# The phases of a session in order, as a phone's state names them.
PHASES = ("welcome", "checkin", "story", "reflect", "next_step", "board", "close")

# A marker in every contribution, so boards and the database can be matched to what was sent.
# Letters only: digit runs could look like a phone number to the personal-detail screen.
MARKER = re.compile(r"\bhcm[a-z]{6,}\b")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"

# Words the screener lets through (tests/bench/test_load_harness.py checks): a load run measures
# the room, and a send held for the facilitator's read never reaches a board.
REFLECTIONS = (
    "The part about asking for help on a hard morning stayed with me.",
    "Hearing that small steps still count gave me some hope.",
    "Meeting people who understood me helped in the first weeks.",
    "What helped was having someone check in without judging.",
    "I liked hearing how routines helped on the slow days.",
)
GOALS = (
    "take a short walk with a friend",
    "call someone from this group",
    "go to one more meeting",
    "write down three things that went well",
    "cook a real breakfast for myself",
)
CHECKIN_WORDS = ("hopeful", "tired", "calm", "🙂", "curious", "🙏", "steady", "nervous")
CHECKOUT_WORDS = ("grateful", "relieved", "hope", "💪", "connected", "ready")
EDITED = " Thank you for sharing it."

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


def word(kind: str, phone: int) -> str:
    """A phone's one-word check-in or check-out."""
    words = CHECKIN_WORDS if kind == "checkin" else CHECKOUT_WORDS
    return words[phone % len(words)]


def _data(element: Element) -> dict:
    data = json.loads(element.data or "{}")
    return data if isinstance(data, dict) else {}


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
