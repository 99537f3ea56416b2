"""The phone's room screen when served: one component that draws every phase itself, from data.

Served by `serve.py`, a phase change costs the server one shared answer per room version, not a
script run per phone. The page (`pages/join.py`) draws the shell (the crisis bar, the pass
reminder) and this one element (`static/phone_room.js`, `phone_room_screens.js`,
`phone_room_outbox.js`, `phone_room.css`); the JavaScript draws consent, each phase's screen, the board, what the phone
shared, the request to talk, the support lines and the hope card from the room's state
(`services.phone_room`, fetched from and held by `POST /api/phone/room`), and posts every word
and tap (`http/phone.py`, `http/phone_room.py`). No event ever comes back to the script: nothing
a person does on the phone starts a Streamlit run.

Every sentence comes from the catalog in the phone's language (`strings`); participants' words
come as data and are set as text or as a field's value, never as markup.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import streamlit as st

from hopecircle.domain import (
    DIMENSIONS,
    MAX_GOAL_CHARS,
    MAX_REFLECTION_CHARS,
    MAX_SUPPORT_CHARS,
    MAX_WHEN_CHARS,
    MAX_WORD_CHARS,
    PULSE_MAX,
    PULSE_MIN,
    Phase,
)
from hopecircle.http import carry as carry_api
from hopecircle.http import phone as phone_api
from hopecircle.http import phone_room as room_api
from hopecircle.i18n import available_languages, catalog, language_name
from hopecircle.services import phone_room, room, support
from hopecircle.services.phone_room import PAGE, PhoneState
from hopecircle.ui.phone import CHECKIN_EMOJI
from hopecircle.ui.widgets import STATIC
from hopecircle.ui.wiring import context

COMPONENT_NAME = "hopecircle_phone_room"
ROOM_KEY = "phone-room"
# The catalog's sentences the phone's screens use: sent once per page, in the phone's language.
_PREFIXES = ("phone.", "consent.", "kind.", "dimension.", "phase.", "crisis.", "goal.")
_KEYS = (
    "board.waiting",
    "privacy.link",
    *(f"carry.{name}" for name in ("remind_label", "remind_note", "question_private", "question_step_intro")),
    *(f"carry.{name}" for name in ("question_how", "question_no_step", "helped_label", "helped_help", "send", "skip")),
    *(f"carry.answer_{name}" for name in ("did_it", "partly", "not_yet", "rather_not")),
    "carry.pass_on_label",
    "carry.pass_on_help",
)
_URLS = {
    "join": room_api.JOIN_PATH,
    "room": room_api.ROOM_PATH,
    "card": room_api.HOPE_CARD_PATH,
    "send": phone_api.SEND_PATH,
    "metoo": phone_api.ME_TOO_PATH,
    "pulse": phone_api.PULSE_PATH,
    "edit": phone_api.EDIT_PATH,
    "delete": phone_api.DELETE_PATH,
    "talk": phone_api.TALK_PATH,
    "language": phone_api.LANGUAGE_PATH,
    "followup": carry_api.FOLLOW_UP_PATH,
    "passon": carry_api.PASS_ON_PATH,
}


def screen(
    code: str,
    language: str,
    *,
    title: str = "",
    token: str = "",
    state: PhoneState | None = None,
    typed: bool = False,
) -> None:
    """Mount the room screen for the room `code`: consent until the phone has a place, then the room.

    `title` is the session's name (consent shows it). `state` is the room as this run read it for
    the phone's `token` (drawn at once; the phone then waits for changes). `typed`: the page
    shows the code box above (a code typed, not scanned): after joining the phone loads its
    room's own address.
    """
    data = {
        "lang": language,
        "code": code,
        "proof": room.watch_proof(context(), code),
        "title": title,
        "token": token,
        # As JSON strings: for a list in its data, Streamlit checks for a dataframe, which
        # imports pandas and pyarrow (see phone_board.board_cards).
        "state": state.as_json() if state is not None else "",
        "strings": strings(language),
        "setup": setup(language),
        "lines": json.dumps(phone_room.support_lines(context(), language), ensure_ascii=False),
        "typed": typed,
    }
    _component()(data=data, key=ROOM_KEY)


@functools.cache
def strings(language: str) -> str:
    """The sentences the phone's screens show, in `language`, as JSON (built once per language)."""
    english, own = catalog("en"), catalog(language)
    keys = [key for key in english if key.startswith(_PREFIXES) or key in _KEYS]
    return json.dumps({key: own.get(key) or english[key] for key in keys}, ensure_ascii=False)


@functools.cache
def setup(language: str) -> str:
    """What the screens need besides sentences, as JSON: where to post, the limits the forms
    show, the choices they offer, the consent's parts, the languages (built once per language)."""
    return json.dumps(
        {
            "urls": _URLS,
            "page": PAGE,
            "limits": {
                "reflection": MAX_REFLECTION_CHARS,
                "goal": MAX_GOAL_CHARS,
                "when": MAX_WHEN_CHARS,
                "support": MAX_SUPPORT_CHARS,
                "word": MAX_WORD_CHARS,
                "note": support.MAX_NOTE_CHARS,
            },
            "pulse": [PULSE_MIN, PULSE_MAX],
            "emoji": list(CHECKIN_EMOJI),
            "dimensions": list(DIMENSIONS),
            "phases": [phase.value for phase in Phase],
            "consent": consent_parts(catalog(language).get("consent.body") or catalog("en")["consent.body"]),
            "languages": [[code, language_name(code)] for code in available_languages()],
            "privacy": f"privacy?lang={language}",
        },
        ensure_ascii=False,
    )


def consent_parts(text: str) -> list[dict[str, Any]]:
    """The consent's Markdown (a catalog entry: bold runs, a list) as parts the phone builds as
    elements: `{"list": bool, "items": [[[bold, text], ...], ...]}`, one per paragraph."""
    parts: list[dict[str, Any]] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        listed = all(line.startswith("- ") for line in lines)
        items = [_runs(line[2:] if listed else line) for line in lines]
        parts.append({"list": listed, "items": items if listed else [[run for item in items for run in item]]})
    return parts


def _runs(line: str) -> list[list[object]]:
    pieces = re.split(r"\*\*(.+?)\*\*", line)
    return [[index % 2 == 1, piece] for index, piece in enumerate(pieces) if piece]


@functools.cache
def _component() -> Any:
    js = "\n".join(
        (STATIC / name).read_text(encoding="utf-8")
        for name in ("phone_room_screens.js", "phone_room_carry.js", "phone_room_outbox.js", "phone_room.js")
    )
    return st.components.v2.component(
        COMPONENT_NAME, js=js, css=(STATIC / "phone_room.css").read_text(encoding="utf-8")
    )
