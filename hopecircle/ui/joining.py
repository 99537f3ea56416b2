"""Joining a room from the phone: finding it by its code, within limits, and joining after consent.

Served by `serve.py` the consent and the join are the room screen's (`phone_room.py`: one post);
started from `workshop_app.py` alone they are Streamlit's (`consent_and_join`).
"""

from __future__ import annotations

import streamlit as st

from hopecircle import process
from hopecircle.domain import (
    SessionInfo,
    TooManyTries,
    UnknownParticipant,
    UnknownSessionCode,
    WorkshopError,
    normalize_join_code,
)
from hopecircle.i18n import t
from hopecircle.services import participation
from hopecircle.ui import runs
from hopecircle.ui.phone import CODE_PARAM, TOKEN_PARAM
from hopecircle.ui.widgets import show_error
from hopecircle.ui.wiring import context

JOINED_KEY = "joined"  # this tab's place in each room it joined: code -> token
TRIED_KEY = "codes-tried"  # wrong codes this tab typed (each counts once against its tries)


def find_room(code: str) -> SessionInfo:
    """The open session for a typed code, within this tab's and this process's tries (`live/tries.py`).

    A code already found wrong is said again without counting twice (the page reruns for other
    reasons); a new wrong code counts. Raises UnknownSessionCode, SessionClosed or TooManyTries.
    """
    room = normalize_join_code(code)
    tried: set[str] = st.session_state.setdefault(TRIED_KEY, set())
    tab = runs.tab_key()
    if room not in tried and process.JOIN_TRIES.blocked(tab):
        raise TooManyTries()
    try:
        return participation.find_session(context(), room)
    except UnknownSessionCode:
        if room not in tried:
            tried.add(room)
            process.JOIN_TRIES.failed(tab)
        raise


def scanned_room(code: str) -> SessionInfo | None:
    """The open room of a code in the address (a scanned QR code), or None (the code box says why)."""
    if not code:
        return None
    try:
        return find_room(code)
    except WorkshopError:
        return None


def code_box(code: str) -> SessionInfo | None:
    """The join screen's title and code box (filled with the address's code); the room it finds,
    or None, with what is wrong said under the box."""
    st.title(t("phone.join_title"))
    typed = st.text_input(t("phone.code_label"), value=code, max_chars=12, key="code")
    if not typed:
        return None
    try:
        return find_room(typed)
    except WorkshopError as error:
        show_error(error)
        return None


def consent_and_join(code: str, language: str) -> None:
    """The consent button's callback: join, and put the phone's place in its address.

    Done in the callback, the same script run then draws the room instead of a second run.
    A second tap that reaches the server before the first one's page (a double tap, a slow
    network) finds this tab already in the room and keeps its place: one phone, one participant.

    Joining fails only when the code finds no open session; the page checks the code again in
    this same run and says why, so nothing needs to be kept here.
    """
    room = normalize_join_code(code)
    places: dict[str, str] = st.session_state.setdefault(JOINED_KEY, {})
    token = places.get(room)
    if token is not None:
        try:
            participation.resume(context(), token)
        except UnknownParticipant:
            token = None  # that place is gone (the session ended and was cleared): join afresh
    if token is None:
        try:
            token = places[room] = participation.join(context(), room, language).token
        except WorkshopError:
            return
    st.query_params[CODE_PARAM] = room
    st.query_params[TOKEN_PARAM] = token
